#pragma once
// The "many unhappy customers right now" alert: at least `negativePct` percent negative among at
// least `minResponses` responses created within the last `window` (misuse excluded). Raises the
// banner in manager mode and the flag in the heartbeat. Pure; thread-safe.

#include <cstdint>
#include <span>
#include <string>

#include "core/Clock.h"

namespace fk::core {

struct AlertRule {
    double negativePct = 50.0;               // inclusive threshold, 0..100
    std::int64_t windowMs = 15 * 60 * 1000;  // how far back from now
    std::int64_t minResponses = 4;           // fewer than this never alerts
};

// One recent response as the rule sees it.
struct AlertSample {
    UtcMs createdAt = 0;
    int scale = 4;
    int rating = 1;
    bool misuse = false;
};

struct AlertState {
    bool raised = false;
    std::int64_t responses = 0;  // counted in the window (misuse excluded)
    std::int64_t negative = 0;
    UtcMs windowFrom = 0;  // (windowFrom, windowTo]
    UtcMs windowTo = 0;
};
// "7 of 10 responses negative in the last 15 minutes" for the banner.
std::string to_string(const AlertState& state, const AlertRule& rule);

// Samples may come in any order; those outside (now - window, now] are ignored.
AlertState EvaluateAlert(const AlertRule& rule, std::span<const AlertSample> samples, UtcMs now);

// Responses already inside (now - window, now] and without misuse, counted by (scale, rating):
// the server's store-wide rule reads them grouped from the database. Same rule as above.
struct AlertCount {
    int scale = 4;
    int rating = 1;
    std::int64_t count = 0;
};
AlertState EvaluateAlertCounts(const AlertRule& rule, std::span<const AlertCount> counts,
                               UtcMs now);

}  // namespace fk::core
