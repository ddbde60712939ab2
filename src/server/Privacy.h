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

#include "core/Clock.h"
#include "server/CallStoreSql.h"

namespace fk::server {

// A leaver's change refused (the message says why, in words for the operator).
class RepChangeError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Privacy {
  public:
    Privacy(std::unique_ptr<SqlRunner> runner, bool postgres);

    // Deletes the raw responses of local days before beforeDay (days since 1970-01-01 of
    // created_at + tz_offset_min, as the roll-ups count them) and moves the retention mark up to
    // it (never down). Their roll-ups stay (core/Rollups.h: a rebuild keeps them), and so do
    // their keys: a late resend is answered duplicate, never counted again. Returns rows deleted.
    std::int64_t PurgeBefore(std::int64_t beforeDay);
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
// nullopt) is removed; the rest of the config is kept.
Privacy::RosterRewrite LeaverRoster(const std::string& fromId,
                                    const std::optional<std::string>& toId,
                                    const std::string& toName);

// The first local day whose raw responses are kept at now, keeping keepDays days.
std::int64_t RetentionBeforeDay(core::UtcMs now, std::int64_t keepDays);
// PurgeBefore(RetentionBeforeDay(now, keepDays)) of this privacy store; rows deleted.
std::int64_t ApplyRetention(Privacy& privacy, core::UtcMs now, std::int64_t keepDays);

// The retention schema step (issue 20, branch privacy20): the mark, and on SQLite the keys of
// deleted rows (PostgreSQL keeps them in response_keys already).
std::string PrivacyMigration(bool postgres);

}  // namespace fk::server
