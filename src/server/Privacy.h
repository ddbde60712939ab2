#pragma once
// Per-rep data kept no longer than needed (issue 20 item 4): the raw responses of days older than
// the chain's retention age are deleted while their roll-ups stay, so a report over an old period
// reads the same figures. Written once over SqlRunner (server/CallStoreSql.h) for both backends.
// Thread-safe as the runner is: each call is one transaction (SQLite: the writer alone).
// Database failures throw BackendError(Database).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/CallStats.h"
#include "core/Clock.h"
#include "server/CallStoreSql.h"

namespace fk::server {

// A leaver's change refused (the message says why, in words for the operator).
class RepChangeError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// What one retention pass deleted.
struct Purged {
    std::int64_t responses = 0;
    std::int64_t calls = 0;     // help calls (their report facts kept in call_facts)
    std::int64_t rejected = 0;  // rejected items (rejections other than "lost" notes)
    std::int64_t outbox = 0;    // delivered or abandoned notifications
};

// A help call deleted by retention, as the calls report needs it (no customer answer, kiosk,
// note or staff name). day: the call's local day (asked_at + its tz offset), as the report's.
struct CallFactRow {
    std::string storeId;
    std::int64_t day = 0;
    std::optional<std::string> repId;
    core::CallFact fact;
};

class Privacy {
  public:
    Privacy(std::unique_ptr<SqlRunner> runner, bool postgres);

    // Deletes the raw responses of local days before beforeDay (days since 1970-01-01 of
    // created_at + tz_offset_min, as the roll-ups count them) and moves the retention mark up to
    // it (never down). Their roll-ups stay (core/Rollups.h: a rebuild keeps them), and so do
    // their keys: a late resend is answered duplicate, never counted again. In the same
    // transaction: the help calls of those days (each call's report facts move to call_facts, so
    // the calls report reads the same), rejected items received a day before the first kept day
    // or earlier, and the delivered or abandoned notifications (outbox) created by then.
    Purged PurgeBefore(std::int64_t beforeDay);
    // The facts of deleted calls of one store (or every store) whose day is in [fromDay, toDay]
    // and that were received in [fromMs, toMs), as the calls report selects live calls.
    std::vector<CallFactRow> CallFacts(const std::optional<std::string>& storeId,
                                       std::int64_t fromDay, std::int64_t toDay, core::UtcMs fromMs,
                                       core::UtcMs toMs);
    // The retention mark: no raw response of a local day before it is kept. nullopt: never purged.
    std::optional<std::int64_t> Mark();

    // A leaver's data (issue 20 item 4). Replaces rep fromId of the store by toId (pseudonymise)
    // or by no rep (toId nullopt: erase) everywhere in the database: responses, help calls,
    // rejected items, the roll-ups (merged into any row already under the new key, so every
    // total stays) and the store's configs, whose roster entry rewriteRoster changes (it gets a
    // config body and returns the new one, or nullopt when the body does not name the rep).
    // Throws RepChangeError before changing anything when the rep is in no config of the store or
    // is still active there, or when toId is already used in the store. Returns responses changed.
    using RosterRewrite =
        std::function<std::optional<std::string>(const std::string& body, bool& stillActive)>;
    std::int64_t ReplaceRep(const std::string& storeId, const std::string& fromId,
                            const std::optional<std::string>& toId, const RosterRewrite& rewrite,
                            core::UtcMs now);

  private:
    std::unique_ptr<SqlRunner> m_runner;
    bool m_postgres;
};

// The roster rewrite of a leaver for ReplaceRep: their entry gets toId and toName, or (toId
// nullopt) is removed; the rest of the config is kept. markLeft: an active entry is marked left
// (active = false) in the same rewrite instead of being refused.
Privacy::RosterRewrite LeaverRoster(const std::string& fromId,
                                    const std::optional<std::string>& toId,
                                    const std::string& toName, bool markLeft = false);

// The first local day whose raw responses are kept at now, keeping keepDays days.
std::int64_t RetentionBeforeDay(core::UtcMs now, std::int64_t keepDays);
// PurgeBefore(RetentionBeforeDay(now, keepDays)) of this privacy store.
Purged ApplyRetention(Privacy& privacy, core::UtcMs now, std::int64_t keepDays);

// The retention schema step (issue 20, branch privacy20): the mark, and on SQLite the keys of
// deleted rows (PostgreSQL keeps them in response_keys already).
std::string PrivacyMigration(bool postgres);
// The facts of help calls deleted by retention (issue 20, branch privacy20b; SQLite step 12,
// PostgreSQL step 13, provisional numbers).
std::string CallFactsMigration(bool postgres);

}  // namespace fk::server
