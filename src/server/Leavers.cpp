#include "server/Leavers.h"

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
    outcome.responsesChanged = backend.PersonalData().ReplaceRep(
        storeId, repId, outcome.newId,
        LeaverRoster(repId, outcome.newId, outcome.newName, markLeft), now);
    backend.Compact();
    return outcome;
}

}  // namespace fk::server
