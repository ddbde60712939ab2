#include "core/CallStats.h"

#include <algorithm>
#include <cmath>

namespace fk::core {

std::optional<double> NearestRank(std::vector<double>& values, double p) {
    if (values.empty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
    const std::size_t index = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
    return values[std::min(index, values.size() - 1)];
}

bool CallOverdue(const CallFact& call, UtcMs now, std::int64_t escalateAfterMs) {
    return escalateAfterMs > 0 && !call.misuse && !call.ackedAt && !call.closedAt &&
           now - call.receivedAt >= escalateAfterMs;
}

CallSummary SummarizeCalls(const std::vector<CallFact>& calls, std::int64_t unhappyResponses,
                           UtcMs now, std::int64_t escalateAfterMs) {
    CallSummary s;
    s.unhappy = unhappyResponses;
    std::vector<double> ackSeconds;
    for (const auto& c : calls) {
        if (c.misuse)
            continue;
        ++s.calls;
        if (c.ackedAt) {
            ++s.acknowledged;
            ackSeconds.push_back(
                static_cast<double>(std::max<std::int64_t>(0, *c.ackedAt - c.receivedAt)) / 1000.0);
        }
        if (c.closedAt) {
            ++s.closed;
            if (c.outcome == "helped")
                ++s.helped;
        }
        if (CallOverdue(c, now, escalateAfterMs))
            ++s.overdue;
    }
    if (s.unhappy > 0)
        s.askedPct = static_cast<double>(s.calls) * 100.0 / static_cast<double>(s.unhappy);
    s.ackP50S = NearestRank(ackSeconds, 50);
    s.ackP90S = NearestRank(ackSeconds, 90);
    if (s.closed > 0)
        s.helpedPct = static_cast<double>(s.helped) * 100.0 / static_cast<double>(s.closed);
    return s;
}

}  // namespace fk::core
