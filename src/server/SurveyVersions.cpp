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
        // so every kiosk and the reports use one list, never a kiosk's own kiosk.toml one. Not
        // for a survey that asks no reason: the loader refuses reasons that would never show, so
        // the stored definition would be refused by every kiosk and by set-rep-code.
        const bool asksNoReason = j.contains("survey") && j["survey"].is_object() &&
                                  j["survey"].contains("ask_reason_for") &&
                                  j["survey"]["ask_reason_for"].is_array() &&
                                  j["survey"]["ask_reason_for"].empty();
        if (!asksNoReason &&
            (!j.contains("reasons") || !j["reasons"].is_array() || j["reasons"].empty())) {
            nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
            for (const auto& r : config::DefaultReasons())
                reasons.push_back({{"id", r.code}, {"attributable_to_rep", r.attributableToRep}});
            j["reasons"] = std::move(reasons);
        }
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

}  // namespace fk::server
