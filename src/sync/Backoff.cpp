#include "sync/Backoff.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace fk::sync {

std::chrono::milliseconds Backoff::Ceiling() const {
    if (m_failures == 0)
        return std::chrono::milliseconds(0);
    double ceiling = static_cast<double>(m_policy.initial.count()) *
                     std::pow(m_policy.multiplier, std::min(m_failures - 1, 60));
    ceiling = std::min(ceiling, static_cast<double>(m_policy.cap.count()));
    return std::chrono::milliseconds(static_cast<std::int64_t>(ceiling));
}

std::chrono::milliseconds Backoff::NextDelay(std::mt19937_64& random,
                                             std::optional<std::chrono::milliseconds> retryAfter) {
    ++m_failures;
    const std::int64_t ceiling = Ceiling().count();
    // Full jitter, but never below a tenth of the window, so a fleet does not retry in lockstep
    // and no kiosk spins on an immediate retry.
    std::uniform_int_distribution<std::int64_t> pick(std::max<std::int64_t>(1, ceiling / 10),
                                                     std::max<std::int64_t>(1, ceiling));
    std::int64_t delay = pick(random);
    if (retryAfter)
        delay = std::max(delay, retryAfter->count());
    return std::chrono::milliseconds(std::min(delay, m_policy.cap.count()));
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& value) {
    if (value.empty() || value.size() > 9)
        return std::nullopt;
    for (char c : value) {
        if (c < '0' || c > '9')
            return std::nullopt;
    }
    return std::chrono::milliseconds(std::stoll(value) * 1000);
}

}  // namespace fk::sync
