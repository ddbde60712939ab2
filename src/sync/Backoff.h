#pragma once
// Retry delays: exponential backoff with full jitter, capped, honouring a server's Retry-After.
// Pure value type; the random source is passed in so tests are deterministic.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace fk::sync {

struct BackoffPolicy {
    std::chrono::milliseconds initial{1000};
    std::chrono::milliseconds cap{5 * 60 * 1000};
    double multiplier = 2.0;
};

class Backoff {
  public:
    explicit Backoff(BackoffPolicy policy = {}) : m_policy(policy) {}

    // The delay before the next attempt after one more failure. With retryAfter (429/503), the
    // delay is at least that, still capped.
    std::chrono::milliseconds NextDelay(
        std::mt19937_64& random,
        std::optional<std::chrono::milliseconds> retryAfter = std::nullopt);
    void Reset() { m_failures = 0; }
    int Failures() const { return m_failures; }
    // The upper bound of the jitter window for the current failure count (for display and tests).
    std::chrono::milliseconds Ceiling() const;

  private:
    BackoffPolicy m_policy;
    int m_failures = 0;
};

// Parses an HTTP Retry-After header given in seconds ("120"); HTTP dates are not used by our
// server and yield nullopt.
std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& value);

}  // namespace fk::sync
