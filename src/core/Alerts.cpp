#include "core/Alerts.h"

#include "core/Rating.h"

namespace fk::core {

std::string to_string(const AlertState& state, const AlertRule& rule) {
    return std::to_string(state.negative) + " of " + std::to_string(state.responses) +
           " responses negative in the last " + std::to_string(rule.windowMs / 60000) + " minutes" +
           (state.raised ? "" : " (no alert)");
}

AlertState EvaluateAlert(const AlertRule& rule, std::span<const AlertSample> samples, UtcMs now) {
    AlertState state;
    state.windowTo = now;
    state.windowFrom = now - rule.windowMs;
    for (const AlertSample& s : samples) {
        if (s.misuse || s.createdAt <= state.windowFrom || s.createdAt > state.windowTo)
            continue;
        auto scale = RatingScale::Make(s.scale);
        if (!scale || !scale->Contains(s.rating))
            continue;
        ++state.responses;
        if (SentimentOf(*scale, s.rating) == Sentiment::Negative)
            ++state.negative;
    }
    // Integer comparison (negative * 100 >= pct * responses) keeps 2 of 4 at 50% exact.
    state.raised = state.responses > 0 && state.responses >= rule.minResponses &&
                   static_cast<double>(state.negative) * 100.0 >=
                       rule.negativePct * static_cast<double>(state.responses);
    return state;
}

}  // namespace fk::core
