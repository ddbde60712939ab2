// libFuzzer target over the kiosk configuration loader (config::ParseKioskConfig, what
// LoadKioskConfig runs on the file's text). Any input must load or throw ConfigError with at
// least one problem, each naming the file and saying something; nothing else may escape. A config
// that loads must satisfy the documented invariants the rest of the kiosk relies on.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "FuzzCheck.h"
#include "config/KioskConfig.h"

namespace {

bool IsIdChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

void CheckInvariants(const fk::config::KioskConfig& config) {
    FK_FUZZ_CHECK(!config.kioskId.empty() &&
                      std::all_of(config.kioskId.begin(), config.kioskId.end(), IsIdChar),
                  config.kioskId);
    FK_FUZZ_CHECK(!config.storeId.empty() &&
                      std::all_of(config.storeId.begin(), config.storeId.end(), IsIdChar),
                  config.storeId);
    const int faces = config.survey.scale.Points();
    FK_FUZZ_CHECK(faces == 4 || faces == 5, std::to_string(faces));
    for (int rating : config.survey.askReasonFor)
        FK_FUZZ_CHECK(rating >= 1 && rating <= faces, std::to_string(rating));
    const auto& offered = config.languages.offered;
    FK_FUZZ_CHECK(std::find(offered.begin(), offered.end(), config.languages.defaultLanguage) !=
                      offered.end(),
                  config.languages.defaultLanguage);
    for (const auto& day : config.hours.week) {
        for (const auto& range : day) {
            FK_FUZZ_CHECK(
                range.openMin >= 0 && range.openMin < range.closeMin && range.closeMin <= 1440,
                std::to_string(range.openMin) + ".." + std::to_string(range.closeMin));
        }
    }
    for (const auto& rep : config.roster) {
        FK_FUZZ_CHECK(!rep.id.empty() && std::all_of(rep.id.begin(), rep.id.end(), IsIdChar),
                      rep.id);
        FK_FUZZ_CHECK(config.FindRep(rep.id) != nullptr, rep.id);
    }
    for (const auto& reason : config.reasons)
        FK_FUZZ_CHECK(config.FindReason(reason.code) != nullptr, reason.code);
    // The sync rule: plain http only to loopback unless explicitly insecure. The host is what
    // libcurl would connect to: after any userinfo ("user@"), before the port.
    const std::string_view url = config.sync.serverUrl;
    if (url.starts_with("http://") && !config.sync.insecureSkipTlsVerify) {
        std::string_view authority = url.substr(7);
        authority = authority.substr(0, authority.find_first_of("/?#"));
        std::string_view host = authority.substr(
            authority.rfind('@') == std::string_view::npos ? 0 : authority.rfind('@') + 1);
        host = host.substr(0, host.starts_with('[') ? host.find(']') + 1 : host.find(':'));
        FK_FUZZ_CHECK(host == "127.0.0.1" || host == "localhost" || host == "[::1]",
                      std::string(url));
        FK_FUZZ_CHECK(authority.find('@') == std::string_view::npos, std::string(url));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        CheckInvariants(fk::config::ParseKioskConfig(text, "fuzz/kiosk.toml"));
    } catch (const fk::config::ConfigError& error) {
        FK_FUZZ_CHECK(!error.Problems().empty(), "ConfigError without problems");
        for (const auto& problem : error.Problems()) {
            FK_FUZZ_CHECK(problem.file == "fuzz/kiosk.toml", problem.file);
            FK_FUZZ_CHECK(!problem.message.empty(), to_string(problem));
            FK_FUZZ_CHECK(problem.line >= 0, to_string(problem));
        }
    }
    return 0;
}
