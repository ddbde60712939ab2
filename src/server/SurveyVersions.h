#pragma once
// Survey definitions per store (and per kiosk where a kiosk differs), each stored version kept
// with who stored it and when (issue 17): storing one writes the next version number of the
// store and makes it the config GET /api/v1/kiosks/{id}/config serves; a roll back stores an
// earlier body again as a new version. Also what each kiosk reports it runs (heartbeat
// config_version). Written once over the shared SQL runner (CallStoreSql.h).
// Thread-safe when the runner is (the policy cache has its own lock); database failures throw
// BackendError; an unknown store or kiosk throws BackendError(NotFound).

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/Clock.h"
#include "core/RepStats.h"
#include "server/CallStoreSql.h"

namespace fk::server {

struct SurveyVersion {
    std::string storeId;
    std::string kioskId;  // empty: the store's definition
    std::int64_t version = 0;
    core::UtcMs createdAt = 0;
    std::string createdBy;  // user name, "token:<id>" or "cli"
    std::string note;       // "rollback to 3", empty otherwise
    std::string body;       // the stored JSON (with "version")
};

// The newest version that applies to one kiosk and what it reported running.
struct KioskSurveyState {
    std::optional<std::int64_t> running;
    std::optional<std::int64_t> latest;
    core::UtcMs latestAt = 0;
};

class SurveyVersions {
  public:
    static constexpr std::int64_t kBehindAfterMs = 3600'000;  // "not picked up within an hour"

    explicit SurveyVersions(std::unique_ptr<SqlRunner> runner);
    // Stores definition (JSON already validated) as the store's next version and serves it:
    // returns the stored version with its body ("version" set; "reasons" written out, the
    // built-in list when the definition gives none, as they are the per-rep policy).
    SurveyVersion Store(const std::string& storeId, const std::string& kioskId,
                        const std::string& definition, const std::string& by,
                        const std::string& note, core::UtcMs now);
    // Newest first; kioskId nullopt: the store's and every kiosk override's.
    std::vector<SurveyVersion> List(const std::string& storeId, int limit);
    std::optional<SurveyVersion> Find(const std::string& storeId, std::int64_t version);
    // The reason policy (which reasons are about the rep) of each of `versions` of the store that
    // exists; a version's policy never changes, so each is read and parsed once per process.
    std::map<std::int64_t, core::ReasonPolicy> Policies(const std::string& storeId,
                                                        const std::set<std::int64_t>& versions);
    // A heartbeat's config_version (written only when it changes).
    void ReportRunning(const std::string& kioskId, std::int64_t version, core::UtcMs now);
    // kiosk id -> state, for the kiosks given as (kiosk id, store id).
    std::map<std::string, KioskSurveyState> States(
        const std::vector<std::pair<std::string, std::string>>& kiosks);

  private:
    std::unique_ptr<SqlRunner> m_runner;
    std::mutex m_policiesMutex;  // guards m_policies
    std::map<std::pair<std::string, std::int64_t>, core::ReasonPolicy> m_policies;
};

// The built-in reasons as a definition's "reasons" ([{"id", "attributable_to_rep"}], labels from
// the locale catalogs): what a definition with no reasons gets when it is stored.
std::string BuiltInReasonsJson();

// Checks definition with the kiosk's own loader (config::ApplySurveyDefinition over the default
// kiosk config; name names it in the messages) and the wire decoder the kiosk syncs with.
// The problems as "name: /json/pointer: what is wrong, what is allowed"; empty when it is fine.
std::vector<std::string> CheckDefinition(const std::string& definition, const std::string& name);

// True when a kiosk should have run the latest version by now and does not.
bool SurveyBehind(const KioskSurveyState& state, core::UtcMs now);

// The schema step that adds survey_versions and kiosk_survey (the same text on both backends).
std::string SurveyVersionsMigration(bool postgres);
// The schema step that records the survey version of each response: responses.survey_version
// (NULL: none) and the per-rep and per-store roll-ups keyed by it too (0: none; the rows of
// before are copied with 0, so every earlier figure stays as it was).
std::string ResponseVersionsMigration(bool postgres);

}  // namespace fk::server
