#include "core/Rating.h"

namespace fk::core {

std::optional<RatingScale> RatingScale::Make(int points) {
    if (points < kMinPoints || points > kMaxPoints) {
        return std::nullopt;
    }
    return RatingScale(points);
}

std::optional<Rating> Rating::Make(RatingScale scale, int value) {
    if (!scale.Contains(value)) {
        return std::nullopt;
    }
    return Rating(scale, value);
}

Sentiment SentimentOf(RatingScale scale, int value) {
    const int points = scale.Points();
    if (points % 2 == 1 && value == (points + 1) / 2) {
        return Sentiment::Neutral;
    }
    return value * 2 <= points ? Sentiment::Negative : Sentiment::Positive;
}

double Score100Of(RatingScale scale, int value) {
    return 100.0 * (value - 1) / (scale.Points() - 1);
}

Sentiment Rating::GetSentiment() const {
    return SentimentOf(m_scale, m_value);
}

double Rating::Score100() const {
    return Score100Of(m_scale, m_value);
}

std::string to_string(Sentiment sentiment) {
    switch (sentiment) {
        case Sentiment::Negative:
            return "negative";
        case Sentiment::Neutral:
            return "neutral";
        case Sentiment::Positive:
            return "positive";
    }
    return "unknown";
}

}  // namespace fk::core
