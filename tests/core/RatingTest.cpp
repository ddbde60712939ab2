#include <doctest/doctest.h>

#include "core/Rating.h"

using namespace fk::core;

TEST_CASE("a rating scale has 4 or 5 points, 4 by default") {
    CHECK(RatingScale().Points() == 4);
    CHECK(RatingScale::Make(4)->Points() == 4);
    CHECK(RatingScale::Make(5)->Points() == 5);
    CHECK_FALSE(RatingScale::Make(3).has_value());
    CHECK_FALSE(RatingScale::Make(6).has_value());
    CHECK_FALSE(RatingScale::Make(0).has_value());
}

TEST_CASE("a rating must lie on its scale") {
    auto four = *RatingScale::Make(4);
    CHECK_FALSE(Rating::Make(four, 0).has_value());
    CHECK_FALSE(Rating::Make(four, 5).has_value());
    CHECK(Rating::Make(four, 4)->Value() == 4);
    CHECK(Rating::Make(*RatingScale::Make(5), 5)->Value() == 5);
}

TEST_CASE("sentiment: 1 is most negative and a 5-point scale has a neutral middle") {
    auto four = *RatingScale::Make(4);
    CHECK(SentimentOf(four, 1) == Sentiment::Negative);
    CHECK(SentimentOf(four, 2) == Sentiment::Negative);
    CHECK(SentimentOf(four, 3) == Sentiment::Positive);
    CHECK(SentimentOf(four, 4) == Sentiment::Positive);
    auto five = *RatingScale::Make(5);
    CHECK(SentimentOf(five, 2) == Sentiment::Negative);
    CHECK(SentimentOf(five, 3) == Sentiment::Neutral);
    CHECK(SentimentOf(five, 4) == Sentiment::Positive);
}

TEST_CASE("score maps the scale linearly onto 0..100") {
    auto four = *RatingScale::Make(4);
    CHECK(Score100Of(four, 1) == doctest::Approx(0));
    CHECK(Score100Of(four, 2) == doctest::Approx(100.0 / 3));
    CHECK(Score100Of(four, 4) == doctest::Approx(100));
    CHECK(Rating::Make(*RatingScale::Make(5), 3)->Score100() == doctest::Approx(50));
}
