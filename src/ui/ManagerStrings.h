#pragma once
// The manager screens' words: manager.* keys of the locale files (kiosk-config/locales/*.toml)
// with built-in English. The app copies the keys it finds for the kiosk's language into
// ManagerView::strings; any key missing there is drawn in English. Pure; thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fk::ui {

struct ManagerStringDefault {
    std::string_view key;      // "manager.tab.reps"
    std::string_view english;  // may hold {placeholders}
};
// Every key the manager screens draw, with its English text.
const std::vector<ManagerStringDefault>& ManagerStringDefaults();

using ManagerStringMap = std::map<std::string, std::string, std::less<>>;

// strings[key] if present, else the built-in English, else the key; {name} placeholders are
// replaced with the given values.
std::string ManagerText(const ManagerStringMap& strings, std::string_view key,
                        const std::vector<std::pair<std::string_view, std::string>>& values = {});

// "45 s", "12 min", "3 h", "2 d": a short age for staff, in the strings' language
// (manager.age.*).
std::string FormatAge(const ManagerStringMap& strings, std::int64_t seconds);

}  // namespace fk::ui
