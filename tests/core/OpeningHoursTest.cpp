#include <doctest/doctest.h>

#include "core/OpeningHours.h"
#include "core/TimeFormat.h"

using namespace fk::core;

namespace {
UtcMs At(const char* rfc3339) {
    return *ParseRfc3339(rfc3339);
}
}  // namespace

TEST_CASE("weekday of known dates") {
    CHECK(WeekdayOfDays(0) == Weekday::Thursday);
    CHECK(WeekdayOfDays(DaysFromCivil({2026, 11, 23})) == Weekday::Monday);
    CHECK(WeekdayOfDays(-1) == Weekday::Wednesday);
}

TEST_CASE("always is open at any time") {
    CHECK(OpeningHours::Always().IsOpenAt(0, 0));
    CHECK(OpeningHours::Always().IsOpenAt(At("2026-11-23T03:00:00Z"), 330));
}

TEST_CASE("weekly hours in local time, with the zone offset") {
    std::array<std::optional<DayHours>, 7> days{};
    for (int i = 0; i < 6; ++i)
        days[static_cast<std::size_t>(i)] = DayHours{9 * 60, 21 * 60};  // Mon-Sat
    auto h = OpeningHours::Weekly(days);
    // Monday 2026-11-23, India (+05:30): 09:00 local = 03:30Z
    CHECK_FALSE(h.IsOpenAt(At("2026-11-23T03:29:00Z"), 330));
    CHECK(h.IsOpenAt(At("2026-11-23T03:30:00Z"), 330));
    CHECK(h.IsOpenAt(At("2026-11-23T15:29:00Z"), 330));
    CHECK_FALSE(h.IsOpenAt(At("2026-11-23T15:30:00Z"), 330));  // 21:00 local
    // Sunday closed
    CHECK_FALSE(h.IsOpenAt(At("2026-11-29T08:00:00Z"), 330));
    FakeClock clock(At("2026-11-23T10:00:00Z"), 60);
    CHECK(h.IsOpen(clock));
}

TEST_CASE("overnight spans run past midnight into the next day") {
    std::array<std::optional<DayHours>, 7> days{};
    days[4] = DayHours{18 * 60, 2 * 60};  // Friday 18:00-02:00
    auto h = OpeningHours::Weekly(days);
    CHECK(h.IsOpenAt(At("2026-11-27T23:00:00Z"), 0));  // Friday night
    CHECK(h.IsOpenAt(At("2026-11-28T01:59:00Z"), 0));  // Saturday early
    CHECK_FALSE(h.IsOpenAt(At("2026-11-28T02:00:00Z"), 0));
    CHECK_FALSE(h.IsOpenAt(At("2026-11-27T01:00:00Z"), 0));  // Friday early: Thursday was closed
}

TEST_CASE("day hours parse and explain bad input") {
    auto ok = ParseDayHours("09:00-21:30");
    REQUIRE(ok.hours);
    CHECK(*ok.hours == DayHours{540, 1290});
    CHECK(ParseDayHours("00:00-24:00").hours->closeMin == 1440);
    auto closed = ParseDayHours("closed");
    CHECK(closed.error.empty());
    CHECK_FALSE(closed.hours);
    auto bad = ParseDayHours("9-21");
    CHECK(bad.error.find("HH:MM-HH:MM") != std::string::npos);
    CHECK_FALSE(ParseDayHours("09:00-09:00").error.empty());
    CHECK_FALSE(ParseDayHours("25:00-26:00").error.empty());
}

TEST_CASE("several spans a day: closed over lunch") {
    std::array<std::vector<DayHours>, 7> days{};
    days[0] = {DayHours{9 * 60, 13 * 60}, DayHours{14 * 60, 19 * 60}};  // Monday
    auto h = OpeningHours::WeeklyRanges(days);
    CHECK(h.IsOpenAt(At("2026-11-23T12:59:00Z"), 0));
    CHECK_FALSE(h.IsOpenAt(At("2026-11-23T13:30:00Z"), 0));
    CHECK(h.IsOpenAt(At("2026-11-23T14:00:00Z"), 0));
    CHECK_FALSE(h.IsOpenAt(At("2026-11-23T19:00:00Z"), 0));
    CHECK_FALSE(h.IsOpenAt(At("2026-11-24T10:00:00Z"), 0));  // Tuesday: closed
}

TEST_CASE("closing time versus a break: closed for longer than the longest break") {
    std::array<std::vector<DayHours>, 7> days{};
    days[0] = {DayHours{9 * 60, 13 * 60}, DayHours{14 * 60, 19 * 60}};  // Monday
    const auto h = OpeningHours::WeeklyRanges(days);
    constexpr std::int64_t kFourHours = 4 * 3600'000;
    CHECK_FALSE(h.ClosedForLongerThan(At("2026-11-23T12:00:00Z"), 0, kFourHours));  // open
    CHECK_FALSE(h.ClosedForLongerThan(At("2026-11-23T13:00:00Z"), 0, kFourHours));  // lunch
    CHECK(h.ClosedForLongerThan(At("2026-11-23T19:00:00Z"), 0, kFourHours));        // night
    // The same instant in a zone two hours ahead is 15:00 local: open.
    CHECK_FALSE(h.ClosedForLongerThan(At("2026-11-23T13:00:00Z"), 120, kFourHours));
    CHECK_FALSE(
        OpeningHours::Always().ClosedForLongerThan(At("2026-11-23T19:00:00Z"), 0, kFourHours));
}
