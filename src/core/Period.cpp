#include "core/Period.h"
#include "core/Calendar.h"

namespace fk::core {

namespace {

std::int64_t LocalDayNumber(UtcMs at, const Clock& clock) {
    const UtcMs local = at + static_cast<std::int64_t>(clock.TzOffsetMinutes(at)) * 60'000;
    return FloorDiv(local, kMsPerDay);
}

}  // namespace

std::string to_string(PeriodKind kind) {
    switch (kind) {
        case PeriodKind::Today:
            return "today";
        case PeriodKind::Last7Days:
            return "last 7 days";
        case PeriodKind::Last30Days:
            return "last 30 days";
        case PeriodKind::Custom:
            return "custom";
    }
    return "unknown";
}

CivilDate LocalDateOf(UtcMs at, const Clock& clock) {
    return CivilFromDays(LocalDayNumber(at, clock));
}

UtcMs LocalDayStartUtc(CivilDate day, const Clock& clock) {
    const std::int64_t target = DaysFromCivil(day);
    // Fast path: midnight at the offset in force around it, checked to be the first instant of
    // the day (true unless a transition falls right at midnight).
    const UtcMs localMidnight = target * kMsPerDay;
    UtcMs guess =
        localMidnight - static_cast<std::int64_t>(clock.TzOffsetMinutes(localMidnight)) * 60'000;
    guess = localMidnight - static_cast<std::int64_t>(clock.TzOffsetMinutes(guess)) * 60'000;
    if (LocalDayNumber(guess, clock) == target && LocalDayNumber(guess - 1, clock) < target)
        return guess;
    // Real offsets lie within -12:00..+14:00, so the start is within a day of UTC midnight.
    // Invariant: LocalDayNumber(lo) < target <= LocalDayNumber(hi).
    UtcMs lo = target * kMsPerDay - kMsPerDay;
    UtcMs hi = target * kMsPerDay + kMsPerDay;
    while (hi - lo > 1) {
        const UtcMs mid = lo + (hi - lo) / 2;
        if (LocalDayNumber(mid, clock) >= target)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

Period MakePeriod(PeriodKind kind, const Clock& clock) {
    const std::int64_t today = LocalDayNumber(clock.NowUtcMs(), clock);
    std::int64_t days = 1;
    if (kind == PeriodKind::Last7Days)
        days = 7;
    else if (kind == PeriodKind::Last30Days)
        days = 30;
    else
        kind = PeriodKind::Today;
    Period p;
    p.kind = kind;
    p.firstDay = CivilFromDays(today - days + 1);
    p.lastDay = CivilFromDays(today);
    p.fromUtc = LocalDayStartUtc(p.firstDay, clock);
    p.toUtc = LocalDayStartUtc(CivilFromDays(today + 1), clock);
    return p;
}

PeriodResult MakeCustomPeriod(CivilDate first, CivilDate last, const Clock& clock) {
    PeriodResult result;
    const std::int64_t a = DaysFromCivil(first);
    const std::int64_t b = DaysFromCivil(last);
    if (b < a) {
        result.error =
            PeriodError{PeriodError::Kind::EndBeforeStart, first, last,
                        "the end date " + FormatIsoDate(last) + " is before the start date " +
                            FormatIsoDate(first) + ": pick an end on or after the start"};
        return result;
    }
    if (b - a + 1 > kMaxCustomDays) {
        result.error = PeriodError{
            PeriodError::Kind::TooLong, first, last,
            "the range " + FormatIsoDate(first) + " to " + FormatIsoDate(last) +
                " is longer than " + std::to_string(kMaxCustomDays) + " days: pick a shorter one"};
        return result;
    }
    Period p;
    p.kind = PeriodKind::Custom;
    p.firstDay = first;
    p.lastDay = last;
    p.fromUtc = LocalDayStartUtc(first, clock);
    p.toUtc = LocalDayStartUtc(CivilFromDays(b + 1), clock);
    result.period = p;
    return result;
}

}  // namespace fk::core
