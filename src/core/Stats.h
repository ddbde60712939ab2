#pragma once
// The one definition of every rating metric, shared by the kiosk's manager mode and the server's
// reports. Pure functions over counts; thread-safe.

#include <array>
#include <cstdint>
#include <optional>

#include "core/Rating.h"

namespace fk::core {

// Responses counted by rating (index rating-1) on one scale.
struct RatingCounts {
    RatingScale scale;
    std::array<std::int64_t, RatingScale::kMaxPoints> byRating{};

    void Add(int rating, std::int64_t count = 1);
    std::int64_t Total() const;
    std::int64_t Count(Sentiment sentiment) const;
};

struct RatingSummary {
    std::int64_t responses = 0;
    std::int64_t positive = 0;
    std::int64_t negative = 0;
    // Below the minimum sample the numbers below are nullopt: "not enough data", never a score.
    bool enoughData = false;
    std::optional<double> satisfactionPct;  // positive share, 0..100
    std::optional<double> score100;         // mean rating mapped linearly onto 0..100
    std::optional<double> wilsonLowerPct;   // Wilson 95% lower bound of the positive share, 0..100
};

// The one default of min_n (kiosk [manager] min_n, the server's reports ?min_n=): below this
// many responses a rep or day shows "not enough data". Heatmap cells use their own, smaller one.
inline constexpr std::int64_t kDefaultMinN = 20;
inline constexpr std::int64_t kDefaultHeatmapMinN = 5;

// minResponses: the manager config's min_n (default kDefaultMinN).
RatingSummary Summarize(const RatingCounts& counts, std::int64_t minResponses);

// Wilson score interval lower bound for successes out of trials, z = 1.96 (95%). 0 when trials = 0.
double WilsonLowerBound(std::int64_t successes, std::int64_t trials, double z = 1.959963984540054);

}  // namespace fk::core
