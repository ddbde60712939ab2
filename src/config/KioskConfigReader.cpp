#include "config/KioskConfigReader.h"

#include "config/PinHash.h"

#include <algorithm>
#include <array>

namespace fk::config::detail {

namespace {

constexpr std::string_view kIdRule = "use 1 to 64 letters, digits, '.', '_' or '-'";
constexpr std::string_view kCodeRule = "use 1 to 40 lowercase letters, digits or '_'";
constexpr std::array<std::string_view, 7> kWeekdays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

bool IsIdentifier(std::string_view text) {
    return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

bool IsReasonCode(std::string_view text) {
    return !text.empty() && text.size() <= 40 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool IsKnownLanguage(std::string_view code) {
    return std::find(kKnownLanguages.begin(), kKnownLanguages.end(), code) != kKnownLanguages.end();
}

std::string KnownLanguageList() {
    std::string list;
    for (std::string_view code : kKnownLanguages) {
        list += (list.empty() ? "\"" : ", \"") + std::string(code) + "\"";
    }
    return list;
}

std::size_t CodepointCount(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    }));
}

// Text shown to customers: not blank, one line, not absurdly long.
std::optional<std::string> CheckDisplayText(std::string_view text, std::size_t maxCodepoints) {
    if (text.find_first_not_of(" \t") == std::string_view::npos) {
        return "is empty, write the text to show";
    }
    if (std::any_of(text.begin(), text.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20U || c == 0x7F; })) {
        return "contains a control character (newline, tab...), use one line of plain text";
    }
    if (CodepointCount(text) > maxCodepoints) {
        return "is " + std::to_string(CodepointCount(text)) + " characters long, use at most " +
               std::to_string(maxCodepoints);
    }
    return std::nullopt;
}

// A required identifier; reports it missing (at the table's line) or malformed.
std::optional<std::string> RequiredId(TableReader& table, std::string_view key, bool reasonCode,
                                      std::string_view missingFix) {
    std::string_view rule = reasonCode ? kCodeRule : kIdRule;
    auto value = table.String(key, rule);
    if (!value) {
        if (table.Node(key) == nullptr) {
            table.Problem(key, "missing, " + std::string(missingFix), ProblemKind::Missing);
        }
        return std::nullopt;
    }
    if (!(reasonCode ? IsReasonCode(*value) : IsIdentifier(*value))) {
        table.Problem(key, "\"" + *value + "\" is not a valid id, " + std::string(rule));
        return std::nullopt;
    }
    return value;
}

std::optional<std::filesystem::path> ReadPath(TableReader& table, std::string_view key,
                                              const std::filesystem::path& baseDir) {
    auto text = table.String(key, "use a file path in quotes");
    if (!text) {
        return std::nullopt;
    }
    if (text->empty()) {
        table.Problem(key,
                      "is empty, use a file path (relative paths start at this file's directory)");
        return std::nullopt;
    }
    std::filesystem::path path(*text);
    return path.is_relative() ? baseDir / path : path;
}

template <typename T>
void Assign(std::optional<std::int64_t> value, T& target) {
    if (value) {
        target = static_cast<T>(*value);
    }
}

// "HH:MM-HH:MM" with 00:00 <= open < close <= 24:00.
std::optional<TimeRange> ParseTimeRange(std::string_view text) {
    auto parseTime = [](std::string_view hhmm) -> std::optional<int> {
        if (hhmm.size() != 5 || hhmm[2] != ':') {
            return std::nullopt;
        }
        for (std::size_t i : {0U, 1U, 3U, 4U}) {
            if (hhmm[i] < '0' || hhmm[i] > '9') {
                return std::nullopt;
            }
        }
        int hours = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
        int minutes = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
        if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) {
            return std::nullopt;
        }
        return hours * 60 + minutes;
    };
    if (text.size() != 11 || text[5] != '-') {
        return std::nullopt;
    }
    auto open = parseTime(text.substr(0, 5));
    auto close = parseTime(text.substr(6));
    if (!open || !close || *open >= *close || *open == 1440) {
        return std::nullopt;
    }
    return TimeRange{*open, *close};
}

// One weekday: "HH:MM-HH:MM", "closed", or an array of ranges (a lunch break).
void ReadDay(TableReader& table, std::string_view day, std::vector<TimeRange>& ranges) {
    static constexpr std::string_view kDayRule =
        "use \"HH:MM-HH:MM\" (e.g. \"08:00-21:00\", close after open, at most 24:00), "
        "\"closed\", or an array of such ranges";
    const toml::node* node = table.Node(day);
    if (node == nullptr) {
        return;
    }
    std::vector<const toml::node*> items;
    if (const auto* text = node->as_string(); text != nullptr && text->get() == "closed") {
        return;
    } else if (text != nullptr) {
        items.push_back(node);
    } else if (const auto* array = node->as_array()) {
        for (const toml::node& item : *array) {
            items.push_back(&item);
        }
    } else {
        table.Problem(
            day, "got " + DescribeType(*node) + ", expected a string, " + std::string(kDayRule));
        return;
    }
    for (const toml::node* item : items) {
        const auto* text = item->as_string();
        auto range = text == nullptr ? std::nullopt : ParseTimeRange(text->get());
        if (!range) {
            table.Problem(day, (text == nullptr ? "got " + DescribeType(*item)
                                                : "\"" + text->get() + "\" is not a time range") +
                                   ", " + std::string(kDayRule));
            return;
        }
        ranges.push_back(*range);
    }
    std::sort(ranges.begin(), ranges.end(),
              [](const TimeRange& a, const TimeRange& b) { return a.openMin < b.openMin; });
    for (std::size_t i = 1; i < ranges.size(); ++i) {
        if (ranges[i].openMin < ranges[i - 1].closeMin) {
            table.Problem(day, "time ranges overlap, list separate ranges in order");
            return;
        }
    }
}

}  // namespace

void ReadKioskTable(TableReader table, ReadContext& context, KioskConfig& config) {
    if (auto id =
            RequiredId(table, "id", false,
                       "set [kiosk] id = \"<this kiosk's unique id>\", e.g. \"store12-till3\"")) {
        config.kioskId = *id;
    }
    if (auto id = RequiredId(table, "store_id", false,
                             "set [kiosk] store_id = \"<the store's id>\", e.g. \"store12\"")) {
        config.storeId = *id;
    }
    if (auto dir = ReadPath(table, "data_dir", context.baseDir)) {
        config.dataDir = *dir;
    }
    table.Finish();
}

void ReadSurveyTable(TableReader table, ReadContext& context, KioskConfig& config) {
    if (auto points = table.Int("scale", core::RatingScale::kMinPoints,
                                core::RatingScale::kMaxPoints, "use 4 or 5")) {
        config.survey.scale = *core::RatingScale::Make(static_cast<int>(*points));
    }
    context.lines.repMode = table.LineOf("rep_mode");
    constexpr std::string_view kModes = "use \"ask\", \"on_duty\" or \"off\"";
    if (auto mode = table.String("rep_mode", kModes)) {
        if (auto parsed = RepModeFromString(*mode)) {
            config.survey.repMode = *parsed;
            context.lines.repModeGiven = true;
        } else {
            table.Problem("rep_mode",
                          "\"" + *mode + "\" is not a rep mode, " + std::string(kModes));
        }
    }
    config.survey.askWhenNobodyOnDuty = table.Bool("ask_when_nobody_on_duty").value_or(true);
    if (auto hours = table.Int("shift_hours", 0, 24, "use 0 (sign-outs only at closing) to 24"))
        config.survey.shiftHours = static_cast<int>(*hours);
    context.lines.askReasonFor = table.LineOf("ask_reason_for");
    constexpr std::string_view kRatings = "use ratings 1 to 5 (1 = most negative), e.g. [1, 2]";
    if (const toml::array* ratings = table.Array("ask_reason_for", kRatings)) {
        config.survey.askReasonFor.clear();
        for (const toml::node& item : *ratings) {
            const auto* value = item.as_integer();
            if (value == nullptr || value->get() < 1 || value->get() > 5) {
                table.Problem("ask_reason_for", (value == nullptr ? "got " + DescribeType(item)
                                                                  : std::to_string(value->get()) +
                                                                        " is out of range") +
                                                    ", " + std::string(kRatings));
            } else if (config.survey.AsksReasonFor(static_cast<int>(value->get()))) {
                table.Problem("ask_reason_for", std::to_string(value->get()) +
                                                    " is listed twice, list each rating once");
            } else {
                config.survey.askReasonFor.push_back(static_cast<int>(value->get()));
            }
        }
        std::sort(config.survey.askReasonFor.begin(), config.survey.askReasonFor.end());
    }
    Assign(table.Int("idle_timeout_s", 5, 3600, "use 5 to 3600 (seconds)"),
           config.survey.idleTimeoutS);
    Assign(table.Int("thank_you_s", 1, 60, "use 1 to 60 (seconds)"), config.survey.thankYouS);
    Assign(table.Int("undo_s", 0, 30, "use 0 to 30 (seconds; 0: no \"change my answer\")"),
           config.survey.undoS);
    Assign(table.Int("accessible_time_factor", 1, 4,
                     "use 1 to 4 (times every timeout in the accessible mode)"),
           config.survey.accessibleTimeFactor);
    table.Finish();
}

void ReadHelpTable(TableReader table, ReadContext& context, KioskConfig& config) {
    context.lines.helpOfferFor = table.LineOf("offer_for");
    constexpr std::string_view kRatings =
        "use ratings 1 to 5 (1 = most negative), e.g. [1], or [] to never offer help";
    if (const toml::array* ratings = table.Array("offer_for", kRatings)) {
        config.help.offerFor.clear();
        for (const toml::node& item : *ratings) {
            const auto* value = item.as_integer();
            if (value == nullptr || value->get() < 1 || value->get() > 5) {
                table.Problem("offer_for", (value == nullptr ? "got " + DescribeType(item)
                                                             : std::to_string(value->get()) +
                                                                   " is out of range") +
                                               ", " + std::string(kRatings));
            } else if (config.help.OffersFor(static_cast<int>(value->get()))) {
                table.Problem("offer_for", std::to_string(value->get()) +
                                               " is listed twice, list each rating once");
            } else {
                config.help.offerFor.push_back(static_cast<int>(value->get()));
            }
        }
        std::sort(config.help.offerFor.begin(), config.help.offerFor.end());
    }
    Assign(table.Int("confirm_within_s", 2, 120, "use 2 to 120 (seconds)"),
           config.help.confirmWithinS);
    Assign(table.Int("escalate_after_s", 30, 86400, "use 30 to 86400 (seconds)"),
           config.help.escalateAfterS);
    table.Finish();
}

void ReadLanguagesTable(TableReader table, KioskConfig& config) {
    const std::string rule = "use language codes from " + KnownLanguageList();
    if (const toml::array* offered = table.Array("offered", rule)) {
        config.languages.offered.clear();
        for (const toml::node& item : *offered) {
            const auto* code = item.as_string();
            if (code == nullptr || !IsKnownLanguage(code->get())) {
                table.Problem("offered",
                              (code == nullptr ? "got " + DescribeType(item)
                                               : "\"" + code->get() + "\" is not supported") +
                                  ", " + rule);
            } else if (std::find(config.languages.offered.begin(), config.languages.offered.end(),
                                 code->get()) != config.languages.offered.end()) {
                table.Problem("offered", "\"" + code->get() + "\" is listed twice, list each once");
            } else {
                config.languages.offered.push_back(code->get());
            }
        }
        if (offered->empty()) {
            table.Problem("offered", "is empty, offer at least one language, e.g. [\"en\"]");
        }
    }
    const auto& offeredList = config.languages.offered;
    auto defaultLanguage = table.String("default", rule);
    if (defaultLanguage) {
        if (std::find(offeredList.begin(), offeredList.end(), *defaultLanguage) ==
            offeredList.end()) {
            table.Problem("default",
                          "\"" + *defaultLanguage +
                              "\" is not in languages.offered, use one of the offered languages");
        } else {
            config.languages.defaultLanguage = *defaultLanguage;
        }
    } else if (!offeredList.empty()) {
        config.languages.defaultLanguage = offeredList.front();
    }
    table.Finish();
}

void ReadMisuseTable(TableReader table, KioskConfig& config) {
    Assign(table.Int("min_interval_s", 0, 3600, "use 0 (rule off) to 3600 (seconds)"),
           config.misuse.minIntervalS);
    Assign(table.Int("burst_max_responses", 0, 10000, "use 0 (rule off) to 10000"),
           config.misuse.burstMaxResponses);
    Assign(table.Int("burst_window_min", 1, 1440, "use 1 to 1440 (minutes)"),
           config.misuse.burstWindowMin);
    table.Finish();
}

void ReadHoursTable(TableReader table, KioskConfig& config) {
    auto always = table.Bool("always");
    bool anyDay = false;
    for (std::size_t day = 0; day < kWeekdays.size(); ++day) {
        anyDay = anyDay || (table.Present() && table.Node(kWeekdays[day]) != nullptr);
        ReadDay(table, kWeekdays[day], config.hours.week[day]);
    }
    config.hours.always = always.value_or(!anyDay);
    if (config.hours.always && anyDay) {
        table.Problem("always",
                      "is true but weekdays are listed too, remove the weekdays or set "
                      "always = false");
    } else if (!config.hours.always) {
        for (std::string_view day : kWeekdays) {
            if (table.Node(day) == nullptr) {
                table.Problem(day,
                              "missing, give every weekday \"HH:MM-HH:MM\" or \"closed\" when "
                              "hours.always is false");
            }
        }
    }
    table.Finish();
}

void ReadDisplayTable(TableReader table, KioskConfig& config) {
    if (auto dpi = table.Number("dpi", 50, 1000,
                                "use 50 to 1000, or leave dpi out to use the monitor's own")) {
        config.display.dpi = *dpi;
    }
    if (auto mm = table.Number("min_touch_target_mm", 12, 40, "use 12 to 40 (millimetres)")) {
        config.display.minTouchTargetMm = *mm;
    }
    config.display.showCursor = table.Bool("show_cursor").value_or(false);
    table.Finish();
}

void ReadSoundTable(TableReader table, KioskConfig& config) {
    config.sound.enabled = table.Bool("enabled").value_or(true);
    Assign(table.Int("volume_pct", 0, 100, "use 0 to 100 (percent)"), config.sound.volumePct);
    constexpr std::string_view kDeviceRule =
        "use an ALSA device name such as \"default\" or \"plughw:0,0\"";
    if (auto device = table.String("device", kDeviceRule)) {
        if (device->empty() || device->size() > 256 ||
            device->find_first_of("\n\r") != std::string::npos) {
            table.Problem("device", "\"" + device->substr(0, 40) + "\" is not a device name, " +
                                        std::string(kDeviceRule));
        } else {
            config.sound.device = *device;
        }
    }
    table.Finish();
}

void ReadSyncTable(TableReader table, ReadContext& context, KioskConfig& config) {
    constexpr std::string_view kUrlRule = "use \"https://host[:port]\", or \"\" to turn sync off";
    auto url = table.String("server_url", kUrlRule);
    if (auto token = ReadPath(table, "token_file", context.baseDir)) {
        config.sync.tokenFile = *token;
    }
    if (const toml::node* ca = table.Node("ca_file");
        ca != nullptr && ca->is_string() && ca->as_string()->get().empty()) {
        config.sync.caFile.clear();
    } else if (auto caFile = ReadPath(table, "ca_file", context.baseDir)) {
        config.sync.caFile = *caFile;
    }
    Assign(table.Int("interval_s", 5, 86400, "use 5 to 86400 (seconds)"), config.sync.intervalS);
    config.sync.insecureSkipTlsVerify = table.Bool("insecure_skip_tls_verify").value_or(false);
    if (url && !url->empty()) {
        std::string_view text = *url;
        bool https = text.starts_with("https://");
        bool http = text.starts_with("http://");
        std::string_view rest = text.substr(https ? 8 : (http ? 7 : 0));
        std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
        std::string_view host = authority.substr(
            0, authority.starts_with('[') ? authority.find(']') + 1 : authority.find(':'));
        // Only ":digits" may follow the host. Anything else ("localhost:80@evil.example", found
        // by fuzz/ConfigFuzz.cpp) would make libcurl connect to a host other than the one
        // checked here.
        std::string_view port = authority.substr(std::min(host.size(), authority.size()));
        bool portOk =
            port.empty() || (port.size() > 1 && port.front() == ':' &&
                             port.find_first_not_of("0123456789", 1) == std::string_view::npos);
        bool loopback = host == "127.0.0.1" || host == "localhost" || host == "[::1]";
        if ((!https && !http) || host.empty() || !portOk ||
            text.find_first_of(" \t") != std::string_view::npos) {
            table.Problem("server_url",
                          "\"" + *url + "\" is not an http(s) URL, " + std::string(kUrlRule));
        } else if (http && !loopback && !config.sync.insecureSkipTlsVerify) {
            table.Problem("server_url",
                          "plain http:// would send the kiosk token unencrypted, use https:// "
                          "(http:// is allowed only to 127.0.0.1 or localhost, or with "
                          "insecure_skip_tls_verify = true)");
        } else {
            config.sync.serverUrl = std::string(text.substr(0, text.find_last_not_of('/') + 1));
        }
    }
    if (config.sync.tokenFile.empty()) {
        config.sync.tokenFile = config.dataDir / "sync-token";
    }
    table.Finish();
}

void ReadFontsTable(TableReader table, ReadContext& context, KioskConfig& config) {
    for (auto [key, target] : {std::pair{"latin", &config.fonts.latin},
                               std::pair{"devanagari", &config.fonts.devanagari},
                               std::pair{"telugu", &config.fonts.telugu}}) {
        if (auto path = ReadPath(table, key, context.baseDir)) {
            *target = *path;
        }
    }
    table.Finish();
}

void ReadManagerTable(TableReader table, ReadContext& context, KioskConfig& config) {
    if (auto hash = table.String("pin_hash", "use the $argon2id$... string from `kiosk set-pin`")) {
        if (LooksLikePinHash(*hash)) {
            config.manager.pinHash = *hash;
        } else if (!hash->empty()) {
            table.Problem("pin_hash",
                          "is not a complete argon2id hash, use the $argon2id$... string printed "
                          "by `kiosk set-pin --print-hash`, or \"\" to use the data dir's "
                          "manager-pin file (`kiosk set-pin`)");
        }
    }
    Assign(table.Int("auto_exit_s", 10, 3600, "use 10 to 3600 (seconds)"),
           config.manager.autoExitS);
    Assign(table.Int("min_n", 1, 100000, "use 1 to 100000 (responses)"), config.manager.minN);
    if (auto dir = table.String("export_dir", "use a directory path in quotes, or \"\" for none")) {
        if (!dir->empty()) {
            std::filesystem::path path(*dir);
            config.manager.exportDir = path.is_relative() ? context.baseDir / path : path;
        }
    }
    TableReader alert = table.Table("alert");
    Assign(alert.Int("negative_share_pct", 1, 100, "use 1 to 100 (percent)"),
           config.manager.alert.negativeSharePct);
    Assign(alert.Int("window_min", 1, 1440, "use 1 to 1440 (minutes)"),
           config.manager.alert.windowMin);
    Assign(alert.Int("min_responses", 1, 10000, "use 1 to 10000"),
           config.manager.alert.minResponses);
    alert.Finish();
    table.Finish();
}

void ReadRoster(TableReader& root, ReadContext& context, KioskConfig& config) {
    const toml::array* reps = root.TableArray("rep");
    if (reps == nullptr) {
        return;
    }
    std::map<std::string, std::pair<std::string, int>> seen;  // id -> (key path, line)
    for (std::size_t i = 0; i < reps->size(); ++i) {
        const toml::node& node = *reps->get(i);
        TableReader table(context.problems, node.as_table(), "rep[" + std::to_string(i + 1) + "]",
                          LineOf(node, root.LineOf("rep")));
        Rep rep;
        auto id = RequiredId(table, "id", false, "give every [[rep]] an id, e.g. id = \"r7\"");
        auto name = table.String("name", "use the name to show, in any script");
        if (!name && table.Node("name") == nullptr) {
            table.Problem("name",
                          "missing, give every [[rep]] a display name, e.g. name = \"Asha\"");
        } else if (name) {
            if (auto problem = CheckDisplayText(*name, 60)) {
                table.Problem("name", *problem);
                name.reset();
            }
        }
        rep.active = table.Bool("active").value_or(true);
        if (auto hash = table.String("code_hash", "use the hash kiosk-server set-rep-code wrote")) {
            // Never echoed: a hash is a secret's stand-in.
            if (LooksLikePinHash(*hash)) {
                rep.codeHash = std::move(*hash);
            } else {
                table.Problem("code_hash",
                              "is not an argon2id hash, set the code with kiosk-server "
                              "set-rep-code");
            }
        }
        if (id) {
            auto [it, inserted] = seen.emplace(*id, std::pair{table.Path(), table.LineOf("id")});
            if (!inserted) {
                table.Problem("id", "\"" + *id + "\" is already used by " + it->second.first +
                                        " (line " + std::to_string(it->second.second) +
                                        "), rep ids must be unique");
                id.reset();
            }
        }
        table.Finish();
        if (id && name) {
            rep.id = *id;
            rep.name = *name;
            config.roster.push_back(std::move(rep));
        }
    }
}

void ReadReasons(TableReader& root, ReadContext& context, KioskConfig& config) {
    const toml::array* reasons = root.TableArray("reason");
    if (reasons == nullptr) {
        return;
    }
    context.lines.reasonsGiven = true;
    context.lines.reasonEntries = reasons->size();
    context.lines.firstReason = root.LineOf("reason");
    config.reasons.clear();
    std::map<std::string, std::pair<std::string, int>> seen;  // code -> (key path, line)
    for (std::size_t i = 0; i < reasons->size(); ++i) {
        const toml::node& node = *reasons->get(i);
        TableReader table(context.problems, node.as_table(),
                          "reason[" + std::to_string(i + 1) + "]",
                          LineOf(node, root.LineOf("reason")));
        if (i == 0) {
            context.lines.firstReason = table.Line();
        }
        Reason reason;
        auto code = RequiredId(table, "code", true,
                               "give every [[reason]] a code, e.g. code = \"wait_time\"");
        reason.attributableToRep = table.Bool("attributable_to_rep").value_or(false);
        reason.pictogram = core::DefaultPictogramFor(code.value_or(""));
        constexpr std::string_view kPictograms =
            "use \"clock\", \"person\", \"empty_shelf\", \"price_tag\", \"sparkles\" or "
            "\"speech_bubble\"";
        if (auto name = table.String("pictogram", kPictograms)) {
            if (auto parsed = core::PictogramFromString(*name)) {
                reason.pictogram = *parsed;
            } else {
                table.Problem("pictogram",
                              "\"" + *name + "\" is not a pictogram, " + std::string(kPictograms));
            }
        }
        TableReader labels = table.Table("label");
        // A built-in code is labelled by the locale catalogs; `label` then only overrides.
        const bool builtIn = code && IsDefaultReasonCode(*code);
        if (!builtIn && !labels.Present() && table.Node("label") == nullptr) {
            table.Problem("label",
                          "missing, give the text per language, e.g. label = { en = \"Price\" }");
        }
        for (std::string_view language : kKnownLanguages) {
            if (auto label = labels.String(language, "use the label text in quotes")) {
                if (auto problem = CheckDisplayText(*label, 80)) {
                    labels.Problem(language, *problem);
                } else {
                    reason.labels.emplace(language, *label);
                }
            }
        }
        labels.Finish();
        if (code) {
            auto [it, inserted] =
                seen.emplace(*code, std::pair{table.Path(), table.LineOf("code")});
            if (!inserted) {
                table.Problem("code", "\"" + *code + "\" is already used by " + it->second.first +
                                          " (line " + std::to_string(it->second.second) +
                                          "), reason codes must be unique");
                code.reset();
            }
        }
        table.Finish();
        if (code) {
            reason.code = *code;
            config.reasons.push_back(std::move(reason));
            context.lines.reasonLabels.emplace_back(labels.Path(), labels.Line(), builtIn);
        }
    }
}

}  // namespace fk::config::detail
