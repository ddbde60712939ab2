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
