#pragma once
// The words of the kiosk's customer screens (Rate, reasons, thank-you) in one language, from the
// kiosk's own locale catalogs built into kiosk-server (FindLocaleAsset), for the survey editor's
// preview (GET /api/v1/survey/screens). English fills any key a locale lacks, as on the kiosk.
// The catalogs are parsed once, on first use; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace fk::server {

// {"language": "te", "strings": {"rate.question": "...", "rate.face4.1": "...",
// "reason.label.wait_time": "...", "thanks.title": "...", ...}} (keys under language., common.,
// rate., reason., thanks.); nullopt for a language the kiosk does not have.
std::optional<std::string> ScreenStringsJson(std::string_view language);

}  // namespace fk::server
