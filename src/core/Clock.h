#pragma once
// Time sources. Production code takes a Clock& so tests can drive time with FakeClock.
// SystemClock is stateless and thread-safe; FakeClock is thread-safe (atomics) so a test thread
// may advance it while another thread reads it.

#include <atomic>
#include <cstdint>

namespace fk::core {

// Milliseconds since the Unix epoch, UTC.
using UtcMs = std::int64_t;

class Clock {
  public:
    virtual ~Clock() = default;
    // Wall-clock time, UTC. May jump (NTP, manual change); use SteadyMs for intervals.
    virtual UtcMs NowUtcMs() const = 0;
    // Monotonic milliseconds from an arbitrary origin; never goes backwards.
    virtual std::int64_t SteadyMs() const = 0;
    // Offset of local time from UTC at the given instant, in minutes (330 for India).
    virtual int TzOffsetMinutes(UtcMs at) const = 0;
};

class SystemClock final : public Clock {
  public:
    UtcMs NowUtcMs() const override;
    std::int64_t SteadyMs() const override;
    int TzOffsetMinutes(UtcMs at) const override;
};

class FakeClock final : public Clock {
  public:
    explicit FakeClock(UtcMs start = 1'795'000'000'000, int tzOffsetMinutes = 0)
        : m_utc(start), m_steady(0), m_tz(tzOffsetMinutes) {}

    UtcMs NowUtcMs() const override { return m_utc.load(); }
    std::int64_t SteadyMs() const override { return m_steady.load(); }
    int TzOffsetMinutes(UtcMs) const override { return m_tz.load(); }

    // Moves both clocks forward.
    void Advance(std::int64_t ms) {
        m_utc += ms;
        m_steady += ms;
    }
    // Moves only the wall clock (a manual clock change or NTP step).
    void SetUtc(UtcMs utc) { m_utc = utc; }
    void SetTzOffsetMinutes(int minutes) { m_tz = minutes; }

  private:
    std::atomic<UtcMs> m_utc;
    std::atomic<std::int64_t> m_steady;
    std::atomic<int> m_tz;
};

}  // namespace fk::core
