#pragma once
// The manager's reporting period: today, the last 7 days, the last 30 days (each ending with
// today and including it) or a custom range of local dates, turned into a UTC interval
// [fromUtc, toUtc). "Local" is the kiosk's time zone as the Clock reports it
// (Clock::TzOffsetMinutes), so a day is whatever the zone makes it: 24 hours, 23 on the day DST
// starts, 25 on the day it ends. Local midnight is found as the first UTC instant whose local date
// is the day (a binary search over the offset function), which also covers zones that change at
// midnight (the day then starts at the change).
// Pure functions over a Clock; thread-safe as the Clock is.

#include <cstdint>
#include <optional>
#include <string>

#include "core/Clock.h"
#include "core/TimeFormat.h"

namespace fk::core {

enum class PeriodKind { Today, Last7Days, Last30Days, Custom };
std::string to_string(PeriodKind kind);

struct Period {
    PeriodKind kind = PeriodKind::Today;
    CivilDate firstDay;  // local, inclusive
    CivilDate lastDay;   // local, inclusive
    UtcMs fromUtc = 0;   // local midnight starting firstDay
    UtcMs toUtc = 0;     // local midnight ending lastDay (exclusive)

    std::int64_t Days() const { return DaysFromCivil(lastDay) - DaysFromCivil(firstDay) + 1; }
    bool Contains(UtcMs at) const { return at >= fromUtc && at < toUtc; }
};

// The local calendar date of an instant.
CivilDate LocalDateOf(UtcMs at, const Clock& clock);
// The first UTC instant whose local date is `day` (its local midnight, or the DST change when
// midnight does not exist that day).
UtcMs LocalDayStartUtc(CivilDate day, const Clock& clock);

// Today / 7 / 30 days ending with the local date of clock.NowUtcMs(). Custom is not valid here
// (use MakeCustomPeriod); passing it yields Today.
Period MakePeriod(PeriodKind kind, const Clock& clock);

// A custom range of local dates, both inclusive. Fails (with a message for the manager) when last
// is before first or the range is longer than kMaxCustomDays.
struct PeriodError {
    enum class Kind { EndBeforeStart, TooLong };
    Kind kind = Kind::EndBeforeStart;
    CivilDate first;  // the range asked for
    CivilDate last;
    std::string message;  // in English, for logs and the command line
};
inline constexpr std::int64_t kMaxCustomDays = 3660;
struct PeriodResult {
    std::optional<Period> period;
    std::optional<PeriodError> error;
};
PeriodResult MakeCustomPeriod(CivilDate first, CivilDate last, const Clock& clock);

}  // namespace fk::core
