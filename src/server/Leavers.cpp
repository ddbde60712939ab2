#include "server/Leavers.h"

#include <nlohmann/json.hpp>

#include "core/Uuid.h"
#include "server/Backend.h"
#include "server/Privacy.h"

namespace fk::server {

LeaverOutcome ForgetLeaver(Backend& backend, const std::string& storeId, const std::string& repId,
                           LeaverAction action, bool markLeft, core::UtcMs now) {
    LeaverOutcome outcome;
    if (action == LeaverAction::Pseudonymise) {
        unsigned char raw[4];
        core::FillRandom(raw, sizeof raw);
        static const char* hex = "0123456789abcdef";
        std::string tag;
        for (unsigned char b : raw) {
            tag += hex[b >> 4];
            tag += hex[b & 15];
        }
        outcome.newId = "former-" + tag;
        outcome.newName = "Former rep " + tag.substr(0, 4);
    }
    Privacy::RosterRewrite rewrite = LeaverRoster(repId, outcome.newId, outcome.newName);
    if (markLeft) {
        // The button marks them as left in the same transaction: the renamed entry is shown no
        // more (erasing removes it anyway).
        rewrite = [inner = std::move(rewrite), newId = outcome.newId](
                      const std::string& body, bool& active) -> std::optional<std::string> {
            auto changed = inner(body, active);
            active = false;
            if (!changed || !newId)
                return changed;
            nlohmann::json config = nlohmann::json::parse(*changed, nullptr, false);
            if (!config.is_object() || !config.contains("roster") || !config["roster"].is_array())
                return changed;
            for (auto& entry : config["roster"])
                if (entry.is_object() && entry.value("id", "") == *newId)
                    entry["active"] = false;
            return config.dump();
        };
    }
    outcome.responsesChanged =
        backend.PersonalData().ReplaceRep(storeId, repId, outcome.newId, rewrite, now);
    backend.Compact();
    return outcome;
}

}  // namespace fk::server
