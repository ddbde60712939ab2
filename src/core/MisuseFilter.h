#pragma once
// Flags ratings that look like misuse (a child hammering the faces, a rep rating themselves):
// a rating too soon after the previous closed response, or too many ratings in a short window.
// Flagged responses are still stored, with the rule name; stats exclude them by default.
// Pure logic over a Clock (wall time, so history can be seeded from storage after a restart).
// Not thread-safe: owned by the UI thread.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "core/Clock.h"

namespace fk::core {

struct MisuseRules {
    // A rating within this many seconds of the previous closed response is flagged. 0 disables.
    int minIntervalS = 2;
    // More than maxPerWindow ratings within windowMinutes is flagged. 0 disables.
    int maxPerWindow = 10;
    int windowMinutes = 2;
};

inline constexpr const char* kMisuseMinInterval = "min_interval";
inline constexpr const char* kMisuseBurst = "burst";

class MisuseFilter {
  public:
    MisuseFilter(const Clock& clock, MisuseRules rules);

    // The rule a rating given now would fire (kMisuseMinInterval or kMisuseBurst), or nullopt.
    // Counts the rating being judged: with maxPerWindow = 3 the fourth rating in the window fires.
    std::optional<std::string> Check() const;
    // Records that a rating was stored now (flagged or not; every rating counts toward a burst).
    void OnRating();
    // Records that a response was closed now.
    void OnClosed();
    // Seeds history from storage at start: earlier rating times and the last close time.
    void Seed(const std::deque<UtcMs>& ratingTimes, std::optional<UtcMs> lastClosed);

    const MisuseRules& Rules() const { return m_rules; }
    void SetRules(MisuseRules rules) { m_rules = rules; }

  private:
    void Prune(UtcMs now) const;

    const Clock& m_clock;
    MisuseRules m_rules;
    mutable std::deque<UtcMs> m_ratings;  // within the window, oldest first
    std::optional<UtcMs> m_lastClosed;
};

}  // namespace fk::core
