// Refused configurations: every problem named as "file:line: key: what is wrong, what is allowed".

#include <doctest/doctest.h>

#include "config/KioskConfig.h"
#include "config/PinHash.h"
#include "support/TempDir.h"

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& lines) {
        std::string text = "\n";
        for (const std::string& line : lines) {
            text += "  " + line + "\n";
        }
        return text.c_str();
    }
};
}  // namespace doctest

namespace fk::config {
namespace {

// Lines 1-4; whatever is appended starts on line 5.
constexpr std::string_view kIds = "# test\n[kiosk]\nid = \"k1\"\nstore_id = \"s1\"\n";

std::vector<std::string> ProblemsOf(std::string_view text) {
    try {
        ParseKioskConfig(text, "kiosk.toml");
    } catch (const ConfigError& error) {
        std::vector<std::string> lines;
        for (const ConfigProblem& problem : error.Problems()) {
            lines.push_back(to_string(problem));
        }
        return lines;
    }
    return {};
}

std::vector<std::string> ProblemsWith(std::string_view extra) {
    return ProblemsOf(std::string(kIds) + std::string(extra));
}

using Lines = std::vector<std::string>;

TEST_CASE("out-of-range values name file, line, key and the allowed range") {
    CHECK(ProblemsWith("[survey]\nscale = 7\n") ==
          Lines{"kiosk.toml:6: survey.scale: 7 is out of range, use 4 or 5"});
    CHECK(ProblemsWith("[survey]\nidle_timeout_s = 2\n") ==
          Lines{"kiosk.toml:6: survey.idle_timeout_s: 2 is out of range, use 5 to 3600 (seconds)"});
    CHECK(ProblemsWith("[display]\nmin_touch_target_mm = 8.5\n") ==
          Lines{"kiosk.toml:6: display.min_touch_target_mm: 8.5 is out of range, use 12 to 40 "
                "(millimetres)"});
    CHECK(ProblemsWith("[manager.alert]\nnegative_share_pct = 150\n") ==
          Lines{"kiosk.toml:6: manager.alert.negative_share_pct: 150 is out of range, use 1 to 100 "
                "(percent)"});
    CHECK(ProblemsWith("[survey]\nask_reason_for = [1, 4]\n").empty());
}

TEST_CASE("ask_reason_for is checked against the scale and for repeats") {
    CHECK(ProblemsWith("[survey]\nask_reason_for = [1, 5]\n") ==
          Lines{"kiosk.toml:6: survey.ask_reason_for: 5 is out of range for a 4-point scale, use 1 "
                "to 4"});
    CHECK(ProblemsWith("[survey]\nscale = 5\nask_reason_for = [1, 5]\n").empty());
    CHECK(
        ProblemsWith("[survey]\nask_reason_for = [2, 2, 0]\n") ==
        Lines{
            "kiosk.toml:6: survey.ask_reason_for: 2 is listed twice, list each rating once",
            "kiosk.toml:6: survey.ask_reason_for: 0 is out of range, use ratings 1 to 5 (1 = most "
            "negative), e.g. [1, 2]"});
}

TEST_CASE("[help] is checked: offer_for against the scale and for repeats, times in range") {
    CHECK(ProblemsWith("[help]\noffer_for = [1, 2]\nconfirm_within_s = 5\n").empty());
    CHECK(ProblemsWith("[help]\noffer_for = []\n").empty());
    CHECK(ProblemsWith("[help]\noffer_for = [5]\n") ==
          Lines{"kiosk.toml:6: help.offer_for: 5 is out of range for a 4-point scale, use 1 to 4"});
    CHECK(ProblemsWith("[help]\noffer_for = [1, 1, 9]\n") ==
          Lines{"kiosk.toml:6: help.offer_for: 1 is listed twice, list each rating once",
                "kiosk.toml:6: help.offer_for: 9 is out of range, use ratings 1 to 5 (1 = most "
                "negative), e.g. [1], or [] to never offer help"});
    CHECK(ProblemsWith("[help]\nconfirm_within_s = 0\n") ==
          Lines{"kiosk.toml:6: help.confirm_within_s: 0 is out of range, use 2 to 120 (seconds)"});
    CHECK(ProblemsWith("[help]\n\nescalate_after_s = 10\n") ==
          Lines{"kiosk.toml:7: help.escalate_after_s: 10 is out of range, use 30 to 86400 "
                "(seconds)"});
    CHECK(ProblemsWith("[help]\nconfirm_within = 5\n").size() == 1);
}

TEST_CASE("wrong types say what was found and what is expected") {
    CHECK(
        ProblemsWith("[survey]\nscale = \"4\"\n") ==
        Lines{"kiosk.toml:6: survey.scale: got a string (\"4\"), expected an integer, use 4 or 5"});
    CHECK(ProblemsWith("[survey]\nscale = 4.0\n") ==
          Lines{"kiosk.toml:6: survey.scale: got a float (4), expected an integer, use 4 or 5"});
    CHECK(ProblemsWith("[display]\nshow_cursor = 1\n") ==
          Lines{"kiosk.toml:6: display.show_cursor: got an integer (1), expected a boolean, use "
                "true or false"});
    CHECK(ProblemsWith("[sync]\ninsecure_skip_tls_verify = \"yes\"\n") ==
          Lines{"kiosk.toml:6: sync.insecure_skip_tls_verify: got a string (\"yes\"), expected a "
                "boolean, use true or false"});
    CHECK(ProblemsOf("survey = 4\n[kiosk]\nid = \"k\"\nstore_id = \"s\"\n") ==
          Lines{"kiosk.toml:1: survey: got an integer (4), expected a table, write it as [survey] "
                "followed by its keys"});
    CHECK(ProblemsWith("[rep]\nid = \"r1\"\nname = \"A\"\n") ==
          Lines{"kiosk.toml:5: rep: got a table, expected an array of tables, write each entry as "
                "[[rep]] followed by its keys"});
}

TEST_CASE("unknown keys and tables are refused with the closest known key") {
    CHECK(ProblemsWith("[survey]\nscael = 4\n") ==
          Lines{"kiosk.toml:6: survey.scael: unknown key, did you mean \"scale\"? Allowed: scale, "
                "rep_mode, ask_when_nobody_on_duty, shift_hours, ask_reason_for, idle_timeout_s, "
                "thank_you_s, undo_s, accessible_time_factor"});
    CHECK(
        ProblemsWith("[sruvey]\nscale = 4\n") ==
        Lines{"kiosk.toml:5: sruvey: unknown key, did you mean \"survey\"? Allowed: kiosk, survey, "
              "languages, misuse, hours, display, sound, sync, fonts, manager, help, rep, reason"});
    CHECK(ProblemsWith("[manager.alert]\nthreshold = 3\n") ==
          Lines{"kiosk.toml:6: manager.alert.threshold: unknown key, allowed: negative_share_pct, "
                "window_min, min_responses"});
    CHECK(ProblemsWith("[[reason]]\ncode = \"q\"\nlabel = { en = \"Q\", fr = \"File\" }\n") ==
          Lines{"kiosk.toml:7: reason[1].label.fr: unknown key, allowed: en, hi, ne, te, da"});
}

TEST_CASE("bad enumerations and ids list the allowed values") {
    CHECK(ProblemsWith("[survey]\nrep_mode = \"onduty\"\n") ==
          Lines{"kiosk.toml:6: survey.rep_mode: \"onduty\" is not a rep mode, use \"ask\", "
                "\"on_duty\" or \"off\""});
    CHECK(ProblemsWith("[languages]\noffered = [\"en\", \"fr\"]\n") ==
          Lines{"kiosk.toml:6: languages.offered: \"fr\" is not supported, use language codes from "
                "\"en\", \"hi\", \"ne\", \"te\", \"da\""});
    CHECK(ProblemsWith("[languages]\noffered = [\"en\"]\ndefault = \"hi\"\n") ==
          Lines{"kiosk.toml:7: languages.default: \"hi\" is not in languages.offered, use one of "
                "the offered languages"});
    CHECK(
        ProblemsOf("[kiosk]\nid = \"till 3\"\nstore_id = \"s/1\"\n") ==
        Lines{"kiosk.toml:2: kiosk.id: \"till 3\" is not a valid id, use 1 to 64 letters, digits, "
              "'.', '_' or '-'",
              "kiosk.toml:3: kiosk.store_id: \"s/1\" is not a valid id, use 1 to 64 letters, "
              "digits, '.', '_' or '-'"});
}

TEST_CASE("missing kiosk and store ids are reported where they belong") {
    CHECK(
        ProblemsOf("[survey]\nscale = 4\n") ==
        Lines{"kiosk.toml:1: kiosk.id: missing, set [kiosk] id = \"<this kiosk's unique id>\", "
              "e.g. \"store12-till3\"",
              "kiosk.toml:1: kiosk.store_id: missing, set [kiosk] store_id = \"<the store's id>\", "
              "e.g. \"store12\""});
    CHECK(
        ProblemsOf("\n\n[kiosk]\nid = \"k\"\n") ==
        Lines{"kiosk.toml:3: kiosk.store_id: missing, set [kiosk] store_id = \"<the store's id>\", "
              "e.g. \"store12\""});
}

TEST_CASE("a reason's pictogram must be one the kiosk draws") {
    CHECK(ProblemsWith(
              "[[reason]]\ncode = \"q\"\nlabel = { en = \"Q\" }\npictogram = \"smiley\"\n") ==
          Lines{"kiosk.toml:8: reason[1].pictogram: \"smiley\" is not a pictogram, use \"clock\", "
                "\"person\", \"empty_shelf\", \"price_tag\", \"sparkles\" or \"speech_bubble\""});
    CHECK(ProblemsWith("[[reason]]\ncode = \"q\"\nlabel = { en = \"Q\" }\npictogram = 3\n") ==
          Lines{"kiosk.toml:8: reason[1].pictogram: got an integer (3), expected a string, use "
                "\"clock\", \"person\", \"empty_shelf\", \"price_tag\", \"sparkles\" or "
                "\"speech_bubble\""});
}

TEST_CASE("duplicate rep ids and reason codes are refused") {
    CHECK(
        ProblemsWith("[[rep]]\nid = \"r1\"\nname = \"Asha\"\n"
                     "[[rep]]\nid = \"r1\"\nname = \"आशा\"\n") ==
        Lines{"kiosk.toml:9: rep[2].id: \"r1\" is already used by rep[1] (line 6), rep ids must be "
              "unique"});
    CHECK(ProblemsWith("[[reason]]\ncode = \"price\"\nlabel = { en = \"Price\" }\n"
                       "[[reason]]\ncode = \"price\"\nlabel = { en = \"Cost\" }\n") ==
          Lines{"kiosk.toml:9: reason[2].code: \"price\" is already used by reason[1] (line 6), "
                "reason codes must be unique"});
}

TEST_CASE("reps and reasons need their required keys and readable text") {
    CHECK(ProblemsWith("[[rep]]\nname = \"Asha\"\n[[rep]]\nid = \"r2\"\nname = \"  \"\n") ==
          Lines{"kiosk.toml:5: rep[1].id: missing, give every [[rep]] an id, e.g. id = \"r7\"",
                "kiosk.toml:9: rep[2].name: is empty, write the text to show"});
    CHECK(
        ProblemsWith("[[reason]]\ncode = \"Wait Time\"\n[[reason]]\ncode = \"ok\"\n"
                     "label = { en = \"OK\" }\n") ==
        Lines{
            "kiosk.toml:5: reason[1].label: missing, give the text per language, e.g. label = "
            "{ en = \"Price\" }",
            "kiosk.toml:6: reason[1].code: \"Wait Time\" is not a valid id, use 1 to 40 lowercase "
            "letters, digits or '_'"});
}

TEST_CASE("reasons that would never be shown are refused") {
    CHECK(ProblemsWith("[survey]\nask_reason_for = []\n[[reason]]\ncode = \"price\"\n"
                       "label = { en = \"Price\" }\n") ==
          Lines{"kiosk.toml:7: reason: reasons are defined but survey.ask_reason_for is empty, so "
                "none would ever be shown, list ratings in survey.ask_reason_for (e.g. [1, 2]) or "
                "remove the [[reason]] entries"});
    CHECK(ProblemsOf("reason = []\n[kiosk]\nid = \"k\"\nstore_id = \"s\"\n[survey]\n"
                     "ask_reason_for = [1]\n") ==
          Lines{"kiosk.toml:6: survey.ask_reason_for: asks for a reason but no [[reason]] is "
                "defined, add [[reason]] entries or set ask_reason_for = []"});
    CHECK(ProblemsWith("[survey]\nask_reason_for = []\n").empty());
}

TEST_CASE("every offered language needs a label on the file's own reason codes") {
    // Built-in codes are labelled by the locale catalogs: no label needed, a partial one overrides.
    CHECK(ProblemsWith("[languages]\noffered = [\"en\", \"te\"]\n"
                       "[[reason]]\ncode = \"price\"\n"
                       "[[reason]]\ncode = \"other\"\nlabel = { en = \"Else\" }\n")
              .empty());
    CHECK(
        ProblemsWith("[languages]\noffered = [\"en\", \"te\"]\n"
                     "[[reason]]\ncode = \"bagging\"\nlabel = { en = \"Bagging\" }\n") ==
        Lines{
            "kiosk.toml:9: reason[1].label: no \"te\" label but languages.offered has \"te\", add "
            "te = \"...\""});
}

TEST_CASE("ask or on_duty without any active rep and without sync is refused") {
    CHECK(
        ProblemsWith("[survey]\nrep_mode = \"on_duty\"\n[[rep]]\nid = \"r1\"\nname = \"A\"\n"
                     "active = false\n") ==
        Lines{
            "kiosk.toml:6: survey.rep_mode: \"on_duty\" needs at least one active [[rep]] (or a "
            "sync server that pushes the roster), add [[rep]] entries or use rep_mode = \"off\""});
    CHECK(ProblemsWith("[survey]\nrep_mode = \"off\"\n").empty());
}

TEST_CASE("tls verification can only be turned off by the explicit key") {
    CHECK(ProblemsWith("[sync]\nserver_url = \"http://hq.example.com\"\n") ==
          Lines{"kiosk.toml:6: sync.server_url: plain http:// would send the kiosk token "
                "unencrypted, use https:// (http:// is allowed only to 127.0.0.1 or localhost, or "
                "with insecure_skip_tls_verify = true)"});
    // libcurl would connect to evil.example: the host is what follows the userinfo (found by
    // fuzz/ConfigFuzz.cpp, input in fuzz/regressions/config/).
    for (const char* url : {"http://localhost:80@evil.example/", "http://127.0.0.1@evil.example",
                            "http://localhost:x/", "https://user:secret@hq.example.com"}) {
        const std::string text = url;
        CAPTURE(text);
        const auto problems = ProblemsWith("[sync]\nserver_url = \"" + text + "\"\n");
        REQUIRE(problems.size() == 1);
        CAPTURE(problems[0]);
        CHECK(problems[0].find("sync.server_url: ") != std::string::npos);
    }
    CHECK(ProblemsWith("[sync]\nserver_url = \"http://localhost:8080/kiosk\"\n").empty());
    CHECK(ProblemsWith("[sync]\nserver_url = \"ftp://hq\"\n") ==
          Lines{"kiosk.toml:6: sync.server_url: \"ftp://hq\" is not an http(s) URL, use "
                "\"https://host[:port]\", or \"\" to turn sync off"});
    CHECK(ProblemsWith("[sync]\nserver_url = \"https://hq\"\nverify_tls = false\n") ==
          Lines{"kiosk.toml:7: sync.verify_tls: unknown key, allowed: server_url, token_file, "
                "ca_file, interval_s, insecure_skip_tls_verify"});
}

TEST_CASE("opening hours problems name the weekday") {
    Lines problems = ProblemsWith("[hours]\nmonday = \"21:00-08:00\"\n");
    REQUIRE(problems.size() == 7);
    CHECK(problems[0] ==
          "kiosk.toml:5: hours.tuesday: missing, give every weekday \"HH:MM-HH:MM\" or \"closed\" "
          "when hours.always is false");
    CHECK(
        problems[6] ==
        "kiosk.toml:6: hours.monday: \"21:00-08:00\" is not a time range, use \"HH:MM-HH:MM\" "
        "(e.g. \"08:00-21:00\", close after open, at most 24:00), \"closed\", or an array of such "
        "ranges");
    CHECK(ProblemsWith("[hours]\nalways = true\nsunday = \"closed\"\n") ==
          Lines{"kiosk.toml:6: hours.always: is true but weekdays are listed too, remove the "
                "weekdays or set always = false"});
}

TEST_CASE("pin_hash must be an argon2id hash, never a PIN") {
    CHECK(ProblemsWith("[manager]\npin_hash = \"1234\"\n") ==
          Lines{"kiosk.toml:6: manager.pin_hash: is not a complete argon2id hash, use the "
                "$argon2id$... string printed by `kiosk set-pin --print-hash`, or \"\" to use the "
                "data dir's manager-pin file (`kiosk set-pin`)"});
    // A damaged hash (cut short) is no hash either: the kiosk would never accept any PIN.
    CHECK(
        ProblemsWith("[manager]\npin_hash = \"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA\"\n").size() ==
        1);
}

TEST_CASE("all problems are reported at once in file order") {
    Lines problems = ProblemsWith(
        "[survey]\nscale = 9\nrep_mode = \"sometimes\"\n[misuse]\nmin_interval_s = -1\nbogus = "
        "1\n");
    CHECK(problems ==
          Lines{"kiosk.toml:6: survey.scale: 9 is out of range, use 4 or 5",
                "kiosk.toml:7: survey.rep_mode: \"sometimes\" is not a rep mode, use \"ask\", "
                "\"on_duty\" or \"off\"",
                "kiosk.toml:9: misuse.min_interval_s: -1 is out of range, use 0 (rule off) to 3600 "
                "(seconds)",
                "kiosk.toml:10: misuse.bogus: unknown key, allowed: min_interval_s, "
                "burst_max_responses, burst_window_min"});
    try {
        ParseKioskConfig(std::string(kIds) + "[survey]\nscale = 9\nthank_you_s = 0\n",
                         "kiosk.toml");
        FAIL("expected ConfigError");
    } catch (const ConfigError& error) {
        CHECK(std::string(error.what()) ==
              "kiosk.toml:6: survey.scale: 9 is out of range, use 4 or 5\n"
              "kiosk.toml:7: survey.thank_you_s: 0 is out of range, use 1 to 60 (seconds)");
    }
    // Issue 22: the undo offer and the accessible mode's stretch, each within its range.
    CHECK(ProblemsWith("[survey]\nundo_s = 31\naccessible_time_factor = 0\n") ==
          Lines{"kiosk.toml:6: survey.undo_s: 31 is out of range, use 0 to 30 (seconds; 0: no "
                "\"change my answer\")",
                "kiosk.toml:7: survey.accessible_time_factor: 0 is out of range, use 1 to 4 "
                "(times every timeout in the accessible mode)"});
}

TEST_CASE("TOML syntax errors carry the file and line") {
    Lines problems = ProblemsWith("[survey]\nscale = = 4\n");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].starts_with("kiosk.toml:6: TOML syntax error: "));
    problems = ProblemsWith("[survey]\nscale = 4\nscale = 5\n");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].starts_with("kiosk.toml:7: TOML syntax error: "));
    CHECK(problems[0].find("scale") != std::string::npos);
}

TEST_CASE("a missing file names the path and how to fix it") {
    test::TempDir dir("fk-config");
    const auto path = dir.Path() / "nowhere.toml";
    try {
        LoadKioskConfig(path);
        FAIL("expected ConfigError");
    } catch (const ConfigError& error) {
        REQUIRE(error.Problems().size() == 1);
        CHECK(std::string(error.what()) ==
              path.string() +
                  ": no such file, create it (kiosk-config/kiosk.toml in the source "
                  "tree is a documented starting point) or pass the right path with "
                  "--config FILE");
    }
    CHECK_THROWS_WITH_AS(LoadKioskConfig(dir.Path()),
                         (dir.Path().string() +
                          ": is a directory, pass the configuration file "
                          "itself, e.g. " +
                          (dir.Path() / "kiosk.toml").string())
                             .c_str(),
                         ConfigError);
}

}  // namespace

TEST_CASE("sound: a volume out of range or an empty device is refused where it is written") {
    CHECK(ProblemsWith("[sound]\nvolume_pct = 101\n") ==
          Lines{"kiosk.toml:6: sound.volume_pct: 101 is out of range, use 0 to 100 (percent)"});
    CHECK(ProblemsWith("[sound]\ndevice = \"\"\n") ==
          Lines{"kiosk.toml:6: sound.device: \"\" is not a device name, use an ALSA device name "
                "such as \"default\" or \"plughw:0,0\""});
    CHECK(ProblemsWith("[sound]\nenabled = \"yes\"\n") ==
          Lines{"kiosk.toml:6: sound.enabled: got a string (\"yes\"), expected a boolean, use "
                "true or false"});
}

}  // namespace fk::config

TEST_CASE(
    "a rep's staff code is an argon2id hash (never echoed when it is not) and shift_hours is 0 "
    "to 24") {
    const std::string hash = fk::config::HashPin("246813");
    const auto config = fk::config::ParseKioskConfig(
        std::string(fk::config::kIds) +
            "[survey]\nshift_hours = 8\n[[rep]]\nid = \"r1\"\nname = \"Asha\"\n" +
            "code_hash = \"" + hash + "\"\n[[rep]]\nid = \"r2\"\nname = \"Ravi\"\n",
        "kiosk.toml");
    REQUIRE(config.roster.size() == 2);
    CHECK(config.roster[0].codeHash == std::optional<std::string>(hash));
    CHECK_FALSE(config.roster[1].codeHash);
    CHECK(config.survey.shiftHours == 8);
    CHECK(fk::config::ParseKioskConfig(std::string(fk::config::kIds), "kiosk.toml")
              .survey.shiftHours == 10);
    const auto problems =
        fk::config::ProblemsWith("[[rep]]\nid = \"r1\"\nname = \"Asha\"\ncode_hash = \"2468\"\n");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("rep[1].code_hash: is not an argon2id hash") != std::string::npos);
    CHECK(problems[0].find("2468") == std::string::npos);
    CHECK(fk::config::ProblemsWith("[survey]\nshift_hours = 25\n").size() == 1);
}
