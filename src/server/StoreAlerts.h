#pragma once
// Store-level alerts (issue 18 item 4): the alert rule (core/Alerts.h) over every till of a store,
// evaluated by the server after each batch that brought a response inside the rule's window.
// The database decides who announces: at most one open alert per store (a unique index on
// store_alerts for rows not yet cleared), so several servers behind a load balancer on one
// PostgreSQL database raise it once; the one whose insert counted announces it. An open alert
// stays current while evaluations keep finding it raised (checked_at, refreshed at most every
// RefreshInterval so a store in alert does not cost a write per batch); an evaluation that finds
// the rule no longer met clears it, and one not re-checked within the window has lapsed.
// The rule counts from store_alert_minutes, per store/minute/scale/rating counts of responses
// without misuse that the ingest transaction keeps (both backends; raw responses have no store
// and time index on PostgreSQL, and counting raw rows would grow with the store's traffic): the
// window is counted in whole minutes, (floor((now - window) / 1 min), floor(now / 1 min)], so up
// to its oldest minute is left out. Minutes older than a day (the longest window) are purged.
// Written once over the shared SQL runner (CallStoreSql.h); thread-safe when the runner is;
// database failures throw BackendError.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Alerts.h"
#include "core/Clock.h"
#include "server/CallStoreSql.h"

namespace fk::server {

struct StoreAlertRecord {
    std::string storeId;
    core::UtcMs raisedAt = 0;   // server time of the evaluation that raised it
    core::UtcMs checkedAt = 0;  // the last evaluation that found it still raised
    std::int64_t negative = 0;  // counts of that last evaluation, over every till
    std::int64_t responses = 0;
    std::int64_t windowMs = 0;
    // "store_alert:<store>:<raisedAt>": the outbox event key, one per alert.
    std::string EventKey() const;
};

class StoreAlerts {
  public:
    explicit StoreAlerts(std::unique_ptr<SqlRunner> runner);

    struct Outcome {
        core::AlertState state;                 // the rule over the store's tills now
        std::optional<StoreAlertRecord> alert;  // the store's open alert after this evaluation
        bool raisedHere = false;  // this call's insert raised it: announce it (once per alert)
    };
    // Counts the store's responses created in (now - window, now] (misuse left out), then, in
    // one transaction, raises (insert unless one is open and current), refreshes, or clears. An
    // open alert checked less than RefreshInterval ago is returned as it is, without a write.
    Outcome Evaluate(const std::string& storeId, const core::AlertRule& rule, core::UtcMs now);
    // How stale an open alert's counts may get: a quarter of the window, at most 10 s.
    static constexpr std::int64_t kMaxRefreshMs = 10'000;
    static std::int64_t RefreshInterval(const core::AlertRule& rule);
    // The open alerts re-checked within their window as of now: one store, or all (nullopt).
    std::vector<StoreAlertRecord> Current(const std::optional<std::string>& storeId,
                                          core::UtcMs now);
    // Deletes the minute counts older than the longest window (a day) before now; returns how
    // many rows went.
    std::int64_t PurgeMinutes(core::UtcMs now);
    // Every alert of a store raised in [fromMs, toMs), newest first (tests, inspection).
    std::vector<StoreAlertRecord> History(const std::string& storeId, core::UtcMs fromMs,
                                          core::UtcMs toMs);

  private:
    std::unique_ptr<SqlRunner> m_runner;
};

// The schema step that adds store_alerts (the same text on both backends; issue 18, store18).
std::string StoreAlertsMigration(bool postgres);

// The schema step that adds store_alert_minutes, filled from the last day's responses.
std::string StoreAlertMinutesMigration(bool postgres);

// Counts ingest keeps: responses without misuse, created after now - kAlertMinutesKeptMs (older
// rows cannot fall in any window), by (minute, scale, rating). SQLite's ingest adds them in C++;
// PostgreSQL's in the insert statement (PgRollups.h), with the same minute (created_at / 60000).
inline constexpr std::int64_t kAlertMinutesKeptMs = 24 * 60 * 60 * 1000 + 60'000;
struct AlertMinuteKey {
    std::int64_t minute = 0;
    int scale = 4;
    int rating = 1;
    auto operator<=>(const AlertMinuteKey&) const = default;
};

// The outbox body of a store alert: {"event": "store_alert", "store_id", "raised_at",
// "negative", "responses", "window_min"}.
EventSpec StoreAlertEvent(const StoreAlertRecord& alert, bool email);

}  // namespace fk::server
