#include <doctest/doctest.h>

#include <string>

#include "core/Calendar.h"
#include "core/Clock.h"
#include "core/Period.h"
#include "core/TimeFormat.h"
#include "storage/Dashboard.h"
#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"
#include "support/TempDir.h"

using namespace fk;
using namespace fk::storage;

namespace {

core::UtcMs At(const char* text) {
    auto t = core::ParseRfc3339(text);
    REQUIRE(t.has_value());
    return *t;
}

core::ReasonPolicy Policy() {
    return core::ReasonPolicy({{"rude", true}, {"wait_time", false}, {"price", false}});
}

// One finished customer session at a given instant and offset.
void Tap(ResponseStore& store, core::FakeClock& clock, core::UtcMs at, int tzMin, int rating,
         std::optional<std::string> rep, std::optional<std::string> reason = std::nullopt,
         std::optional<std::string> misuse = std::nullopt, int scale = 4) {
    clock.SetUtc(at);
    clock.SetTzOffsetMinutes(tzMin);
    BeginRequest req;
    req.scale = scale;
    req.rating = rating;
    req.repId = std::move(rep);
    req.misuse = std::move(misuse);
    auto r = store.Begin(req);
    if (reason)
        store.SetReason(r.id, reason);
    store.Close(r.id, core::CloseReason::ThankYou);
}

const DashboardRepRow* FindRep(const DashboardData& d, std::optional<std::string> rep) {
    for (const auto& r : d.reps)
        if (r.repId == rep)
            return &r;
    return nullptr;
}

}  // namespace

TEST_CASE("dashboard per-rep table, trend, heatmap and reasons for a custom local period") {
    test::TempDir dir;
    core::FakeClock clock(At("2026-11-22T12:00:00Z"), 330);
    auto store = ResponseStore::Open(dir.Path(), clock);
    // Friday 2026-11-20, 10:00 local (+05:30) = 04:30Z.
    Tap(*store, clock, At("2026-11-20T04:30:00Z"), 330, 4, "r1");
    Tap(*store, clock, At("2026-11-20T04:31:00Z"), 330, 4, "r1");
    Tap(*store, clock, At("2026-11-20T04:32:00Z"), 330, 1, "r1", "rude");
    Tap(*store, clock, At("2026-11-20T04:33:00Z"), 330, 2, "r1", "wait_time");
    Tap(*store, clock, At("2026-11-20T04:34:00Z"), 330, 1, "r1", "rude", "rapid_taps");
    Tap(*store, clock, At("2026-11-20T04:35:00Z"), 330, 5, "r1", std::nullopt, std::nullopt, 5);
    // Saturday 21st, no rep.
    Tap(*store, clock, At("2026-11-21T06:00:00Z"), 330, 1, std::nullopt, "price");
    // Sunday 22nd 23:59 local = 18:29Z: inside. Monday 00:00 local = 18:30Z: outside.
    Tap(*store, clock, At("2026-11-22T18:29:00Z"), 330, 3, "r2");
    Tap(*store, clock, At("2026-11-22T18:30:00Z"), 330, 1, "r2");
    // Thursday 19th 23:59:59.999 local: outside.
    Tap(*store, clock, At("2026-11-19T18:29:59.999Z"), 330, 1, "r1");

    auto dash = Dashboard::Open(dir.Path(), clock);
    auto period = core::MakeCustomPeriod({2026, 11, 20}, {2026, 11, 22}, clock);
    REQUIRE(period.period.has_value());
    DashboardRequest req{*period.period, core::RatingScale(), 3, 1};
    const DashboardData d = dash->Load(req, Policy());

    CHECK(d.rowsScanned == 8);
    REQUIRE(d.reps.size() == 3);
    CHECK_FALSE(d.reps[0].repId.has_value());  // "no rep" sorts first
    const auto* r1 = FindRep(d, "r1");
    REQUIRE(r1 != nullptr);
    CHECK(r1->tally.all.Total() == 4);
    CHECK(r1->tally.misuse == 1);
    CHECK(r1->otherScale == 1);
    CHECK(r1->summary.againstRep == 1);
    CHECK(r1->summary.notAboutRep == 1);
    REQUIRE(r1->summary.fair.enoughData);  // 3 about the rep: 4, 4, 1 (rude)
    CHECK(r1->summary.fair.responses == 3);
    CHECK(*r1->summary.fair.satisfactionPct == doctest::Approx(200.0 / 3));
    CHECK(*r1->summary.raw.satisfactionPct == doctest::Approx(50.0));
    const auto* r2 = FindRep(d, "r2");
    REQUIRE(r2 != nullptr);
    CHECK(r2->tally.all.Total() == 1);
    CHECK_FALSE(r2->summary.fair.enoughData);  // 1 < 3: not enough data

    CHECK(d.total.tally.all.Total() == 6);
    CHECK(d.total.tally.misuse == 1);
    CHECK(d.total.otherScale == 1);
    CHECK(d.total.summary.notAboutRep == 2);

    REQUIRE(d.trend.size() == 3);
    CHECK(d.trend[0].day == core::CivilDate{2026, 11, 20});
    CHECK(d.trend[0].counts.Total() == 4);
    CHECK(d.trend[1].counts.Total() == 1);
    CHECK(d.trend[2].counts.Total() == 1);
    CHECK(d.trend[0].summary.enoughData);
    CHECK_FALSE(d.trend[1].summary.enoughData);

    CHECK(d.heatmap[4][10].counts.Total() == 4);  // Friday 10:00
    CHECK(*d.heatmap[4][10].score100 == doctest::Approx((100.0 + 100.0 + 0.0 + 100.0 / 3) / 4));
    CHECK(d.heatmap[5][11].counts.Total() == 1);  // Saturday 11:30 local
    CHECK(d.heatmap[6][23].counts.Total() == 1);  // Sunday 23:59
    std::int64_t cells = 0;
    for (const auto& row : d.heatmap)
        for (const auto& cell : row)
            cells += cell.counts.Total();
    CHECK(cells == 6);

    REQUIRE(d.reasons.size() == 3);
    CHECK(d.reasons[0].code == "price");  // ties by code: price, rude, wait_time
    CHECK(d.reasons[1].code == "rude");
    CHECK(d.reasons[1].count == 1);  // the misuse "rude" is not counted
    CHECK(d.reasons[1].attributableToRep);
    CHECK_FALSE(d.reasons[2].attributableToRep);
}

TEST_CASE("dashboard places rows by the offset they were taken with across the DST change") {
    test::TempDir dir;
    core::FakeClock clock(At("2026-10-25T12:00:00Z"), 60);
    auto store = ResponseStore::Open(dir.Path(), clock);
    // Copenhagen, 25 Oct 2026: 02:30 CEST (00:30Z) and 02:30 CET (01:30Z) are both 02:xx Sunday.
    Tap(*store, clock, At("2026-10-25T00:30:00Z"), 120, 4, "r1");
    Tap(*store, clock, At("2026-10-25T01:30:00Z"), 60, 1, "r1");
    // 23:30 CET on the 25th = 22:30Z: still Sunday, in the 25-hour day.
    Tap(*store, clock, At("2026-10-25T22:30:00Z"), 60, 4, "r1");
    auto dash = Dashboard::Open(dir.Path(), clock);
    core::Period p;
    p.kind = core::PeriodKind::Today;
    p.firstDay = p.lastDay = {2026, 10, 25};
    p.fromUtc = At("2026-10-24T22:00:00Z");
    p.toUtc = At("2026-10-25T23:00:00Z");
    const DashboardData d = dash->Load(DashboardRequest{p, core::RatingScale(), 1, 1}, Policy());
    REQUIRE(d.trend.size() == 1);
    CHECK(d.trend[0].counts.Total() == 3);
    CHECK(d.heatmap[6][2].counts.Total() == 2);
    CHECK(d.heatmap[6][23].counts.Total() == 1);
}

TEST_CASE("dashboard alert window reads the recent rows and sees new taps") {
    test::TempDir dir;
    core::FakeClock clock(At("2026-11-22T12:00:00Z"), 0);
    auto store = ResponseStore::Open(dir.Path(), clock);
    auto dash = Dashboard::Open(dir.Path(), clock);
    const core::UtcMs now = At("2026-11-22T12:00:00Z");
    Tap(*store, clock, now - 20 * 60'000, 0, 1, "r1");  // too old
    Tap(*store, clock, now - 10 * 60'000, 0, 1, "r1");
    Tap(*store, clock, now - 9 * 60'000, 0, 2, "r1");
    Tap(*store, clock, now - 8 * 60'000, 0, 4, "r1");
    core::AlertRule rule;  // 50%, 15 min, 4
    auto a = dash->EvaluateAlert(rule, now);
    CHECK(a.responses == 3);
    CHECK_FALSE(a.raised);
    Tap(*store, clock, now - 1, 0, 3, "r2");
    a = dash->EvaluateAlert(rule, now);
    CHECK(a.responses == 4);
    CHECK(a.negative == 2);
    CHECK(a.raised);
    CHECK(dash->RecentSamples(now - 15 * 60'000, now).size() == 4);
}

TEST_CASE("dashboard scan is served from the covering index") {
    test::TempDir dir;
    core::FakeClock clock;
    auto store = ResponseStore::Open(dir.Path(), clock);
    Database db(store->DatabasePath());
    Statement plan(db,
                   "EXPLAIN QUERY PLAN SELECT created_at, rep_id, rating, misuse IS NOT NULL, "
                   "reason, tz_offset_min, scale FROM responses INDEXED BY responses_dashboard "
                   "WHERE created_at >= 1 AND created_at < 2");
    std::string detail;
    while (plan.Step())
        detail += plan.Text(3) + "\n";
    CHECK(detail.find("USING COVERING INDEX responses_dashboard") != std::string::npos);
}

TEST_CASE("dashboard open explains a missing store") {
    test::TempDir dir;
    try {
        core::FakeClock clock;
        Dashboard::Open(dir.Path(), clock);
        FAIL("opened a store that does not exist");
    } catch (const StoreError& e) {
        CHECK(e.Kind() == StoreErrorKind::Other);
        CHECK(std::string(e.what()).find("Start the kiosk once") != std::string::npos);
    }
}

TEST_CASE("dashboard weekday of day numbers starts on Monday") {
    CHECK(core::WeekdayIndex(0) == 3);  // 1970-01-01, Thursday
    CHECK(core::WeekdayIndex(core::DaysFromCivil({2026, 11, 23})) == 0);
    CHECK(core::WeekdayIndex(core::DaysFromCivil({2026, 11, 22})) == 6);
    CHECK(core::WeekdayIndex(-1) == 2);
}

TEST_CASE("dashboard caches sealed days and drops the cache when a row lands in one") {
    test::TempDir dir;
    core::FakeClock clock(At("2026-11-22T12:00:00Z"), 0);
    auto store = ResponseStore::Open(dir.Path(), clock);
    Tap(*store, clock, At("2026-11-17T10:00:00Z"), 0, 4, "r1");
    Tap(*store, clock, At("2026-11-18T10:00:00Z"), 0, 1, "r1", "rude");
    Tap(*store, clock, At("2026-11-19T10:00:00Z"), 0, 2, "r2", "price");
    Tap(*store, clock, At("2026-11-22T11:00:00Z"), 0, 3, "r2");  // today
    clock.SetUtc(At("2026-11-22T12:00:00Z"));
    auto dash = Dashboard::Open(dir.Path(), clock);
    const auto period = core::MakePeriod(core::PeriodKind::Last7Days, clock);
    const DashboardRequest req{period, core::RatingScale(), 1, 1};
    const DashboardData first = dash->Load(req, Policy());
    CHECK(dash->CachedDays() == 6);  // all but today
    CHECK(first.total.tally.all.Total() == 4);
    const DashboardData second = dash->Load(req, Policy());
    CHECK(dash->CachedDays() == 6);
    CHECK(second.total.tally.all.Total() == 4);
    REQUIRE(second.reps.size() == first.reps.size());
    for (std::size_t i = 0; i < first.reps.size(); ++i) {
        CHECK(second.reps[i].repId == first.reps[i].repId);
        CHECK(second.reps[i].tally.all.byRating == first.reps[i].tally.all.byRating);
        CHECK(second.reps[i].summary.notAboutRep == first.reps[i].summary.notAboutRep);
    }
    for (std::size_t i = 0; i < first.trend.size(); ++i)
        CHECK(second.trend[i].counts.byRating == first.trend[i].counts.byRating);

    // The wall clock is stepped back and a tap lands on the 18th: the cache must not hide it.
    Tap(*store, clock, At("2026-11-18T15:00:00Z"), 0, 4, "r3");
    clock.SetUtc(At("2026-11-22T12:00:00Z"));
    const DashboardData third = dash->Load(req, Policy());
    CHECK(third.total.tally.all.Total() == 5);
    CHECK(third.trend[2].day == core::CivilDate{2026, 11, 18});
    CHECK(third.trend[2].counts.Total() == 2);

    // Time passes with the dashboard open: newly sealed days join the cache.
    clock.SetUtc(At("2026-11-24T12:00:00Z"));
    const auto later = core::MakePeriod(core::PeriodKind::Last7Days, clock);
    const DashboardData fourth =
        dash->Load(DashboardRequest{later, core::RatingScale(), 1, 1}, Policy());
    CHECK(fourth.total.tally.all.Total() == 4);  // the 17th dropped out
    CHECK(dash->CachedDays() == 8);              // 16th..23rd
    clock.SetUtc(At("2026-11-22T12:00:00Z"));

    // A different reason policy recomputes: price now counts against the rep.
    const DashboardData other = dash->Load(
        req, core::ReasonPolicy({{"rude", true}, {"wait_time", false}, {"price", true}}));
    CHECK(other.total.summary.notAboutRep == 0);
    CHECK(third.total.summary.notAboutRep == 1);
}

TEST_CASE("dashboard does not seal a day that still has an open response") {
    test::TempDir dir;
    core::FakeClock clock(At("2026-11-20T10:00:00Z"), 0);
    auto store = ResponseStore::Open(dir.Path(), clock);
    BeginRequest b;
    b.rating = 1;
    auto open = store->Begin(b);  // left open on the 20th (a crash, a stuck session)
    Tap(*store, clock, At("2026-11-19T09:00:00Z"), 0, 4, "r1");
    clock.SetUtc(At("2026-11-22T12:00:00Z"));
    auto dash = Dashboard::Open(dir.Path(), clock);
    const DashboardRequest req{core::MakePeriod(core::PeriodKind::Last7Days, clock),
                               core::RatingScale(), 1, 1};
    CHECK(dash->Load(req, Policy()).total.tally.all.Total() == 2);
    CHECK(dash->CachedDays() == 4);  // the 16th to the 19th: days ending before the open row
    store->SetRep(open.id, "r9");
    store->SetReason(open.id, "rude");
    store->Close(open.id, core::CloseReason::IdleTimeout);
    const DashboardData d = dash->Load(req, Policy());
    const auto* r9 = FindRep(d, "r9");
    REQUIRE(r9 != nullptr);
    CHECK(r9->summary.againstRep == 1);
}

TEST_CASE("dashboard cached and uncached loads agree on random data across an offset change") {
    test::TempDir dir;
    core::FakeClock clock(At("2026-10-31T12:00:00Z"), 60);
    auto store = ResponseStore::Open(dir.Path(), clock);
    {
        // 40 days of rows, offset +120 before 25 Oct 01:00Z and +60 after (Copenhagen's rule).
        Database db(store->DatabasePath());
        Transaction tx(db);
        Statement ins(db,
                      "INSERT INTO responses (seq, id, created_at, tz_offset_min, scale, rating, "
                      "rep_id, reason, language, misuse, updated_at, closed_at, close_reason) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'da', ?9, ?3, ?3, 'thank_you')");
        const char* reasons[] = {"rude", "wait_time", "price", "other"};
        std::uint32_t x = 12345;
        auto next = [&] {
            x = x * 1664525u + 1013904223u;
            return x >> 8;
        };
        const core::UtcMs start = At("2026-09-21T00:00:00Z");
        const core::UtcMs change = At("2026-10-25T01:00:00Z");
        for (int i = 0; i < 4000; ++i) {
            const core::UtcMs at = start + static_cast<core::UtcMs>(i) * 863'000;
            ins.Bind(1, i + 1).Bind(2, "id-" + std::to_string(i)).Bind(3, at);
            ins.Bind(4, at < change ? 120 : 60).Bind(5, next() % 20 == 0 ? 5 : 4);
            ins.Bind(6, static_cast<int>(1 + next() % 4));
            if (next() % 6 == 0)
                ins.BindNull(7);
            else
                ins.Bind(7, "r" + std::to_string(next() % 7));
            if (next() % 3 == 0)
                ins.Bind(8, reasons[next() % 4]);
            else
                ins.BindNull(8);
            if (next() % 40 == 0)
                ins.Bind(9, "burst");
            else
                ins.BindNull(9);
            ins.Run();
            ins.Reset();
        }
        tx.Commit();
    }
    auto dash = Dashboard::Open(dir.Path(), clock);
    for (auto kind :
         {core::PeriodKind::Today, core::PeriodKind::Last7Days, core::PeriodKind::Last30Days}) {
        for (int pass = 0; pass < 2; ++pass) {  // second pass serves sealed days from the cache
            DashboardRequest cached{core::MakePeriod(kind, clock), core::RatingScale(), 5, 2};
            DashboardRequest scanned = cached;
            scanned.useCache = false;
            const DashboardData a = dash->Load(cached, Policy());
            const DashboardData b = dash->Load(scanned, Policy());
            CHECK(a.rowsScanned == b.rowsScanned);
            CHECK(a.rowsScanned ==
                  dash->CountResponses(cached.period.fromUtc, cached.period.toUtc));
            REQUIRE(a.reps.size() == b.reps.size());
            for (std::size_t i = 0; i < a.reps.size(); ++i) {
                CHECK(a.reps[i].repId == b.reps[i].repId);
                CHECK(a.reps[i].tally.all.byRating == b.reps[i].tally.all.byRating);
                CHECK(a.reps[i].tally.notAboutRepCounts.byRating ==
                      b.reps[i].tally.notAboutRepCounts.byRating);
                CHECK(a.reps[i].tally.misuse == b.reps[i].tally.misuse);
                CHECK(a.reps[i].otherScale == b.reps[i].otherScale);
                CHECK(a.reps[i].tally.reasons == b.reps[i].tally.reasons);
            }
            REQUIRE(a.trend.size() == b.trend.size());
            std::int64_t trendTotal = 0;
            for (std::size_t i = 0; i < a.trend.size(); ++i) {
                CHECK(a.trend[i].counts.byRating == b.trend[i].counts.byRating);
                trendTotal += a.trend[i].counts.Total();
            }
            CHECK(trendTotal == a.total.tally.all.Total());
            std::int64_t heatTotal = 0;
            for (std::size_t w = 0; w < 7; ++w) {
                for (std::size_t h = 0; h < 24; ++h) {
                    CHECK(a.heatmap[w][h].counts.byRating == b.heatmap[w][h].counts.byRating);
                    heatTotal += a.heatmap[w][h].counts.Total();
                }
            }
            CHECK(heatTotal == a.total.tally.all.Total());
        }
    }
    CHECK(dash->CachedDays() > 20);
}

TEST_CASE("dashboard rep table sorts by a column with not-enough-data rows last both ways") {
    const core::ReasonPolicy policy = Policy();
    auto row = [&](std::optional<std::string> id, int good, int bad, std::int64_t minN) {
        DashboardRepRow r;
        r.repId = std::move(id);
        r.tally.Add(4, std::nullopt, false, policy, good);
        r.tally.Add(1, std::string_view("rude"), false, policy, bad);
        r.summary = core::SummarizeRep(r.tally, minN);
        return r;
    };
    std::vector<DashboardRepRow> rows = {row("a", 18, 2, 10), row("b", 3, 0, 10),
                                         row("c", 30, 10, 10), row(std::nullopt, 9, 9, 10),
                                         row("d", 180, 20, 10)};
    SortRepRows(rows, kDefaultRepColumn, true);
    // Lower bounds: d (90% of 200) > a (90% of 20) > c (75% of 40) > no rep (50% of 18); b: 3 < 10.
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].repId == "d");
    CHECK(rows[1].repId == "a");
    CHECK(rows[2].repId == "c");
    CHECK_FALSE(rows[3].repId.has_value());
    CHECK(rows[4].repId == "b");
    SortRepRows(rows, RepColumn::Satisfaction, false);
    CHECK_FALSE(rows[0].repId.has_value());  // 50%
    CHECK(rows[1].repId == "c");             // 75%
    CHECK(rows[2].repId == "a");             // 90%, tie with d broken by id
    CHECK(rows[3].repId == "d");
    CHECK(rows[4].repId == "b");  // not enough data stays last
    SortRepRows(rows, RepColumn::Rep, false);
    CHECK_FALSE(rows[0].repId.has_value());
    CHECK(rows[1].repId == "a");
    SortRepRows(rows, RepColumn::AgainstRep, true);
    CHECK(rows[0].repId == "d");  // 20 against
}

TEST_CASE("dashboard open refuses a store older than the dashboard's schema") {
    test::TempDir dir;
    {
        Database db(dir.Path() / ResponseStore::kFileName);
        db.Exec("CREATE TABLE responses (seq INTEGER PRIMARY KEY); PRAGMA user_version = 2;");
    }
    core::FakeClock clock;
    try {
        Dashboard::Open(dir.Path(), clock);
        FAIL("opened a schema 2 store");
    } catch (const StoreError& e) {
        CHECK(std::string(e.what()).find("schema version 2, the dashboard needs 7") !=
              std::string::npos);
    }
}

// Schema 2 exactly as released (migrations 1 and 2 of ResponseStore.cpp).
const char* const kSchema2 = R"sql(
CREATE TABLE responses (
    seq           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    tz_offset_min INTEGER NOT NULL,
    scale         INTEGER NOT NULL CHECK (scale BETWEEN 4 AND 5),
    rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND scale),
    rep_id        TEXT,
    reason        TEXT,
    language      TEXT    NOT NULL CHECK (language <> ''),
    misuse        TEXT,
    updated_at    INTEGER NOT NULL,
    closed_at     INTEGER,
    close_reason  TEXT CHECK (close_reason IN ('thank_you', 'idle_timeout', 'recovered')),
    sync_state    TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (sync_state IN ('pending', 'sent', 'rejected')),
    sync_error    TEXT,
    CHECK ((closed_at IS NULL) = (close_reason IS NULL))
);
-- Covering index for the per-rep aggregate: a period is one range scan, no table lookups.
CREATE INDEX responses_by_time_rep ON responses (created_at, rep_id, rating, misuse);
-- Small partial indexes: the outbox, rows a crash left open, rejected rows.
CREATE INDEX responses_pending ON responses (seq, created_at)
    WHERE sync_state = 'pending' AND closed_at IS NOT NULL;
CREATE INDEX responses_open ON responses (seq) WHERE closed_at IS NULL;
CREATE INDEX responses_rejected ON responses (seq) WHERE sync_state = 'rejected';

CREATE TABLE store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
PRAGMA user_version = 2;
)sql";

TEST_CASE("dashboard opens a schema 2 store with rows after the kiosk upgraded it") {
    test::TempDir dir;
    {
        Database db(dir.Path() / ResponseStore::kFileName);
        db.Exec(kSchema2);
        db.Exec(
            "INSERT INTO responses (seq, id, created_at, tz_offset_min, scale, rating, rep_id, "
            "reason, language, updated_at, closed_at, close_reason) VALUES (1, "
            "'0190f7a0-0000-7000-8000-000000000001', 1795000000000, 0, 4, 1, 'r1', 'rude', "
            "'en', 1795000000000, 1795000001000, 'thank_you')");
    }
    core::FakeClock clock(1'795'000'000'000 + 3'600'000, 0);
    CHECK_THROWS_AS(Dashboard::Open(dir.Path(), clock), StoreError);
    auto store = ResponseStore::Open(dir.Path(), clock);  // migration 3
    auto dash = Dashboard::Open(dir.Path(), clock);
    const DashboardData d =
        dash->Load(DashboardRequest{core::MakePeriod(core::PeriodKind::Today, clock),
                                    core::RatingScale(), 1, 1},
                   Policy());
    REQUIRE(d.reps.size() == 1);
    CHECK(d.reps[0].repId == "r1");
    CHECK(d.reps[0].summary.againstRep == 1);
}

TEST_CASE("dashboard judges each response by the policy of the survey version it was taken under") {
    test::TempDir dir;
    core::FakeClock clock(At("2026-11-22T12:00:00Z"), 0);
    auto store = ResponseStore::Open(dir.Path(), clock);
    auto tap = [&](std::optional<std::int64_t> version, const char* reason) {
        BeginRequest req;
        req.rating = 1;
        req.repId = "r1";
        req.surveyVersion = version;
        auto r = store->Begin(req);
        store->SetReason(r.id, std::string(reason));
        store->Close(r.id, core::CloseReason::ThankYou);
        clock.Advance(1000);
    };
    // Version 1: wait_time is not about the rep. Version 2: it is.
    store->RecordPolicy(1, core::ReasonPolicy({{"wait_time", false}, {"rude", true}}));
    store->RecordPolicy(2, core::ReasonPolicy({{"wait_time", true}, {"rude", true}}));
    CHECK_THROWS_AS(store->RecordPolicy(0, core::ReasonPolicy()), StoreError);
    tap(std::nullopt, "wait_time");  // stored before responses named a version
    tap(1, "wait_time");
    tap(1, "wait_time");
    tap(2, "wait_time");
    tap(7, "wait_time");  // a version whose policy this store never kept
    CHECK(store->Find(store->NextPending(10).responses.at(1).id)->surveyVersion == 1);

    auto dash = Dashboard::Open(dir.Path(), clock);
    auto load = [&](const core::ReasonPolicy& current) {
        const DashboardData d =
            dash->Load(DashboardRequest{core::MakePeriod(core::PeriodKind::Today, clock),
                                        core::RatingScale(), 1, 1},
                       current);
        const DashboardRepRow* r1 = FindRep(d, "r1");
        REQUIRE(r1 != nullptr);
        return std::pair(r1->summary.notAboutRep, r1->summary.againstRep);
    };
    // Current policy = version 2's: only version 1's two rows are not about the rep.
    CHECK(load(core::ReasonPolicy({{"wait_time", true}, {"rude", true}})) == std::pair(2L, 3L));
    // Current policy = version 1's: the rows with no or an unknown version follow it.
    CHECK(load(core::ReasonPolicy({{"wait_time", false}, {"rude", true}})) == std::pair(4L, 1L));
    // A version's policy recorded again the same way changes nothing; recorded differently (a
    // damaged record repaired), the cache is not stale.
    store->RecordPolicy(2, core::ReasonPolicy({{"wait_time", true}, {"rude", true}}));
    store->RecordPolicy(1, core::ReasonPolicy({{"wait_time", true}, {"rude", true}}));
    CHECK(load(core::ReasonPolicy({{"wait_time", true}, {"rude", true}})) == std::pair(0L, 5L));
}

TEST_CASE("a schema 6 store upgrades to 7: its rows keep no version and follow today's policy") {
    test::TempDir dir;
    core::FakeClock clock(At("2026-11-22T12:00:00Z"), 0);
    {
        auto store = ResponseStore::Open(dir.Path(), clock);
        Tap(*store, clock, At("2026-11-22T10:00:00Z"), 0, 1, "r1", "wait_time");
    }
    {
        // Back to schema 6: no survey_version, no survey_policies, the old covering index.
        Database db(dir.Path() / ResponseStore::kFileName);
        db.Exec("DROP INDEX responses_dashboard");
        db.Exec("ALTER TABLE responses DROP COLUMN survey_version");
        db.Exec("DROP TABLE survey_policies");
        db.Exec(
            "CREATE INDEX responses_dashboard ON responses (created_at, rep_id, rating, misuse, "
            "reason, tz_offset_min, scale)");
        db.Exec("PRAGMA user_version = 6");
    }
    clock.SetUtc(At("2026-11-22T12:00:00Z"));
    auto store = ResponseStore::Open(dir.Path(), clock);  // migration 7
    auto dash = Dashboard::Open(dir.Path(), clock);
    const DashboardData d =
        dash->Load(DashboardRequest{core::MakePeriod(core::PeriodKind::Today, clock),
                                    core::RatingScale(), 1, 1},
                   Policy());
    const DashboardRepRow* r1 = FindRep(d, "r1");
    REQUIRE(r1 != nullptr);
    CHECK(r1->summary.notAboutRep == 1);
    CHECK_FALSE(store->NextPending(1).responses.at(0).surveyVersion.has_value());
}
