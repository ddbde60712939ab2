#include "core/OpeningHours.h"
#include "core/Calendar.h"

#include <charconv>

namespace fk::core {

namespace {

std::optional<int> ParseHhMm(std::string_view text) {
    if (text.size() != 5 || text[2] != ':')
        return std::nullopt;
    int h = 0;
    int m = 0;
    auto r1 = std::from_chars(text.data(), text.data() + 2, h);
    auto r2 = std::from_chars(text.data() + 3, text.data() + 5, m);
    if (r1.ec != std::errc() || r1.ptr != text.data() + 2 || r2.ec != std::errc() ||
        r2.ptr != text.data() + 5) {
        return std::nullopt;
    }
    if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0))
        return std::nullopt;
    return h * 60 + m;
}

bool SpanContains(const DayHours* day, int minute, bool previousDaySpill) {
    if (previousDaySpill) {
        // Only the part of an overnight span that falls after midnight.
        return day->closeMin <= day->openMin && minute < day->closeMin;
    }
    if (day->closeMin > day->openMin)
        return minute >= day->openMin && minute < day->closeMin;
    return minute >= day->openMin;  // overnight: from open until midnight today
}

}  // namespace

DayHoursParse ParseDayHours(std::string_view text) {
    DayHoursParse out;
    if (text == "closed")
        return out;
    const auto dash = text.find('-');
    std::optional<int> open;
    std::optional<int> close;
    if (dash != std::string_view::npos) {
        open = ParseHhMm(text.substr(0, dash));
        close = ParseHhMm(text.substr(dash + 1));
    }
    if (!open || !close) {
        out.error =
            "expected \"HH:MM-HH:MM\" (24-hour local time, e.g. \"09:00-21:00\") or \"closed\", "
            "got \"" +
            std::string(text) + "\"";
        return out;
    }
    if (*open == *close) {
        out.error = "open and close times are equal in \"" + std::string(text) +
                    "\"; use \"00:00-24:00\" for a whole day or \"closed\"";
        return out;
    }
    out.hours = DayHours{*open, *close};
    return out;
}

OpeningHours OpeningHours::Always() {
    return OpeningHours{};
}

static bool DayContains(const std::vector<DayHours>& spans, int minute, bool previousDaySpill) {
    for (const auto& span : spans) {
        if (SpanContains(&span, minute, previousDaySpill))
            return true;
    }
    return false;
}

OpeningHours OpeningHours::Weekly(std::array<std::optional<DayHours>, 7> days) {
    std::array<std::vector<DayHours>, 7> ranges;
    for (std::size_t i = 0; i < 7; ++i) {
        if (days[i])
            ranges[i].push_back(*days[i]);
    }
    return WeeklyRanges(std::move(ranges));
}

OpeningHours OpeningHours::WeeklyRanges(std::array<std::vector<DayHours>, 7> days) {
    OpeningHours h;
    h.m_always = false;
    h.m_days = std::move(days);
    return h;
}

Weekday WeekdayOfDays(std::int64_t days) {
    // 1970-01-01 was a Thursday (index 3 with Monday = 0).
    return static_cast<Weekday>(WeekdayIndex(days));
}

bool OpeningHours::IsOpenAt(UtcMs utc, int tzOffsetMinutes) const {
    if (m_always)
        return true;
    const std::int64_t localMs = utc + std::int64_t{tzOffsetMinutes} * 60'000;
    const std::int64_t days = FloorDiv(localMs, kMsPerDay);
    const int minute = static_cast<int>((localMs - days * 86'400'000) / 60'000);
    const auto today = static_cast<std::size_t>(WeekdayOfDays(days));
    const auto yesterday = static_cast<std::size_t>(WeekdayOfDays(days - 1));
    return DayContains(m_days[today], minute, false) ||
           DayContains(m_days[yesterday], minute, true);
}

bool OpeningHours::ClosedForLongerThan(UtcMs utc, int tzOffsetMinutes, std::int64_t breakMs) const {
    if (m_always)
        return false;
    constexpr std::int64_t kMinute = 60'000;
    for (std::int64_t t = 0; t <= breakMs; t += kMinute) {
        if (IsOpenAt(utc + t, tzOffsetMinutes))
            return false;
    }
    return true;
}

bool OpeningHours::IsOpen(const Clock& clock) const {
    const UtcMs now = clock.NowUtcMs();
    return IsOpenAt(now, clock.TzOffsetMinutes(now));
}

}  // namespace fk::core
