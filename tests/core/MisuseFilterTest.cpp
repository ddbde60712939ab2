#include <doctest/doctest.h>

#include "core/MisuseFilter.h"

using namespace fk::core;

TEST_CASE("min interval fires only within the interval after a close") {
    FakeClock clock;
    MisuseFilter f(clock, MisuseRules{3, 0, 2});
    CHECK_FALSE(f.Check());  // nothing closed yet
    f.OnRating();
    f.OnClosed();
    clock.Advance(2'999);
    CHECK(f.Check() == std::string("min_interval"));
    clock.Advance(1);
    CHECK_FALSE(f.Check());
}

TEST_CASE(
    "burst fires on the rating that exceeds N in M minutes, and clears as the window slides") {
    FakeClock clock;
    MisuseFilter f(clock, MisuseRules{0, 3, 1});
    for (int i = 0; i < 3; ++i) {
        CHECK_FALSE(f.Check());
        f.OnRating();
        clock.Advance(10'000);
    }
    CHECK(f.Check() == std::string("burst"));
    clock.Advance(30'000);  // first rating is now 60 s old
    CHECK_FALSE(f.Check());
}

TEST_CASE("a wall clock stepped backwards does not flag honest customers") {
    FakeClock clock;
    MisuseFilter f(clock, MisuseRules{5, 2, 10});
    f.OnRating();
    f.OnRating();
    f.OnClosed();
    clock.SetUtc(clock.NowUtcMs() - 3'600'000);
    CHECK_FALSE(f.Check());
}

TEST_CASE("history seeded from storage counts") {
    FakeClock clock;
    MisuseFilter f(clock, MisuseRules{2, 2, 5});
    const UtcMs now = clock.NowUtcMs();
    f.Seed({now - 400'000, now - 60'000, now - 30'000}, now - 1'000);
    CHECK(f.Check() == std::string("min_interval"));
    clock.Advance(1'000);
    CHECK(f.Check() == std::string("burst"));
}

TEST_CASE("defaults are sensible: one customer a minute is never flagged") {
    FakeClock clock;
    MisuseFilter f(clock, MisuseRules{});
    CHECK(f.Rules().minIntervalS > 0);
    CHECK(f.Rules().maxPerWindow > 0);
    for (int i = 0; i < 100; ++i) {
        CHECK_FALSE(f.Check());
        f.OnRating();
        clock.Advance(20'000);
        f.OnClosed();
        clock.Advance(40'000);
    }
}
