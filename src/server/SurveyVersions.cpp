#include "server/SurveyVersions.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "config/SurveyDefinition.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/Tokens.h"

namespace fk::server {

namespace {

std::int64_t Int(const std::optional<std::string>& text) {
    return text ? std::strtoll(text->c_str(), nullptr, 10) : 0;
}

SurveyVersion FromRow(const SqlRow& r) {
    SurveyVersion v;
    v.storeId = r[0].value_or("");
    v.kioskId = r[1].value_or("");
    v.version = Int(r[2]);
    v.createdAt = Int(r[3]);
    v.createdBy = r[4].value_or("");
    v.note = r[5].value_or("");
    v.body = r[6].value_or("");
    return v;
}

constexpr const char* kColumns =
    "SELECT store_id, kiosk_id, version, created_at, created_by, note, body FROM survey_versions ";

}  // namespace

SurveyVersions::SurveyVersions(std::unique_ptr<SqlRunner> runner) : m_runner(std::move(runner)) {}

SurveyVersion SurveyVersions::Store(const std::string& storeId, const std::string& kioskId,
                                    const std::string& definition, const std::string& by,
                                    const std::string& note, core::UtcMs now) {
    SurveyVersion out;
    m_runner->InTransaction([&](SqlSession& s) {
        if (s.Query("SELECT 1 FROM stores WHERE id = ?1", {storeId}).empty()) {
            throw BackendError(BackendError::Kind::NotFound,
                               "no store " + storeId + "; add it first with add-store");
        }
        if (!kioskId.empty() &&
            s.Query("SELECT 1 FROM kiosks WHERE id = ?1 AND store_id = ?2", {kioskId, storeId})
                .empty()) {
            throw BackendError(BackendError::Kind::NotFound,
                               "no kiosk " + kioskId + " in store " + storeId);
        }
        const auto rows =
            s.Query("SELECT MAX(version) FROM survey_versions WHERE store_id = ?1", {storeId});
        const std::int64_t version = (rows.empty() ? 0 : Int(rows[0][0])) + 1;
        nlohmann::ordered_json j = nlohmann::ordered_json::parse(definition);
        j["version"] = version;
        // The reasons are the per-rep policy: written out (the built-in list when none is given)
        // so every kiosk and the reports use one list, never a kiosk's own kiosk.toml one.
        if (!j.contains("reasons") || !j["reasons"].is_array() || j["reasons"].empty())
            j["reasons"] = nlohmann::ordered_json::parse(BuiltInReasonsJson());
        const std::string body = j.dump();
        const std::string etag = "\"" + HashToken(body).substr(0, 32) + "\"";
        s.Exec(
            "INSERT INTO survey_versions (store_id, kiosk_id, version, created_at, created_by, "
            "note, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            {storeId, kioskId, version, now, by, note, body});
        s.Exec(
            "INSERT INTO configs (store_id, kiosk_id, body, etag, updated_at) VALUES (?1, ?2, "
            "?3, ?4, ?5) ON CONFLICT (store_id, kiosk_id) DO UPDATE SET body = excluded.body, "
            "etag = excluded.etag, updated_at = excluded.updated_at",
            {storeId, kioskId, body, etag, now});
        out = SurveyVersion{storeId, kioskId, version, now, by, note, body};
    });
    return out;
}

std::vector<SurveyVersion> SurveyVersions::List(const std::string& storeId, int limit) {
    std::vector<SurveyVersion> out;
    m_runner->Read([&](SqlSession& s) {
        out.clear();
        for (const auto& r :
             s.Query(std::string(kColumns) + "WHERE store_id = ?1 ORDER BY version DESC LIMIT ?2",
                     {storeId, limit}))
            out.push_back(FromRow(r));
    });
    return out;
}

std::optional<SurveyVersion> SurveyVersions::Find(const std::string& storeId,
                                                  std::int64_t version) {
    std::optional<SurveyVersion> out;
    m_runner->Read([&](SqlSession& s) {
        const auto rows = s.Query(std::string(kColumns) + "WHERE store_id = ?1 AND version = ?2",
                                  {storeId, version});
        out = rows.empty() ? std::nullopt : std::optional(FromRow(rows[0]));
    });
    return out;
}

std::map<std::int64_t, core::ReasonPolicy> SurveyVersions::Policies(
    const std::string& storeId, const std::set<std::int64_t>& versions) {
    std::map<std::int64_t, core::ReasonPolicy> out;
    std::vector<std::int64_t> missing;
    {
        std::lock_guard lock(m_policiesMutex);
        for (const std::int64_t v : versions) {
            if (auto it = m_policies.find({storeId, v}); it != m_policies.end())
                out.emplace(v, it->second);
            else
                missing.push_back(v);
        }
    }
    if (missing.empty())
        return out;
    std::vector<std::pair<std::int64_t, std::string>> bodies;
    m_runner->Read([&](SqlSession& s) {
        bodies.clear();
        for (const std::int64_t v : missing) {
            const auto rows =
                s.Query("SELECT body FROM survey_versions WHERE store_id = ?1 AND version = ?2",
                        {storeId, v});
            if (!rows.empty())
                bodies.emplace_back(v, rows[0][0].value_or(""));
        }
    });
    std::lock_guard lock(m_policiesMutex);
    for (const auto& [v, body] : bodies) {
        auto decoded = protocol::DecodeKioskConfig(body);
        if (!decoded)
            continue;  // never stored unchecked; judged by the current policy if it were
        std::vector<core::ReasonPolicy::Reason> reasons;
        for (const auto& r : decoded->reasons)
            reasons.push_back({r.id, r.attributableToRep});
        core::ReasonPolicy policy(std::move(reasons));
        m_policies.insert_or_assign({storeId, v}, policy);
        out.emplace(v, std::move(policy));
    }
    return out;
}

void SurveyVersions::ReportRunning(const std::string& kioskId, std::int64_t version,
                                   core::UtcMs now) {
    std::int64_t known = -1;
    m_runner->Read([&](SqlSession& s) {
        const auto rows =
            s.Query("SELECT version FROM kiosk_survey WHERE kiosk_id = ?1", {kioskId});
        known = rows.empty() ? -1 : Int(rows[0][0]);
    });
    if (known == version)
        return;  // the usual heartbeat: nothing to write
    m_runner->InTransaction([&](SqlSession& s) {
        s.Exec(
            "INSERT INTO kiosk_survey (kiosk_id, version, reported_at) VALUES (?1, ?2, ?3) ON "
            "CONFLICT (kiosk_id) DO UPDATE SET version = excluded.version, reported_at = "
            "excluded.reported_at",
            {kioskId, version, now});
    });
}

std::map<std::string, KioskSurveyState> SurveyVersions::States(
    const std::vector<std::pair<std::string, std::string>>& kiosks) {
    std::map<std::string, KioskSurveyState> out;
    if (kiosks.empty())
        return out;
    // (store, kiosk or '') -> newest version and when it was stored.
    std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, core::UtcMs>> newest;
    std::map<std::string, std::int64_t> running;
    m_runner->Read([&](SqlSession& s) {
        newest.clear();
        running.clear();
        for (const auto& r :
             s.Query("SELECT store_id, kiosk_id, version, created_at FROM survey_versions v WHERE "
                     "version = (SELECT MAX(version) FROM survey_versions w WHERE w.store_id = "
                     "v.store_id AND w.kiosk_id = v.kiosk_id)",
                     {})) {
            newest[{r[0].value_or(""), r[1].value_or("")}] = {Int(r[2]), Int(r[3])};
        }
        for (const auto& r : s.Query("SELECT kiosk_id, version FROM kiosk_survey", {}))
            running[r[0].value_or("")] = Int(r[1]);
    });
    for (const auto& [kioskId, storeId] : kiosks) {
        KioskSurveyState state;
        auto it = newest.find({storeId, kioskId});
        if (it == newest.end())
            it = newest.find({storeId, ""});
        if (it != newest.end()) {
            state.latest = it->second.first;
            state.latestAt = it->second.second;
        }
        if (auto r = running.find(kioskId); r != running.end())
            state.running = r->second;
        out[kioskId] = state;
    }
    return out;
}

std::string BuiltInReasonsJson() {
    nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
    for (const auto& r : config::DefaultReasons())
        reasons.push_back({{"id", r.code}, {"attributable_to_rep", r.attributableToRep}});
    return reasons.dump();
}

std::vector<std::string> CheckDefinition(const std::string& definition, const std::string& name) {
    std::vector<std::string> out;
    try {
        config::ApplySurveyDefinition(config::KioskConfig{}, definition, name);
    } catch (const config::ConfigError& e) {
        for (const auto& p : e.Problems())
            out.push_back(config::to_string(p));
        return out;
    }
    if (auto wire = protocol::DecodeKioskConfig(definition); !wire)
        out.push_back(name + ": " + protocol::to_string(wire.Error()));
    return out;
}

bool SurveyBehind(const KioskSurveyState& state, core::UtcMs now) {
    return state.latest && state.running != state.latest &&
           now - state.latestAt > SurveyVersions::kBehindAfterMs;
}

std::string SurveyVersionsMigration(bool postgres) {
    const char* integer = postgres ? "BIGINT" : "INTEGER";
    return std::string("-- branch survey17 (issue 17): survey definition versions.\n") +
           "CREATE TABLE survey_versions (store_id TEXT NOT NULL, kiosk_id TEXT NOT NULL DEFAULT "
           "'', version " +
           integer + " NOT NULL, created_at " + integer +
           " NOT NULL, created_by TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', body TEXT NOT "
           "NULL, PRIMARY KEY (store_id, version));\n"
           "CREATE TABLE kiosk_survey (kiosk_id TEXT PRIMARY KEY, version " +
           integer + " NOT NULL, reported_at " + integer + " NOT NULL);\n";
}

std::string ResponseVersionsMigration(bool postgres) {
    const std::string integer = postgres ? "BIGINT" : "INTEGER";
    std::string sql =
        "-- branch survey17b (issue 17): the survey version of each response (provisional "
        "number).\n"
        "ALTER TABLE responses ADD COLUMN survey_version " +
        integer + ";\n";
    for (const char* kind : {"rep", "store"}) {
        for (const char* unit : {"day", "month"}) {
            const std::string table = std::string("agg_") + kind + "_" + unit;
            const std::string old = table + "_before_versions";
            const std::string rep = std::string(kind) == "rep"
                                        ? "has_rep INTEGER NOT NULL, rep_id TEXT NOT NULL, "
                                        : "";
            const std::string repKey = std::string(kind) == "rep" ? "has_rep, rep_id, " : "";
            const std::string key = "store_id, " + std::string(unit) + ", " + repKey +
                                    "scale, rating, has_reason, reason, misuse";
            sql += "ALTER TABLE " + table + " RENAME TO " + old + ";\n";
            if (postgres)  // the primary key's index keeps its name; ON CONFLICT names the new one
                sql += "ALTER INDEX " + table + "_pkey RENAME TO " + old + "_pkey;\n";
            sql += "CREATE TABLE " + table + " (store_id TEXT NOT NULL, " + unit + " " + integer +
                   " NOT NULL, " + rep +
                   "scale INTEGER NOT NULL, rating INTEGER NOT NULL, has_reason INTEGER NOT NULL, "
                   "reason TEXT NOT NULL, misuse INTEGER NOT NULL, survey_version " +
                   integer + " NOT NULL, n " + integer + " NOT NULL, PRIMARY KEY (" + key +
                   ", survey_version))" + (postgres ? "" : " WITHOUT ROWID") + ";\n";
            sql += "INSERT INTO " + table + " SELECT " + key + ", 0, n FROM " + old + ";\n";
            sql += "DROP TABLE " + old + ";\n";
        }
    }
    // The index the renamed table took with it.
    sql += "CREATE INDEX agg_store_day_day ON agg_store_day (day);\n";
    return sql;
}

}  // namespace fk::server
