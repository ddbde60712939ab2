// A leaver's data (issue 20 item 4) on both backends: pseudonymised (a made-up id and name in
// every table and the roster) or erased (no rep named), with every store total unchanged, and no
// trace of the old id or name left in the database (SQLite: the file's bytes after Compact).
#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

#include "ServerTestEnv.h"
#include "core/TimeFormat.h"
#include "protocol/Wire.h"
#include "server/Privacy.h"

using namespace fk;
using Json = nlohmann::json;

namespace {

constexpr const char* kOldId = "rep-anna-k";
constexpr const char* kOldName = "Anna Karenina";

void SetRoster(test::ServerEnv& env, bool annaActive) {
    protocol::KioskConfig config;
    config.roster = {{kOldId, kOldName, annaActive}, {"rep-boris", "Boris", true}};
    config.locales = {"en"};
    const std::string body = protocol::EncodeKioskConfig(config);
    env.Backend().SetConfig("s1", "", server::ConfigRecord{body, "\"v1\""}, env.Clock().NowUtcMs());
}

Json Reps(test::ServerEnv& env) {
    auto res = env.Get("/api/v1/reports/reps?store=s1&from=2026-11-01&to=2026-11-30&min_n=1",
                       env.managerS1);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return Json::parse(res->body);
}

const Json* RepOf(const Json& report, const std::optional<std::string>& rep) {
    for (const auto& r : report["reps"]) {
        if ((rep && r["rep_id"] == *rep) || (!rep && r["rep_id"].is_null()))
            return &r;
    }
    return nullptr;
}

// Every place the old id or name could be left, read back from the database itself.
std::string Traces(test::ServerEnv& env) {
    std::string found;
    const std::string url = env.Url();
    if (url.rfind("sqlite:", 0) == 0) {
        env.Backend().Compact();
        for (const char* suffix : {"", "-wal"}) {
            std::ifstream in(url.substr(7) + suffix, std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
            for (const char* needle : {kOldId, kOldName})
                if (bytes.find(needle) != std::string::npos)
                    found += std::string(needle) + " in server.db" + suffix + "; ";
        }
        return found;
    }
    PGconn* c = PQconnectdb(url.c_str());
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    const std::string q =
        "SELECT (SELECT count(*) FROM responses WHERE rep_id = $1) + (SELECT count(*) FROM calls "
        "WHERE rep_id = $1) + (SELECT count(*) FROM agg_rep_day WHERE rep_id = $1) + (SELECT "
        "count(*) FROM agg_rep_month WHERE rep_id = $1) + (SELECT count(*) FROM rejections WHERE "
        "strpos(body, $1) > 0) + (SELECT count(*) FROM configs WHERE strpos(body, $1) > 0 OR "
        "strpos(body, $2) > 0)";
    const char* params[] = {kOldId, kOldName};
    PGresult* r = PQexecParams(c, q.c_str(), 2, nullptr, params, nullptr, nullptr, 0);
    REQUIRE(PQresultStatus(r) == PGRES_TUPLES_OK);
    if (std::string(PQgetvalue(r, 0, 0)) != "0")
        found = std::string(PQgetvalue(r, 0, 0)) + " rows still name the rep";
    PQclear(r);
    PQfinish(c);
    return found;
}

void Send(test::ServerEnv& env) {
    std::vector<core::Response> rows;
    const core::UtcMs t0 = *core::ParseRfc3339("2026-11-10T09:00:00Z");
    for (int i = 1; i <= 30; ++i) {
        auto r = env.MakeResponse(i, 1 + i % 4,
                                  i % 3 == 0   ? std::nullopt
                                  : i % 3 == 1 ? std::optional<std::string>(kOldId)
                                               : std::optional<std::string>("rep-boris"));
        r.createdAtMs = t0 + i * 3'600'000LL;
        r.closedAtMs = r.createdAtMs + 2000;
        if (r.rating == 1)
            r.reason = "rude";
        rows.push_back(r);
    }
    REQUIRE(env.PostBatch(env.MakeBatch("k1", rows), env.kioskToken[1])->status == 200);
    // A conflicting copy of one of Anna's rows: kept as a rejection, naming her.
    auto conflict = rows[0];
    conflict.rating = conflict.rating == 4 ? 3 : 4;
    REQUIRE(env.PostBatch(env.MakeBatch("k1", {conflict}), env.kioskToken[1])->status == 200);
}

}  // namespace

FK_SERVER_TEST("a leaver is pseudonymised everywhere, totals unchanged, no trace left") {
    SetRoster(env, true);
    Send(env);
    const Json before = Reps(env);
    REQUIRE(RepOf(before, std::string(kOldId)) != nullptr);
    auto& privacy = env.Backend().PersonalData();
    const auto rewrite = server::LeaverRoster(kOldId, "former-1a2b3c4d", "Former rep 1a2b");
    // Still active in the roster: refused, nothing changed.
    CHECK_THROWS_AS(privacy.ReplaceRep("s1", kOldId, "former-1a2b3c4d", rewrite, 1),
                    server::RepChangeError);
    CHECK(Reps(env) == before);
    // Taken new id: refused.
    SetRoster(env, false);
    CHECK_THROWS_AS(privacy.ReplaceRep("s1", kOldId, "rep-boris",
                                       server::LeaverRoster(kOldId, "rep-boris", "B"), 1),
                    server::RepChangeError);

    CHECK(privacy.ReplaceRep("s1", kOldId, "former-1a2b3c4d", rewrite, 2) == 10);
    const Json after = Reps(env);
    CHECK(after["total"] == before["total"]);
    CHECK(RepOf(after, std::string(kOldId)) == nullptr);
    const Json* former = RepOf(after, std::string("former-1a2b3c4d"));
    REQUIRE(former != nullptr);
    Json renamed = *RepOf(before, std::string(kOldId));
    renamed["rep_id"] = "former-1a2b3c4d";
    Json got = *former;
    got.erase("name");
    renamed.erase("name");
    CHECK(got == renamed);
    CHECK((*former)["name"] == "Former rep 1a2b");
    // The roster served to the kiosks: the new id and name, a new ETag.
    auto config = env.Backend().FindConfig("s1", "k1");
    REQUIRE(config);
    CHECK(config->etag != "\"v1\"");
    CHECK(config->body.find("former-1a2b3c4d") != std::string::npos);
    CHECK(Traces(env) == "");
}

FK_SERVER_TEST("an erased leaver's responses count as no rep named, totals unchanged") {
    SetRoster(env, false);
    Send(env);
    const Json before = Reps(env);
    const Json* none = RepOf(before, std::nullopt);
    const Json* anna = RepOf(before, std::string(kOldId));
    REQUIRE(none != nullptr);
    REQUIRE(anna != nullptr);
    const auto noneBefore = (*none)["responses"].get<std::int64_t>();
    const auto annaBefore = (*anna)["responses"].get<std::int64_t>();
    CHECK(env.Backend().PersonalData().ReplaceRep(
              "s1", kOldId, std::nullopt, server::LeaverRoster(kOldId, std::nullopt, ""), 2) == 10);
    const Json after = Reps(env);
    CHECK(after["total"] == before["total"]);
    CHECK(RepOf(after, std::string(kOldId)) == nullptr);
    REQUIRE(RepOf(after, std::nullopt) != nullptr);
    CHECK((*RepOf(after, std::nullopt))["responses"] == noneBefore + annaBefore);
    auto config = env.Backend().FindConfig("s1", "k1");
    REQUIRE(config);
    CHECK(config->body.find(kOldName) == std::string::npos);
    CHECK(Traces(env) == "");
}
