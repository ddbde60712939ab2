#include "core/Stats.h"

#include <cmath>

namespace fk::core {

void RatingCounts::Add(int rating, std::int64_t count) {
    if (scale.Contains(rating))
        byRating[static_cast<std::size_t>(rating - 1)] += count;
}

std::int64_t RatingCounts::Total() const {
    std::int64_t total = 0;
    for (int r = 1; r <= scale.Points(); ++r)
        total += byRating[static_cast<std::size_t>(r - 1)];
    return total;
}

std::int64_t RatingCounts::Count(Sentiment sentiment) const {
    std::int64_t total = 0;
    for (int r = 1; r <= scale.Points(); ++r) {
        if (SentimentOf(scale, r) == sentiment)
            total += byRating[static_cast<std::size_t>(r - 1)];
    }
    return total;
}

double WilsonLowerBound(std::int64_t successes, std::int64_t trials, double z) {
    if (trials <= 0)
        return 0.0;
    const double n = static_cast<double>(trials);
    const double p = static_cast<double>(successes) / n;
    const double z2 = z * z;
    const double centre = p + z2 / (2 * n);
    const double margin = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return (centre - margin) / (1 + z2 / n);
}

RatingSummary Summarize(const RatingCounts& counts, std::int64_t minResponses) {
    RatingSummary summary;
    summary.responses = counts.Total();
    summary.positive = counts.Count(Sentiment::Positive);
    summary.negative = counts.Count(Sentiment::Negative);
    summary.enoughData = summary.responses > 0 && summary.responses >= minResponses;
    if (!summary.enoughData)
        return summary;
    const double n = static_cast<double>(summary.responses);
    double scoreSum = 0;
    for (int r = 1; r <= counts.scale.Points(); ++r) {
        scoreSum += Score100Of(counts.scale, r) *
                    static_cast<double>(counts.byRating[static_cast<std::size_t>(r - 1)]);
    }
    summary.satisfactionPct = 100.0 * static_cast<double>(summary.positive) / n;
    summary.score100 = scoreSum / n;
    summary.wilsonLowerPct = 100.0 * WilsonLowerBound(summary.positive, summary.responses);
    return summary;
}

}  // namespace fk::core
