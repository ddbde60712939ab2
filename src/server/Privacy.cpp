#include "server/Privacy.h"

#include <algorithm>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "core/Calendar.h"
#include "core/Rollups.h"
#include "protocol/Wire.h"
#include "server/Tokens.h"

namespace fk::server {

namespace {

// created_at bound that is surely past every row of a local day before beforeDay, whatever its
// zone: lets PostgreSQL skip the months (partitions) that cannot hold one.
std::int64_t CreatedBound(std::int64_t beforeDay) {
    return (beforeDay + 2) * core::kRollupMsPerDay;
}

}  // namespace

Privacy::Privacy(std::unique_ptr<SqlRunner> runner, bool postgres)
    : m_runner(std::move(runner)), m_postgres(postgres) {}

std::int64_t Privacy::PurgeBefore(std::int64_t beforeDay) {
    const std::string old = std::string("created_at < ?2 AND ") + core::kRollupDaySql + " < ?1";
    std::int64_t deleted = 0;
    m_runner->InTransaction([&](SqlSession& s) {
        deleted = 0;
        if (m_postgres) {
            s.Exec("SET LOCAL statement_timeout = 0", {});  // a first purge of years of rows
        } else {
            // SQLite has no separate key table: the keys of deleted rows go to purged_keys (a
            // resend by id is a duplicate) and their seqs to kiosk_seqs (the ack mark's record of
            // seqs dealt with, so gaps and marks read as before).
            s.Exec(
                "INSERT INTO purged_keys (id, kiosk_id, seq, created_at) SELECT id, kiosk_id, "
                "seq, created_at FROM responses WHERE " +
                    old + " ON CONFLICT DO NOTHING",
                {beforeDay, CreatedBound(beforeDay)});
            s.Exec(
                "INSERT INTO kiosk_seqs (kiosk_id, seq) SELECT kiosk_id, seq FROM responses "
                "WHERE " +
                    old + " ON CONFLICT DO NOTHING",
                {beforeDay, CreatedBound(beforeDay)});
        }
        deleted =
            s.Exec("DELETE FROM responses WHERE " + old, {beforeDay, CreatedBound(beforeDay)});
        s.Exec(std::string("INSERT INTO retention (id, before_day) VALUES (1, ?1) ON CONFLICT (id) "
                           "DO UPDATE SET before_day = ") +
                   (m_postgres ? "GREATEST" : "max") +
                   "(retention.before_day, excluded.before_day)",
               {beforeDay});
    });
    return deleted;
}

std::optional<std::int64_t> Privacy::Mark() {
    std::optional<std::int64_t> mark;
    m_runner->Read([&](SqlSession& s) {
        mark.reset();
        const auto rows = s.Query("SELECT before_day FROM retention WHERE id = 1", {});
        if (!rows.empty() && rows[0][0])
            mark = std::strtoll(rows[0][0]->c_str(), nullptr, 10);
    });
    return mark;
}

std::int64_t Privacy::ReplaceRep(const std::string& storeId, const std::string& fromId,
                                 const std::optional<std::string>& toId,
                                 const RosterRewrite& rewrite, core::UtcMs now) {
    std::int64_t changed = 0;
    const SqlValue to = toId ? SqlValue(*toId) : SqlValue();
    const std::int64_t toHas = toId ? 1 : 0;
    const std::string toKey = toId.value_or("");
    m_runner->InTransaction([&](SqlSession& s) {
        changed = 0;
        if (toId && !s.Query("SELECT 1 FROM responses WHERE store_id = ?1 AND rep_id = ?2 UNION "
                             "ALL SELECT 1 FROM agg_rep_month WHERE store_id = ?1 AND has_rep = 1 "
                             "AND rep_id = ?2",
                             {storeId, *toId})
                         .empty()) {
            throw RepChangeError("the new id " + *toId + " is already used in store " + storeId);
        }
        bool named = false;
        std::vector<std::pair<std::string, std::string>> configs;  // kiosk_id, new body
        for (const auto& row :
             s.Query("SELECT kiosk_id, body FROM configs WHERE store_id = ?1", {storeId})) {
            bool active = false;
            auto body = rewrite(row[1].value_or(""), active);
            if (!body)
                continue;
            if (active) {
                throw RepChangeError("rep " + fromId + " is still active in store " + storeId +
                                     "; mark them as left (active = false) in the roster first");
            }
            named = true;
            configs.emplace_back(row[0].value_or(""), std::move(*body));
        }
        if (!named) {
            throw RepChangeError("no roster of store " + storeId + " names rep " + fromId +
                                 " (as left)");
        }
        for (const auto& [kiosk, body] : configs) {
            s.Exec(
                "UPDATE configs SET body = ?1, etag = ?2, updated_at = ?3 WHERE store_id = ?4 "
                "AND kiosk_id = ?5",
                {body, "\"" + HashToken(body).substr(0, 32) + "\"", now, storeId, kiosk});
        }
        // Earlier survey definitions (server/SurveyVersions.h) name the rep too: history is
        // rewritten the same way, whatever the rep's state was then.
        for (const auto& row :
             s.Query("SELECT version, body FROM survey_versions WHERE store_id = ?1", {storeId})) {
            bool ignored = false;
            if (auto body = rewrite(row[1].value_or(""), ignored)) {
                s.Exec("UPDATE survey_versions SET body = ?1 WHERE store_id = ?2 AND version = ?3",
                       {*body, storeId,
                        static_cast<std::int64_t>(
                            std::strtoll(row[0].value_or("0").c_str(), nullptr, 10))});
            }
        }
        changed = s.Exec("UPDATE responses SET rep_id = ?1 WHERE store_id = ?2 AND rep_id = ?3",
                         {to, storeId, fromId});
        s.Exec("UPDATE calls SET rep_id = ?1 WHERE store_id = ?2 AND rep_id = ?3",
               {to, storeId, fromId});
        // A rejected item is kept as the JSON the kiosk sent (protocol::EncodeResponse, compact).
        s.Exec(
            "UPDATE rejections SET body = replace(body, ?1, ?2) WHERE kiosk_id IN (SELECT id "
            "FROM kiosks WHERE store_id = ?3)",
            {"\"rep_id\":\"" + fromId + "\"",
             toId ? "\"rep_id\":\"" + *toId + "\"" : std::string("\"rep_id\":null"), storeId});
        for (const char* unit : {"day", "month"}) {
            const std::string table = std::string("agg_rep_") + unit;
            const std::string key = std::string("store_id, ") + unit +
                                    ", has_rep, rep_id, scale, rating, has_reason, reason, misuse, "
                                    "survey_version";
            s.Exec("INSERT INTO " + table + " (" + key + ", n) SELECT store_id, " + unit +
                       ", CAST(?1 AS INTEGER), CAST(?2 AS TEXT), scale, rating, has_reason, "
                       "reason, misuse, survey_version, n FROM " +
                       table +
                       " WHERE store_id = ?3 AND has_rep = 1 AND rep_id = ?4 ON CONFLICT (" + key +
                       ") DO UPDATE SET n = " + table + ".n + excluded.n",
                   {toHas, toKey, storeId, fromId});
            s.Exec("DELETE FROM " + table + " WHERE store_id = ?1 AND has_rep = 1 AND rep_id = ?2",
                   {storeId, fromId});
        }
    });
    return changed;
}

// Edits the stored JSON in place, so every other part of a survey definition (hours, help,
// misuse, alert rules, labels) is kept as head office wrote it.
Privacy::RosterRewrite LeaverRoster(const std::string& fromId,
                                    const std::optional<std::string>& toId,
                                    const std::string& toName) {
    return [=](const std::string& body, bool& active) -> std::optional<std::string> {
        nlohmann::json config = nlohmann::json::parse(body, nullptr, false);
        if (!config.is_object() || !config.contains("roster") || !config["roster"].is_array())
            return std::nullopt;
        auto& roster = config["roster"];
        auto it = std::find_if(roster.begin(), roster.end(), [&](const nlohmann::json& e) {
            return e.is_object() && e.contains("id") && e["id"] == fromId;
        });
        if (it == roster.end())
            return std::nullopt;
        active = it->value("active", true);
        if (toId) {
            (*it)["id"] = *toId;
            (*it)["name"] = toName;
        } else {
            roster.erase(it);
        }
        // The kiosks apply it to their own databases (sync/Leavers.h); the old id goes as a hash.
        if (!config.contains("leavers") || !config["leavers"].is_array())
            config["leavers"] = nlohmann::json::array();
        config["leavers"].push_back(
            {{"from_sha256", HashToken(fromId)},
             {"to", toId ? nlohmann::json(*toId) : nlohmann::json(nullptr)}});
        return config.dump();
    };
}

std::int64_t RetentionBeforeDay(core::UtcMs now, std::int64_t keepDays) {
    return core::FloorDiv(now, core::kRollupMsPerDay) - keepDays;
}

std::int64_t ApplyRetention(Privacy& privacy, core::UtcMs now, std::int64_t keepDays) {
    return privacy.PurgeBefore(RetentionBeforeDay(now, keepDays));
}

std::string PrivacyMigration(bool postgres) {
    if (postgres) {
        return "CREATE TABLE retention (id INTEGER PRIMARY KEY CHECK (id = 1), before_day BIGINT "
               "NOT NULL);\n";
    }
    return "CREATE TABLE retention (id INTEGER PRIMARY KEY CHECK (id = 1), before_day INTEGER NOT "
           "NULL);\n"
           "CREATE TABLE purged_keys (id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, seq INTEGER NOT "
           "NULL, created_at INTEGER NOT NULL) WITHOUT ROWID;\n"
           "CREATE INDEX purged_keys_seq ON purged_keys (kiosk_id, seq);\n";
}

}  // namespace fk::server
