#include <doctest/doctest.h>

#include <vector>

#include "core/Alerts.h"

using namespace fk::core;

namespace {
constexpr UtcMs kNow = 1'795'000'000'000;
constexpr std::int64_t kMin = 60'000;
}  // namespace

TEST_CASE("alert raises at exactly the threshold with the minimum count in the window") {
    AlertRule rule;  // 50%, 15 min, 4
    std::vector<AlertSample> s = {{kNow - 1 * kMin, 4, 1, false},
                                  {kNow - 2 * kMin, 4, 2, false},
                                  {kNow - 3 * kMin, 4, 3, false},
                                  {kNow - 14 * kMin, 4, 4, false}};
    AlertState a = EvaluateAlert(rule, s, kNow);
    CHECK(a.responses == 4);
    CHECK(a.negative == 2);
    CHECK(a.raised);
    CHECK(to_string(a, rule) == "2 of 4 responses negative in the last 15 minutes");

    // One more positive: 2 of 5 = 40% < 50%.
    s.push_back({kNow, 4, 4, false});
    CHECK_FALSE(EvaluateAlert(rule, s, kNow).raised);
}

TEST_CASE("alert needs the minimum number of responses") {
    AlertRule rule;
    std::vector<AlertSample> s = {
        {kNow - kMin, 4, 1, false}, {kNow - kMin, 4, 1, false}, {kNow - kMin, 4, 1, false}};
    AlertState a = EvaluateAlert(rule, s, kNow);
    CHECK(a.negative == 3);
    CHECK_FALSE(a.raised);
}

TEST_CASE("alert window is half-open and excludes misuse") {
    AlertRule rule{60.0, 10 * kMin, 2};
    std::vector<AlertSample> s = {
        {kNow - 10 * kMin, 4, 1, false},  // exactly window ago: outside
        {kNow - 10 * kMin + 1, 4, 1, false},
        {kNow, 4, 2, false},
        {kNow + 1, 4, 1, false},      // future: outside
        {kNow - kMin, 4, 4, true},    // misuse: ignored
        {kNow - kMin, 5, 3, false}};  // neutral on five faces: counted, not negative
    AlertState a = EvaluateAlert(rule, s, kNow);
    CHECK(a.responses == 3);
    CHECK(a.negative == 2);
    CHECK(a.raised);  // 66.7% >= 60%
    rule.negativePct = 70.0;
    CHECK_FALSE(EvaluateAlert(rule, s, kNow).raised);
}

TEST_CASE("the store-wide rule over grouped counts agrees with the same rule over samples") {
    // Two tills, two negatives each: neither alone reaches 4 responses; the store does.
    const AlertRule rule{};  // 50 %, 15 min, at least 4
    const std::vector<AlertSample> tillA = {{kNow - kMin, 4, 1, false}, {kNow - kMin, 4, 2, false}};
    const std::vector<AlertSample> tillB = {{kNow - 2 * kMin, 4, 1, false},
                                            {kNow - 2 * kMin, 4, 1, false}};
    CHECK_FALSE(EvaluateAlert(rule, tillA, kNow).raised);
    CHECK_FALSE(EvaluateAlert(rule, tillB, kNow).raised);
    std::vector<AlertSample> store = tillA;
    store.insert(store.end(), tillB.begin(), tillB.end());
    const AlertState fromSamples = EvaluateAlert(rule, store, kNow);
    const std::vector<AlertCount> counts = {{4, 1, 3}, {4, 2, 1}};
    const AlertState fromCounts = EvaluateAlertCounts(rule, counts, kNow);
    CHECK(fromSamples.raised);
    CHECK(fromCounts.raised);
    CHECK(fromCounts.responses == fromSamples.responses);
    CHECK(fromCounts.negative == fromSamples.negative);
    CHECK(fromCounts.windowFrom == kNow - rule.windowMs);
    // A rating outside its scale or a zero count adds nothing; positives lower the share.
    const std::vector<AlertCount> mixed = {{4, 1, 2}, {4, 9, 5}, {5, 5, 0}, {4, 4, 3}};
    const AlertState m = EvaluateAlertCounts(rule, mixed, kNow);
    CHECK(m.responses == 5);
    CHECK(m.negative == 2);
    CHECK_FALSE(m.raised);
}
