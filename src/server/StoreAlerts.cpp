#include "server/StoreAlerts.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/TimeFormat.h"

namespace fk::server {

namespace {

std::int64_t Int(const std::optional<std::string>& v) {
    return v ? std::strtoll(v->c_str(), nullptr, 10) : 0;
}

constexpr const char* kColumns =
    "store_id, raised_at, checked_at, negative, responses, window_ms FROM store_alerts";

StoreAlertRecord ReadAlert(const SqlRow& r) {
    StoreAlertRecord a;
    a.storeId = r[0].value_or("");
    a.raisedAt = Int(r[1]);
    a.checkedAt = Int(r[2]);
    a.negative = Int(r[3]);
    a.responses = Int(r[4]);
    a.windowMs = Int(r[5]);
    return a;
}

// The store's open alert (at most one: store_alerts_open), if any.
std::optional<StoreAlertRecord> OpenAlert(SqlSession& s, const std::string& storeId) {
    std::optional<StoreAlertRecord> open;
    for (const auto& r :
         s.Query(std::string("SELECT ") + kColumns + " WHERE store_id = ?1 AND cleared_at IS NULL",
                 {storeId}))
        open = ReadAlert(r);
    return open;
}

// The store's responses in its window's whole minutes, misuse left out, by scale and rating.
std::vector<core::AlertCount> CountWindow(SqlSession& s, const std::string& storeId,
                                          const core::AlertRule& rule, core::UtcMs now) {
    std::vector<core::AlertCount> counts;
    for (const auto& r : s.Query(
             "SELECT scale, rating, SUM(n) FROM store_alert_minutes WHERE store_id = ?1 AND minute "
             "> ?2 AND minute <= ?3 GROUP BY scale, rating",
             {storeId, (now - rule.windowMs) / 60'000, now / 60'000}))
        counts.push_back({static_cast<int>(Int(r[0])), static_cast<int>(Int(r[1])), Int(r[2])});
    return counts;
}

}  // namespace

std::int64_t StoreAlerts::RefreshInterval(const core::AlertRule& rule) {
    return std::min<std::int64_t>(kMaxRefreshMs, rule.windowMs / 4);
}

std::string StoreAlertRecord::EventKey() const {
    return "store_alert:" + storeId + ":" + std::to_string(raisedAt);
}

StoreAlerts::StoreAlerts(std::unique_ptr<SqlRunner> runner) : m_runner(std::move(runner)) {}

StoreAlerts::Outcome StoreAlerts::Evaluate(const std::string& storeId, const core::AlertRule& rule,
                                           core::UtcMs now) {
    Outcome out;
    // Most batches change nothing (no alert open, the rule not met): decide that on a reader,
    // without the writer or a durable commit. Whatever this read misses, the evaluation after the
    // batch that completes the window sees (it starts after that batch committed).
    // A store in alert stays in alert for minutes while its tills keep sending: refreshing the
    // open alert on every batch made each of them a durable write (0.14x ingest). It is refreshed
    // at most every RefreshInterval; raising and clearing are never delayed.
    bool nothingToWrite = false;
    m_runner->Read([&](SqlSession& s) {
        out.state = core::EvaluateAlertCounts(rule, CountWindow(s, storeId, rule, now), now);
        const std::optional<StoreAlertRecord> open = OpenAlert(s, storeId);
        if (!out.state.raised) {
            nothingToWrite = !open;
            return;
        }
        if (open && open->checkedAt > now - RefreshInterval(rule) && open->checkedAt <= now) {
            nothingToWrite = true;
            out.alert = open;
        }
    });
    if (nothingToWrite)
        return out;
    m_runner->InTransaction([&](SqlSession& s) {
        out = Outcome{};
        // One evaluation of a store at a time across every server on the database: the upsert
        // holds the store's state row until commit, and what follows reads every batch committed
        // before it (a clear never undoes a raise it could not see).
        s.Exec(
            "INSERT INTO store_alert_state (store_id, evaluated_at) VALUES (?1, ?2) ON CONFLICT "
            "(store_id) DO UPDATE SET evaluated_at = excluded.evaluated_at",
            {storeId, now});
        out.state = core::EvaluateAlertCounts(rule, CountWindow(s, storeId, rule, now), now);
        const std::optional<StoreAlertRecord> open = OpenAlert(s, storeId);
        if (!out.state.raised) {
            if (open)
                s.Exec(
                    "UPDATE store_alerts SET cleared_at = ?2 WHERE store_id = ?1 AND cleared_at "
                    "IS NULL",
                    {storeId, now});
            return;
        }
        if (open && open->checkedAt > now - open->windowMs) {
            s.Exec(
                "UPDATE store_alerts SET checked_at = ?2, negative = ?3, responses = ?4 WHERE "
                "store_id = ?1 AND cleared_at IS NULL AND checked_at <= ?2",
                {storeId, now, out.state.negative, out.state.responses});
        } else {
            // Not re-checked within its window: it lapsed then, and this is a new alert.
            if (open)
                s.Exec(
                    "UPDATE store_alerts SET cleared_at = checked_at + window_ms WHERE store_id = "
                    "?1 AND cleared_at IS NULL",
                    {storeId});
            // At most one open alert per store (store_alerts_open): a second insert adds nothing.
            out.raisedHere =
                s.Exec(
                    "INSERT INTO store_alerts (store_id, raised_at, checked_at, negative, "
                    "responses, window_ms) VALUES (?1, ?2, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                    {storeId, now, out.state.negative, out.state.responses, rule.windowMs}) == 1;
        }
        for (const auto& r : s.Query(
                 std::string("SELECT ") + kColumns + " WHERE store_id = ?1 AND cleared_at IS NULL",
                 {storeId}))
            out.alert = ReadAlert(r);
    });
    return out;
}

std::vector<StoreAlertRecord> StoreAlerts::Current(const std::optional<std::string>& storeId,
                                                   core::UtcMs now) {
    std::vector<StoreAlertRecord> out;
    m_runner->Read([&](SqlSession& s) {
        out.clear();
        const std::string where = " WHERE cleared_at IS NULL AND checked_at + window_ms > ?1" +
                                  std::string(storeId ? " AND store_id = ?2" : "") +
                                  " ORDER BY store_id";
        std::vector<SqlValue> args{now};
        if (storeId)
            args.emplace_back(*storeId);
        for (const auto& r : s.Query(std::string("SELECT ") + kColumns + where, args))
            out.push_back(ReadAlert(r));
    });
    return out;
}

std::int64_t StoreAlerts::PurgeMinutes(core::UtcMs now) {
    std::int64_t deleted = 0;
    m_runner->InTransaction([&](SqlSession& s) {
        deleted = s.Exec("DELETE FROM store_alert_minutes WHERE minute < ?1",
                         {(now - kAlertMinutesKeptMs) / 60'000});
    });
    return deleted;
}

std::vector<StoreAlertRecord> StoreAlerts::History(const std::string& storeId, core::UtcMs fromMs,
                                                   core::UtcMs toMs) {
    std::vector<StoreAlertRecord> out;
    m_runner->Read([&](SqlSession& s) {
        out.clear();
        for (const auto& r :
             s.Query(std::string("SELECT ") + kColumns +
                         " WHERE store_id = ?1 AND raised_at >= ?2 AND raised_at < ?3 ORDER BY "
                         "raised_at DESC",
                     {storeId, fromMs, toMs}))
            out.push_back(ReadAlert(r));
    });
    return out;
}

std::string StoreAlertsMigration(bool postgres) {
    const std::string integer = postgres ? "BIGINT" : "INTEGER";
    return "CREATE TABLE store_alerts (store_id TEXT NOT NULL, raised_at " + integer +
           " NOT NULL, checked_at " + integer + " NOT NULL, cleared_at " + integer + ", negative " +
           integer + " NOT NULL, responses " + integer + " NOT NULL, window_ms " + integer +
           " NOT NULL, PRIMARY KEY (store_id, raised_at));\n"
           "CREATE UNIQUE INDEX store_alerts_open ON store_alerts (store_id) WHERE cleared_at IS "
           "NULL;\n"
           "CREATE TABLE store_alert_state (store_id TEXT PRIMARY KEY, evaluated_at " +
           integer + " NOT NULL);\n";
}

std::string StoreAlertMinutesMigration(bool postgres) {
    const std::string integer = postgres ? "BIGINT" : "INTEGER";
    const std::string nowMs = postgres ? "(extract(epoch FROM now()) * 1000)::bigint"
                                       : "(CAST(strftime('%s', 'now') AS INTEGER) * 1000)";
    return "CREATE TABLE store_alert_minutes (store_id TEXT NOT NULL, minute " + integer +
           " NOT NULL, scale INTEGER NOT NULL, rating INTEGER NOT NULL, n " + integer +
           " NOT NULL, PRIMARY KEY (store_id, minute, scale, rating))" +
           (postgres ? "" : " WITHOUT ROWID") +
           ";\n"
           "INSERT INTO store_alert_minutes SELECT store_id, created_at / 60000, scale, rating, "
           "count(*) FROM responses WHERE misuse IS NULL AND created_at > " +
           nowMs + " - " + std::to_string(kAlertMinutesKeptMs) + " GROUP BY 1, 2, 3, 4;\n";
}

EventSpec StoreAlertEvent(const StoreAlertRecord& alert, bool email) {
    nlohmann::ordered_json j;
    j["event"] = "store_alert";
    j["store_id"] = alert.storeId;
    j["raised_at"] = core::FormatRfc3339Ms(alert.raisedAt);
    j["negative"] = alert.negative;
    j["responses"] = alert.responses;
    j["window_min"] = alert.windowMs / 60000;
    return EventSpec{alert.EventKey(), alert.storeId,
                     j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace),
                     email};
}

}  // namespace fk::server
