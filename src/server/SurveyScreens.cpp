#include "server/SurveyScreens.h"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "i18n/Catalog.h"
#include "server/WebAssets.h"

namespace fk::server {

namespace {

constexpr std::string_view kScreenPrefixes[] = {"language.", "common.", "rate.", "reason.",
                                                "thanks."};

std::unique_ptr<i18n::Catalog> BuiltInCatalog() {
    std::vector<i18n::Locale> locales;
    std::vector<i18n::LocaleError> errors;
    for (const std::string& code : i18n::DefaultLanguages()) {
        auto asset = FindLocaleAsset("/" + code + ".toml");
        if (!asset)
            continue;
        if (auto locale = i18n::Catalog::ParseLocale(code, asset->body, errors))
            locales.push_back(std::move(*locale));
    }
    for (const auto& e : errors)
        spdlog::error("built-in locale catalog: {}", i18n::to_string(e));
    const bool english = std::any_of(locales.begin(), locales.end(),
                                     [](const i18n::Locale& l) { return l.code == "en"; });
    return english ? std::make_unique<i18n::Catalog>(std::move(locales)) : nullptr;
}

}  // namespace

std::optional<std::string> ScreenStringsJson(std::string_view language) {
    static const std::unique_ptr<i18n::Catalog> catalog = BuiltInCatalog();
    if (!catalog)
        return std::nullopt;
    const i18n::Locale* english = catalog->Find("en");
    const i18n::Locale* own = catalog->Find(language);
    if (!own || !english)
        return std::nullopt;
    nlohmann::json strings = nlohmann::json::object();
    for (const auto& [key, text] : english->strings) {
        const bool shown =
            std::any_of(std::begin(kScreenPrefixes), std::end(kScreenPrefixes),
                        [&](std::string_view prefix) { return key.starts_with(prefix); });
        if (!shown)
            continue;
        auto it = own->strings.find(key);
        strings[key] = it != own->strings.end() ? it->second : text;
    }
    return nlohmann::json{{"language", own->code}, {"strings", std::move(strings)}}.dump();
}

}  // namespace fk::server
