#pragma once
// The head-office web page's files (web/ in the repository), embedded into kiosk-server at build
// time by src/server/CMakeLists.txt (WebAssets.cpp is generated). Nothing is fetched at run time.
// Immutable data; thread-safe.

#include <optional>
#include <string_view>

namespace fk::server {

struct WebAsset {
    std::string_view path;  // "/index.html"
    std::string_view contentType;
    std::string_view body;
};

// The file served at path, or nullopt.
std::optional<WebAsset> FindWebAsset(std::string_view path);

// The kiosk's locale catalogs (kiosk-config/locales/<code>.toml, path "/<code>.toml"), embedded the
// same way (LocaleAssets.cpp): the survey editor's preview shows the customer screens in the
// kiosk's own words. Never served as files.
std::optional<WebAsset> FindLocaleAsset(std::string_view path);

}  // namespace fk::server
