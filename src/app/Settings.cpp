#include "app/Settings.h"

#include <algorithm>

#include "i18n/Catalog.h"
#include "ui/ManagerStrings.h"

namespace fk::app {

const char* NoticeLocaleKey(NoticeKind kind) {
    switch (kind) {
        case NoticeKind::DiskFull:
            return "disk_full";
        case NoticeKind::ReadOnly:
            return "read_only";
        case NoticeKind::SetAside:
            return "set_aside";
        case NoticeKind::Damaged:
            return "damaged";
        case NoticeKind::Failed:
            return "failed";
    }
    return "failed";
}

ui::StaffNotice EnglishNotice(NoticeKind kind) {
    switch (kind) {
        case NoticeKind::DiskFull:
            return {"Storage is full",
                    "This kiosk cannot save new feedback until space is freed. Feedback already "
                    "given is safe. Please call support."};
        case NoticeKind::ReadOnly:
            return {"Storage is read-only",
                    "This kiosk cannot write to its storage. Feedback already given is safe. "
                    "Please call support."};
        case NoticeKind::Damaged:
            return {"The feedback file is damaged",
                    "Restart the kiosk: it sets the damaged file aside for support and starts a "
                    "new one. Please call support."};
        case NoticeKind::SetAside:
            return {"Damaged data file set aside",
                    "The kiosk found a damaged data file, set it aside and started a new one. "
                    "Please call support so it can be recovered."};
        case NoticeKind::Failed:
            return {"Feedback is paused",
                    "The kiosk cannot save feedback: {detail}. Please call support."};
    }
    return EnglishNotice(NoticeKind::Failed);
}

ui::StaffNotice KioskSettings::Notice(NoticeKind kind, const std::string& detail) const {
    auto it = notices.find(kind);
    ui::StaffNotice n = it != notices.end() ? it->second : EnglishNotice(kind);
    n.message = i18n::FormatPlaceholders(n.message, {{"detail", detail}});
    return n;
}

const ui::Strings& KioskSettings::StringsFor(const std::string& language) const {
    if (auto it = strings.find(language); it != strings.end())
        return it->second;
    if (auto it = strings.find("en"); it != strings.end())
        return it->second;
    static const ui::Strings kEnglish4 = ui::EnglishStrings(4);
    static const ui::Strings kEnglish5 = ui::EnglishStrings(5);
    return session.scale.Points() == 5 ? kEnglish5 : kEnglish4;
}

std::vector<ui::ReasonTile> KioskSettings::ReasonsFor(const std::string& language) const {
    std::vector<ui::ReasonTile> out = reasons;
    if (auto it = reasonLabels.find(language); it != reasonLabels.end()) {
        for (auto& r : out) {
            if (auto l = it->second.find(r.code); l != it->second.end())
                r.label = l->second;
        }
    }
    return out;
}

std::vector<std::string> ApplyLocales(KioskSettings& settings,
                                      const std::filesystem::path& localesDir) {
    std::vector<std::string> problems;
    std::vector<std::string> codes = settings.session.languages;
    if (std::find(codes.begin(), codes.end(), "en") == codes.end())
        codes.push_back("en");
    i18n::LoadResult loaded = i18n::Catalog::Load(localesDir, codes);
    for (const auto& e : loaded.errors)
        problems.push_back(i18n::to_string(e));
    if (!loaded.catalog)
        return problems;
    const i18n::Catalog& c = *loaded.catalog;
    const int points = settings.session.scale.Points();
    for (const auto& lang : settings.session.languages) {
        ui::Strings s;
        for (const ui::StringKey& k : ui::StringKeys())
            s.*k.member = std::string(c.Get(lang, k.key));
        if (auto q = settings.question.find(lang); q != settings.question.end())
            s.question = q->second;
        for (int i = 1; i <= points; ++i)
            s.faceLabels.push_back(std::string(c.Get(lang, ui::FaceLabelKey(points, i))));
        settings.strings[lang] = std::move(s);
        for (const auto& r : settings.reasons) {
            const std::string key = "reason.label." + r.code;
            // The config's own label overrides; the catalog labels everything else.
            if (settings.reasonLabels[lang].count(r.code))
                continue;
            if (c.Has(lang, key) || c.Has("en", key))
                settings.reasonLabels[lang][r.code] = std::string(c.Get(lang, key));
        }
    }
    for (NoticeKind kind : kNoticeKinds) {
        const char* key = NoticeLocaleKey(kind);
        const std::string& lang = settings.session.defaultLanguage;
        const std::string base = std::string("notice.") + key;
        if (c.Has("en", base + "_title") && c.Has("en", base + "_body")) {
            settings.notices[kind] = ui::StaffNotice{
                std::string(c.Get(lang, base + "_title")), std::string(c.Get(lang, base + "_body")),
                c.Has(lang, base + "_title") ? lang : std::string("en")};
        }
    }
    {
        const std::string& lang = settings.session.defaultLanguage;
        for (const PinStringKey& k : PinStringKeys()) {
            if (c.Has(lang, k.key) || c.Has("en", k.key))
                settings.manager.pin.*k.member = std::string(c.Get(lang, k.key));
        }
        StaffStrings& st = settings.staff;
        for (auto [key, target] :
             {std::pair{"staff.button", &st.button}, std::pair{"staff.title", &st.title},
              std::pair{"staff.code_for", &st.codeFor}, std::pair{"staff.wrong", &st.wrong},
              std::pair{"staff.too_short", &st.tooShort}, std::pair{"staff.locked", &st.locked},
              std::pair{"pin.cancel", &st.cancel}}) {
            if (c.Has(lang, key) || c.Has("en", key))
                *target = std::string(c.Get(lang, key));
        }
        for (const auto& d : ui::ManagerStringDefaults()) {
            if (c.Has(lang, d.key))
                settings.manager.strings[std::string(d.key)] = std::string(c.Get(lang, d.key));
        }
    }
    for (auto& l : settings.languages) {
        const std::string_view name = c.LanguageName(l.code);
        if (!name.empty())
            l.nativeName = std::string(name);
    }
    return problems;
}

const std::vector<PinStringKey>& PinStringKeys() {
    static const std::vector<PinStringKey> kKeys = {
        {"pin.title", &PinStrings::title},        {"pin.wrong", &PinStrings::wrong},
        {"pin.too_short", &PinStrings::tooShort}, {"pin.locked", &PinStrings::locked},
        {"pin.not_set", &PinStrings::notSet},     {"pin.damaged", &PinStrings::damaged},
        {"pin.set_by", &PinStrings::setBy},       {"pin.ok", &PinStrings::ok},
        {"pin.delete", &PinStrings::del},         {"pin.cancel", &PinStrings::cancel}};
    return kKeys;
}

KioskSettings DefaultKioskSettings() {
    KioskSettings s;
    s.languages = {{"en", "en"}};  // named by ApplyLocales ([language] name)
    s.strings["en"] = ui::EnglishStrings(s.session.scale.Points());
    return s;
}

KioskSettings SettingsFromConfig(const config::KioskConfig& c) {
    KioskSettings s = DefaultKioskSettings();
    s.kioskId = c.kioskId;
    s.dataDir = c.dataDir;
    s.session.scale = c.survey.scale;
    s.session.repMode = c.survey.repMode;
    s.session.askWhenNobodyOnDuty = c.survey.askWhenNobodyOnDuty;
    s.shiftMs = std::int64_t{c.survey.shiftHours} * 3600'000;
    s.session.reasonRatings = c.survey.askReasonFor;
    s.session.idleTimeoutMs = std::int64_t{c.survey.idleTimeoutS} * 1000;
    s.session.thankYouMs = std::int64_t{c.survey.thankYouS} * 1000;
    s.session.undoMs = std::int64_t{c.survey.undoS} * 1000;
    s.session.accessibleTimeFactor = c.survey.accessibleTimeFactor;
    s.session.helpRatings = c.help.offerFor;
    s.session.confirmWithinMs = std::int64_t{c.help.confirmWithinS} * 1000;
    s.escalateAfterS = c.help.escalateAfterS;
    s.session.misuse = core::MisuseRules{c.misuse.minIntervalS, c.misuse.burstMaxResponses,
                                         c.misuse.burstWindowMin};
    s.session.languages = c.languages.offered;
    s.session.defaultLanguage = c.languages.defaultLanguage;
    s.languages.clear();
    for (const auto& code : c.languages.offered)
        s.languages.push_back({code, code});  // named by ApplyLocales
    s.reps.clear();
    s.session.repIds.clear();
    for (const auto& rep : c.roster)
        s.roster.push_back({rep.id, rep.name, rep.active, rep.codeHash});
    for (const auto& rep : c.ActiveReps()) {
        s.reps.push_back({rep.id, rep.name});
        s.session.repIds.push_back(rep.id);
    }
    s.reasons.clear();
    s.session.reasonCodes.clear();
    for (const auto& reason : c.reasons) {
        // Drawn until ApplyLocales labels it: the file's English label, else the code itself.
        const std::string& fileLabel = reason.Label("en");
        s.reasons.push_back(
            {reason.code, fileLabel.empty() ? reason.code : fileLabel, reason.pictogram});
        s.session.reasonCodes.push_back(reason.code);
        for (const auto& [lang, label] : reason.labels)
            s.reasonLabels[lang][reason.code] = label;
    }
    s.strings.clear();
    s.question = c.survey.question;
    for (const auto& l : s.session.languages) {
        s.strings[l] = ui::EnglishStrings(s.session.scale.Points());
        if (auto q = s.question.find(l); q != s.question.end())
            s.strings[l].question = q->second;
    }
    if (c.hours.always) {
        s.hours = core::OpeningHours::Always();
    } else {
        std::array<std::vector<core::DayHours>, 7> week;
        for (std::size_t d = 0; d < 7; ++d) {
            for (const auto& range : c.hours.week[d])
                week[d].push_back(core::DayHours{range.openMin, range.closeMin});
        }
        s.hours = core::OpeningHours::WeeklyRanges(std::move(week));
    }
    if (c.display.dpi)
        s.dpi = static_cast<float>(*c.display.dpi);
    s.showCursor = c.display.showCursor;
    s.soundEnabled = c.sound.enabled;
    s.soundVolumePct = c.sound.volumePct;
    s.soundDevice = c.sound.device;
    s.fonts = {c.fonts.latin, c.fonts.devanagari, c.fonts.telugu};
    s.kioskId = c.kioskId;
    s.storeId = c.storeId;
    s.serverUrl = c.sync.serverUrl;
    s.tokenFile = c.sync.tokenFile;
    s.caFile = c.sync.caFile;
    s.syncIntervalS = c.sync.intervalS;
    s.insecureSkipTlsVerify = c.sync.insecureSkipTlsVerify;
    s.manager.pinHash = c.manager.pinHash;
    s.manager.autoExitS = c.manager.autoExitS;
    s.manager.minN = c.manager.minN;
    s.manager.alert.negativePct = c.manager.alert.negativeSharePct;
    s.manager.alert.windowMs = std::int64_t{c.manager.alert.windowMin} * 60 * 1000;
    s.manager.alert.minResponses = c.manager.alert.minResponses;
    if (!c.manager.exportDir.empty())
        s.manager.exportDirs.push_back(c.manager.exportDir);
    for (const auto& reason : c.reasons)
        s.manager.reasonPolicy.push_back({reason.code, reason.attributableToRep});
    return s;
}

}  // namespace fk::app
