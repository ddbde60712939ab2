#pragma once
// The kiosk's configuration as typed, validated values (kiosk-config/kiosk.toml documents every
// key). Plain structs: build one with LoadKioskConfig, then share it read-only between threads.
// A default-constructed KioskConfig holds the documented defaults (ids empty).

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/ConfigError.h"
#include "core/Pictogram.h"
#include "core/Rating.h"
#include "core/RepMode.h"
#include "core/Stats.h"

namespace fk::config {

// Language codes the kiosk has translations and fonts for.
inline constexpr std::array<std::string_view, 5> kKnownLanguages = {"en", "hi", "ne", "te", "da"};

// Who a rating is attributed to: the customer flow's own type ([survey] rep_mode spells it).
using core::RepMode;
using core::RepModeFromString;

struct Rep {
    std::string id;    // [A-Za-z0-9._-], stable: stored with every response
    std::string name;  // display name, any script (UTF-8)
    bool active = true;
    // The rep's personal staff code as an argon2id hash (config/PinHash.h; `kiosk-server
    // set-rep-code` writes it): the rep signs in or out at the till with it, no manager PIN.
    // nullopt: no code, the rep cannot sign in at the till. Never logged.
    std::optional<std::string> codeHash;
};

struct Reason {
    std::string code;  // [a-z0-9_], stored with the response
    // The file's own labels, language code -> label (UTF-8). They override the locale catalog's
    // [reason.label] <code>; a built-in code needs none (the catalogs label it in every language).
    std::map<std::string, std::string> labels;
    // True when the reason is about the rep (staff attitude); false for wait time, price, stock.
    bool attributableToRep = false;
    // What the tile shows beside the words (`pictogram = "clock"`); a built-in code has its own,
    // any other code without one shows a speech bubble.
    core::Pictogram pictogram = core::Pictogram::SpeechBubble;

    // The file's label in `language`, else English, else the first one; empty if there are none.
    const std::string& Label(std::string_view language) const;
};

// The built-in reasons used when the file has no [[reason]]: wait_time, staff_attitude,
// product_availability, price, cleanliness, other, with their policy and no labels (the locale
// catalogs label them in every kKnownLanguages entry).
std::vector<Reason> DefaultReasons();
bool IsDefaultReasonCode(std::string_view code);

struct SurveyConfig {
    core::RatingScale scale;  // 4 (default) or 5 faces
    RepMode repMode = RepMode::Ask;
    bool askWhenNobodyOnDuty = true;  // on_duty with nobody signed in: show the picker
    int shiftHours = 10;  // on_duty: a sign-in ends by itself after this long (0: only at closing)
    std::vector<int> askReasonFor = {1, 2};  // ratings that show the reason step
    int idleTimeoutS = 20;                   // back to Rate from any step after this long untouched
    int thankYouS = 3;                       // how long "thank you" shows
    int undoS = 6;                 // "change my answer" shows this long after a rating; 0: never
    int accessibleTimeFactor = 2;  // the accessible mode's timeouts are this many times longer
    // The Rate screen's question per language, overriding the locale catalog's rate.question;
    // only a pushed survey definition (config/SurveyDefinition.h) sets it.
    std::map<std::string, std::string> question;

    bool AsksReasonFor(int rating) const;
};

// A rating is stored flagged (never dropped) when it comes within minIntervalS of the previous
// closed response, or when it would be more than burstMaxResponses within burstWindowMin minutes.
// 0 turns the respective rule off.
struct MisuseConfig {
    int minIntervalS = 3;
    int burstMaxResponses = 10;
    int burstWindowMin = 2;
};

struct LanguagesConfig {
    std::vector<std::string> offered = {"en"};  // shown as language buttons, in this order
    std::string defaultLanguage = "en";         // one of offered; the screen returns to it
};

// Minutes since local midnight: 0 <= openMin < closeMin <= 1440.
struct TimeRange {
    int openMin = 0;
    int closeMin = 1440;
    friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

struct OpeningHours {
    bool always = true;                          // open around the clock; week is ignored
    std::array<std::vector<TimeRange>, 7> week;  // index 0 = Monday ... 6 = Sunday; empty = closed

    // weekday: 0 = Monday ... 6 = Sunday; minuteOfDay: 0..1439, both in the kiosk's local time.
    bool IsOpen(int weekday, int minuteOfDay) const;
};

struct DisplayConfig {
    std::optional<double> dpi;       // overrides the DPI the monitor reports
    double minTouchTargetMm = 12.0;  // every touch target at least this square
    bool showCursor = false;         // a pointer cursor over the kiosk (a technician's mouse)
};

// The kiosk's sounds and "listen" (src/audio): a tick on every accepted tap, a chime for
// thank-you, speech on request; all through one ALSA device.
struct SoundConfig {
    bool enabled = true;             // false: no cues and no speech, the device is never opened
    int volumePct = 60;              // 0 to 100, cues and speech alike
    std::string device = "default";  // an ALSA PCM name: "default", "plughw:0,0", an asoundrc PCM
};

struct SyncConfig {
    std::string serverUrl;            // empty: sync off (the kiosk only stores locally)
    std::filesystem::path tokenFile;  // bearer token; default <dataDir>/sync-token
    std::filesystem::path caFile;     // empty: the system's CA store
    int intervalS = 60;
    // Only true when the file says `insecure_skip_tls_verify = true`; also the only way to use
    // plain http:// to a host other than loopback.
    bool insecureSkipTlsVerify = false;

    bool Enabled() const { return !serverUrl.empty(); }
};

struct FontsConfig {
    std::filesystem::path latin = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
    std::filesystem::path devanagari =
        "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf";
    std::filesystem::path telugu = "/usr/share/fonts/truetype/noto/NotoSansTelugu-Regular.ttf";
};

// "at least negativeSharePct % negative within windowMin minutes, with at least minResponses".
struct AlertRule {
    int negativeSharePct = 50;
    int windowMin = 15;
    int minResponses = 4;
};

struct ManagerConfig {
    std::optional<std::string> pinHash;  // argon2id string; nullopt: <data_dir>/manager-pin
    int autoExitS = 120;                 // manager mode closes after this long untouched
    int minN = core::kDefaultMinN;       // below this many responses: "not enough data"
    // A directory manager mode may export CSV into, besides the USB sticks mounted under /media
    // and /run/media. Empty: none.
    std::filesystem::path exportDir;
    AlertRule alert;
};

// The help step (issue 16): after these ratings the customer is asked whether someone should
// come and help now; a "yes" is a call sent to kiosk-server at once.
struct HelpConfig {
    std::vector<int> offerFor = {1};  // ratings that offer help (1 = most negative); [] = never
    int confirmWithinS = 10;   // the server must confirm a call within this, else "ask at counter"
    int escalateAfterS = 300;  // a call nobody acknowledges after this long is an alert

    bool OffersFor(int rating) const;
};

struct KioskConfig {
    std::string kioskId;  // required, [A-Za-z0-9._-]
    std::string storeId;  // required, [A-Za-z0-9._-]
    std::filesystem::path dataDir = "/var/lib/feedback-kiosk";
    SurveyConfig survey;
    std::vector<Rep> roster;
    std::vector<Reason> reasons = DefaultReasons();
    MisuseConfig misuse;
    LanguagesConfig languages;
    OpeningHours hours;
    DisplayConfig display;
    SoundConfig sound;
    SyncConfig sync;
    FontsConfig fonts;
    ManagerConfig manager;
    HelpConfig help;

    const Rep* FindRep(std::string_view id) const;          // nullptr if absent
    const Reason* FindReason(std::string_view code) const;  // nullptr if absent
    std::vector<Rep> ActiveReps() const;                    // roster order
};

// Reads and validates a kiosk configuration file. Relative paths in the file are resolved against
// the file's directory. Throws ConfigError listing every problem found (missing file, TOML syntax,
// unknown key, wrong type, out-of-range value, inconsistency), each as "file:line: key: ...".
KioskConfig LoadKioskConfig(const std::filesystem::path& file);

// The same for text already in memory; fileName is used in messages and as the base directory
// for relative paths.
KioskConfig ParseKioskConfig(std::string_view text, std::string_view fileName);

}  // namespace fk::config
