// ApplySurveyDefinition: JSON -> the kiosk.toml shape -> the kiosk.toml readers -> cross checks.

#include "config/SurveyDefinition.h"

#include <nlohmann/json.hpp>

#include "config/KioskConfigReader.h"

namespace fk::config {

namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxDefinitionBytes = 256 * 1024;
constexpr std::size_t kMaxDepth = 8;
constexpr std::size_t kMaxQuestionBytes = 400;

// JSON values as TOML nodes; null leaves the key out (as if absent).
std::optional<toml::table> ToTable(const Json& object, std::size_t depth);

std::optional<toml::array> ToArray(const Json& array, std::size_t depth) {
    toml::array out;
    for (const Json& item : array) {
        if (item.is_object()) {
            if (auto t = ToTable(item, depth + 1))
                out.push_back(std::move(*t));
            else
                return std::nullopt;
        } else if (item.is_array()) {
            if (auto a = ToArray(item, depth + 1))
                out.push_back(std::move(*a));
            else
                return std::nullopt;
        } else if (item.is_boolean()) {
            out.push_back(item.get<bool>());
        } else if (item.is_number_integer()) {
            out.push_back(item.get<std::int64_t>());
        } else if (item.is_number()) {
            out.push_back(item.get<double>());
        } else if (item.is_string()) {
            out.push_back(item.get<std::string>());
        }
    }
    return out;
}

std::optional<toml::table> ToTable(const Json& object, std::size_t depth) {
    if (depth > kMaxDepth)
        return std::nullopt;
    toml::table out;
    for (const auto& [key, value] : object.items()) {
        if (value.is_object()) {
            auto t = ToTable(value, depth + 1);
            if (!t)
                return std::nullopt;
            out.insert(key, std::move(*t));
        } else if (value.is_array()) {
            auto a = ToArray(value, depth + 1);
            if (!a)
                return std::nullopt;
            out.insert(key, std::move(*a));
        } else if (value.is_boolean()) {
            out.insert(key, value.get<bool>());
        } else if (value.is_number_integer()) {
            out.insert(key, value.get<std::int64_t>());
        } else if (value.is_number()) {
            out.insert(key, value.get<double>());
        } else if (value.is_string()) {
            out.insert(key, value.get<std::string>());
        }
    }
    return out;
}

// One entry of "roster" or "reasons" renamed to its [[rep]] / [[reason]] keys.
Json Renamed(const Json& entry, std::initializer_list<std::pair<const char*, const char*>> names) {
    if (!entry.is_object())
        return entry;
    Json out = Json::object();
    for (const auto& [key, value] : entry.items()) {
        std::string to = key;
        for (const auto& [from, renamed] : names) {
            if (key == from)
                to = renamed;
        }
        out[to] = value;
    }
    return out;
}

bool Has(const Json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && !it->is_null();
}

}  // namespace

std::string DefinitionPointer(std::string_view tomlKey) {
    std::string out;
    std::string_view rest = tomlKey;
    bool inReason = false;
    bool first = true;
    while (!rest.empty()) {
        const std::size_t dot = rest.find('.');
        std::string_view part = rest.substr(0, dot);
        rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
        std::string name(part);
        std::string index;
        if (const std::size_t open = part.find('['); open != std::string_view::npos) {
            name = std::string(part.substr(0, open));
            const std::string number(part.substr(open + 1, part.find(']') - open - 1));
            try {
                index = std::to_string(std::stoll(number) - 1);  // [[rep]] counts from 1
            } catch (const std::exception&) {
                index = number;
            }
        }
        if (first && name == "rep") {
            name = "roster";
        } else if (first && name == "reason") {
            name = "reasons";
            inReason = true;
        } else if (first && name == "manager" && rest.starts_with("alert")) {
            first = false;
            continue;  // manager.alert.x is the definition's /alert/x
        } else if (inReason && name == "label") {
            name = "labels";
        } else if (inReason && name == "code") {
            name = "id";
        }
        out += "/" + name;
        if (!index.empty())
            out += "/" + index;
        first = false;
    }
    return out.empty() ? "/" : out;
}

KioskConfig ApplySurveyDefinition(KioskConfig base, std::string_view json, std::string_view name) {
    const std::string file(name);
    auto refuse = [&](std::string key, std::string message) {
        throw ConfigError({{file, 0, std::move(key), std::move(message)}});
    };
    if (json.size() > kMaxDefinitionBytes) {
        refuse("", "is " + std::to_string(json.size()) + " bytes, a definition may have at most " +
                       std::to_string(kMaxDefinitionBytes));
    }
    Json doc = Json::parse(json, nullptr, false);
    if (doc.is_discarded())
        refuse("", "is not valid JSON, send one JSON object (docs/API.md, Survey definition)");
    if (!doc.is_object())
        refuse("/", "expected a JSON object with survey, languages, reasons, roster, ...");

    detail::ProblemList problems{file};
    std::vector<ConfigProblem> own;  // found here rather than by the kiosk.toml readers
    Json shaped = Json::object();
    // "leavers" is written by the server when a rep who left is pseudonymised or erased
    // (server/Privacy.cpp); sync applies it to the kiosk's database, the survey ignores it.
    static constexpr std::array<std::string_view, 12> kKnown = {
        "protocol", "version", "survey", "languages", "locales", "misuse",
        "hours",    "help",    "alert",  "roster",    "reasons", "leavers"};
    for (const auto& [key, value] : doc.items()) {
        if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
            own.push_back({file, 0, "/" + key,
                           "unknown key, a definition has survey, languages, reasons, roster, "
                           "help, hours, misuse and alert"});
        }
    }
    std::map<std::string, std::string> question;
    bool questionGiven = false;
    if (Has(doc, "survey")) {
        Json survey = doc["survey"];
        if (survey.is_object() && survey.contains("question")) {
            questionGiven = true;
            const Json& q = survey["question"];
            if (!q.is_object()) {
                own.push_back({file, 0, "/survey/question",
                               "expected an object of language code -> question text"});
            } else {
                for (const auto& [language, text] : q.items()) {
                    const std::string at = "/survey/question/" + language;
                    if (std::find(kKnownLanguages.begin(), kKnownLanguages.end(), language) ==
                        kKnownLanguages.end()) {
                        own.push_back({file, 0, at, "unknown language, use en, hi, ne, te or da"});
                    } else if (!text.is_string() || text.get<std::string>().empty() ||
                               text.get<std::string>().size() > kMaxQuestionBytes) {
                        own.push_back({file, 0, at,
                                       "use the question text in quotes, 1 to " +
                                           std::to_string(kMaxQuestionBytes) + " bytes"});
                    } else {
                        question.emplace(language, text.get<std::string>());
                    }
                }
            }
            survey.erase("question");
        }
        shaped["survey"] = survey;
    }
    for (const char* section : {"languages", "misuse", "hours", "help"}) {
        if (Has(doc, section))
            shaped[section] = doc[section];
    }
    // The legacy "locales" list: offered languages, the first one the default.
    if (!Has(doc, "languages") && Has(doc, "locales") && doc["locales"].is_array() &&
        !doc["locales"].empty()) {
        shaped["languages"] = Json{{"offered", doc["locales"]}, {"default", doc["locales"][0]}};
    }
    if (Has(doc, "alert"))
        shaped["manager"] = Json{{"alert", doc["alert"]}};
    if (Has(doc, "roster")) {
        Json reps = Json::array();
        if (doc["roster"].is_array()) {
            for (const Json& entry : doc["roster"])
                reps.push_back(entry);
            shaped["rep"] = reps;
        } else {
            shaped["rep"] = doc["roster"];
        }
    }
    // An empty legacy "reasons" list is no list (set-config wrote [] when none was given).
    if (Has(doc, "reasons") && !(doc["reasons"].is_array() && doc["reasons"].empty())) {
        Json reasons = Json::array();
        if (doc["reasons"].is_array()) {
            for (const Json& entry : doc["reasons"])
                reasons.push_back(Renamed(entry, {{"id", "code"}, {"labels", "label"}}));
            shaped["reason"] = reasons;
        } else {
            shaped["reason"] = doc["reasons"];
        }
    }
    auto table = ToTable(shaped, 0);
    if (!table)
        refuse("/", "is nested too deeply, see docs/API.md for the definition's shape");

    // The documented defaults and the definition's sections: what is checked, so the server and
    // every kiosk (whatever its own kiosk.toml says) reach the same verdict on one definition.
    KioskConfig fresh;
    detail::ReadContext context{problems, {}, {}};
    detail::TableReader root(problems, &*table, "", 0);
    const bool surveyGiven = table->contains("survey");
    const bool languagesGiven = table->contains("languages");
    const bool misuseGiven = table->contains("misuse");
    const bool hoursGiven = table->contains("hours");
    const bool helpGiven = table->contains("help");
    const bool alertGiven = table->contains("manager");
    const bool rosterGiven = table->contains("rep");
    const bool reasonsGiven = table->contains("reason");
    detail::ReadSurveyTable(root.Table("survey"), context, fresh);
    detail::ReadLanguagesTable(root.Table("languages"), fresh);
    detail::ReadMisuseTable(root.Table("misuse"), fresh);
    detail::ReadHoursTable(root.Table("hours"), fresh);
    detail::ReadHelpTable(root.Table("help"), context, fresh);
    {
        detail::TableReader manager = root.Table("manager");
        detail::TableReader alert = manager.Table("alert");
        AlertRule rule;
        if (auto v = alert.Int("negative_share_pct", 1, 100, "use 1 to 100 (percent)"))
            rule.negativeSharePct = static_cast<int>(*v);
        if (auto v = alert.Int("window_min", 1, 1440, "use 1 to 1440 (minutes)"))
            rule.windowMin = static_cast<int>(*v);
        if (auto v = alert.Int("min_responses", 1, 10000, "use 1 to 10000"))
            rule.minResponses = static_cast<int>(*v);
        alert.Finish();
        manager.Finish();
        if (alertGiven)
            base.manager.alert = rule;
    }
    detail::ReadRoster(root, context, fresh);
    detail::ReadReasons(root, context, fresh);
    if (questionGiven)
        fresh.survey.question = question;
    // Unknown top-level keys were reported above with the definition's own names.
    if (surveyGiven)
        base.survey = fresh.survey;
    if (languagesGiven)
        base.languages = fresh.languages;
    if (misuseGiven)
        base.misuse = fresh.misuse;
    if (hoursGiven)
        base.hours = fresh.hours;
    if (helpGiven)
        base.help = fresh.help;
    if (rosterGiven)
        base.roster = fresh.roster;
    if (reasonsGiven)
        base.reasons = fresh.reasons;
    detail::CheckKioskConfig(context, fresh);

    std::vector<ConfigProblem> found = problems.Take();
    for (ConfigProblem& p : found) {
        p.key = DefinitionPointer(p.key);
        // "[[rep]]" / "[[reason]]" in the kiosk.toml wording are the definition's entries.
        p.line = 0;
    }
    found.insert(found.begin(), own.begin(), own.end());
    if (!found.empty())
        throw ConfigError(std::move(found));
    return base;
}

}  // namespace fk::config
