#pragma once
// Who may call which endpoint: the one rule table (Access.cpp) the server consults for every
// route, keyed by the route's label (HttpServer's route table) and the caller. A route missing
// from the table is refused to everyone but is a bug: the access test walks the server's own
// route list and fails on it. Stateless and thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fk::server {

// Roles of people (user accounts). Tokens are not people: kiosks and scripts keep their own
// kinds (Caller below).
enum class Role { Admin, HeadOffice, StoreManager, Coach };
std::string to_string(Role role);
std::optional<Role> RoleFromString(std::string_view text);
// store_manager and coach see only the stores listed for them; admin and head_office see all.
bool RoleIsStoreScoped(Role role);
inline constexpr std::string_view kRoleNames = "admin, head_office, store_manager, coach";

enum class CallerKind { Anonymous, KioskToken, ManagerToken, User };

struct Caller {
    CallerKind kind = CallerKind::Anonymous;
    Role role = Role::Coach;  // User only
};

enum class Decision {
    Public,  // no credentials needed (the page, health, login, the one-time link)
    Allow,   // this caller may; the handler still applies its store scope
    Deny,    // 403
    Unknown  // no rule for the route: refused (and the access test fails)
};

// exportRequest: the request asks for a download (a .csv), which some roles may not take.
Decision Decide(std::string_view routeLabel, const Caller& caller, bool exportRequest);

// One row of the table as text, for docs and tests: route label and who may.
struct AccessRule {
    std::string_view label;
    bool isPublic = false;
    bool kiosk = false, manager = false;  // tokens
    bool admin = false, headOffice = false, storeManager = false, coach = false;
    bool exportDenied[4] = {false, false, false, false};  // by Role: no CSV for that role
};
const std::vector<AccessRule>& AccessRules();

}  // namespace fk::server
