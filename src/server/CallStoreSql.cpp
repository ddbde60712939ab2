#include "server/CallStoreSql.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

#include "core/TimeFormat.h"

namespace fk::server {

namespace {

constexpr const char* kCallColumns =
    "response_id, asked_at, tz_offset_min, scale, rating, rep_id, reason, language, late, "
    "misuse, kiosk_id, store_id, received_at, repeats, acked_at, acked_by, closed_at, closed_by, "
    "outcome, note";

std::int64_t Num(const std::optional<std::string>& v) {
    return v ? std::strtoll(v->c_str(), nullptr, 10) : 0;
}
std::optional<std::int64_t> OptNum(const std::optional<std::string>& v) {
    if (!v)
        return std::nullopt;
    return std::strtoll(v->c_str(), nullptr, 10);
}

protocol::CallRecord ReadCall(const SqlRow& r) {
    protocol::CallRecord c;
    c.call.responseId = core::Uuid::Parse(r[0].value_or("")).value_or(core::Uuid{});
    c.call.askedAt = Num(r[1]);
    c.call.tzOffsetMin = static_cast<int>(Num(r[2]));
    c.call.scale = static_cast<int>(Num(r[3]));
    c.call.rating = static_cast<int>(Num(r[4]));
    c.call.repId = r[5];
    c.call.reason = r[6];
    c.call.language = r[7].value_or("");
    c.call.late = Num(r[8]) != 0;
    c.call.misuse = r[9];
    c.kioskId = r[10].value_or("");
    c.storeId = r[11].value_or("");
    c.receivedAt = Num(r[12]);
    c.repeats = Num(r[13]);
    c.ackedAt = OptNum(r[14]);
    c.ackedBy = r[15];
    c.closedAt = OptNum(r[16]);
    c.closedBy = r[17];
    if (r[18])
        c.outcome = protocol::CallOutcomeFromString(*r[18]);
    c.note = r[19];
    c.status = c.closedAt  ? protocol::CallStatus::Closed
               : c.ackedAt ? protocol::CallStatus::Acknowledged
                           : protocol::CallStatus::Open;
    return c;
}

class SqlCallStore final : public CallStore {
  public:
    explicit SqlCallStore(std::unique_ptr<SqlRunner> runner) : m_runner(std::move(runner)) {}

    InsertResult Insert(const protocol::CallRecord& record, core::UtcMs burstWindowMs,
                        const EventSpec& event) override {
        InsertResult result;
        const std::string id = record.call.responseId.ToString();
        m_runner->InTransaction([&](SqlSession& s) {
            result = InsertResult{};
            if (!s.Query("SELECT 1 FROM calls WHERE response_id = ?1", {id}).empty()) {
                result.kind = InsertKind::Duplicate;
                return;
            }
            std::optional<std::string> misuse = record.call.misuse;
            std::optional<std::string> foldedInto;
            auto open = s.Query(
                "SELECT response_id FROM calls WHERE kiosk_id = ?1 AND folded_into IS NULL AND "
                "closed_at IS NULL AND misuse IS NULL AND received_at >= ?2 "
                "ORDER BY received_at DESC LIMIT 1",
                {record.kioskId, record.receivedAt - burstWindowMs});
            if (!open.empty() && open[0][0]) {
                foldedInto = *open[0][0];
                misuse = std::string(kCallBurstRule);
                s.Exec("UPDATE calls SET repeats = repeats + 1 WHERE response_id = ?1",
                       {*foldedInto});
            }
            const auto& c = record.call;
            s.Exec(
                "INSERT INTO calls (response_id, kiosk_id, store_id, asked_at, tz_offset_min, "
                "scale, rating, rep_id, reason, language, late, misuse, received_at, folded_into, "
                "repeats) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 0)",
                {id, record.kioskId, record.storeId, c.askedAt, c.tzOffsetMin, c.scale, c.rating,
                 c.repId, c.reason, c.language, c.late ? 1 : 0, misuse, record.receivedAt,
                 foldedInto});
            if (foldedInto) {
                result.kind = InsertKind::Folded;
                result.foldedInto = foldedInto;
                return;
            }
            if (!misuse)
                EnqueueIn(s, event, record.receivedAt);
        });
        return result;
    }

    std::optional<protocol::CallRecord> Find(const std::string& responseId) override {
        std::optional<protocol::CallRecord> out;
        m_runner->Read([&](SqlSession& s) { out = FindIn(s, responseId); });
        return out;
    }

    std::vector<protocol::CallRecord> List(const CallQuery& q) override {
        std::vector<protocol::CallRecord> out;
        std::string sql = std::string("SELECT ") + kCallColumns +
                          " FROM calls WHERE folded_into IS NULL AND received_at >= ?1 AND "
                          "received_at < ?2";
        std::vector<SqlValue> args{q.fromMs, q.toMs, static_cast<std::int64_t>(q.limit)};
        if (q.openOnly)
            sql += " AND closed_at IS NULL";
        if (q.storeId) {
            sql += " AND store_id = ?4";
            args.emplace_back(*q.storeId);
        }
        if (!q.openOnly) {
            // Calls retention deleted, as the facts kept of them (server/CallFacts.h): closed or
            // not, they are history, with an empty kiosk id.
            sql += std::string(
                       " UNION ALL SELECT response_id, asked_at, tz_offset_min, 0, 0, rep_id, "
                       "NULL, '', 0, misuse, '', store_id, received_at, 0, acked_at, NULL, "
                       "closed_at, NULL, outcome, NULL FROM call_facts WHERE received_at >= ?1 AND "
                       "received_at < ?2") +
                   (q.storeId ? " AND store_id = ?4" : "");
        }
        sql += " ORDER BY received_at DESC, response_id DESC LIMIT ?3";
        m_runner->Read([&](SqlSession& s) {
            out.clear();
            for (const auto& row : s.Query(sql, args))
                out.push_back(ReadCall(row));
        });
        return out;
    }

    std::optional<protocol::CallRecord> Ack(const std::string& responseId, const std::string& by,
                                            core::UtcMs now) override {
        std::optional<protocol::CallRecord> out;
        m_runner->InTransaction([&](SqlSession& s) {
            s.Exec(
                "UPDATE calls SET acked_at = ?2, acked_by = ?3 WHERE response_id = ?1 AND "
                "acked_at IS NULL",
                {responseId, now, by});
            out = FindIn(s, responseId);
        });
        return out;
    }

    std::optional<protocol::CallRecord> Close(const std::string& responseId,
                                              const protocol::CallClose& close,
                                              core::UtcMs now) override {
        std::optional<protocol::CallRecord> out;
        m_runner->InTransaction([&](SqlSession& s) {
            s.Exec(
                "UPDATE calls SET acked_at = COALESCE(acked_at, ?2), acked_by = COALESCE(acked_by, "
                "?3), closed_at = ?2, closed_by = ?3, outcome = ?4, note = ?5 "
                "WHERE response_id = ?1 AND closed_at IS NULL",
                {responseId, now, close.by, protocol::to_string(close.outcome), close.note});
            out = FindIn(s, responseId);
        });
        return out;
    }

    int Enqueue(const EventSpec& event, core::UtcMs now) override {
        int added = 0;
        m_runner->InTransaction([&](SqlSession& s) { added = EnqueueIn(s, event, now); });
        return added;
    }

    std::vector<protocol::CallRecord> DueEscalations(core::UtcMs receivedBefore,
                                                     std::size_t limit) override {
        std::vector<protocol::CallRecord> out;
        m_runner->Read([&](SqlSession& s) {
            out.clear();
            for (const auto& row :
                 s.Query(std::string("SELECT ") + kCallColumns +
                             " FROM calls WHERE acked_at IS NULL AND closed_at IS NULL AND "
                             "folded_into IS NULL AND misuse IS NULL AND escalated_at IS NULL AND "
                             "received_at <= ?1 ORDER BY received_at LIMIT ?2",
                         {receivedBefore, static_cast<std::int64_t>(limit)})) {
                out.push_back(ReadCall(row));
            }
        });
        return out;
    }

    void MarkEscalated(const std::string& responseId, core::UtcMs now) override {
        m_runner->InTransaction([&](SqlSession& s) {
            s.Exec("UPDATE calls SET escalated_at = ?2 WHERE response_id = ?1", {responseId, now});
        });
    }

    std::vector<OutboxItem> DueDeliveries(core::UtcMs now, std::size_t limit) override {
        std::vector<OutboxItem> out;
        m_runner->Read([&](SqlSession& s) {
            out.clear();
            for (const auto& row : s.Query(
                     "SELECT id, event_key, destination, body, attempts FROM outbox WHERE "
                     "delivered_at IS NULL AND gave_up = 0 AND next_at <= ?1 ORDER BY id LIMIT ?2",
                     {now, static_cast<std::int64_t>(limit)})) {
                out.push_back(OutboxItem{Num(row[0]), row[1].value_or(""), row[2].value_or(""),
                                         row[3].value_or(""), static_cast<int>(Num(row[4]))});
            }
        });
        return out;
    }

    bool Claim(std::int64_t id, core::UtcMs now, core::UtcMs until) override {
        std::int64_t changed = 0;
        m_runner->InTransaction([&](SqlSession& s) {
            changed = s.Exec(
                "UPDATE outbox SET next_at = ?3 WHERE id = ?1 AND delivered_at IS NULL AND "
                "gave_up = 0 AND next_at <= ?2",
                {id, now, until});
        });
        return changed == 1;
    }

    void MarkDelivered(std::int64_t id, core::UtcMs now) override {
        m_runner->InTransaction([&](SqlSession& s) {
            s.Exec("UPDATE outbox SET delivered_at = ?2, last_error = NULL WHERE id = ?1",
                   {id, now});
        });
    }

    void MarkFailed(std::int64_t id, core::UtcMs nextAt, const std::string& error,
                    bool giveUp) override {
        m_runner->InTransaction([&](SqlSession& s) {
            s.Exec(
                "UPDATE outbox SET attempts = attempts + 1, next_at = ?2, last_error = ?3, "
                "gave_up = ?4 WHERE id = ?1",
                {id, nextAt, error.substr(0, 500), giveUp ? 1 : 0});
        });
    }

    std::vector<DeliveryState> Deliveries(const std::string& eventKey) override {
        std::vector<DeliveryState> out;
        m_runner->Read([&](SqlSession& s) {
            out.clear();
            for (const auto& row :
                 s.Query("SELECT destination, attempts, delivered_at, gave_up FROM outbox WHERE "
                         "event_key = ?1 ORDER BY destination",
                         {eventKey})) {
                out.push_back(DeliveryState{row[0].value_or(""), static_cast<int>(Num(row[1])),
                                            row[2].has_value(), Num(row[3]) != 0});
            }
        });
        return out;
    }

    void AddWebhook(const WebhookRecord& w, core::UtcMs now) override {
        m_runner->InTransaction([&](SqlSession& s) {
            s.Exec(
                "INSERT INTO webhooks (id, store_id, url, secret, created_at) VALUES (?1, ?2, ?3, "
                "?4, ?5)",
                {w.id, w.storeId, w.url, w.secret, now});
        });
    }

    std::optional<WebhookRecord> FindWebhook(const std::string& id) override {
        std::optional<WebhookRecord> out;
        m_runner->Read([&](SqlSession& s) {
            auto rows = s.Query(
                "SELECT id, store_id, url, secret FROM webhooks WHERE id = ?1 AND revoked_at IS "
                "NULL",
                {id});
            if (!rows.empty()) {
                out = WebhookRecord{rows[0][0].value_or(""), rows[0][1], rows[0][2].value_or(""),
                                    rows[0][3].value_or("")};
            }
        });
        return out;
    }

  private:
    static std::optional<protocol::CallRecord> FindIn(SqlSession& s, const std::string& id) {
        auto rows = s.Query(
            std::string("SELECT ") + kCallColumns + " FROM calls WHERE response_id = ?1", {id});
        if (rows.empty())
            return std::nullopt;
        return ReadCall(rows[0]);
    }

    static int EnqueueIn(SqlSession& s, const EventSpec& event, core::UtcMs now) {
        std::int64_t added = s.Exec(
            "INSERT INTO outbox (event_key, destination, body, created_at, next_at) "
            "SELECT CAST(?1 AS TEXT), 'webhook:' || id, CAST(?2 AS TEXT), CAST(?3 AS BIGINT), "
            "CAST(?3 AS BIGINT) FROM webhooks WHERE revoked_at IS NULL AND (store_id IS NULL OR "
            "store_id = ?4) ON CONFLICT (event_key, destination) DO NOTHING",
            {event.key, event.body, now, event.storeId});
        if (event.email) {
            added += s.Exec(
                "INSERT INTO outbox (event_key, destination, body, created_at, next_at) VALUES "
                "(?1, 'email', ?2, ?3, ?3) ON CONFLICT (event_key, destination) DO NOTHING",
                {event.key, event.body, now});
        }
        return static_cast<int>(added);
    }

    std::unique_ptr<SqlRunner> m_runner;
};

std::string EventBody(std::string_view kind, const protocol::CallRecord& record) {
    return "{\"event\":\"" + std::string(kind) +
           "\",\"call\":" + protocol::EncodeCallRecord(record) + "}";
}

}  // namespace

EventSpec CallEvent(const protocol::CallRecord& record, bool email) {
    return EventSpec{"call:" + record.call.responseId.ToString(), record.storeId,
                     EventBody("call", record), email};
}

EventSpec EscalationEvent(const protocol::CallRecord& record, bool email) {
    return EventSpec{"escalation:" + record.call.responseId.ToString(), record.storeId,
                     EventBody("escalation", record), email};
}

EventSpec AlertEvent(const std::string& storeId, const std::string& kioskId,
                     const std::string& alert, core::UtcMs at, bool email) {
    nlohmann::ordered_json j;
    j["event"] = "alert";
    j["store_id"] = storeId;
    j["kiosk_id"] = kioskId;
    j["alert"] = alert;
    j["at"] = core::FormatRfc3339Ms(at);
    return EventSpec{"alert:" + kioskId + ":" + std::to_string(at), storeId,
                     j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace),
                     email};
}

std::unique_ptr<CallStore> MakeSqlCallStore(std::unique_ptr<SqlRunner> runner) {
    return std::make_unique<SqlCallStore>(std::move(runner));
}

std::string CallsMigration(bool postgres) {
    const std::string big = postgres ? "BIGINT" : "INTEGER";
    const std::string serial =
        postgres ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY";
    return "CREATE TABLE calls (\n"
           "  response_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, store_id TEXT NOT NULL,\n"
           "  asked_at " +
           big +
           " NOT NULL, tz_offset_min INTEGER NOT NULL, scale INTEGER NOT NULL,\n"
           "  rating INTEGER NOT NULL, rep_id TEXT, reason TEXT, language TEXT NOT NULL,\n"
           "  late INTEGER NOT NULL, misuse TEXT, received_at " +
           big +
           " NOT NULL, folded_into TEXT,\n"
           "  repeats INTEGER NOT NULL DEFAULT 0, acked_at " +
           big + ", acked_by TEXT, closed_at " + big +
           ",\n"
           "  closed_by TEXT, outcome TEXT, note TEXT, escalated_at " +
           big +
           ");\n"
           "CREATE INDEX calls_store_time ON calls (store_id, received_at);\n"
           "CREATE INDEX calls_kiosk_time ON calls (kiosk_id, received_at);\n"
           "CREATE TABLE webhooks (\n"
           "  id TEXT PRIMARY KEY, store_id TEXT REFERENCES stores(id), url TEXT NOT NULL,\n"
           "  secret TEXT NOT NULL, created_at " +
           big + " NOT NULL, revoked_at " + big +
           ");\n"
           "CREATE TABLE outbox (\n"
           "  id " +
           serial +
           ", event_key TEXT NOT NULL, destination TEXT NOT NULL,\n"
           "  body TEXT NOT NULL, created_at " +
           big +
           " NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,\n"
           "  next_at " +
           big + " NOT NULL, delivered_at " + big +
           ", gave_up INTEGER NOT NULL DEFAULT 0, last_error TEXT,\n"
           "  UNIQUE (event_key, destination));\n"
           "CREATE INDEX outbox_due ON outbox (next_at) WHERE delivered_at IS NULL AND gave_up = "
           "0;\n";
}

std::string PgPlaceholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    bool quoted = false;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (c == '\'')
            quoted = !quoted;
        if (!quoted && c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            out += '$';
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace fk::server
