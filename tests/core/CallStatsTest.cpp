#include <doctest/doctest.h>

#include "core/CallStats.h"

using namespace fk::core;

TEST_CASE("call report: asked share, acknowledgement percentiles, helped share, overdue") {
    const UtcMs t0 = 1'795'000'000'000;
    std::vector<CallFact> calls;
    // Ten acknowledged calls, after 10, 20, ..., 100 s; the first six closed, four as helped.
    for (int i = 1; i <= 10; ++i) {
        CallFact c;
        c.receivedAt = t0;
        c.ackedAt = t0 + i * 10'000;
        if (i <= 6) {
            c.closedAt = t0 + 200'000;
            c.outcome = i <= 4 ? "helped" : "customer_left";
        }
        calls.push_back(c);
    }
    CallFact waiting;  // never acknowledged, 10 min old at now
    waiting.receivedAt = t0;
    calls.push_back(waiting);
    CallFact fresh;  // never acknowledged, 1 min old
    fresh.receivedAt = t0 + 540'000;
    calls.push_back(fresh);
    CallFact flagged;  // a folded burst: not a call, not overdue
    flagged.receivedAt = t0;
    flagged.misuse = true;
    calls.push_back(flagged);

    const UtcMs now = t0 + 600'000;
    CallSummary s = SummarizeCalls(calls, 48, now, 300'000);
    CHECK(s.calls == 12);
    CHECK(s.unhappy == 48);
    CHECK(*s.askedPct == doctest::Approx(25.0));
    CHECK(s.acknowledged == 10);
    CHECK(*s.ackP50S == doctest::Approx(50.0));  // nearest rank: 5th of 10
    CHECK(*s.ackP90S == doctest::Approx(90.0));  // 9th of 10
    CHECK(s.closed == 6);
    CHECK(s.helped == 4);
    CHECK(*s.helpedPct == doctest::Approx(400.0 / 6));
    CHECK(s.overdue == 1);
    CHECK(CallOverdue(waiting, now, 300'000));
    CHECK_FALSE(CallOverdue(fresh, now, 300'000));
    CHECK_FALSE(CallOverdue(flagged, now, 300'000));
    CHECK_FALSE(CallOverdue(waiting, now, 0));  // escalation off

    CallSummary none = SummarizeCalls({}, 0, now, 300'000);
    CHECK(none.calls == 0);
    CHECK_FALSE(none.askedPct.has_value());
    CHECK_FALSE(none.ackP50S.has_value());
    CHECK_FALSE(none.helpedPct.has_value());
    std::vector<double> one{7.0};
    CHECK(*NearestRank(one, 90) == 7.0);
}
