#include "core/Alerts.h"

#include "core/Rating.h"

namespace fk::core {

std::string to_string(const AlertState& state, const AlertRule& rule) {
    return std::to_string(state.negative) + " of " + std::to_string(state.responses) +
           " responses negative in the last " + std::to_string(rule.windowMs / 60000) + " minutes" +
           (state.raised ? "" : " (no alert)");
}

namespace {

void Count(AlertState& state, int scaleValue, int rating, std::int64_t n) {
    auto scale = RatingScale::Make(scaleValue);
    if (!scale || !scale->Contains(rating) || n <= 0)
        return;
    state.responses += n;
    if (SentimentOf(*scale, rating) == Sentiment::Negative)
        state.negative += n;
}

void Decide(AlertState& state, const AlertRule& rule) {
    // Integer comparison (negative * 100 >= pct * responses) keeps 2 of 4 at 50% exact.
    state.raised = state.responses > 0 && state.responses >= rule.minResponses &&
                   static_cast<double>(state.negative) * 100.0 >=
                       rule.negativePct * static_cast<double>(state.responses);
}

}  // namespace

AlertState EvaluateAlert(const AlertRule& rule, std::span<const AlertSample> samples, UtcMs now) {
    AlertState state;
    state.windowTo = now;
    state.windowFrom = now - rule.windowMs;
    for (const AlertSample& s : samples) {
        if (s.misuse || s.createdAt <= state.windowFrom || s.createdAt > state.windowTo)
            continue;
        Count(state, s.scale, s.rating, 1);
    }
    Decide(state, rule);
    return state;
}

AlertState EvaluateAlertCounts(const AlertRule& rule, std::span<const AlertCount> counts,
                               UtcMs now) {
    AlertState state;
    state.windowTo = now;
    state.windowFrom = now - rule.windowMs;
    for (const AlertCount& c : counts)
        Count(state, c.scale, c.rating, c.count);
    Decide(state, rule);
    return state;
}

}  // namespace fk::core
