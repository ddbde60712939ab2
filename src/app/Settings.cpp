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
            return nullptr;
    }
    return nullptr;
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
        auto get = [&](const char* key) { return std::string(c.Get(lang, key)); };
        s.question = get("rate.question");
        if (auto q = settings.question.find(lang); q != settings.question.end())
            s.question = q->second;
        s.servedBy = get("rate.served_by");
        const std::string faces = "rate.face" + std::to_string(points) + ".";
        for (int i = 1; i <= points; ++i)
            s.faceLabels.push_back(std::string(c.Get(lang, faces + std::to_string(i))));
        s.whoHelped = get("rep.question");
        s.reasonTitle = get("reason.question");
        s.skip = get("common.skip");
        s.listen = get("common.listen");
        s.undo = get("common.undo");
        s.accessible = get("rate.accessible");
        s.helpQuestion = get("help.question");
        s.helpYes = get("help.yes");
        s.helpNo = get("help.no");
        s.thankYou = get("thanks.title");
        s.thankYouBody = get("thanks.body");
        s.thankYouSorry = get("thanks.sorry_title");
        s.thankYouSorryBody = get("thanks.sorry_body");
        s.callSending = get("help.calling");
        s.callOnTheWay = get("help.on_the_way");
        s.callAskCounter = get("help.ask_counter");
        s.closedTitle = get("closed.title");
        s.closedBody = get("closed.body");
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
    for (NoticeKind kind :
         {NoticeKind::DiskFull, NoticeKind::ReadOnly, NoticeKind::Damaged, NoticeKind::SetAside}) {
        const char* key = NoticeLocaleKey(kind);
        if (!key)
            continue;
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
        PinStrings& p = settings.manager.pin;
        for (auto [key, target] :
             {std::pair{"pin.title", &p.title}, std::pair{"pin.wrong", &p.wrong},
              std::pair{"pin.too_short", &p.tooShort}, std::pair{"pin.locked", &p.locked},
              std::pair{"pin.not_set", &p.notSet}, std::pair{"pin.damaged", &p.damaged},
              std::pair{"pin.set_by", &p.setBy}, std::pair{"pin.ok", &p.ok},
              std::pair{"pin.delete", &p.del}, std::pair{"pin.cancel", &p.cancel}}) {
            if (c.Has(lang, key) || c.Has("en", key))
                *target = std::string(c.Get(lang, key));
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
