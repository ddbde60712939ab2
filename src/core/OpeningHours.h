#pragma once
// When the kiosk takes ratings: per weekday an open and a close time in local time, or "always".
// Outside the hours the kiosk shows a dimmed "closed" screen. Pure values; thread-safe.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Clock.h"

namespace fk::core {

enum class Weekday { Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday };

// Minutes since local midnight, [open, close). close <= open means the span runs past midnight
// into the next day (a bar open 18:00-02:00).
struct DayHours {
    int openMin = 0;
    int closeMin = 24 * 60;
    friend bool operator==(const DayHours&, const DayHours&) = default;
};

// "09:00-21:00" -> DayHours; "closed" -> a day with no hours (nullopt inside the optional);
// anything else -> an error message saying what the expected form is.
struct DayHoursParse {
    std::optional<DayHours> hours;  // nullopt: closed all day
    std::string error;              // empty on success
};
DayHoursParse ParseDayHours(std::string_view text);

class OpeningHours {
  public:
    // Open every minute of every day.
    static OpeningHours Always();
    // Index 0 = Monday. nullopt = closed that day.
    static OpeningHours Weekly(std::array<std::optional<DayHours>, 7> days);
    // Several spans a day (a lunch break); an empty list = closed that day.
    static OpeningHours WeeklyRanges(std::array<std::vector<DayHours>, 7> days);

    bool IsAlways() const { return m_always; }
    bool IsOpenAt(UtcMs utc, int tzOffsetMinutes) const;
    bool IsOpen(const Clock& clock) const;
    // Closed at utc and not open again within breakMs (probed minute by minute): the day's
    // closing time, not a lunch break. Never for Always().
    bool ClosedForLongerThan(UtcMs utc, int tzOffsetMinutes, std::int64_t breakMs) const;

  private:
    bool m_always = true;
    std::array<std::vector<DayHours>, 7> m_days{};
};

// Local weekday of a local day number (days since 1970-01-01, a Thursday).
Weekday WeekdayOfDays(std::int64_t days);

}  // namespace fk::core
