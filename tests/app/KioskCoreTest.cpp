// The kiosk's logic with a real store and headless screens: taps become durable rows.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app/CsvExport.h"
#include "app/KioskCore.h"
#include "app/LayoutJson.h"
#include "app/Settings.h"
#include "config/KioskConfig.h"
#include "core/TimeFormat.h"
#include "storage/Sqlite.h"
#include "support/CsvReader.h"
#include "support/HeadlessUi.h"
#include "support/Paths.h"
#include "support/TempDir.h"

using namespace fk;

namespace {

app::KioskSettings TestSettings(core::RepMode mode) {
    app::KioskSettings s = app::DefaultKioskSettings();
    s.session.repMode = mode;
    s.reps = {{"r1", "Asha"}, {"r2", "Ravi"}};
    s.session.repIds = {"r1", "r2"};
    s.reasons = {{"wait_time", "Waiting time"}, {"staff", "Staff attitude"}};
    s.session.reasonCodes = {"wait_time", "staff"};
    s.session.misuse.minIntervalS = 0;
    s.session.undoMs = 0;  // "change my answer" has its own case
    s.dpi = 96;
    return s;
}

struct Harness {
    explicit Harness(app::KioskSettings settings, std::filesystem::path dataDir = {},
                     core::UtcMs startUtc = 0)
        : imgui(1280, 800), screens(text, faces) {
        if (startUtc)
            clock.SetUtc(startUtc);
        if (dataDir.empty())
            dataDir = dir.Path() / "data";
        core = std::make_unique<app::KioskCore>(std::move(settings), clock, dataDir);
        Frame();
    }
    void Frame() {
        core->Tick();
        ImGui::NewFrame();
        last = screens.Frame(core->View());
        core->Handle(last.actions);
        ImGui::Render();
    }
    void TapAt(float x, float y) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(x, y);
        io.MouseDown[0] = true;
        Frame();
        io.MouseDown[0] = false;
        Frame();
        clock.Advance(ui::KioskScreens::kAckMs + 10);
        Frame();
        Frame();
    }
    void Tap(const std::string& id) {
        const ui::ElementRect* e = last.layout.Find(id);
        REQUIRE_MESSAGE(e, "no " << id << " on " << last.layout.screen);
        TapAt(e->rect.CenterX(), e->rect.CenterY());
    }
    std::vector<core::Response> Rows() {
        std::vector<core::Response> rows;
        core->Store()->ForEach([&](const core::Response& r) {
            rows.push_back(r);
            return true;
        });
        return rows;
    }
    test::TempDir dir;
    core::FakeClock clock;
    test::ImGuiContextGuard imgui;
    ui::ImGuiTextPainter text;
    ui::DrawListFacePainter faces;
    ui::KioskScreens screens;
    std::unique_ptr<app::KioskCore> core;
    ui::FrameOutput last;
};

}  // namespace

TEST_CASE("taps through rating, rep and reason become one durable row, closed by thank you") {
    Harness h(TestSettings(core::RepMode::Ask));
    h.Tap("rating.1");
    auto rows = h.Rows();
    REQUIRE(rows.size() == 1);  // stored at the first tap, before the next screen
    CHECK(rows[0].rating == 1);
    CHECK_FALSE(rows[0].IsClosed());
    h.Tap("rep.r2");
    h.Tap("reason.staff");
    rows = h.Rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].repId == std::optional<std::string>("r2"));
    CHECK(rows[0].reason == std::optional<std::string>("staff"));
    CHECK(rows[0].closeReason == core::CloseReason::ThankYou);
    CHECK(rows[0].language == "en");
}

TEST_CASE(
    "a closed response is reported as an effect (the loop wakes sync on it), nothing else is") {
    Harness h(TestSettings(core::RepMode::Ask));
    h.Tap("rating.1");
    h.Tap("rep.r2");
    CHECK_FALSE(h.core->TakeEffects().responseClosed);  // stored, still open: nothing to send
    h.Tap("reason.staff");
    CHECK(h.core->TakeEffects().responseClosed);
    CHECK_FALSE(h.core->TakeEffects().responseClosed);  // taken once
    h.clock.Advance(h.core->Session().Settings().idleTimeoutMs);
    h.Frame();
    REQUIRE(h.last.layout.screen == "rate");
    CHECK_FALSE(h.core->TakeEffects().responseClosed);  // the thank-you ending closes nothing new
    h.Tap("rating.3");
    h.clock.Advance(h.core->Session().Settings().idleTimeoutMs);
    h.Frame();  // the idle timeout closes it in Tick
    CHECK(h.core->TakeEffects().responseClosed);
}

TEST_CASE("idle timeout closes the row and keeps what was given") {
    Harness h(TestSettings(core::RepMode::Ask));
    h.Tap("rating.2");
    h.Tap("rep.r1");
    h.clock.Advance(h.core->Session().Settings().idleTimeoutMs);
    h.Frame();
    CHECK(h.last.layout.screen == "rate");
    auto rows = h.Rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].repId == std::optional<std::string>("r1"));
    CHECK_FALSE(rows[0].reason);
    CHECK(rows[0].closeReason == core::CloseReason::IdleTimeout);
}

TEST_CASE("on_duty mode stores the signed-in rep") {
    auto s = TestSettings(core::RepMode::OnDuty);
    s.onDutyRep = "r2";
    Harness h(s);
    CHECK(h.core->View().servedBy == std::optional<std::string>("Ravi"));  // shown on Rate
    h.Tap("rating.4");
    auto rows = h.Rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].repId == std::optional<std::string>("r2"));
    CHECK(rows[0].closeReason == core::CloseReason::ThankYou);
}

TEST_CASE(
    "each tap stores the survey definition version in force, and manager mode keeps each "
    "version's reason policy (issue 17)") {
    auto settings = [](std::int64_t version, bool waitIsTheReps) {
        auto s = TestSettings(core::RepMode::Ask);
        s.surveyVersion = version;
        s.manager.reasonPolicy = {{"wait_time", waitIsTheReps}, {"staff", true}};
        return s;
    };
    {
        Harness local(TestSettings(core::RepMode::Ask));  // its own kiosk.toml survey
        local.Tap("rating.4");
        CHECK_FALSE(local.Rows().at(0).surveyVersion.has_value());
    }
    Harness h(settings(3, false));
    h.Tap("rating.1");
    REQUIRE(h.Rows().size() == 1);
    CHECK(h.Rows()[0].surveyVersion == 3);
    // Version 4 arrives while the customer is on screen: it takes over once they are done.
    h.core->ApplySurvey(settings(4, true));
    h.Tap("rep.r1");
    h.Tap("reason.wait_time");
    h.clock.Advance(h.core->Session().Settings().idleTimeoutMs);
    h.Frame();
    REQUIRE(h.last.layout.screen == "rate");
    h.Tap("rating.2");
    const auto rows = h.Rows();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].surveyVersion == 3);
    CHECK(rows[1].surveyVersion == 4);
    // Both versions' policies are in the store for manager mode.
    storage::Database db(h.core->Store()->DatabasePath());
    storage::Statement q(db,
                         "SELECT version || ':' || code || '=' || attributable FROM "
                         "survey_policies ORDER BY version, code");
    std::vector<std::string> kept;
    while (q.Step())
        kept.push_back(q.Text(0));
    CHECK(kept ==
          std::vector<std::string>{"3:staff=1", "3:wait_time=0", "4:staff=1", "4:wait_time=1"});
}

TEST_CASE("rate names no rep outside on_duty mode, or with nobody signed in") {
    CHECK_FALSE(Harness(TestSettings(core::RepMode::Ask)).core->View().servedBy);
    CHECK_FALSE(Harness(TestSettings(core::RepMode::OnDuty)).core->View().servedBy);
}

TEST_CASE(
    "a store that cannot open shows the staff notice, takes no taps, and recovers when fixed") {
    test::TempDir dir;
    const auto dataDir = dir.Path() / "data";
    { std::ofstream(dataDir) << "not a directory"; }
    Harness h(TestSettings(core::RepMode::Off), dataDir);
    CHECK(h.last.layout.screen == "notice");
    REQUIRE(h.core->Notice());
    CHECK_FALSE(h.core->Notice()->message.empty());
    h.TapAt(200, 400);
    CHECK(h.last.layout.screen == "notice");
    std::filesystem::remove(dataDir);
    h.clock.Advance(app::KioskCore::kNoticeRetryMs);
    h.Frame();
    CHECK(h.last.layout.screen == "rate");
    REQUIRE(h.core->Store());
    h.Tap("rating.3");
    CHECK(h.Rows().size() == 1);
}

TEST_CASE("staff notices say what happened and what to do for each storage failure") {
    CHECK(app::NoticeFor(storage::StoreErrorKind::DiskFull, "").message.find("disk is full") !=
          std::string::npos);
    CHECK(app::NoticeFor(storage::StoreErrorKind::ReadOnly, "").message.find("permissions") !=
          std::string::npos);
    CHECK(app::NoticeFor(storage::StoreErrorKind::Corrupt, "").message.find("Restart") !=
          std::string::npos);
    CHECK(app::NoticeFor(storage::StoreErrorKind::Io, "bad sector").message.find("bad sector") !=
          std::string::npos);
}

TEST_CASE("export-csv writes the BOM, a header and one row per response with every column") {
    Harness h(TestSettings(core::RepMode::Ask));
    h.Tap("rating.1");
    h.Tap("rep.skip");
    h.Tap("reason.wait_time");
    h.clock.Advance(5'000);
    h.Frame();
    h.Tap("rating.4");
    std::ostringstream out;
    const app::ResponseSource all = [&](const app::ResponseVisitor& visit) {
        h.core->Store()->ForEach(visit);
    };
    CHECK(app::ExportCsv(all, out) == 2);
    CHECK(out.str().starts_with("\xEF\xBB\xBF"));  // Excel then reads UTF-8
    const auto table = test::ParseCsv(out.str());  // strict RFC 4180, CRLF
    REQUIRE(table.has_value());
    REQUIRE(table->size() == 3);
    const std::vector<std::string> header = (*table)[0];
    // The USB export's names for the same fields (created_at_utc, closed_at_utc: one layout).
    CHECK(header == std::vector<std::string>{"id", "seq", "created_at_utc", "tz_offset_min",
                                             "scale", "rating", "rep_id", "reason", "language",
                                             "misuse", "closed_at_utc", "close_reason",
                                             "sync_state", "sync_error"});
    auto cell = [&](std::size_t row, std::string_view column) {
        const auto at = std::find(header.begin(), header.end(), column);
        REQUIRE(at != header.end());
        REQUIRE((*table)[row].size() == header.size());
        return (*table)[row][static_cast<std::size_t>(at - header.begin())];
    };
    CHECK(cell(1, "rating") == "1");
    CHECK(cell(1, "rep_id").empty());
    CHECK(cell(1, "reason") == "wait_time");
    CHECK(cell(1, "language") == "en");
    CHECK(cell(1, "close_reason") == "thank_you");
    CHECK(cell(1, "sync_state") == "pending");
    CHECK(core::ParseRfc3339(cell(1, "created_at_utc")).has_value());
    CHECK(core::ParseRfc3339(cell(1, "closed_at_utc")).has_value());
    CHECK(cell(2, "rating") == "4");
    CHECK(cell(2, "closed_at_utc").empty());  // open: rep step pending
    CHECK(cell(2, "close_reason").empty());
}

TEST_CASE("layout json names the screen and every element in window pixels") {
    ui::ScreenLayout l{"rate", {{"rating.1", {10.4f, 20.6f, 100, 50}}}, {}};
    CHECK(app::LayoutToJson(l) ==
          R"({"elements":[{"h":50,"id":"rating.1","w":100,"x":10,"y":21}],"screen":"rate"})");
    test::TempDir dir;
    CHECK(app::WriteLayoutJson(dir / "l.json", l).empty());
    CHECK(std::filesystem::exists(dir / "l.json"));
    CHECK_FALSE(app::WriteLayoutJson(dir / "missing" / "l.json", l).empty());
    l.call = "confirmed";  // the thank-you after "yes" says what it says about the call
    CHECK(app::LayoutToJson(l).find(R"("call":"confirmed")") != std::string::npos);
}

TEST_CASE("settings come from the validated kiosk config") {
    const auto c = config::ParseKioskConfig(R"(
[kiosk]
id = "k1"
store_id = "s1"
data_dir = "/tmp/x"
[survey]
scale = 5
rep_mode = "off"
ask_reason_for = [1, 2, 3]
idle_timeout_s = 15
[languages]
offered = ["en", "hi"]
default = "hi"
[misuse]
min_interval_s = 4
[hours]
always = false
monday = ["09:00-13:00", "14:00-19:00"]
tuesday = "closed"
wednesday = "closed"
thursday = "closed"
friday = "closed"
saturday = "closed"
sunday = "closed"
[[rep]]
id = "r1"
name = "Asha"
[[rep]]
id = "r2"
name = "Old"
active = false
)",
                                            "k.toml");
    const app::KioskSettings s = app::SettingsFromConfig(c);
    CHECK(s.session.scale.Points() == 5);
    CHECK(s.session.repMode == core::RepMode::Off);
    CHECK(s.session.reasonRatings == std::vector<int>{1, 2, 3});
    CHECK(s.session.idleTimeoutMs == 15'000);
    CHECK(s.session.defaultLanguage == "hi");
    CHECK(s.session.misuse.minIntervalS == 4);
    CHECK(s.session.repIds == std::vector<std::string>{"r1"});  // inactive reps are not offered
    CHECK(s.reasons.size() == 6);                               // the built-in reasons
    CHECK(s.ReasonsFor("hi")[0].label == "wait_time");  // labelled by the catalog, not the config
    CHECK(s.dataDir == "/tmp/x");
    CHECK_FALSE(s.showCursor);
    CHECK(
        app::SettingsFromConfig(config::ParseKioskConfig("[kiosk]\nid = \"k1\"\nstore_id = \"s1\"\n"
                                                         "[display]\nshow_cursor = true\n",
                                                         "k.toml"))
            .showCursor);
    CHECK_FALSE(s.hours.IsAlways());
    CHECK(s.hours.IsOpenAt(*core::ParseRfc3339("2026-11-23T10:00:00Z"), 0));  // Monday morning
    CHECK_FALSE(s.hours.IsOpenAt(*core::ParseRfc3339("2026-11-23T13:30:00Z"), 0));  // lunch
}

TEST_CASE("a reason configured by code only shows the locale catalog's label in every language") {
    std::string text =
        "[kiosk]\nid = \"k1\"\nstore_id = \"s1\"\n"
        "[survey]\nrep_mode = \"off\"\n"
        "[languages]\noffered = [\"en\", \"hi\", \"ne\", \"te\", \"da\"]\n"
        "default = \"hi\"\n"
        "[[reason]]\ncode = \"wait_time\"\n"
        "[[reason]]\ncode = \"staff_attitude\"\nattributable_to_rep = true\n"
        "[[reason]]\ncode = \"price\"\nlabel = { da = \"Vores pris\" }\n";
    app::KioskSettings s = app::SettingsFromConfig(config::ParseKioskConfig(text, "k.toml"));
    auto problems = app::ApplyLocales(s, test::SourceDir() / "kiosk-config" / "locales");
    CHECK_MESSAGE(problems.empty(), problems.front());
    // The words in kiosk-config/locales/<language>.toml [reason.label], nothing else.
    const std::map<std::string, std::vector<std::string>> expected = {
        {"en", {"Long wait", "Unfriendly staff", "Price"}},
        {"hi", {"लंबा इंतज़ार", "कर्मचारियों का रूखा व्यवहार", "कीमत"}},
        {"ne",
         {"धेरै बेर पर्खनुपर्‍यो", "कर्मचारीको व्यवहार रूखो",
          "मूल्य"}},
        {"te", {"ఎక్కువ సేపు వేచి ఉండాల్సి వచ్చింది", "సిబ్బంది ప్రవర్తన బాగాలేదు", "ధర"}},
        {"da", {"Lang ventetid", "Uvenligt personale", "Vores pris"}},  // the file overrides price
    };
    for (const auto& [language, labels] : expected) {
        CAPTURE(language);
        const auto tiles = s.ReasonsFor(language);
        REQUIRE(tiles.size() == labels.size());
        for (std::size_t i = 0; i < labels.size(); ++i)
            CHECK(tiles[i].label == labels[i]);
    }
    // One table of language names: the locales' [language] name.
    REQUIRE(s.languages.size() == 5);
    CHECK(s.languages[0].nativeName == "English");
    CHECK(s.languages[1].nativeName == "हिन्दी");
    CHECK(s.languages[4].nativeName == "Dansk");
    // Staff notices are in the default language and say so, so they are shaped as Hindi.
    REQUIRE(s.notices.count(app::NoticeKind::DiskFull));
    CHECK(s.notices.at(app::NoticeKind::DiskFull).language == "hi");
}

TEST_CASE("locales fill every screen string and reason label per language, English as fallback") {
    app::KioskSettings s = TestSettings(core::RepMode::Ask);
    s.session.languages = {"en", "da", "te"};
    s.languages = {{"en", "English"}, {"da", "da"}, {"te", "te"}};
    s.reasons.push_back({"own_code", "Our own reason"});
    auto problems = app::ApplyLocales(s, test::SourceDir() / "kiosk-config" / "locales");
    CHECK_MESSAGE(problems.empty(), problems.front());
    CHECK(s.StringsFor("en").question == "How was your visit today?");
    CHECK(s.StringsFor("da").question != s.StringsFor("en").question);
    CHECK(s.StringsFor("da").faceLabels.size() == 4);
    CHECK(s.languages[1].nativeName == "Dansk");
    CHECK(s.languages[2].nativeName == "తెలుగు");
    const auto da = s.ReasonsFor("da");
    CHECK(da[0].label != "Waiting time");        // wait_time has a Danish label
    CHECK(da.back().label == "Our own reason");  // a store's own code keeps its label
    CHECK(s.StringsFor("xx").question == s.StringsFor("en").question);
    REQUIRE(s.notices.count(app::NoticeKind::DiskFull));
    CHECK(s.notices.at(app::NoticeKind::DiskFull).message.find("safe") !=
          std::string::npos);  // from the locale
    // "set aside" words only for the set-aside situation; a damage found later has none of them.
    REQUIRE(s.notices.count(app::NoticeKind::SetAside));
    CHECK(s.notices.at(app::NoticeKind::SetAside).message.find("set it aside") !=
          std::string::npos);
    CHECK(s.notices.count(app::NoticeKind::Damaged) == 0);
}

TEST_CASE("misuse history survives a restart: a burst continues across it") {
    auto s = TestSettings(core::RepMode::Off);
    s.session.misuse = core::MisuseRules{0, 2, 10};
    test::TempDir dir;
    core::UtcMs restartAt = 0;
    {
        Harness h(s, dir.Path() / "data");
        h.Tap("rating.4");
        h.clock.Advance(5'000);
        h.Frame();
        h.Tap("rating.4");
        restartAt = h.clock.NowUtcMs() + 5'000;
    }
    Harness h(s, dir.Path() / "data", restartAt);
    h.Tap("rating.3");
    auto rows = h.Rows();
    REQUIRE(rows.size() == 3);
    CHECK_FALSE(rows[1].misuse);
    CHECK(rows[2].misuse == std::optional<std::string>("burst"));
}

namespace {
app::KioskSettings HelpSettings() {
    app::KioskSettings s = TestSettings(core::RepMode::Off);
    s.session.helpRatings = {1};
    s.session.confirmWithinMs = 10'000;
    return s;
}
}  // namespace

TEST_CASE(
    "help yes: the answer and the call are durable before the next screen, confirmed in "
    "time says someone is on the way") {
    Harness h(HelpSettings());
    h.Tap("rating.1");
    h.Tap("reason.wait_time");
    CHECK(h.last.layout.screen == "help");
    REQUIRE(h.last.layout.Find("help.yes"));
    REQUIRE(h.last.layout.Find("help.no"));
    CHECK(h.core->TakeEffects().callQueued == false);
    h.Tap("help.yes");
    // Durable: the row has the answer, the outbox the call, the response is closed.
    auto rows = h.Rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].help == core::HelpAnswer::Yes);
    CHECK(rows[0].IsClosed());
    CHECK(h.core->Store()->PendingCallCount() == 1);
    const auto fx = h.core->TakeEffects();
    CHECK(fx.callQueued);  // the loop wakes sync at once
    CHECK(fx.responseClosed);
    CHECK(h.last.layout.screen == "thank_you");
    CHECK(h.core->View().call == core::CallState::Waiting);
    CHECK(h.core->View().rating == 1);
    // Another response's confirmation is not this customer's.
    h.core->CallsConfirmed({core::Uuid::Parse("0192f3a0-1b2c-7d3e-8f40-123456789abd").value()});
    CHECK(h.core->View().call == core::CallState::Waiting);
    h.clock.Advance(2'000);
    h.core->CallsConfirmed({rows[0].id});
    CHECK(h.core->Tick());  // the words on screen change: a frame is needed
    CHECK(h.core->View().call == core::CallState::Confirmed);
    h.clock.Advance(core::FeedbackSession::kCallMessageMs);
    h.Frame();
    CHECK(h.last.layout.screen == "rate");
}

TEST_CASE(
    "help yes without a confirmation: ask at the counter after confirm_within_s, help no "
    "and the idle timeout queue no call") {
    Harness h(HelpSettings());
    h.Tap("rating.1");
    h.Tap("reason.skip");
    h.Tap("help.yes");
    h.clock.Advance(9'000);
    h.Frame();
    CHECK(h.core->View().call == core::CallState::Waiting);
    h.clock.Advance(1'000);
    h.Frame();
    CHECK(h.core->View().call == core::CallState::AskAtCounter);
    h.clock.Advance(core::FeedbackSession::kCallMessageMs);
    h.Frame();
    CHECK(h.last.layout.screen == "rate");
    CHECK(h.core->Store()->PendingCallCount() == 1);  // still goes, late

    h.clock.Advance(5'000);
    h.Tap("rating.1");
    h.Tap("reason.skip");
    h.core->TakeEffects();
    h.Tap("help.no");
    CHECK_FALSE(h.core->TakeEffects().callQueued);
    h.clock.Advance(5'000);
    h.Frame();
    h.Tap("rating.1");
    h.Tap("reason.skip");
    h.clock.Advance(20'000);  // walks away at the question
    h.Frame();
    CHECK(h.last.layout.screen == "rate");
    auto rows = h.Rows();
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].help == core::HelpAnswer::Yes);
    CHECK(rows[1].help == core::HelpAnswer::No);
    CHECK(rows[2].help == core::HelpAnswer::No);
    CHECK(rows[2].closeReason == core::CloseReason::IdleTimeout);
    CHECK(h.core->Store()->PendingCallCount() == 1);
    // Rating 2 is not in offer_for: no help step.
    h.clock.Advance(5'000);
    h.Tap("rating.2");
    h.Tap("reason.skip");
    CHECK(h.last.layout.screen == "thank_you");
}

TEST_CASE("a queued call survives a restart of the kiosk") {
    test::TempDir dir;
    {
        Harness h(HelpSettings(), dir.Path() / "data");
        h.Tap("rating.1");
        h.Tap("reason.skip");
        h.Tap("help.yes");
    }
    Harness h(HelpSettings(), dir.Path() / "data");
    CHECK(h.core->Store()->PendingCallCount() == 1);
}

TEST_CASE("the help strings and the sorry thank-you come from every locale") {
    app::KioskSettings s = HelpSettings();
    s.session.languages = {"en", "hi", "ne", "te", "da"};
    auto problems = app::ApplyLocales(s, test::SourceDir() / "kiosk-config" / "locales");
    CHECK_MESSAGE(problems.empty(), problems.front());
    std::set<std::string> questions;
    for (const auto& lang : s.session.languages) {
        const ui::Strings& t = s.StringsFor(lang);
        CAPTURE(lang);
        for (const std::string* text :
             {&t.helpQuestion, &t.helpYes, &t.helpNo, &t.thankYouSorry, &t.thankYouSorryBody,
              &t.callSending, &t.callOnTheWay, &t.callAskCounter}) {
            CHECK_FALSE(text->empty());
        }
        CHECK(t.thankYouSorry != t.thankYou);
        CHECK(t.thankYouSorry.find('!') == std::string::npos);  // no cheer after "very bad"
        questions.insert(t.helpQuestion);
    }
    CHECK(questions.size() == 5);  // translated, not English five times
    CHECK(s.StringsFor("en").helpQuestion == "Would you like someone to come and help you now?");
}

TEST_CASE(
    "closing time signs the on-duty rep out (fake clock), a lunch break does not, the next "
    "morning's rating credits nobody") {
    app::KioskSettings s = TestSettings(core::RepMode::OnDuty);
    s.session.reasonRatings = {};
    std::array<std::vector<core::DayHours>, 7> days{};
    for (auto& d : days)
        d = {core::DayHours{9 * 60, 13 * 60}, core::DayHours{14 * 60, 19 * 60}};
    s.hours = core::OpeningHours::WeeklyRanges(days);
    s.onDutyRep = "r1";
    // Monday 2026-11-23, 12:59 UTC (tz offset 0).
    Harness h(s, {}, *core::ParseRfc3339("2026-11-23T12:59:00Z"));
    REQUIRE(h.core->Session().OnDutyRep() == std::optional<std::string>("r1"));
    h.clock.Advance(2 * 60'000);  // 13:01: lunch
    h.Frame();
    CHECK(h.last.layout.screen == "closed");
    CHECK(h.core->Session().OnDutyRep() == std::optional<std::string>("r1"));
    CHECK_FALSE(h.core->TakeEffects().signedOut);
    h.clock.Advance(60 * 60'000);  // 14:01: open again, still on duty
    h.Frame();
    h.Tap("rating.4");
    h.clock.Advance(5 * 60'000);  // past the thank-you
    h.Frame();
    h.clock.Advance(5 * 60 * 60'000);  // 19:06: closed for the night
    h.Frame();
    CHECK(h.last.layout.screen == "closed");
    CHECK_FALSE(h.core->Session().OnDutyRep());
    CHECK(h.core->TakeEffects().signedOut);
    CHECK_FALSE(h.core->TakeEffects().signedOut);  // taken once
    h.clock.Advance(14 * 60 * 60'000);             // Tuesday 09:06
    h.Frame();
    h.Tap("rating.4");
    CHECK(h.last.layout.screen == "who_helped");  // nobody on duty: the customer is asked
    const auto rows = h.Rows();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].repId == std::optional<std::string>("r1"));
    CHECK_FALSE(rows[1].repId);
}

TEST_CASE("change my answer: the stored row takes the corrected rating and keeps the first") {
    auto settings = TestSettings(core::RepMode::Off);
    settings.session.undoMs = 6'000;
    Harness h(settings);
    h.Tap("rating.4");
    CHECK(h.last.layout.screen == "thank_you");
    auto rows = h.Rows();
    REQUIRE(rows.size() == 1);
    CHECK_FALSE(rows[0].IsClosed());  // open while the customer may still change it
    h.Tap("undo");
    CHECK(h.last.layout.screen == "rate");
    h.Tap("rating.2");
    CHECK(h.last.layout.screen == "reason");
    h.Tap("reason.wait_time");
    rows = h.Rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].rating == 2);
    CHECK(rows[0].firstRating == 4);
    CHECK(rows[0].reason == std::optional<std::string>("wait_time"));
    CHECK(rows[0].closeReason == core::CloseReason::ThankYou);
}
