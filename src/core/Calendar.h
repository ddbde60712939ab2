#pragma once
// Calendar arithmetic on day numbers (days since 1970-01-01) shared by the kiosk's periods,
// opening hours and dashboard and the server's reports: one definition of each. Pure functions;
// no thread affinity.

#include <cstdint>

namespace fk::core {

inline constexpr std::int64_t kMsPerDay = 86'400'000;

// a / b rounded toward negative infinity (a day before 1970 is day -1, not day 0).
constexpr std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Monday = 0 ... Sunday = 6 for a day number; 1970-01-01 was a Thursday (3).
constexpr int WeekdayIndex(std::int64_t days) {
    return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

static_assert(FloorDiv(-1, 7) == -1 && FloorDiv(7, 7) == 1 && FloorDiv(-7, 7) == -1);
static_assert(WeekdayIndex(0) == 3 && WeekdayIndex(-1) == 2 && WeekdayIndex(4) == 0);

}  // namespace fk::core
