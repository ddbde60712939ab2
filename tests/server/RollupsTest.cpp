// The report roll-ups equal counts taken from the raw responses, on both backends: after ingest
// through HTTP (with resends, conflicting copies and taken seqs, which must not count), and after
// RebuildRollups (kiosk-server rebuild-rollups). The expected counts are computed here from the
// rows sent, with plain calendar arithmetic, not with core/Rollups.
#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include <map>
#include <random>
#include <tuple>

#include "ServerTestEnv.h"
#include "core/TimeFormat.h"
#include "protocol/Wire.h"
#include "support/PgSchema.h"

using namespace fk;

namespace {

using DayKey = std::tuple<std::string, std::int64_t, std::string, int, int, std::string, bool>;
using HourKey = std::tuple<std::string, std::int64_t, int, int, int>;

struct Sent {
    std::string storeId;
    core::Response r;
};

std::int64_t LocalDay(const core::Response& r) {
    return (r.createdAtMs + r.tzOffsetMin * 60'000LL) / 86'400'000;
}

DayKey KeyOf(const server::DayCount& c) {
    return {c.storeId, c.day,    c.repId.value_or("<none>"),
            c.scale,   c.rating, c.reason.value_or("<none>"),
            c.misuse};
}

std::map<DayKey, std::int64_t> Got(const std::vector<server::DayCount>& counts) {
    std::map<DayKey, std::int64_t> out;
    for (const auto& c : counts)
        out[KeyOf(c)] += c.count;  // a key may repeat (whole months + days)
    return out;
}

// Raw counts of the rows sent within [from, to]: per day (or summed), by rep or not.
std::map<DayKey, std::int64_t> Expected(const std::vector<Sent>& rows, std::int64_t from,
                                        std::int64_t to, bool byRep, bool perDay) {
    std::map<DayKey, std::int64_t> out;
    for (const auto& [store, r] : rows) {
        const std::int64_t day = LocalDay(r);
        if (day < from || day > to)
            continue;
        ++out[DayKey{store, perDay ? day : 0, byRep ? r.repId.value_or("<none>") : "<none>",
                     r.scale, r.rating, r.reason.value_or("<none>"), r.misuse.has_value()}];
    }
    return out;
}

std::map<HourKey, std::int64_t> ExpectedHours(const std::vector<Sent>& rows, std::int64_t from,
                                              std::int64_t to) {
    std::map<HourKey, std::int64_t> out;
    for (const auto& [store, r] : rows) {
        const std::int64_t day = LocalDay(r);
        if (day < from || day > to || r.misuse)
            continue;
        const std::int64_t local = r.createdAtMs + r.tzOffsetMin * 60'000LL;
        ++out[HourKey{store, day, static_cast<int>((local % 86'400'000) / 3'600'000), r.scale,
                      r.rating}];
    }
    return out;
}

void CheckAll(server::Backend& backend, const std::vector<Sent>& rows) {
    const std::int64_t aug1 = core::DaysFromCivil({2026, 8, 1});
    // Ranges: days inside one month; across two month edges with whole months in between (the
    // monthly roll-ups answer those); one store and every store.
    const std::vector<std::pair<std::int64_t, std::int64_t>> ranges{
        {aug1 + 40, aug1 + 46},  // 7 days in September
        {core::DaysFromCivil({2026, 8, 17}),
         core::DaysFromCivil({2026, 11, 3})},  // two whole months
        {core::DaysFromCivil({2026, 9, 1}),
         core::DaysFromCivil({2026, 10, 31})},  // exactly two months
        {core::DaysFromCivil({2026, 1, 1}), core::DaysFromCivil({2026, 12, 31})},  // everything
    };
    for (const auto& [from, to] : ranges) {
        for (const std::optional<std::string>& store :
             {std::optional<std::string>{}, std::optional<std::string>{"s2"}}) {
            std::vector<Sent> subset;
            for (const auto& s : rows)
                if (!store || s.storeId == *store)
                    subset.push_back(s);
            const server::ReportQuery q{store, core::CivilFromDays(from), core::CivilFromDays(to)};
            for (bool byRep : {true, false}) {
                for (bool perDay : {true, false}) {
                    CAPTURE(from);
                    CAPTURE(to);
                    CAPTURE(byRep);
                    CAPTURE(perDay);
                    const auto got = Got(backend.CountDays(q, byRep, perDay));
                    const auto want = Expected(subset, from, to, byRep, perDay);
                    CHECK(got == want);
                    CAPTURE(got.size());
                    CAPTURE(want.size());
                    if (got != want) {
                        for (const auto& [k, n] : want) {
                            auto it = got.find(k);
                            if (it == got.end() || it->second != n) {
                                FAIL_CHECK("missing or wrong: "
                                           << std::get<0>(k) << " day " << std::get<1>(k) << " rep "
                                           << std::get<2>(k) << " rating " << std::get<4>(k)
                                           << " reason " << std::get<5>(k) << " want " << n
                                           << " got " << (it == got.end() ? -1 : it->second));
                                break;
                            }
                        }
                        for (const auto& [k, n] : got) {
                            if (!want.count(k)) {
                                FAIL_CHECK("unexpected: " << std::get<0>(k) << " day "
                                                          << std::get<1>(k) << " rep "
                                                          << std::get<2>(k) << " n " << n);
                                break;
                            }
                        }
                    }
                }
            }
            std::map<HourKey, std::int64_t> hours;
            for (const auto& h : backend.CountHours(q))
                hours[{h.storeId, h.day, h.hour, h.scale, h.rating}] += h.count;
            CHECK(hours == ExpectedHours(subset, from, to));
        }
    }
}

}  // namespace

FK_SERVER_TEST(
    "roll-ups equal the raw counts after resends, conflicts and taken seqs, and after a rebuild") {
    std::mt19937 rng(21);
    const core::UtcMs start = *core::ParseRfc3339("2026-08-20T00:00:00Z");
    const int offsets[] = {-480, -150, 0, 330, 345, 600};
    const char* reasons[] = {"rude", "price", "wait_time"};
    std::vector<Sent> sent;
    std::map<int, std::vector<core::Response>> byKiosk;  // k1, k2 (s1), k3 (s2)
    for (int kiosk = 1; kiosk <= 3; ++kiosk) {
        for (int i = 1; i <= 240; ++i) {
            core::Response r = env.MakeResponse(
                i, 1 + static_cast<int>(rng() % 4),
                rng() % 4 == 0 ? std::nullopt
                               : std::optional<std::string>("r" + std::to_string(rng() % 3)));
            r.createdAtMs =
                start + static_cast<core::UtcMs>(rng() % (90ULL * 86'400'000));  // to mid-November
            r.closedAtMs = r.createdAtMs + 4000;
            r.tzOffsetMin = offsets[rng() % 6];
            if (r.rating <= 2 && rng() % 2 == 0)
                r.reason = reasons[rng() % 3];
            if (rng() % 12 == 0)
                r.misuse = "rapid_taps";
            if (rng() % 10 == 0)
                r.scale = 5;
            byKiosk[kiosk].push_back(r);
            sent.push_back(Sent{kiosk == 3 ? "s2" : "s1", r});
        }
    }
    for (auto& [kiosk, rows] : byKiosk) {
        const std::string id = "k" + std::to_string(kiosk);
        for (std::size_t at = 0; at < rows.size(); at += 80) {
            std::vector<core::Response> part(
                rows.begin() + static_cast<long>(at),
                rows.begin() + static_cast<long>(std::min(at + 80, rows.size())));
            auto res = env.PostBatch(env.MakeBatch(id, part), env.kioskToken[kiosk]);
            REQUIRE(res);
            REQUIRE_MESSAGE(res->status == 200, res->body);
            // The same batch again: every row a duplicate.
            res = env.PostBatch(env.MakeBatch(id, part), env.kioskToken[kiosk]);
            REQUIRE(res);
            REQUIRE(res->status == 200);
            CHECK(res->body.find("\"accepted\"") == std::string::npos);
        }
        // A conflicting copy (same id, other rating) and a new id on a taken seq: both rejected.
        core::Response conflict = rows[5];
        conflict.rating = conflict.rating == 1 ? 2 : 1;
        core::Response takenSeq = env.MakeResponse(7, 4, "r1");
        takenSeq.createdAtMs = rows[6].createdAtMs;
        auto res = env.PostBatch(env.MakeBatch(id, {conflict, takenSeq}), env.kioskToken[kiosk]);
        REQUIRE(res);
        REQUIRE(res->status == 200);
        CHECK(res->body.find("\"accepted\"") == std::string::npos);
    }
    REQUIRE(env.Backend().CountResponses() == static_cast<std::int64_t>(sent.size()));
    CheckAll(env.Backend(), sent);
    env.Backend().RebuildRollups();
    CheckAll(env.Backend(), sent);
}

TEST_CASE(
    "postgres / a version 3 database (no roll-ups) gets them filled in place on open, and reports "
    "stay the same") {
    auto schema = test::PgSchema::Create();
    if (!schema)
        return;
    core::FakeClock clock(*core::ParseRfc3339("2026-11-20T12:00:00Z"));
    core::Uuid7Generator ids(clock);
    protocol::Batch batch;
    batch.kioskId = "k1";
    batch.batchId = ids.Next();
    std::vector<Sent> sent;
    for (int i = 0; i < 40; ++i) {
        core::Response r;
        r.id = ids.Next();
        r.seq = i + 1;
        r.createdAtMs =
            *core::ParseRfc3339("2026-09-28T04:00:00Z") + i * 86'400'000LL / 4;  // into October
        r.closedAtMs = r.createdAtMs + 1000;
        r.tzOffsetMin = 330;
        r.rating = 1 + i % 4;
        r.repId =
            i % 3 == 0 ? std::nullopt : std::optional<std::string>("r" + std::to_string(i % 3));
        if (r.rating == 1)
            r.reason = "rude";
        if (i % 9 == 0)
            r.misuse = "rapid_taps";
        r.language = "en";
        batch.responses.push_back(r);
        sent.push_back(Sent{"s1", r});
    }
    {
        auto backend = server::OpenBackend(schema->Url());
        backend->AddStore("s1", "One", clock.NowUtcMs());
        backend->AddStore("s2", "Two", clock.NowUtcMs());
        backend->AddKiosk("k1", "s1", clock.NowUtcMs());
        server::Ingest(*backend, server::KioskRecord{"k1", "s1"}, batch, clock.NowUtcMs());
    }
    {
        // Back to version 3 as it was deployed before roll-ups (sessions, no roll-up tables).
        PGconn* c = PQconnectdb(schema->Url().c_str());
        REQUIRE(PQstatus(c) == CONNECTION_OK);
        for (const char* sql :
             {"DROP TABLE agg_rep_day, agg_rep_month, agg_store_day, agg_store_month, agg_hour",
              "DROP TABLE calls, webhooks, outbox",
              "DELETE FROM fk_schema_version WHERE version > 3"}) {
            PGresult* r = PQexec(c, sql);
            CHECK_MESSAGE(PQresultStatus(r) == PGRES_COMMAND_OK, PQresultErrorMessage(r));
            PQclear(r);
        }
        PQfinish(c);
    }
    auto backend = server::OpenBackend(schema->Url());
    CheckAll(*backend, sent);
}
