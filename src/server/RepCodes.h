#pragma once
// Reps' personal staff codes in a stored survey definition (issue 18 item 2): each roster entry
// may carry "code_hash", the argon2id hash of the rep's code (config/PinHash.h), which kiosks
// need to check a sign-in at the till. Only kiosks get it: the survey view for people shows
// "has_code": true instead, and a definition saved from there keeps the codes already stored.
// `kiosk-server set-rep-code` sets or clears one. Neither the code nor its hash is ever logged.
// Pure functions over JSON text; thread-safe. Failure: ParseError-free JSON is assumed for the
// stored body (the server wrote it); a malformed input is returned unchanged.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace fk::server {

// The definition as people see it: every "code_hash" replaced by "has_code": true.
nlohmann::json HideRepCodes(nlohmann::json definition);

// A definition sent by a person (incoming) with the codes of stored kept: "has_code" dropped, and
// an entry without "code_hash" takes the stored entry's of the same rep id. A "code_hash" given in
// incoming wins (an administrator's tool may set one). Returns incoming unchanged when it is not
// a JSON object.
std::string KeepRepCodes(const std::string& incoming, const std::optional<std::string>& stored);

// Sets (hash) or clears (nullopt) the code of rep repId in definition. nullopt when the roster
// has no such rep (or the definition is not an object with a roster).
std::optional<std::string> SetRepCode(const std::string& definition, const std::string& repId,
                                      const std::optional<std::string>& hash);

}  // namespace fk::server
