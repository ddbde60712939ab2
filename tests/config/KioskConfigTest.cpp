// Valid configurations: the shipped files, defaults, Unicode, paths, hours.

#include <doctest/doctest.h>

#include <fstream>

#include "config/KioskConfig.h"
#include "support/Paths.h"
#include "support/TempDir.h"

namespace fk::config {
namespace {

constexpr std::string_view kMinimal = R"(
[kiosk]
id = "k1"
store_id = "s1"
)";

KioskConfig Parse(std::string_view extra) {
    return ParseKioskConfig(std::string(kMinimal) + std::string(extra), "kiosk.toml");
}

std::filesystem::path ConfigDir() {
    return test::SourceDir() / "kiosk-config";
}

TEST_CASE("every shipped kiosk-config toml file validates") {
    int loaded = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(ConfigDir())) {
        const auto relative = std::filesystem::relative(entry.path(), ConfigDir());
        if (*relative.begin() == "locales" || !entry.is_regular_file() ||
            entry.path().extension() != ".toml") {
            continue;
        }
        CAPTURE(entry.path().string());
        try {
            KioskConfig config = LoadKioskConfig(entry.path());
            CHECK_FALSE(config.kioskId.empty());
            CHECK_FALSE(config.storeId.empty());
            ++loaded;
        } catch (const ConfigError& error) {
            FAIL_CHECK(error.what());
        }
    }
    CHECK(loaded >= 3);  // kiosk.toml and the two examples at least
}

TEST_CASE("a config with only the ids gets the documented defaults") {
    KioskConfig config = Parse("");
    CHECK(config.kioskId == "k1");
    CHECK(config.storeId == "s1");
    CHECK(config.dataDir == "/var/lib/feedback-kiosk");
    CHECK(config.survey.scale.Points() == 4);
    CHECK(config.survey.repMode == RepMode::Ask);
    CHECK(config.survey.askWhenNobodyOnDuty);  // the default
    CHECK(config.survey.askReasonFor == std::vector<int>{1, 2});
    CHECK(config.survey.idleTimeoutS == 20);
    CHECK(config.survey.thankYouS == 3);
    CHECK(config.survey.undoS == 6);
    CHECK(config.survey.accessibleTimeFactor == 2);
    CHECK(config.help.offerFor == std::vector<int>{1});
    CHECK(config.help.confirmWithinS == 10);
    CHECK(config.help.escalateAfterS == 300);
    CHECK(config.roster.empty());
    CHECK(config.reasons.size() == 6);
    CHECK(config.misuse.minIntervalS == 3);
    CHECK(config.misuse.burstMaxResponses == 10);
    CHECK(config.misuse.burstWindowMin == 2);
    CHECK(config.languages.offered == std::vector<std::string>{"en"});
    CHECK(config.languages.defaultLanguage == "en");
    CHECK(config.hours.always);
    CHECK(config.hours.IsOpen(6, 3 * 60));
    CHECK_FALSE(config.display.dpi.has_value());
    CHECK(config.display.minTouchTargetMm == 12.0);
    CHECK_FALSE(config.display.showCursor);
    CHECK_FALSE(config.sync.Enabled());
    CHECK(config.sync.tokenFile == "/var/lib/feedback-kiosk/sync-token");
    CHECK(config.sync.caFile.empty());
    CHECK(config.sync.intervalS == 60);
    CHECK_FALSE(config.sync.insecureSkipTlsVerify);
    CHECK(config.fonts.latin == "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf");
    CHECK(config.fonts.devanagari ==
          "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf");
    CHECK(config.fonts.telugu == "/usr/share/fonts/truetype/noto/NotoSansTelugu-Regular.ttf");
    CHECK_FALSE(config.manager.pinHash.has_value());
    CHECK(config.manager.autoExitS == 120);
    CHECK(config.manager.minN == 20);
    CHECK(config.manager.alert.negativeSharePct == 50);
    CHECK(config.manager.alert.windowMin == 15);
    CHECK(config.manager.alert.minResponses == 4);
}

TEST_CASE(
    "default reasons blame the rep only for staff attitude and carry no labels of their own") {
    // Their words come from the locale catalogs (tests/app: "a reason configured by code only").
    for (const Reason& reason : DefaultReasons()) {
        CAPTURE(reason.code);
        CHECK(reason.attributableToRep == (reason.code == "staff_attitude"));
        CHECK(reason.labels.empty());
        CHECK(IsDefaultReasonCode(reason.code));
    }
    CHECK_FALSE(IsDefaultReasonCode("bagging_area"));
    const KioskConfig config;
    REQUIRE(config.FindReason("wait_time") != nullptr);
    CHECK(config.FindReason("wait_time")->Label("te").empty());
}

TEST_CASE("shipped kiosk.toml lists the built-in reasons and a multilingual roster") {
    KioskConfig config = LoadKioskConfig(ConfigDir() / "kiosk.toml");
    std::vector<Reason> defaults = DefaultReasons();
    REQUIRE(config.reasons.size() == defaults.size());
    for (std::size_t i = 0; i < defaults.size(); ++i) {
        CHECK(config.reasons[i].code == defaults[i].code);
        CHECK(config.reasons[i].labels.empty());  // the locale catalogs label them
        CHECK(config.reasons[i].attributableToRep == defaults[i].attributableToRep);
    }
    REQUIRE(config.FindRep("r2") != nullptr);
    CHECK(config.FindRep("r2")->name == "प्रिया शर्मा");
    CHECK(config.FindRep("r3")->name == "శ్రీనివాస్ రెడ్డి");
    CHECK(config.FindRep("r4")->name == "Søren Østergård");
    CHECK(config.ActiveReps().size() == 4);
    CHECK_FALSE(config.FindRep("r5")->active);
}

TEST_CASE("rep names in any script round-trip byte for byte") {
    const std::vector<std::string> names = {"प्रिया शर्मा", "శ్రీనివాస్ రెడ్డి",      "Æske Lærkesen",
                                            "राम थापा",   "O'Brien \"Bo\"", "李小龙 🙂"};
    std::string text = "[survey]\nrep_mode = \"ask\"\n";
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::string escaped;
        for (char c : names[i]) {
            escaped += (c == '"' ? "\\\"" : std::string(1, c));
        }
        text += "[[rep]]\nid = \"r" + std::to_string(i) + "\"\nname = \"" + escaped + "\"\n";
    }
    KioskConfig config = Parse(text);
    REQUIRE(config.roster.size() == names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        CHECK(config.roster[i].name == names[i]);
        CHECK(config.roster[i].id == "r" + std::to_string(i));
    }
}

TEST_CASE("the on-duty five-point example reads as written") {
    KioskConfig config = LoadKioskConfig(ConfigDir() / "examples" / "on-duty-5-point.toml");
    CHECK(config.survey.scale.Points() == 5);
    CHECK(config.survey.repMode == RepMode::OnDuty);
    CHECK_FALSE(config.survey.askWhenNobodyOnDuty);
    CHECK(config.survey.askReasonFor == std::vector<int>{1, 2, 3});
    CHECK(config.languages.offered == std::vector<std::string>{"da", "en"});
    CHECK(config.languages.defaultLanguage == "da");
    CHECK(config.display.dpi == 141.0);
    CHECK(config.sync.serverUrl == "https://feedback.example.dk");
    CHECK(config.sync.caFile == "/etc/feedback-kiosk/hq-ca.pem");
    REQUIRE(config.manager.pinHash.has_value());
    CHECK(config.manager.pinHash->starts_with("$argon2id$v=19$"));
    CHECK(config.manager.alert.negativeSharePct == 40);
    CHECK(config.FindReason("bagging_area") != nullptr);
    CHECK(config.FindReason("cleanliness") == nullptr);
    CHECK_FALSE(config.hours.always);
    CHECK(config.hours.IsOpen(0, 8 * 60));
    CHECK_FALSE(config.hours.IsOpen(0, 7 * 60 + 59));
    CHECK_FALSE(config.hours.IsOpen(0, 21 * 60));
    CHECK(config.hours.IsOpen(4, 21 * 60 + 30));
    CHECK_FALSE(config.hours.IsOpen(6, 12 * 60));
}

TEST_CASE("opening hours take ranges, lunch breaks, closed days and 24:00") {
    KioskConfig config = Parse(R"(
[hours]
monday = ["09:00-13:30", "16:00-22:00"]
tuesday = "00:00-24:00"
wednesday = "closed"
thursday = "10:00-11:00"
friday = "10:00-11:00"
saturday = "10:00-11:00"
sunday = "10:00-11:00"
)");
    CHECK_FALSE(config.hours.always);
    CHECK(config.hours.week[0] == std::vector<TimeRange>{{540, 810}, {960, 1320}});
    CHECK(config.hours.IsOpen(0, 13 * 60 + 29));
    CHECK_FALSE(config.hours.IsOpen(0, 13 * 60 + 30));
    CHECK_FALSE(config.hours.IsOpen(0, 15 * 60));
    CHECK(config.hours.IsOpen(1, 0));
    CHECK(config.hours.IsOpen(1, 1439));
    CHECK(config.hours.week[2].empty());
    CHECK_FALSE(config.hours.IsOpen(2, 12 * 60));
}

TEST_CASE("relative paths are resolved against the config file's directory") {
    test::TempDir dir("fk-config");
    std::filesystem::create_directories(dir.Path() / "etc");
    {
        std::ofstream out(dir.Path() / "etc" / "kiosk.toml");
        out << kMinimal << "data_dir = \"data\"\n[sync]\nserver_url = \"http://127.0.0.1:8080/\"\n"
            << "ca_file = \"ca.pem\"\n[fonts]\nlatin = \"fonts/Latin.ttf\"\n";
    }
    KioskConfig config = LoadKioskConfig(dir.Path() / "etc" / "kiosk.toml");
    CHECK(config.dataDir == dir.Path() / "etc" / "data");
    CHECK(config.sync.tokenFile == dir.Path() / "etc" / "data" / "sync-token");
    CHECK(config.sync.caFile == dir.Path() / "etc" / "ca.pem");
    CHECK(config.fonts.latin == dir.Path() / "etc" / "fonts" / "Latin.ttf");
    CHECK(config.sync.serverUrl == "http://127.0.0.1:8080");
    CHECK(config.fonts.telugu == "/usr/share/fonts/truetype/noto/NotoSansTelugu-Regular.ttf");
}

TEST_CASE("the cursor stays hidden unless a technician asks for it with display.show_cursor") {
    CHECK_FALSE(Parse("[display]\nshow_cursor = false\n").display.showCursor);
    CHECK(Parse("[display]\nshow_cursor = true\n").display.showCursor);
}

TEST_CASE("sync accepts https anywhere and http only to loopback unless explicitly insecure") {
    CHECK(Parse("[sync]\nserver_url = \"https://hq.example.com:8443/kiosk\"\n").sync.serverUrl ==
          "https://hq.example.com:8443/kiosk");
    CHECK(Parse("[sync]\nserver_url = \"http://localhost:9000\"\n").sync.Enabled());
    CHECK(Parse("[sync]\nserver_url = \"http://[::1]:9000\"\n").sync.Enabled());
    KioskConfig lab =
        Parse("[sync]\nserver_url = \"http://10.0.0.5\"\ninsecure_skip_tls_verify = true\n");
    CHECK(lab.sync.serverUrl == "http://10.0.0.5");
    CHECK(lab.sync.insecureSkipTlsVerify);
}

TEST_CASE("with sync on, ask mode may start with an empty roster the server will push") {
    KioskConfig config =
        Parse("[survey]\nrep_mode = \"ask\"\n[sync]\nserver_url = \"https://hq.example.com\"\n");
    CHECK(config.survey.repMode == RepMode::Ask);
    CHECK(config.roster.empty());
}

TEST_CASE("languages default to the first offered and reasons need only offered languages") {
    KioskConfig config = Parse(R"(
[languages]
offered = ["ne", "en"]
[[reason]]
code = "queue"
label = { ne = "लाइन", en = "Queue" }
)");
    CHECK(config.languages.defaultLanguage == "ne");
    REQUIRE(config.reasons.size() == 1);
    CHECK(config.reasons[0].Label("ne") == "लाइन");
    CHECK(config.reasons[0].Label("da") == "Queue");
    CHECK_FALSE(config.reasons[0].attributableToRep);
}

TEST_CASE(
    "a reason's pictogram: its own for built-in codes, a speech bubble else, or the named one") {
    const auto defaults = Parse("").reasons;
    REQUIRE(defaults.size() == 6);
    CHECK(defaults[0].pictogram == core::Pictogram::Clock);
    CHECK(defaults[1].pictogram == core::Pictogram::Person);
    CHECK(defaults[2].pictogram == core::Pictogram::EmptyShelf);
    CHECK(defaults[3].pictogram == core::Pictogram::PriceTag);
    CHECK(defaults[4].pictogram == core::Pictogram::Sparkles);
    CHECK(defaults[5].pictogram == core::Pictogram::SpeechBubble);
    const auto own = Parse(R"(
[[reason]]
code = "queue"
label = { en = "Queue" }
pictogram = "clock"
[[reason]]
code = "parking"
label = { en = "Parking" }
[[reason]]
code = "price"
pictogram = "sparkles"
)")
                         .reasons;
    REQUIRE(own.size() == 3);
    CHECK(own[0].pictogram == core::Pictogram::Clock);
    CHECK(own[1].pictogram == core::Pictogram::SpeechBubble);
    CHECK(own[2].pictogram == core::Pictogram::Sparkles);  // the file may change a built-in's
    for (core::Pictogram p : core::kAllPictograms)
        CHECK(core::PictogramFromString(core::to_string(p)) == p);
}

TEST_CASE("rep mode names round-trip") {
    for (RepMode mode : {RepMode::Ask, RepMode::OnDuty, RepMode::Off}) {
        CHECK(RepModeFromString(to_string(mode)) == mode);
    }
    CHECK_FALSE(RepModeFromString("On_Duty").has_value());
}

}  // namespace

TEST_CASE("sound: on at 60 % on the default ALSA device unless [sound] says otherwise") {
    const auto defaults = Parse("");
    CHECK(defaults.sound.enabled);
    CHECK(defaults.sound.volumePct == 60);
    CHECK(defaults.sound.device == "default");
    const auto set =
        Parse("[sound]\nenabled = false\nvolume_pct = 0\ndevice = \"plughw:1,0\"\n").sound;
    CHECK_FALSE(set.enabled);
    CHECK(set.volumePct == 0);
    CHECK(set.device == "plughw:1,0");
}

}  // namespace fk::config
