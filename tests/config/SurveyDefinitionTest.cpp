// Survey definitions pushed by kiosk-server: read by the kiosk.toml readers, problems named by
// JSON pointer, sections left out keep the kiosk's own (fallback) survey.

#include <doctest/doctest.h>

#include "config/SurveyDefinition.h"

namespace fk::config {
namespace {

std::vector<std::string> ProblemsOf(std::string_view json) {
    try {
        ApplySurveyDefinition(KioskConfig{}, json, "def.json");
    } catch (const ConfigError& error) {
        std::vector<std::string> lines;
        for (const ConfigProblem& problem : error.Problems())
            lines.push_back(to_string(problem));
        return lines;
    }
    return {};
}

TEST_CASE("a survey definition replaces the sections it gives and keeps the others") {
    KioskConfig base;
    base.kioskId = "k1";
    base.languages.offered = {"en", "hi"};
    base.roster = {{"r1", "Asha", true, {}}};
    base.misuse.minIntervalS = 9;
    const KioskConfig c = ApplySurveyDefinition(base, R"({
        "version": 3,
        "survey": {"scale": 5, "question": {"en": "How was your visit?", "te": "మీ సందర్శన?"},
                   "ask_reason_for": [1, 2, 3], "undo_s": 10, "accessible_time_factor": 3},
        "languages": {"offered": ["en", "te"], "default": "te"},
        "reasons": [{"id": "rude", "labels": {"en": "Rude", "te": "మర్యాద లేదు"},
                     "attributable_to_rep": true},
                    {"id": "wait_time"}],
        "help": {"offer_for": [1, 2], "escalate_after_s": 120},
        "hours": {"always": false, "monday": "09:00-18:00", "tuesday": "closed",
                  "wednesday": "09:00-18:00", "thursday": "09:00-18:00", "friday": "09:00-18:00",
                  "saturday": "10:00-14:00", "sunday": "closed"},
        "alert": {"negative_share_pct": 40, "window_min": 30, "min_responses": 5}
    })",
                                                "def.json");
    CHECK(c.kioskId == "k1");  // the device's own
    CHECK(c.survey.scale.Points() == 5);
    CHECK(c.survey.question.at("te") == "మీ సందర్శన?");
    CHECK(c.survey.askReasonFor == std::vector<int>{1, 2, 3});
    CHECK(c.survey.undoS == 10);
    CHECK(c.survey.accessibleTimeFactor == 3);
    CHECK(c.languages.offered == std::vector<std::string>{"en", "te"});
    CHECK(c.languages.defaultLanguage == "te");
    REQUIRE(c.reasons.size() == 2);
    CHECK(c.reasons[0].code == "rude");
    CHECK(c.reasons[0].attributableToRep);
    CHECK(c.reasons[0].labels.at("te") == "మర్యాద లేదు");
    CHECK_FALSE(c.reasons[1].attributableToRep);
    CHECK(c.help.offerFor == std::vector<int>{1, 2});
    CHECK(c.help.escalateAfterS == 120);
    CHECK_FALSE(c.hours.always);
    CHECK(c.hours.week[1].empty());  // Tuesday closed
    CHECK(c.manager.alert.negativeSharePct == 40);
    REQUIRE(c.roster.size() == 1);  // no roster given: the kiosk's own
    CHECK(c.roster[0].name == "Asha");
    CHECK(c.misuse.minIntervalS == 9);  // no misuse given: the kiosk's own
}

TEST_CASE("the legacy set-config shape (roster, reasons with labels, locales) is read") {
    const KioskConfig c = ApplySurveyDefinition(KioskConfig{}, R"({
        "protocol": 1, "survey": {"scale": 4, "question": {}},
        "roster": [{"id": "r1", "name": "రవి కుమార్", "active": true},
                   {"id": "r2", "name": "Søren", "active": false}],
        "reasons": [], "locales": ["hi", "en"]})",
                                                "def.json");
    REQUIRE(c.roster.size() == 2);
    CHECK(c.roster[0].name == "రవి కుమార్");
    CHECK_FALSE(c.roster[1].active);
    CHECK(c.reasons.size() == DefaultReasons().size());  // [] is "none given"
    CHECK(c.languages.offered == std::vector<std::string>{"hi", "en"});
    CHECK(c.languages.defaultLanguage == "hi");
}

TEST_CASE("a refused definition names each problem by JSON pointer in the loader's words") {
    const auto problems = ProblemsOf(R"({
        "survey": {"scale": 7, "colour": "red", "undo_s": -1, "accessible_time_factor": 9},
        "roster": [{"id": "r1", "name": "Asha"}, {"id": "r1", "name": "Ravi"}, {"id": "r3"}],
        "reasons": [{"id": "fees", "labels": {"en": "Fees"}}, {"id": "Bad Code", "labels": {"en": "x"}}],
        "languages": {"offered": ["en", "hi"]},
        "alert": {"window_min": 0},
        "extra": true
    })");
    auto has = [&](std::string_view start, std::string_view part) {
        for (const auto& p : problems) {
            if (p.starts_with(start) && p.find(part) != std::string::npos)
                return true;
        }
        return false;
    };
    INFO(problems.size());
    for (const auto& p : problems)
        INFO(p);
    CHECK(has("def.json: /extra: ", "unknown key"));
    CHECK(has("def.json: /survey/scale: ", "use 4 or 5"));
    CHECK(has("def.json: /survey/colour: ", "unknown"));
    CHECK(has("def.json: /survey/undo_s: ", "use 0 to 30"));
    CHECK(has("def.json: /survey/accessible_time_factor: ", "use 1 to 4"));
    CHECK(has("def.json: /roster/1/id: ", "already used"));
    CHECK(has("def.json: /roster/2/name: ", "missing"));
    CHECK(has("def.json: /reasons/0/labels: ", "no \"hi\" label"));
    CHECK(has("def.json: /reasons/1/id: ", "not a valid id"));
    CHECK(has("def.json: /alert/window_min: ", "use 1 to 1440"));
}

TEST_CASE("a definition that is not a JSON object is refused whole") {
    CHECK(ProblemsOf("not json").at(0).starts_with("def.json: is not valid JSON"));
    CHECK(ProblemsOf("[1, 2]").at(0).starts_with("def.json: /: expected a JSON object"));
    CHECK(ProblemsOf(R"({"survey": {"scale": 5}})").empty());
}

TEST_CASE("kiosk.toml key paths map to the definition's JSON pointers") {
    CHECK(DefinitionPointer("survey.scale") == "/survey/scale");
    CHECK(DefinitionPointer("rep[2].name") == "/roster/1/name");
    CHECK(DefinitionPointer("reason[1].label.hi") == "/reasons/0/labels/hi");
    CHECK(DefinitionPointer("reason[3].code") == "/reasons/2/id");
    CHECK(DefinitionPointer("manager.alert.window_min") == "/alert/window_min");
    CHECK(DefinitionPointer("rep") == "/roster");
}

}  // namespace
}  // namespace fk::config
