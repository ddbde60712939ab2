#pragma once
// The help-call report (issue 16), one definition for the kiosk's manager mode and kiosk-server:
// how many unhappy customers asked for help, how fast staff acknowledged (p50, p90), how many
// calls ended "helped on the spot", and which calls are overdue (never acknowledged within
// escalate_after). Callers group by store, rep and period and pass one group's facts. Pure
// functions over plain values; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/Clock.h"

namespace fk::core {

// One call as the report needs it.
struct CallFact {
    UtcMs receivedAt = 0;          // when the server (or the kiosk) had the call
    std::optional<UtcMs> ackedAt;  // first acknowledgement
    std::optional<UtcMs> closedAt;
    std::optional<std::string> outcome;  // "helped", "refund_or_replacement", ...
    bool misuse = false;                 // flagged (folded burst, kiosk rule): not counted
};

struct CallSummary {
    std::int64_t calls = 0;          // not misuse-flagged
    std::int64_t unhappy = 0;        // negative, non-misuse responses of the group
    std::optional<double> askedPct;  // calls / unhappy * 100; null without unhappy responses
    std::int64_t acknowledged = 0;
    std::optional<double> ackP50S;  // seconds from received to acknowledged; null if none
    std::optional<double> ackP90S;
    std::int64_t closed = 0;
    std::int64_t helped = 0;          // closed with outcome "helped"
    std::optional<double> helpedPct;  // helped / closed * 100; null if none closed
    std::int64_t overdue = 0;         // open, unacknowledged, older than escalateAfterMs at now
};

// Nearest-rank percentile (p in 0..100) of values; nullopt for none. values is sorted in place.
std::optional<double> NearestRank(std::vector<double>& values, double p);

// escalateAfterMs <= 0: nothing is overdue.
CallSummary SummarizeCalls(const std::vector<CallFact>& calls, std::int64_t unhappyResponses,
                           UtcMs now, std::int64_t escalateAfterMs);

// True when a call is an alert now: open, unacknowledged, not flagged, older than the limit.
bool CallOverdue(const CallFact& call, UtcMs now, std::int64_t escalateAfterMs);

}  // namespace fk::core
