#include <doctest/doctest.h>

#include <cstdlib>

#include "core/Clock.h"

using namespace fk::core;

TEST_CASE("fake clock advances wall and steady time together and a wall step leaves steady alone") {
    FakeClock clock(1000, 330);
    clock.Advance(250);
    CHECK(clock.NowUtcMs() == 1250);
    CHECK(clock.SteadyMs() == 250);
    clock.SetUtc(10);
    CHECK(clock.NowUtcMs() == 10);
    CHECK(clock.SteadyMs() == 250);
    CHECK(clock.TzOffsetMinutes(0) == 330);
}

TEST_CASE("system clock reports the zone's offset, DST included") {
    SystemClock clock;
    ::setenv("TZ", "Asia/Kolkata", 1);
    ::tzset();
    CHECK(clock.TzOffsetMinutes(1'795'342'530'123) == 330);
    ::setenv("TZ", "Europe/Copenhagen", 1);
    ::tzset();
    CHECK(clock.TzOffsetMinutes(1'795'342'530'123) == 60);   // November: CET
    CHECK(clock.TzOffsetMinutes(1'783'000'000'000) == 120);  // July: CEST
    ::unsetenv("TZ");
    ::tzset();
    CHECK(clock.NowUtcMs() > 1'700'000'000'000);
}
