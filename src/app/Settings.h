#pragma once
// Everything the kiosk app needs from configuration, as plain values: the flow's settings, the
// roster and reasons as drawn, languages and their strings, opening hours, screen DPI.
// Built from the kiosk's validated config (SettingsFromConfig) and the locale catalog. Plain
// values; thread-safe to copy.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/KioskConfig.h"
#include "core/Alerts.h"
#include "core/FeedbackSession.h"
#include "core/OpeningHours.h"
#include "core/RepStats.h"
#include "ui/KioskScreens.h"
#include "ui/Strings.h"

namespace fk::app {

// One rep of the whole roster (inactive ones too): manager mode's roster screen edits it.
// The situations a staff notice is shown for; each has its own words.
enum class NoticeKind {
    DiskFull,  // the store cannot write: disk full
    ReadOnly,  // the data folder cannot be written
    Damaged,   // a write found the feedback file damaged; a restart sets it aside
    SetAside,  // at start a damaged file was set aside and a fresh one started
    Failed,    // any other storage failure; {detail} in the body is the store's own words
};
inline constexpr NoticeKind kNoticeKinds[] = {NoticeKind::DiskFull, NoticeKind::ReadOnly,
                                              NoticeKind::Damaged, NoticeKind::SetAside,
                                              NoticeKind::Failed};
// The locale key of a kind's words ([notice] <key>_title / <key>_body).
const char* NoticeLocaleKey(NoticeKind kind);
// A kind's words in built-in English (kiosk-config/locales/en.toml's, for a kiosk without its
// locale files).
ui::StaffNotice EnglishNotice(NoticeKind kind);

struct RosterRep {
    std::string id;
    std::string name;
    bool active = true;
    std::optional<std::string> codeHash;  // argon2id of the rep's staff code; never logged
    friend bool operator==(const RosterRep&, const RosterRep&) = default;
};

// What the PIN pad says, in the kiosk's default language (locale keys pin.*). {seconds} in
// locked is replaced by the countdown.
struct PinStrings {
    std::string title = "Manager PIN";
    std::string wrong = "Wrong PIN";
    std::string tooShort = "A PIN has 4 to 8 digits";
    std::string locked = "Too many wrong PINs. Try again in {seconds} s";
    // A kiosk without a valid PIN: the title says which, setBy says who sets it and how.
    std::string notSet = "No manager PIN is set";
    std::string damaged = "The manager PIN file is damaged";
    std::string setBy = "The technician sets it with: kiosk set-pin";
    std::string ok = "OK";
    std::string del = "Delete";
    std::string cancel = "Cancel";
};

// What the staff sign-in screens say (locale keys staff.*), in the kiosk's default language.
// {name} is the rep's name, {seconds} the lock's countdown.
struct StaffStrings {
    std::string button = "Staff";
    std::string title = "Staff: tap your name to sign in or out";
    std::string codeFor = "Code for {name}";
    std::string wrong = "Wrong code";
    std::string tooShort = "A code has 4 to 8 digits";
    std::string locked = "Too many wrong codes. Try again in {seconds} s";
    std::string cancel = "Cancel";
};

// Every PinStrings field and its locale key; the app fills PinStrings through this table.
struct PinStringKey {
    const char* key;
    std::string PinStrings::*member;
};
const std::vector<PinStringKey>& PinStringKeys();

struct ManagerSettings {
    std::optional<std::string>
        pinHash;  // config's [manager] pin_hash; nullopt: <dataDir>/manager-pin
    int autoExitS = 120;
    int minN = core::kDefaultMinN;
    core::AlertRule alert;
    std::vector<std::filesystem::path>
        exportDirs;  // [manager] export_dir (USB mounts are found at run time)
    std::vector<core::ReasonPolicy::Reason> reasonPolicy;  // which reasons count against a rep
    PinStrings pin;
    // manager.* locale keys in the kiosk's default language (ui/ManagerStrings.h lists them);
    // keys missing here are drawn in built-in English.
    std::map<std::string, std::string, std::less<>> strings;
};

struct KioskSettings {
    std::string kioskId = "kiosk";
    std::string storeId;  // [kiosk] store: whose help calls manager mode lists
    core::SessionSettings session;
    std::vector<ui::RepTile> reps;        // active reps, display order
    std::vector<RosterRep> roster;        // every rep, active or not (manager mode's roster)
    std::vector<ui::ReasonTile> reasons;  // display order
    std::vector<ui::LanguageChoice> languages;
    std::map<std::string, ui::Strings> strings;  // by language code; missing -> English
    // Reason labels by language then code: the config's own labels, then the locale catalog's
    // [reason.label] (ApplyLocales); missing -> reasons' label.
    std::map<std::string, std::map<std::string, std::string>> reasonLabels;
    // The Rate question by language from a pushed survey definition; it wins over the catalog.
    std::map<std::string, std::string> question;
    // The survey definition version in force (0: the local kiosk.toml's fallback survey).
    std::int64_t surveyVersion = 0;
    core::OpeningHours hours = core::OpeningHours::Always();
    std::optional<std::string> onDutyRep;  // rep mode on_duty: who is signed in at start
    // [survey] shift_hours: a sign-in ends by itself after this long (0: only closing time does).
    std::int64_t shiftMs = 10 * 3600'000;
    StaffStrings staff;
    float dpi = 0;            // 0: from the monitor (96 when unknown)
    bool showCursor = false;  // [display] show_cursor: fullscreen keeps the cursor
    // [sound]: cues and "listen" through this ALSA device; off: the device is never opened.
    bool soundEnabled = true;
    int soundVolumePct = 60;
    std::string soundDevice = "default";
    std::filesystem::path dataDir = "data";
    // Staff notices in the kiosk's default language, by kind (locale [notice] <key>_title and
    // <key>_body, see NoticeLocaleKey). A kind missing here shows the built-in English text.
    std::map<NoticeKind, ui::StaffNotice> notices;
    // The notice for kind, {detail} filled in: notices' words, else EnglishNotice.
    ui::StaffNotice Notice(NoticeKind kind, const std::string& detail = {}) const;
    std::vector<std::filesystem::path>
        fonts;  // shaped-text fonts; empty: Noto from fonts-noto-core
    // Sync to kiosk-server (empty serverUrl: the kiosk only stores locally).
    std::string serverUrl;
    std::filesystem::path tokenFile;
    std::filesystem::path caFile;  // empty: the system's CA store
    int syncIntervalS = 60;
    int escalateAfterS = 300;  // [help] escalate_after_s: a call unacknowledged this long alerts
    bool insecureSkipTlsVerify = false;
    ManagerSettings manager;

    const ui::Strings& StringsFor(const std::string& language) const;
    std::vector<ui::ReasonTile> ReasonsFor(const std::string& language) const;
};

// Defaults: 4 faces, rep mode ask with no reps (so no rep step), English only, always open.
KioskSettings DefaultKioskSettings();

// The app's view of a validated kiosk config (config::LoadKioskConfig).
KioskSettings SettingsFromConfig(const config::KioskConfig& config);

// Fills strings, reason labels and language names from the locale catalog in localesDir
// (kiosk-config/locales/<code>.toml). Returns the catalog's problems as messages (a missing
// locale falls back to English); the settings stay usable whatever happens.
std::vector<std::string> ApplyLocales(KioskSettings& settings,
                                      const std::filesystem::path& localesDir);

}  // namespace fk::app
