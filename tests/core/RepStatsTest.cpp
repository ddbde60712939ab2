#include <doctest/doctest.h>

#include <optional>
#include <string_view>

#include "core/RepStats.h"

using namespace fk::core;

namespace {

ReasonPolicy Policy() {
    return ReasonPolicy({{"rude", true},
                         {"slow_service", true},
                         {"wait_time", false},
                         {"price", false},
                         {"stock", false}});
}

RatingScale Scale(int points) {
    auto s = RatingScale::Make(points);
    REQUIRE(s.has_value());
    return *s;
}

}  // namespace

TEST_CASE("rep fairness split against a hand-computed four-face case") {
    const ReasonPolicy policy = Policy();
    RepTally t(Scale(4));
    const std::optional<std::string_view> none;
    t.Add(4, none, false, policy, 3);
    t.Add(3, none, false, policy);
    t.Add(4, std::string_view("wait_time"), false, policy);     // positive: never removed
    t.Add(1, std::string_view("rude"), false, policy);          // against the rep
    t.Add(2, std::string_view("wait_time"), false, policy);     // not about the rep
    t.Add(1, std::string_view("price"), false, policy);         // not about the rep
    t.Add(2, none, false, policy);                              // no reason: stays
    t.Add(1, std::string_view("retired_code"), false, policy);  // unknown: stays
    t.Add(1, std::string_view("rude"), true, policy, 2);        // misuse: own column only

    // all: r1=3 r2=2 r3=1 r4=4 (10); not about the rep: r1=1 r2=1; adjusted: r1=2 r2=1 r3=1 r4=4.
    CHECK(t.all.Total() == 10);
    CHECK(t.NotAboutRep() == 2);
    const RatingCounts adjusted = t.Adjusted();
    CHECK(adjusted.byRating[0] == 2);
    CHECK(adjusted.byRating[1] == 1);
    CHECK(adjusted.byRating[2] == 1);
    CHECK(adjusted.byRating[3] == 4);

    const RepSummary s = SummarizeRep(t, 5);
    CHECK(s.misuse == 2);
    CHECK(s.againstRep == 1);
    CHECK(s.negativeNoReason == 1);
    CHECK(s.unknownReason == 1);
    CHECK(s.notAboutRep == 2);
    // Identity: all negatives = against + no reason + unknown + not about the rep.
    CHECK(t.all.Count(Sentiment::Negative) ==
          s.againstRep + s.negativeNoReason + s.unknownReason + s.notAboutRep);

    REQUIRE(s.raw.enoughData);
    CHECK(s.raw.responses == 10);
    CHECK(*s.raw.satisfactionPct == doctest::Approx(50.0));
    CHECK(*s.raw.score100 == doctest::Approx((2 * 100.0 / 3 + 200.0 / 3 + 400.0) / 10));
    CHECK(*s.raw.wilsonLowerPct == doctest::Approx(23.6593090512564));

    REQUIRE(s.fair.enoughData);
    CHECK(s.fair.responses == 8);
    CHECK(s.fair.positive == 5);
    CHECK(*s.fair.satisfactionPct == doctest::Approx(62.5));
    CHECK(*s.fair.score100 == doctest::Approx(62.5));  // (0*2 + 33.3 + 66.7 + 400) / 8
    CHECK(*s.fair.wilsonLowerPct == doctest::Approx(30.57423946026273));

    // The reasons breakdown counts every reason given with a non-misuse response.
    CHECK(t.reasons.at("wait_time") == 2);
    CHECK(t.reasons.at("rude") == 1);
    CHECK(t.reasons.at("price") == 1);
    CHECK(t.reasons.at("retired_code") == 1);
}

TEST_CASE("rep fairness minimum n applies to the adjusted count") {
    const ReasonPolicy policy = Policy();
    RepTally t(Scale(4));
    t.Add(4, std::nullopt, false, policy, 8);
    t.Add(1, std::string_view("stock"), false, policy, 2);
    const RepSummary s = SummarizeRep(t, 9);
    CHECK(s.raw.enoughData);         // 10 responses
    CHECK_FALSE(s.fair.enoughData);  // 8 about the rep: "not enough data"
    CHECK_FALSE(s.fair.score100.has_value());
    CHECK_FALSE(s.fair.wilsonLowerPct.has_value());
    CHECK(s.fair.responses == 8);
}

TEST_CASE("rep fairness on five faces keeps neutral responses whatever their reason") {
    const ReasonPolicy policy = Policy();
    RepTally t(Scale(5));
    t.Add(3, std::string_view("wait_time"), false, policy);  // neutral
    t.Add(2, std::string_view("wait_time"), false, policy);  // negative, removed
    t.Add(5, std::nullopt, false, policy, 2);
    const RepSummary s = SummarizeRep(t, 1);
    CHECK(s.notAboutRep == 1);
    CHECK(s.fair.responses == 3);
    CHECK(*s.fair.satisfactionPct == doctest::Approx(200.0 / 3));
    CHECK(*s.fair.wilsonLowerPct == doctest::Approx(20.765960080204767));
    CHECK(*s.fair.score100 == doctest::Approx((50.0 + 200.0) / 3));
}

TEST_CASE("rep tallies merge into store totals count for count") {
    const ReasonPolicy policy = Policy();
    RepTally a(Scale(4)), b(Scale(4)), total(Scale(4));
    a.Add(1, std::string_view("price"), false, policy);
    a.Add(4, std::nullopt, true, policy);
    b.Add(2, std::string_view("rude"), false, policy, 3);
    b.Add(3, std::nullopt, false, policy);
    total.Merge(a);
    total.Merge(b);
    CHECK(total.all.Total() == 5);
    CHECK(total.NotAboutRep() == 1);
    CHECK(total.againstRep == 3);
    CHECK(total.misuse == 1);
    CHECK(total.reasons.at("rude") == 3);
}

TEST_CASE("reason policy knows attributable, not attributable and unknown codes apart") {
    const ReasonPolicy policy = Policy();
    CHECK(policy.IsAttributable("rude"));
    CHECK_FALSE(policy.IsNotAboutRep("rude"));
    CHECK(policy.IsNotAboutRep("price"));
    CHECK_FALSE(policy.Knows("nope"));
    CHECK_FALSE(policy.IsNotAboutRep("nope"));
    CHECK_FALSE(policy.IsAttributable("nope"));
}

TEST_CASE("policy history judges each version by its own policy, no version by the current one") {
    // Version 1: wait_time is not about the rep; version 2 (current): it is.
    PolicyHistory history(ReasonPolicy({{"wait_time", true}, {"rude", true}}));
    history.Add(1, ReasonPolicy({{"wait_time", false}, {"rude", true}}));
    history.Add(2, ReasonPolicy({{"wait_time", true}, {"rude", true}}));
    CHECK(history.For(1).IsNotAboutRep("wait_time"));
    CHECK(history.For(2).IsAttributable("wait_time"));
    CHECK(history.For(std::nullopt).IsAttributable("wait_time"));  // an old row: today's policy
    CHECK(history.For(9).IsAttributable("wait_time"));             // unknown here: today's too

    RepTally t(Scale(4));
    t.Add(1, "wait_time", false, history.For(1));  // taken under version 1: not about the rep
    t.Add(1, "wait_time", false, history.For(2));
    t.Add(2, "wait_time", false, history.For(std::nullopt));
    CHECK(t.NotAboutRep() == 1);
    CHECK(t.againstRep == 2);
}
