#pragma once
// A leaver's data forgotten (issue 20 item 4): the one implementation behind
// `kiosk-server pseudonymise-rep` / `erase-rep` and the People page's button
// (POST /api/v1/stores/{store}/reps/{rep}/leave). Privacy::ReplaceRep rewrites every table in one
// transaction, then the database is compacted so no copy of the old id or name stays in its
// files. Thread-safe as the backend is; runs for as long as the compaction (VACUUM) takes.
// Failure: RepChangeError (the rep is unknown, or still active and not to be marked left) before
// anything changes; BackendError from the database.

#include <cstdint>
#include <optional>
#include <string>

#include "core/Clock.h"

namespace fk::server {

class Backend;

enum class LeaverAction { Pseudonymise, Erase };

struct LeaverOutcome {
    std::optional<std::string> newId;  // "former-<8 hex>"; nullopt when erased
    std::string newName;               // "Former rep <4 hex>"; empty when erased
    std::int64_t responsesChanged = 0;
};

// markLeft: the rep may still be active in the roster; they are marked left in the same
// transaction (the page's button). Without it an active rep is refused (the commands).
LeaverOutcome ForgetLeaver(Backend& backend, const std::string& storeId, const std::string& repId,
                           LeaverAction action, bool markLeft, core::UtcMs now);

}  // namespace fk::server
