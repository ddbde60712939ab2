#include <doctest/doctest.h>

#include "core/Stats.h"

using namespace fk::core;

TEST_CASE("Wilson lower bound matches hand-computed values") {
    // Reference values from the closed-form interval computed independently (Python).
    CHECK(WilsonLowerBound(8, 10) == doctest::Approx(0.4902).epsilon(0.0005));
    // 45/50: 0.7864
    CHECK(WilsonLowerBound(45, 50) == doctest::Approx(0.7864).epsilon(0.0005));
    // all positive out of 20: 0.8389
    CHECK(WilsonLowerBound(20, 20) == doctest::Approx(0.8389).epsilon(0.0005));
    CHECK(WilsonLowerBound(0, 20) == doctest::Approx(0.0).epsilon(1e-9));
    CHECK(WilsonLowerBound(0, 0) == 0.0);
}

TEST_CASE("fewer certain ratings rank below many: the lower bound orders by confidence") {
    CHECK(WilsonLowerBound(5, 5) < WilsonLowerBound(90, 100));
}

TEST_CASE("summary on a 4-point scale: satisfaction, score and bound") {
    RatingCounts counts{*RatingScale::Make(4)};
    counts.Add(1, 2);
    counts.Add(2, 3);
    counts.Add(3, 5);
    counts.Add(4, 10);
    RatingSummary s = Summarize(counts, 20);
    REQUIRE(s.enoughData);
    CHECK(s.responses == 20);
    CHECK(s.positive == 15);
    CHECK(s.negative == 5);
    CHECK(*s.satisfactionPct == doctest::Approx(75.0));
    // mean score: (2*0 + 3*33.33 + 5*66.67 + 10*100) / 20 = 71.667
    CHECK(*s.score100 == doctest::Approx(71.6667).epsilon(0.0001));
    CHECK(*s.wilsonLowerPct == doctest::Approx(100 * WilsonLowerBound(15, 20)));
}

TEST_CASE("summary below the minimum sample gives no score") {
    RatingCounts counts{*RatingScale::Make(4)};
    counts.Add(4, 19);
    RatingSummary s = Summarize(counts, 20);
    CHECK_FALSE(s.enoughData);
    CHECK(s.responses == 19);
    CHECK_FALSE(s.score100.has_value());
    CHECK_FALSE(s.wilsonLowerPct.has_value());
    CHECK_FALSE(Summarize(RatingCounts{}, 0).enoughData);
}

TEST_CASE("summary on a 5-point scale counts the neutral face in n but not as positive") {
    RatingCounts counts{*RatingScale::Make(5)};
    counts.Add(3, 10);
    counts.Add(5, 10);
    counts.Add(6, 99);  // off the scale: ignored
    RatingSummary s = Summarize(counts, 1);
    CHECK(s.responses == 20);
    CHECK(*s.satisfactionPct == doctest::Approx(50.0));
    CHECK(*s.score100 == doctest::Approx(75.0));
}
