#pragma once
// Ratings on a configurable scale. Pure values; safe to use from any thread.

#include <optional>
#include <string>

namespace fk::core {

// How many faces the kiosk shows. 4 is the default; 5 adds a neutral middle face.
class RatingScale {
  public:
    static constexpr int kDefaultPoints = 4;
    static constexpr int kMinPoints = 4;
    static constexpr int kMaxPoints = 5;

    constexpr RatingScale() = default;
    // Returns nullopt for anything but 4 or 5.
    static std::optional<RatingScale> Make(int points);

    constexpr int Points() const { return m_points; }
    bool Contains(int value) const { return value >= 1 && value <= m_points; }
    friend bool operator==(RatingScale, RatingScale) = default;

  private:
    constexpr explicit RatingScale(int points) : m_points(points) {}
    int m_points = kDefaultPoints;
};

enum class Sentiment { Negative, Neutral, Positive };

// A rating given on a scale: 1 is the most negative face, Points() the most positive.
class Rating {
  public:
    // Returns nullopt when value is outside 1..scale.Points().
    static std::optional<Rating> Make(RatingScale scale, int value);

    int Value() const { return m_value; }
    RatingScale Scale() const { return m_scale; }
    // 4 faces: 1-2 negative, 3-4 positive. 5 faces: 1-2 negative, 3 neutral, 4-5 positive.
    Sentiment GetSentiment() const;
    // The rating mapped linearly onto 0..100 (1 -> 0, Points() -> 100).
    double Score100() const;
    friend bool operator==(const Rating&, const Rating&) = default;

  private:
    Rating(RatingScale scale, int value) : m_scale(scale), m_value(value) {}
    RatingScale m_scale;
    int m_value = 1;
};

Sentiment SentimentOf(RatingScale scale, int value);
double Score100Of(RatingScale scale, int value);
std::string to_string(Sentiment sentiment);

}  // namespace fk::core
