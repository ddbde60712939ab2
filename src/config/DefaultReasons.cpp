// The reasons a kiosk offers when its configuration lists none. Only staff_attitude is about the
// rep: queues, prices, stock and cleaning are the store's doing, and must not count against a
// person (issue 6). Their words are in the locale catalogs ([reason.label] in
// kiosk-config/locales/*.toml), the one place the kiosk's texts are translated.

#include "config/KioskConfig.h"

namespace fk::config {

std::vector<Reason> DefaultReasons() {
    std::vector<Reason> reasons = {
        {"wait_time", {}, false}, {"staff_attitude", {}, true}, {"product_availability", {}, false},
        {"price", {}, false},     {"cleanliness", {}, false},   {"other", {}, false},
    };
    for (Reason& reason : reasons)
        reason.pictogram = core::DefaultPictogramFor(reason.code);
    return reasons;
}

bool IsDefaultReasonCode(std::string_view code) {
    for (const Reason& reason : DefaultReasons()) {
        if (reason.code == code)
            return true;
    }
    return false;
}

}  // namespace fk::config
