#include "core/MisuseFilter.h"

namespace fk::core {

MisuseFilter::MisuseFilter(const Clock& clock, MisuseRules rules)
    : m_clock(clock), m_rules(rules) {}

void MisuseFilter::Prune(UtcMs now) const {
    const std::int64_t windowMs = std::int64_t{m_rules.windowMinutes} * 60'000;
    // A wall clock stepped backwards leaves entries "in the future"; drop those too so a clock
    // change cannot flag honest customers for the length of the jump.
    while (!m_ratings.empty() && (now - m_ratings.front() >= windowMs || m_ratings.front() > now)) {
        m_ratings.pop_front();
    }
    while (!m_ratings.empty() && m_ratings.back() > now)
        m_ratings.pop_back();
}

std::optional<std::string> MisuseFilter::Check() const {
    const UtcMs now = m_clock.NowUtcMs();
    if (m_rules.minIntervalS > 0 && m_lastClosed && now >= *m_lastClosed &&
        now - *m_lastClosed < std::int64_t{m_rules.minIntervalS} * 1000) {
        return std::string(kMisuseMinInterval);
    }
    if (m_rules.maxPerWindow > 0 && m_rules.windowMinutes > 0) {
        Prune(now);
        if (static_cast<int>(m_ratings.size()) + 1 > m_rules.maxPerWindow) {
            return std::string(kMisuseBurst);
        }
    }
    return std::nullopt;
}

void MisuseFilter::OnRating() {
    const UtcMs now = m_clock.NowUtcMs();
    Prune(now);
    m_ratings.push_back(now);
}

void MisuseFilter::OnClosed() {
    m_lastClosed = m_clock.NowUtcMs();
}

void MisuseFilter::Seed(const std::deque<UtcMs>& ratingTimes, std::optional<UtcMs> lastClosed) {
    m_ratings = ratingTimes;
    m_lastClosed = lastClosed;
    Prune(m_clock.NowUtcMs());
}

}  // namespace fk::core
