// The report roll-ups equal counts taken from the raw responses, on both backends: after ingest
// through HTTP (with resends, conflicting copies and taken seqs, which must not count), and after
// RebuildRollups (kiosk-server rebuild-rollups). The expected counts are computed here from the
// rows sent, with plain calendar arithmetic, not with core/Rollups.
#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include <map>
#include <random>
#include <regex>
#include <tuple>

#include "ServerTestEnv.h"
#include "core/TimeFormat.h"
#include "protocol/Wire.h"
#include "server/PgBackend.h"
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

namespace {

void Exec(PGconn* c, const std::string& sql,
          const std::vector<std::optional<std::string>>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    // Scripts of several statements need PQexec (no parameters).
    PGresult* r = params.empty() ? PQexec(c, sql.c_str())
                                 : PQexecParams(c, sql.c_str(), static_cast<int>(values.size()),
                                                nullptr, values.data(), nullptr, nullptr, 0);
    const auto status = PQresultStatus(r);
    CHECK_MESSAGE((status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK),
                  sql.substr(0, 200) << ": " << std::string(PQresultErrorMessage(r)));
    PQclear(r);
}

std::int64_t Count(PGconn* c, const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    std::int64_t n = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        n = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
    else
        FAIL_CHECK(sql << ": " << std::string(PQresultErrorMessage(r)));
    PQclear(r);
    return n;
}

struct OldDatabase {
    std::vector<Sent> sent;
    protocol::Batch batch;  // every row, as kiosk k1 sent them
};

// A database as an older kiosk-server left it: the schema migrations up to `version`, with the
// rows of store s1's kiosk k1 (late September into October 2026, one with its clock at 1971)
// written as that version wrote them. Version 4's script fills its roll-ups from those rows.
OldDatabase MakeOldDatabase(const std::string& url, int version) {
    core::FakeClock clock(*core::ParseRfc3339("2026-11-20T12:00:00Z"));
    core::Uuid7Generator ids(clock);
    OldDatabase out;
    out.batch.kioskId = "k1";
    out.batch.batchId = ids.Next();
    for (int i = 0; i < 41; ++i) {
        core::Response r;
        r.id = ids.Next();
        r.seq = i + 1;
        r.createdAtMs =
            *core::ParseRfc3339("2026-09-28T04:00:00Z") + i * 86'400'000LL / 4;  // into October
        if (i == 40)
            r.createdAtMs = *core::ParseRfc3339("1971-03-01T10:00:00Z");  // a kiosk clock reset
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
        out.batch.responses.push_back(r);
        out.sent.push_back(Sent{"s1", r});
    }
    PGconn* c = PQconnectdb(url.c_str());
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    const auto scripts = server::PgMigrationScripts();
    REQUIRE(scripts.size() >= 5);
    Exec(c, "CREATE TABLE fk_schema_version (version INTEGER NOT NULL)");
    for (int v = 1; v <= 3; ++v) {
        Exec(c, scripts[static_cast<std::size_t>(v - 1)]);
        Exec(c, "INSERT INTO fk_schema_version VALUES (" + std::to_string(v) + ")");
    }
    Exec(c, "INSERT INTO stores VALUES ('s1', 'One', 1), ('s2', 'Two', 1)");
    Exec(c, "INSERT INTO kiosks (id, store_id, created_at, acked_seq) VALUES ('k1', 's1', 1, 41)");
    for (const auto& [store, r] : out.sent) {
        Exec(c,
             "INSERT INTO responses (id, kiosk_id, store_id, seq, created_at, closed_at, "
             "tz_offset_min, scale, rating, rep_id, reason, language, misuse, batch_id, "
             "received_at) VALUES ($1, 'k1', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
             "$14)",
             {r.id.ToString(), store, std::to_string(r.seq), std::to_string(r.createdAtMs),
              std::to_string(*r.closedAtMs), std::to_string(r.tzOffsetMin), std::to_string(r.scale),
              std::to_string(r.rating), r.repId, r.reason, r.language, r.misuse,
              out.batch.batchId.ToString(), std::to_string(clock.NowUtcMs())});
    }
    for (int v = 4; v <= version; ++v) {
        Exec(c, scripts[static_cast<std::size_t>(v - 1)]);
        Exec(c, "INSERT INTO fk_schema_version VALUES (" + std::to_string(v) + ")");
    }
    PQfinish(c);
    return out;
}

}  // namespace

TEST_CASE(
    "postgres / a version 3 database (no roll-ups) gets them filled in place on open, and reports "
    "stay the same") {
    auto schema = test::PgSchema::Create();
    if (!schema)
        return;
    const auto old = MakeOldDatabase(schema->Url(), 3);
    auto backend = server::OpenBackend(schema->Url());
    CheckAll(*backend, old.sent);
}

TEST_CASE(
    "postgres / a version 4 database gets its responses partitioned by month in place: rows, keys "
    "and reports unchanged, nothing stored twice, months made on demand, detached months kept "
    "as duplicates") {
    auto schema = test::PgSchema::Create();
    if (!schema)
        return;
    const auto old = MakeOldDatabase(schema->Url(), 4);
    PGconn* c = PQconnectdb(schema->Url().c_str());
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    struct Close {
        PGconn* c;
        ~Close() { PQfinish(c); }
    } close{c};
    const std::int64_t before = Count(c, "SELECT count(*) FROM responses");
    REQUIRE(before == 41);
    const std::string aggSum = "SELECT sum(n) FROM agg_rep_day";
    const std::int64_t aggBefore = Count(c, aggSum);
    auto backend = server::OpenBackend(schema->Url());
    const core::UtcMs now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
    const server::KioskRecord k1{"k1", "s1"};

    // The rows moved, each once, into its month; the 1971 row (outside the on-demand window)
    // into the default partition. Keys for every row; the roll-ups untouched.
    CHECK(Count(c, "SELECT count(*) FROM responses") == before);
    CHECK(Count(c, "SELECT count(*) FROM response_keys") == before);
    CHECK(Count(c, "SELECT count(*) FROM responses_2026_09") == 12);
    CHECK(Count(c, "SELECT count(*) FROM responses_2026_10") == 28);
    CHECK(Count(c, "SELECT count(*) FROM responses_other") == 1);
    CHECK(Count(c,
                "SELECT count(*) FROM pg_class WHERE relname = 'responses' AND relkind = 'p' "
                "AND relnamespace = current_schema()::regnamespace") == 1);
    CHECK(Count(c, aggSum) == aggBefore);
    CHECK(backend->LatestTzOffset(std::string("s1")) == 330);
    CheckAll(*backend, old.sent);

    // Sent again: all duplicates, nothing stored twice. A new id on a taken seq: refused.
    auto receipt = server::Ingest(*backend, k1, old.batch, now);
    for (const auto& item : receipt.results)
        CHECK(item.status == protocol::ItemStatus::Duplicate);
    CHECK(receipt.ackedSeq == 41);
    core::FakeClock clock(now);
    core::Uuid7Generator ids(clock);
    protocol::Batch more;
    more.kioskId = "k1";
    more.batchId = ids.Next();
    core::Response taken = old.batch.responses[3];
    taken.id = ids.Next();
    more.responses.push_back(taken);
    // A month with no partition yet (July): made on demand, in the insert's own batch.
    core::Response july = old.batch.responses[0];
    july.id = ids.Next();
    july.seq = 42;
    july.createdAtMs = *core::ParseRfc3339("2026-07-15T09:00:00Z");
    july.closedAtMs = july.createdAtMs + 1000;
    july.tzOffsetMin = -240;
    more.responses.push_back(july);
    receipt = server::Ingest(*backend, k1, more, now);
    REQUIRE(receipt.results.size() == 2);
    CHECK(receipt.results[0].status == protocol::ItemStatus::Rejected);
    CHECK(receipt.results[1].status == protocol::ItemStatus::Accepted);
    CHECK(receipt.ackedSeq == 42);
    CHECK(Count(c, "SELECT count(*) FROM responses_2026_07") == 1);
    CHECK(Count(c, "SELECT count(*) FROM responses_other") == 1);
    CHECK(Count(c, "SELECT count(*) FROM responses") == before + 1);
    // July is older than the newest row: the store's time zone stays.
    CHECK(backend->LatestTzOffset(std::string("s1")) == 330);

    // A row of a month whose partition is missing lands in the default partition; creating the
    // month later moves it there.
    Exec(c, "ALTER TABLE responses DETACH PARTITION responses_2026_07");
    Exec(c, "DROP TABLE responses_2026_07");
    const std::string columns =
        "id, kiosk_id, store_id, seq, created_at, closed_at, tz_offset_min, scale, rating, "
        "rep_id, reason, language, misuse, batch_id, received_at";
    Exec(c, "INSERT INTO responses (" + columns + ") SELECT " +
                std::regex_replace(columns, std::regex("created_at"),
                                   std::to_string(july.createdAtMs)) +
                " FROM responses_2026_10 WHERE seq = 20");
    CHECK(Count(c, "SELECT count(*) FROM responses_other") == 2);
    Exec(c, "SELECT fk_ensure_month(" + std::to_string(july.createdAtMs) + ")");
    CHECK(Count(c, "SELECT count(*) FROM responses_2026_07") == 1);
    CHECK(Count(c, "SELECT count(*) FROM responses_other") == 1);
    Exec(c, "DELETE FROM responses WHERE created_at = " + std::to_string(july.createdAtMs));

    // Retention: September detached. A late resend of one of its rows is a duplicate (its key
    // stays), and the other months still answer.
    Exec(c, "ALTER TABLE responses DETACH PARTITION responses_2026_09");
    protocol::Batch late;
    late.kioskId = "k1";
    late.batchId = ids.Next();
    late.responses = {old.batch.responses[0], old.batch.responses[20]};
    receipt = server::Ingest(*backend, k1, late, now);
    REQUIRE(receipt.results.size() == 2);
    CHECK(receipt.results[0].status == protocol::ItemStatus::Duplicate);
    CHECK(receipt.results[1].status == protocol::ItemStatus::Duplicate);
    CHECK(Count(c, "SELECT count(*) FROM responses") == before - 12);
    CHECK(Count(c, "SELECT count(*) FROM responses_2026_09") == 12);
}
