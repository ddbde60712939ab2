#pragma once
// Locale catalog: the kiosk's customer-facing strings per language, read from
// kiosk-config/locales/<code>.toml (dotted keys -> strings). English is the fallback: a key
// missing in a locale gives the English string and is reported once per (language, key).
//
// Thread affinity: any thread; lookups and reports are guarded by a mutex.
// Ownership: the catalog owns its strings; views it returns stay valid while it lives.
// Failure: Load returns the errors it found as values ("file:line: key: message"); a catalog is
// produced whenever English loaded, with the locales that parsed. Lookups never fail: an
// unknown key returns the key itself (and is reported).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fk::i18n {

inline constexpr const char* kFallbackLanguage = "en";
// The kiosk's languages, in the order the language buttons show them.
const std::vector<std::string>& DefaultLanguages();

struct LocaleError {
    std::filesystem::path file;
    int line = 0;  // 0 when the error concerns the whole file
    std::string key;
    std::string message;
};
std::string to_string(const LocaleError& error);

struct MissingKey {
    std::string language;
    std::string key;
};

// Placeholder names in a string: "Locked for {seconds} s" -> {"seconds"}.
std::set<std::string> Placeholders(std::string_view text);

// Replaces {name} with the value for name; unknown placeholders stay as they are.
std::string FormatPlaceholders(std::string_view text,
                               const std::vector<std::pair<std::string, std::string>>& values);

struct Locale {
    std::string code;
    std::filesystem::path file;
    std::map<std::string, std::string, std::less<>> strings;
    std::map<std::string, int, std::less<>> lines;  // key -> line in file
};

class Catalog;

struct LoadResult {
    std::unique_ptr<Catalog> catalog;  // null when English itself could not be loaded
    std::vector<LocaleError> errors;
};

class Catalog {
  public:
    // Reads dir/<code>.toml for each code; "en" must be among the codes.
    static LoadResult Load(const std::filesystem::path& dir,
                           const std::vector<std::string>& codes = DefaultLanguages());
    // Parses one locale file (the code is the file's stem).
    static std::optional<Locale> LoadLocale(const std::filesystem::path& file,
                                            std::vector<LocaleError>& errors);
    // Parses one locale's text (a copy built into a program; errors name "<code>.toml").
    static std::optional<Locale> ParseLocale(const std::string& code, std::string_view text,
                                             std::vector<LocaleError>& errors);
    // Builds a catalog from locales already parsed; locales must contain "en".
    explicit Catalog(std::vector<Locale> locales);

    // The string for key in language, the English one when missing there (reported once), or
    // the key itself when English lacks it too (reported once).
    std::string_view Get(std::string_view language, std::string_view key) const;
    std::string Format(std::string_view language, std::string_view key,
                       const std::vector<std::pair<std::string, std::string>>& values) const;
    bool Has(std::string_view language, std::string_view key) const;
    // The language's own name ("हिन्दी"), for the language buttons.
    std::string_view LanguageName(std::string_view language) const;
    std::vector<std::string> Languages() const;
    const Locale* Find(std::string_view language) const;

    // Every locale against English: keys English has and the locale lacks, keys the locale has
    // that English does not, and placeholders that differ. Empty when the catalog is complete.
    std::vector<LocaleError> Check() const;

    // Fallbacks so far, each (language, key) once, in the order they happened.
    std::vector<MissingKey> Missing() const;
    // Called once per new (language, key) fallback, under the catalog's lock (keep it short).
    void OnMissing(std::function<void(const MissingKey&)> callback);

  private:
    void Report(std::string_view language, std::string_view key) const;

    std::vector<Locale> m_locales;
    const Locale* m_english = nullptr;
    mutable std::mutex m_mutex;
    mutable std::set<std::pair<std::string, std::string>> m_reported;
    mutable std::vector<MissingKey> m_missing;
    std::function<void(const MissingKey&)> m_onMissing;
};

}  // namespace fk::i18n
