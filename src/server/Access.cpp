#include "server/Access.h"

namespace fk::server {

namespace {

// The rule table. Columns: label, public, kiosk token, manager token, admin, head_office,
// store_manager, coach, and per role whether a download (CSV) is refused. A new route needs a row
// here before anyone can call it.
// clang-format off
const std::vector<AccessRule> kRules = {
    // label            public kiosk  manager admin  head   smgr   coach  no-export by role
    {"batches",         false, true,  false,  false, false, false, false, {}},
    {"config",          false, true,  false,  false, false, false, false, {}},
    {"heartbeat",       false, true,  false,  false, false, false, false, {}},
    {"calls",           false, true,  false,  false, false, false, false, {}},
    {"status",          false, true,  true,   true,  true,  true,  true,  {}},
    {"reports",         false, false, true,   true,  true,  true,  true,  {false, false, false, true}},
    {"calls_list",      false, true,  true,   true,  true,  true,  false, {}},
    {"calls_stream",    false, true,  true,   true,  true,  true,  false, {}},
    {"calls_action",    false, true,  true,   true,  false, true,  false, {}},
    {"session",         true,  false, false,  false, false, false, false, {}},
    {"password_link",   true,  false, false,  false, false, false, false, {}},
    {"password_change", false, false, false,  true,  true,  true,  true,  {}},
    {"users",           false, false, false,  true,  false, false, false, {}},
    {"users_action",    false, false, false,  true,  false, false, false, {}},
    {"access_log",      false, false, false,  true,  false, false, false, {}},
    {"survey",          false, false, true,   true,  true,  true,  false, {}},
    {"survey_edit",     false, false, false,  true,  true,  false, false, {}},
    {"survey_roster",   false, false, false,  true,  true,  true,  false, {}},
    {"web",             true,  false, false,  false, false, false, false, {}},
    {"notice",          true,  false, false,  false, false, false, false, {}},
    {"healthz",         true,  false, false,  false, false, false, false, {}},
    {"metrics",         true,  false, false,  false, false, false, false, {}},
};
// clang-format on

int Index(Role role) {
    return static_cast<int>(role);
}

}  // namespace

std::string to_string(Role role) {
    switch (role) {
        case Role::Admin:
            return "admin";
        case Role::HeadOffice:
            return "head_office";
        case Role::StoreManager:
            return "store_manager";
        case Role::Coach:
            return "coach";
    }
    return "coach";
}

std::optional<Role> RoleFromString(std::string_view text) {
    for (Role r : {Role::Admin, Role::HeadOffice, Role::StoreManager, Role::Coach}) {
        if (to_string(r) == text)
            return r;
    }
    return std::nullopt;
}

bool RoleIsStoreScoped(Role role) {
    return role == Role::StoreManager || role == Role::Coach;
}

const std::vector<AccessRule>& AccessRules() {
    return kRules;
}

Decision Decide(std::string_view routeLabel, const Caller& caller, bool exportRequest) {
    for (const auto& rule : kRules) {
        if (rule.label != routeLabel)
            continue;
        if (rule.isPublic)
            return Decision::Public;
        bool allowed = false;
        switch (caller.kind) {
            case CallerKind::Anonymous:
                allowed = false;
                break;
            case CallerKind::KioskToken:
                allowed = rule.kiosk;
                break;
            case CallerKind::ManagerToken:
                allowed = rule.manager;
                break;
            case CallerKind::User:
                switch (caller.role) {
                    case Role::Admin:
                        allowed = rule.admin;
                        break;
                    case Role::HeadOffice:
                        allowed = rule.headOffice;
                        break;
                    case Role::StoreManager:
                        allowed = rule.storeManager;
                        break;
                    case Role::Coach:
                        allowed = rule.coach;
                        break;
                }
                if (allowed && exportRequest && rule.exportDenied[Index(caller.role)])
                    allowed = false;
                break;
        }
        return allowed ? Decision::Allow : Decision::Deny;
    }
    return Decision::Unknown;
}

}  // namespace fk::server
