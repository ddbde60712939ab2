#pragma once
// The manager PIN pad's brute-force brake, as a pure schedule. The first kFreeAttempts wrong PINs
// in a row cost nothing; the next one locks the pad for firstLockMs, and every wrong PIN after a
// lock locks it again for twice as long as the last lock, up to maxLockMs. A right PIN clears it.
// So a 4-digit PIN (10,000 candidates) needs months of guessing at the cap, not minutes.
//
// Time: a running lock counts on the steady clock, so a wall-clock change while the kiosk runs
// neither extends nor shortens it. The persisted record (Serialize/Parse, kept in the data dir so
// killing the kiosk does not reset the brake) carries the wall-clock end of the lock and its
// length; on load the remaining time is that end minus now, clamped to [0, length], so a clock set
// back cannot lock the pad for longer than the lock itself.
//
// Not thread-safe: owned by the UI thread. Never throws except Parse (never: bad text -> nullopt).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/Clock.h"

namespace fk::core {

struct LockoutPolicy {
    int freeAttempts = 5;
    std::int64_t firstLockMs = 30'000;
    std::int64_t maxLockMs = 60 * 60 * 1000;
};

// What survives a restart.
struct LockoutRecord {
    int failures = 0;          // wrong PINs since the last right one
    int locks = 0;             // locks since the last right PIN
    std::int64_t lockMs = 0;   // length of the current (last) lock
    UtcMs lockedUntilUtc = 0;  // wall-clock end of the current lock (0: none)
    friend bool operator==(const LockoutRecord&, const LockoutRecord&) = default;
};
std::string Serialize(const LockoutRecord& record);
// nullopt when the text is not a record this version wrote (the caller then starts fresh, locked
// for firstLockMs: a damaged file must not be a way to reset the brake).
std::optional<LockoutRecord> ParseLockoutRecord(std::string_view text);

class PinLockout {
  public:
    // clock must outlive the object.
    PinLockout(LockoutPolicy policy, const Clock& clock, LockoutRecord record = {});

    bool Locked() const { return RemainingMs() > 0; }
    std::int64_t RemainingMs() const;
    // Whole seconds left, rounded up (what the countdown shows); 0 when not locked.
    std::int64_t RemainingSeconds() const;
    // Steady ms when the lock ends (nullopt when not locked).
    std::optional<std::int64_t> LockedUntilSteadyMs() const;

    // Record the outcome of a verified attempt. Attempts must not be verified while Locked().
    void RecordFailure();
    void RecordSuccess();

    // The lock a failure would start now, for the number of locks so far (pure schedule).
    static std::int64_t LockLengthMs(const LockoutPolicy& policy, int locksSoFar);

    const LockoutRecord& Record() const { return m_record; }
    const LockoutPolicy& Policy() const { return m_policy; }
    int Failures() const { return m_record.failures; }

  private:
    LockoutPolicy m_policy;
    const Clock& m_clock;
    LockoutRecord m_record;
    std::int64_t m_untilSteady = 0;
};

}  // namespace fk::core
