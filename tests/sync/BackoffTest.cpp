#include <doctest/doctest.h>

#include <set>

#include "sync/Backoff.h"

using namespace fk::sync;
using std::chrono::milliseconds;

TEST_CASE("backoff grows exponentially within its jitter window and stops at the cap") {
    std::mt19937_64 random(42);
    Backoff backoff({milliseconds(1000), milliseconds(60'000), 2.0});
    for (int failure = 1; failure <= 12; ++failure) {
        milliseconds delay = backoff.NextDelay(random);
        const std::int64_t ceiling = std::min<std::int64_t>(1000LL << (failure - 1), 60'000);
        CHECK(backoff.Ceiling().count() == ceiling);
        CHECK(delay.count() >= ceiling / 10);
        CHECK(delay.count() <= ceiling);
    }
    backoff.Reset();
    CHECK(backoff.Failures() == 0);
    CHECK(backoff.NextDelay(random).count() <= 1000);
}

TEST_CASE("backoff jitter spreads a fleet's retries") {
    std::mt19937_64 random(7);
    std::set<std::int64_t> delays;
    for (int kiosk = 0; kiosk < 50; ++kiosk) {
        Backoff backoff;
        for (int i = 0; i < 5; ++i)
            backoff.NextDelay(random);
        delays.insert(backoff.NextDelay(random).count());
    }
    CHECK(delays.size() > 40);
}

TEST_CASE("backoff honours Retry-After but never beyond the cap") {
    std::mt19937_64 random(1);
    Backoff backoff({milliseconds(1000), milliseconds(30'000), 2.0});
    CHECK(backoff.NextDelay(random, milliseconds(20'000)).count() == 20'000);
    CHECK(backoff.NextDelay(random, milliseconds(120'000)).count() == 30'000);
    CHECK(ParseRetryAfter("120") == milliseconds(120'000));
    CHECK_FALSE(ParseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT").has_value());
    CHECK_FALSE(ParseRetryAfter("").has_value());
}
