// The PIN pad's brute-force brake: free attempts, then doubling locks up to a cap, and a record
// that survives a restart without letting a clock change reset or stretch the lock.
#include <doctest/doctest.h>

#include "core/PinLockout.h"

using namespace fk::core;

TEST_CASE("pin lockout: four wrong PINs are free, the fifth locks for 30 s") {
    FakeClock clock;
    PinLockout lock(LockoutPolicy{}, clock);
    for (int i = 0; i < 4; ++i) {
        lock.RecordFailure();
        CHECK_FALSE(lock.Locked());
    }
    lock.RecordFailure();
    REQUIRE(lock.Locked());
    CHECK(lock.RemainingMs() == 30'000);
    CHECK(lock.RemainingSeconds() == 30);
    clock.Advance(29'001);
    CHECK(lock.RemainingSeconds() == 1);
    CHECK(lock.Locked());
    clock.Advance(999);
    CHECK_FALSE(lock.Locked());
    CHECK(lock.RemainingSeconds() == 0);
}

TEST_CASE("pin lockout: after a lock every wrong PIN locks again, twice as long, up to the cap") {
    FakeClock clock;
    LockoutPolicy policy;
    policy.maxLockMs = 10 * 60 * 1000;
    PinLockout lock(policy, clock);
    for (int i = 0; i < 5; ++i)
        lock.RecordFailure();
    const std::int64_t expected[] = {30'000, 60'000, 120'000, 240'000, 480'000, 600'000, 600'000};
    for (std::int64_t ms : expected) {
        REQUIRE(lock.Locked());
        CHECK(lock.RemainingMs() == ms);
        clock.Advance(ms);
        CHECK_FALSE(lock.Locked());
        lock.RecordFailure();
    }
    CHECK(PinLockout::LockLengthMs(policy, 0) == 30'000);
    CHECK(PinLockout::LockLengthMs(policy, 3) == 240'000);
    CHECK(PinLockout::LockLengthMs(policy, 400) == 600'000);  // no overflow far past the cap
}

TEST_CASE("pin lockout: a right PIN clears failures and locks") {
    FakeClock clock;
    PinLockout lock(LockoutPolicy{}, clock);
    for (int i = 0; i < 5; ++i)
        lock.RecordFailure();
    clock.Advance(30'000);
    lock.RecordSuccess();
    CHECK(lock.Record() == LockoutRecord{});
    for (int i = 0; i < 4; ++i)
        lock.RecordFailure();
    CHECK_FALSE(lock.Locked());
}

TEST_CASE("pin lockout: the record round-trips and a restart keeps the rest of the lock") {
    FakeClock clock;
    PinLockout lock(LockoutPolicy{}, clock);
    for (int i = 0; i < 6; ++i) {
        if (lock.Locked())
            clock.Advance(lock.RemainingMs());
        lock.RecordFailure();
    }
    REQUIRE(lock.Locked());  // the second lock: 60 s
    clock.Advance(20'000);
    const std::string text = Serialize(lock.Record());
    auto parsed = ParseLockoutRecord(text);
    REQUIRE(parsed);
    CHECK(*parsed == lock.Record());

    FakeClock later(clock.NowUtcMs());  // a new process: steady time starts over
    PinLockout restarted(LockoutPolicy{}, later, *parsed);
    CHECK(restarted.RemainingMs() == 40'000);
    restarted.RecordSuccess();
    CHECK_FALSE(restarted.Locked());

    // Next failure after the restart doubles again: the schedule continues.
    PinLockout again(LockoutPolicy{}, later, *parsed);
    later.Advance(40'000);
    again.RecordFailure();
    CHECK(again.RemainingMs() == 120'000);
}

TEST_CASE(
    "pin lockout: a wall clock set back does not stretch a persisted lock beyond its length") {
    FakeClock clock;
    LockoutRecord r;
    r.failures = 5;
    r.locks = 1;
    r.lockMs = 30'000;
    r.lockedUntilUtc = clock.NowUtcMs() + 30'000;
    clock.SetUtc(clock.NowUtcMs() - 24 * 3600 * 1000);  // a day back
    PinLockout lock(LockoutPolicy{}, clock, r);
    CHECK(lock.RemainingMs() == 30'000);
}

TEST_CASE("pin lockout: damaged records are refused") {
    CHECK_FALSE(ParseLockoutRecord(""));
    CHECK_FALSE(ParseLockoutRecord("failures 3\n"));
    CHECK_FALSE(
        ParseLockoutRecord("fk-pin-lockout 1\nfailures 3\nlocks 0\nlock_ms 0\n"));  // a key missing
    CHECK_FALSE(ParseLockoutRecord(
        "fk-pin-lockout 1\nfailures -3\nlocks 0\nlock_ms 0\nlocked_until_utc 0\n"));
    CHECK_FALSE(ParseLockoutRecord(
        "fk-pin-lockout 1\nfailures x\nlocks 0\nlock_ms 0\nlocked_until_utc 0\n"));
    CHECK(ParseLockoutRecord(
        "fk-pin-lockout 1\nfailures 3\nlocks 0\nlock_ms 0\nlocked_until_utc 0\n"));
}
