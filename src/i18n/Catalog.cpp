#include "i18n/Catalog.h"

#include <toml++/toml.h>

#include <algorithm>
#include <sstream>

namespace fk::i18n {

namespace {

std::string TypeName(const toml::node& node) {
    std::ostringstream out;
    out << node.type();
    return out.str();
}

void Flatten(const toml::table& table, const std::string& prefix, Locale& locale,
             std::vector<LocaleError>& errors) {
    for (const auto& [key, node] : table) {
        const std::string path =
            prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        const int line = static_cast<int>(node.source().begin.line);
        if (const toml::table* child = node.as_table()) {
            Flatten(*child, path, locale, errors);
        } else if (const auto* text = node.as_string()) {
            locale.strings[path] = text->get();
            locale.lines[path] = line;
        } else {
            errors.push_back({locale.file, line, path,
                              "expected a string in double quotes, found " + TypeName(node)});
        }
    }
}

// The strings of a parsed locale file; every locale must name its language.
std::optional<Locale> FromTable(Locale locale, const toml::table& table,
                                std::vector<LocaleError>& errors) {
    const std::filesystem::path file = locale.file;
    const std::size_t before = errors.size();
    Flatten(table, "", locale, errors);
    if (!locale.strings.count("language.name") && errors.size() == before) {
        errors.push_back({file, 0, "language.name",
                          "missing: every locale names its language in its own script"});
    }
    return locale;
}

}  // namespace

const std::vector<std::string>& DefaultLanguages() {
    static const std::vector<std::string> languages{"en", "hi", "ne", "te", "da"};
    return languages;
}

std::string to_string(const LocaleError& error) {
    std::string text = error.file.string();
    if (error.line > 0)
        text += ":" + std::to_string(error.line);
    text += ": ";
    if (!error.key.empty())
        text += error.key + ": ";
    return text + error.message;
}

std::set<std::string> Placeholders(std::string_view text) {
    std::set<std::string> names;
    std::size_t pos = 0;
    while ((pos = text.find('{', pos)) != std::string_view::npos) {
        const std::size_t close = text.find('}', pos + 1);
        if (close == std::string_view::npos)
            break;
        names.emplace(text.substr(pos + 1, close - pos - 1));
        pos = close + 1;
    }
    return names;
}

std::string FormatPlaceholders(std::string_view text,
                               const std::vector<std::pair<std::string, std::string>>& values) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find('{', pos);
        if (open == std::string_view::npos)
            break;
        const std::size_t close = text.find('}', open + 1);
        if (close == std::string_view::npos)
            break;
        out.append(text.substr(pos, open - pos));
        const std::string_view name = text.substr(open + 1, close - open - 1);
        auto it = std::find_if(values.begin(), values.end(),
                               [&](const auto& value) { return value.first == name; });
        if (it != values.end()) {
            out += it->second;
        } else {
            out.append(text.substr(open, close - open + 1));
        }
        pos = close + 1;
    }
    out.append(text.substr(std::min(pos, text.size())));
    return out;
}

std::optional<Locale> Catalog::LoadLocale(const std::filesystem::path& file,
                                          std::vector<LocaleError>& errors) {
    Locale locale;
    locale.code = file.stem().string();
    locale.file = file;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        errors.push_back({file, 0, "", "no such locale file (copy en.toml and translate it)"});
        return std::nullopt;
    }
    toml::table table;
    try {
        table = toml::parse_file(file.string());
    } catch (const toml::parse_error& error) {
        errors.push_back({file, static_cast<int>(error.source().begin.line), "",
                          "not valid TOML: " + std::string(error.description())});
        return std::nullopt;
    }
    return FromTable(std::move(locale), table, errors);
}

std::optional<Locale> Catalog::ParseLocale(const std::string& code, std::string_view text,
                                           std::vector<LocaleError>& errors) {
    Locale locale;
    locale.code = code;
    locale.file = code + ".toml";
    toml::table table;
    try {
        table = toml::parse(text, locale.file.string());
    } catch (const toml::parse_error& error) {
        errors.push_back({locale.file, static_cast<int>(error.source().begin.line), "",
                          "not valid TOML: " + std::string(error.description())});
        return std::nullopt;
    }
    return FromTable(std::move(locale), table, errors);
}

LoadResult Catalog::Load(const std::filesystem::path& dir, const std::vector<std::string>& codes) {
    LoadResult result;
    std::vector<Locale> locales;
    for (const std::string& code : codes) {
        if (auto locale = LoadLocale(dir / (code + ".toml"), result.errors)) {
            locales.push_back(std::move(*locale));
        }
    }
    const bool haveEnglish = std::any_of(locales.begin(), locales.end(), [](const Locale& l) {
        return l.code == kFallbackLanguage;
    });
    if (!haveEnglish) {
        result.errors.push_back(
            {dir / "en.toml", 0, "", "English is the fallback locale and must load"});
        return result;
    }
    result.catalog = std::make_unique<Catalog>(std::move(locales));
    return result;
}

Catalog::Catalog(std::vector<Locale> locales) : m_locales(std::move(locales)) {
    m_english = Find(kFallbackLanguage);
    if (!m_english)
        throw std::invalid_argument("a locale catalog needs the English locale");
}

const Locale* Catalog::Find(std::string_view language) const {
    for (const Locale& locale : m_locales) {
        if (locale.code == language)
            return &locale;
    }
    return nullptr;
}

bool Catalog::Has(std::string_view language, std::string_view key) const {
    const Locale* locale = Find(language);
    return locale && locale->strings.find(key) != locale->strings.end();
}

void Catalog::Report(std::string_view language, std::string_view key) const {
    std::lock_guard lock(m_mutex);
    if (!m_reported.emplace(std::string(language), std::string(key)).second)
        return;
    m_missing.push_back({std::string(language), std::string(key)});
    if (m_onMissing)
        m_onMissing(m_missing.back());
}

std::string_view Catalog::Get(std::string_view language, std::string_view key) const {
    if (const Locale* locale = Find(language)) {
        if (auto it = locale->strings.find(key); it != locale->strings.end())
            return it->second;
    }
    Report(language, key);
    if (auto it = m_english->strings.find(key); it != m_english->strings.end())
        return it->second;
    if (language != kFallbackLanguage)
        Report(kFallbackLanguage, key);
    return key;
}

std::string Catalog::Format(std::string_view language, std::string_view key,
                            const std::vector<std::pair<std::string, std::string>>& values) const {
    return FormatPlaceholders(Get(language, key), values);
}

std::string_view Catalog::LanguageName(std::string_view language) const {
    return Get(language, "language.name");
}

std::vector<std::string> Catalog::Languages() const {
    std::vector<std::string> codes;
    for (const Locale& locale : m_locales)
        codes.push_back(locale.code);
    return codes;
}

std::vector<LocaleError> Catalog::Check() const {
    std::vector<LocaleError> errors;
    for (const Locale& locale : m_locales) {
        if (&locale == m_english)
            continue;
        for (const auto& [key, english] : m_english->strings) {
            auto it = locale.strings.find(key);
            if (it == locale.strings.end()) {
                errors.push_back({locale.file, 0, key,
                                  "missing (English has it at " +
                                      m_english->file.filename().string() + ":" +
                                      std::to_string(m_english->lines.at(key)) + ")"});
                continue;
            }
            if (Placeholders(it->second) != Placeholders(english)) {
                std::string expected;
                for (const auto& name : Placeholders(english))
                    expected += " {" + name + "}";
                errors.push_back({locale.file, locale.lines.at(key), key,
                                  "placeholders differ from English (expected:" +
                                      (expected.empty() ? std::string(" none") : expected) + ")"});
            }
        }
        for (const auto& [key, text] : locale.strings) {
            if (m_english->strings.find(key) == m_english->strings.end()) {
                errors.push_back({locale.file, locale.lines.at(key), key,
                                  "not in en.toml (a typo, or add it to English first)"});
            }
        }
    }
    return errors;
}

std::vector<MissingKey> Catalog::Missing() const {
    std::lock_guard lock(m_mutex);
    return m_missing;
}

void Catalog::OnMissing(std::function<void(const MissingKey&)> callback) {
    std::lock_guard lock(m_mutex);
    m_onMissing = std::move(callback);
}

}  // namespace fk::i18n
