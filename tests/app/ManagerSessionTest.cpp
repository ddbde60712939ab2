// Manager mode headless, with a real store: the corner long-press, the PIN pad and its lockout
// (surviving a restart, refusing a brute force), auto-exit, period and sort, sign-in, roster edits,
// export and the alert rule.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "app/KioskCore.h"
#include "app/ManagerPin.h"
#include "app/ManagerSession.h"
#include "app/RosterFile.h"
#include "app/ScreenRouter.h"
#include "app/Settings.h"
#include "app/StaffSignIn.h"
#include "config/KioskConfig.h"
#include "config/PinHash.h"
#include "support/CsvReader.h"
#include "support/HeadlessUi.h"
#include "support/TempDir.h"
#include "ui/ManagerMessages.h"

using namespace fk;
using Mode = app::ManagerSession::Mode;

namespace {

constexpr const char* kPin = "2580";

app::KioskSettings Settings(core::RepMode mode) {
    app::KioskSettings s = app::DefaultKioskSettings();
    s.kioskId = "k1";
    s.session.repMode = mode;
    s.reps = {{"r1", "Asha"}, {"r2", "Ravi"}, {"r3", "Mette"}};
    s.roster = {{"r1", "Asha", true, {}},
                {"r2", "Ravi", true, {}},
                {"r3", "Mette", true, {}},
                {"r4", "Old Timer", false, {}}};
    s.session.repIds = {"r1", "r2", "r3"};
    s.reasons = {{"wait_time", "Waiting time"}, {"staff", "Staff attitude"}};
    s.session.reasonCodes = {"wait_time", "staff"};
    s.session.reasonRatings = {};
    s.session.misuse.minIntervalS = 0;
    s.session.misuse.maxPerWindow = 0;
    s.session.undoMs = 0;  // "change my answer" keeps a thank-you's row open: KioskCoreTest
    s.manager.reasonPolicy = {{"wait_time", false}, {"staff", true}};
    s.manager.autoExitS = 60;
    s.manager.minN = 2;
    s.dpi = 96;
    return s;
}

struct Harness {
    explicit Harness(app::KioskSettings s, std::filesystem::path dataDir, core::UtcMs startUtc = 0)
        : imgui(1280, 800), screens(text, faces), settings(std::move(s)) {
        if (startUtc)
            clock.SetUtc(startUtc);
        core = std::make_unique<app::KioskCore>(settings, clock, dataDir);
        app::ManagerSession::Options options;
        options.mountedDirs = [this] { return mounts; };
        manager = std::make_unique<app::ManagerSession>(*core, settings, clock, dataDir, text,
                                                        std::move(options));
        staff = std::make_unique<app::StaffSignIn>(*core, settings, clock, dataDir, text,
                                                   [this] { manager->SaveOnDuty(); });
        router = std::make_unique<app::ScreenRouter>(*core, *manager, *staff, clock);
        Frame();
    }
    void Frame() {
        core->Tick();
        router->Tick();
        ImGui::NewFrame();
        last = router->Frame(screens, test::PointerFromImGui());
        ImGui::Render();
    }
    // Holds the pointer down at (x, y) for ms, a frame every 250 ms, then lets go.
    void Hold(float x, float y, std::int64_t ms) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(x, y);
        io.MouseDown[0] = true;
        Frame();
        for (std::int64_t t = 0; t < ms; t += 250) {
            clock.Advance(std::min<std::int64_t>(250, ms - t));
            Frame();
        }
        io.MouseDown[0] = false;
        Frame();
        Frame();
    }
    void Tap(const std::string& id) {
        const ui::ElementRect* e = last.layout.Find(id);
        REQUIRE_MESSAGE(e, "no " << id << " on " << last.layout.screen);
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(e->rect.CenterX(), e->rect.CenterY());
        io.MouseDown[0] = true;
        Frame();
        io.MouseDown[0] = false;
        Frame();
        clock.Advance(ui::KioskScreens::kAckMs + 10);
        Frame();
        Frame();
    }
    void TypePin(const std::string& pin) {
        for (char c : pin)
            Tap(std::string("pin.") + c);
        Tap("pin.ok");
    }
    void OpenPad() { Hold(10, 10, 3100); }
    void Open() {
        manager->OpenPad();
        Frame();
    }
    // A whole customer visit: a rating (no reason asked), a rep in ask mode, thank you, back.
    void Rate(int value, const std::optional<std::string>& rep = std::nullopt) {
        REQUIRE(last.layout.screen == "rate");
        Tap("rating." + std::to_string(value));
        if (last.layout.screen == "who_helped")
            Tap(rep ? "rep." + *rep : "rep.skip");
        clock.Advance(3100);
        Frame();
        Frame();
    }
    std::vector<core::Response> Rows() {
        std::vector<core::Response> rows;
        core->Store()->ForEach([&](const core::Response& r) {
            rows.push_back(r);
            return true;
        });
        return rows;
    }

    core::FakeClock clock;
    std::vector<std::filesystem::path> mounts;  // what the mount table lists (USB sticks)
    test::ImGuiContextGuard imgui;
    ui::ImGuiTextPainter text;
    ui::DrawListFacePainter faces;
    ui::KioskScreens screens;
    app::KioskSettings settings;
    std::unique_ptr<app::KioskCore> core;
    std::unique_ptr<app::ManagerSession> manager;
    std::unique_ptr<app::StaffSignIn> staff;
    std::unique_ptr<app::ScreenRouter> router;
    ui::FrameOutput last;
};

std::filesystem::path WithPin(const test::TempDir& dir) {
    const auto data = dir.Path() / "data";
    REQUIRE(app::PinStore(std::nullopt, data).SetPin(kPin).empty());
    return data;
}

std::string Read(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE(
    "manager entry: a corner press shorter than 3 s or elsewhere does nothing, 3 s opens the pad") {
    test::TempDir dir;
    Harness h(Settings(core::RepMode::Ask), WithPin(dir));
    REQUIRE(h.last.layout.screen == "rate");
    h.Hold(10, 10, 2700);
    CHECK(h.manager->Current() == Mode::Customer);
    CHECK(h.last.layout.screen == "rate");
    h.Hold(640, 30, 3500);  // the middle of the top edge: no corner
    CHECK(h.manager->Current() == Mode::Customer);
    // A press that starts elsewhere and slides into the corner does not count either.
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(300, 300);
    io.MouseDown[0] = true;
    h.Frame();
    io.MousePos = ImVec2(10, 10);
    for (int i = 0; i < 16; ++i) {
        h.clock.Advance(250);
        h.Frame();
    }
    io.MouseDown[0] = false;
    h.Frame();
    CHECK(h.manager->Current() == Mode::Customer);
    CHECK(h.Rows().empty());  // nothing was rated by any of it

    // The hold completes with no input event: Tick says a frame is needed at the deadline.
    io.MousePos = ImVec2(10, 10);
    io.MouseDown[0] = true;
    h.Frame();
    const auto deadline = h.router->NextDeadlineMs();
    REQUIRE(deadline);
    CHECK(*deadline == h.clock.SteadyMs() + app::CornerHold::kHoldMs);
    h.clock.Advance(app::CornerHold::kHoldMs);
    CHECK(h.router->Tick());
    h.Frame();
    io.MouseDown[0] = false;
    h.Frame();
    CHECK(h.manager->Current() == Mode::Pin);
    CHECK(h.last.layout.screen == "pin");
    for (const char* id : {"pin.0", "pin.5", "pin.9", "pin.ok", "pin.del", "pin.cancel"})
        CHECK(h.last.layout.Find(id));
    // The corner region is at least 12 mm.
    CHECK(app::CornerHold::Region(96).w >= ui::MmToPx(12, 96));

    h.Tap("pin.cancel");
    CHECK(h.manager->Current() == Mode::Customer);
    CHECK(h.last.layout.screen == "rate");
}

TEST_CASE("manager entry: the right PIN opens manager mode, a wrong one says so and stays") {
    test::TempDir dir;
    Harness h(Settings(core::RepMode::Ask), WithPin(dir));
    h.OpenPad();
    REQUIRE(h.manager->Current() == Mode::Pin);
    h.TypePin("1111");
    CHECK(h.manager->Current() == Mode::Pin);
    CHECK(h.manager->Pin().View("en", 96).message == "Wrong PIN");
    h.Tap("pin.1");
    h.Tap("pin.2");
    CHECK(h.manager->Pin().Entered() == 2);
    h.Tap("pin.del");
    CHECK(h.manager->Pin().Entered() == 1);
    h.Tap("pin.ok");  // too short: said, not counted as a wrong PIN
    CHECK(h.manager->Pin().View("en", 96).message == "A PIN has 4 to 8 digits");
    h.Tap("pin.del");
    for (char c : std::string(kPin))
        h.Tap(std::string("pin.") + c);
    // OK by hand: the frame that unlocks asks the loop for the next frame at once (no input
    // event follows to wake it).
    const ui::Rect ok = h.last.layout.Find("pin.ok")->rect;
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(ok.CenterX(), ok.CenterY());
    io.MouseDown[0] = true;
    h.Frame();
    io.MouseDown[0] = false;
    ImGui::NewFrame();
    h.router->Frame(h.screens, test::PointerFromImGui());
    ImGui::Render();
    CHECK(h.manager->Current() == Mode::Manager);
    CHECK(h.router->NextDeadlineMs() == h.clock.SteadyMs());
    CHECK(h.router->Tick());
    h.Frame();
    CHECK(h.last.layout.screen.rfind("manager.", 0) == 0);
    CHECK(h.last.layout.screen == "manager.reps");
}

TEST_CASE(
    "manager entry: a fresh kiosk's corner hold never offers to choose a PIN, it says the "
    "technician sets it, and set-pin opens it") {
    test::TempDir dir;
    const auto data = dir.Path() / "data";
    Harness h(Settings(core::RepMode::Ask), data);
    h.OpenPad();
    REQUIRE(h.manager->Current() == Mode::Pin);
    CHECK(h.manager->Pin().CurrentPrompt() == app::PinEntry::Prompt::NotSet);
    CHECK(h.manager->Pin().StoreState() == app::PinState::Missing);
    auto view = h.manager->Pin().View("en", 96);
    CHECK(view.locked);
    CHECK(view.title == "No manager PIN is set");
    CHECK(view.message.find("kiosk set-pin") != std::string::npos);
    CHECK(view.title.find("Choose") == std::string::npos);
    // Whatever is typed twice (the old first-use ritual), nothing opens and nothing is stored.
    for (int i = 0; i < 2; ++i) {
        for (const char* key : {"pin.8", "pin.6", "pin.4", "pin.2", "pin.ok"}) {
            const ui::ElementRect* e = h.last.layout.Find(key);
            REQUIRE(e);
            ImGuiIO& io = ImGui::GetIO();
            io.MousePos = ImVec2(e->rect.CenterX(), e->rect.CenterY());
            io.MouseDown[0] = true;
            h.Frame();
            io.MouseDown[0] = false;
            h.Frame();
        }
        CHECK(h.manager->Pin().Handle(ui::pact::Digit{1}) == app::PinEntry::Outcome::None);
        CHECK(h.manager->Pin().Handle(ui::pact::Ok{}) == app::PinEntry::Outcome::None);
    }
    CHECK(h.manager->Current() == Mode::Pin);
    CHECK(h.manager->Pin().Entered() == 0);
    CHECK_FALSE(std::filesystem::exists(data / "manager-pin"));

    // The technician runs `kiosk set-pin` at the console: the next corner hold asks for it.
    h.Tap("pin.cancel");
    REQUIRE(h.manager->Current() == Mode::Customer);
    REQUIRE(app::PinStore(std::nullopt, data).SetPin("864200").empty());
    h.OpenPad();
    CHECK(h.manager->Pin().CurrentPrompt() == app::PinEntry::Prompt::Enter);
    h.TypePin("864200");
    CHECK(h.manager->Current() == Mode::Manager);
}

TEST_CASE("manager entry: a damaged PIN file keeps the pad locked and says so, in the locale") {
    for (const std::string& garbage :
         {std::string("garbage"), std::string(""), std::string("$argon2id$v=19$truncated"),
          std::string("1234\n"), std::string("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$")}) {
        CAPTURE(garbage);
        test::TempDir dir;
        const auto data = dir.Path() / "data";
        std::filesystem::create_directories(data);
        std::ofstream(data / "manager-pin") << garbage;
        Harness h(Settings(core::RepMode::Ask), data);
        h.OpenPad();
        CHECK(h.manager->Pin().CurrentPrompt() == app::PinEntry::Prompt::NotSet);
        CHECK(h.manager->Pin().StoreState() == app::PinState::Damaged);
        const auto view = h.manager->Pin().View("en", 96);
        CHECK(view.locked);
        CHECK(view.title == "The manager PIN file is damaged");
        h.TypePin("1234");
        CHECK(h.manager->Current() == Mode::Pin);
        CHECK(Read(data / "manager-pin") == garbage);  // left for the technician to see
    }
    // The words come from the locale, in every language.
    for (const char* lang : {"en", "hi", "ne", "te", "da"}) {
        CAPTURE(lang);
        app::KioskSettings s = Settings(core::RepMode::Ask);
        s.session.defaultLanguage = lang;
        s.session.languages = {lang};
        REQUIRE(app::ApplyLocales(s, std::filesystem::path(FK_SOURCE_DIR) / "kiosk-config/locales")
                    .empty());
        CHECK(s.manager.pin.setBy.find("kiosk set-pin") != std::string::npos);
        CHECK_FALSE(s.manager.pin.notSet.empty());
        CHECK_FALSE(s.manager.pin.damaged.empty());
        if (std::string(lang) != "en") {
            CHECK(s.manager.pin.notSet != app::PinStrings{}.notSet);
            CHECK(s.manager.pin.damaged != app::PinStrings{}.damaged);
            CHECK(s.manager.strings["manager.export.exists"].find("{file}") != std::string::npos);
        }
    }
}

TEST_CASE(
    "manager lockout: five wrong PINs lock the pad with a countdown that survives a restart") {
    test::TempDir dir;
    const auto data = WithPin(dir);
    core::UtcMs then = 0;
    {
        Harness h(Settings(core::RepMode::Ask), data);
        h.OpenPad();
        for (int i = 0; i < 4; ++i)
            h.TypePin("0000");
        CHECK_FALSE(h.manager->Pin().Locked());
        h.TypePin("0000");
        REQUIRE(h.manager->Pin().Locked());
        auto view = h.manager->Pin().View("en", 96);
        CHECK(view.locked);
        CHECK(view.message == "Too many wrong PINs. Try again in 30 s");
        // One frame per second of countdown, nothing more.
        const auto next = h.router->NextDeadlineMs();
        REQUIRE(next);
        CHECK(*next - h.clock.SteadyMs() <= 1000);
        h.clock.Advance(1000);
        CHECK(h.router->Tick());
        CHECK_FALSE(h.router->Tick());
        CHECK(h.manager->Pin().View("en", 96).message == "Too many wrong PINs. Try again in 29 s");
        // The right PIN while locked does not open it.
        h.TypePin(kPin);
        CHECK(h.manager->Current() == Mode::Pin);
        h.clock.Advance(5'000);
        then = h.clock.NowUtcMs();
    }
    // A restart (new process: steady time starts over) keeps the rest of the lock.
    Harness h(Settings(core::RepMode::Ask), data, then);
    h.OpenPad();
    REQUIRE(h.manager->Pin().Locked());
    CHECK(h.manager->Pin().LockedSeconds() <= 25);
    CHECK(h.manager->Pin().LockedSeconds() >= 20);
    h.TypePin(kPin);
    CHECK(h.manager->Current() == Mode::Pin);
    h.clock.Advance(h.manager->Pin().LockedSeconds() * 1000);
    CHECK_FALSE(h.manager->Pin().Locked());
    // After a lock every wrong PIN locks again, for longer.
    h.TypePin("9999");
    REQUIRE(h.manager->Pin().Locked());
    CHECK(h.manager->Pin().LockedSeconds() == 60);
    h.clock.Advance(60'000);
    h.Frame();  // untouched for a minute: the pad has closed itself
    CHECK(h.manager->Current() == Mode::Customer);
    h.OpenPad();
    CHECK_FALSE(h.manager->Pin().Locked());
    h.TypePin(kPin);
    CHECK(h.manager->Current() == Mode::Manager);
    h.manager->Close();
    h.OpenPad();
    h.TypePin("9999");  // a right PIN cleared the brake: free attempts again
    CHECK_FALSE(h.manager->Pin().Locked());
}

TEST_CASE("manager lockout: a brute force through every 4-digit PIN never gets in while locked") {
    test::TempDir dir;
    const auto data = WithPin(dir);
    Harness h(Settings(core::RepMode::Ask), data);
    h.OpenPad();
    for (int i = 0; i < 5; ++i)
        h.TypePin("1111");
    REQUIRE(h.manager->Pin().Locked());
    app::PinEntry& pin = h.manager->Pin();
    int unlocked = 0;
    for (int candidate = 0; candidate < 10000; ++candidate) {
        char digits[5];
        std::snprintf(digits, sizeof digits, "%04d", candidate);
        for (char c : std::string(digits))
            pin.Handle(ui::pact::Digit{c - '0'});
        if (pin.Handle(ui::pact::Ok{}) == app::PinEntry::Outcome::Unlocked)
            ++unlocked;
        h.clock.Advance(1);  // ten seconds of guessing in all, still inside the 30 s lock
    }
    CHECK(unlocked == 0);
    CHECK(pin.Locked());
    // A damaged lockout file is not a way to reset the brake.
    std::ofstream(data / "manager-lockout") << "fk-pin-lockout 1\nfailures 0\n";
    Harness again(Settings(core::RepMode::Ask), data);
    again.OpenPad();
    CHECK(again.manager->Pin().Locked());
}

TEST_CASE("manager auto-exit: the pad after 30 s, manager mode after auto_exit_s, back at Rate") {
    test::TempDir dir;
    Harness h(Settings(core::RepMode::Ask), WithPin(dir));
    h.OpenPad();
    h.clock.Advance(29'000);
    h.Frame();
    CHECK(h.manager->Current() == Mode::Pin);
    h.clock.Advance(1'000);
    h.Frame();
    CHECK(h.manager->Current() == Mode::Customer);
    CHECK(h.last.layout.screen == "rate");

    h.OpenPad();
    h.TypePin(kPin);
    REQUIRE(h.manager->Current() == Mode::Manager);
    h.clock.Advance(59'000);
    h.Frame();
    CHECK(h.manager->Current() == Mode::Manager);
    CHECK(h.manager->View().autoExitInS == 1);
    h.clock.Advance(1'000);
    h.Frame();
    CHECK(h.manager->Current() == Mode::Customer);
    CHECK(h.last.layout.screen == "rate");
}

TEST_CASE("manager mode pauses the customer flow: no idle timeout while open, Rate afterwards") {
    test::TempDir dir;
    Harness h(Settings(core::RepMode::Ask), WithPin(dir));
    h.Tap("rating.4");
    REQUIRE(h.last.layout.screen == "who_helped");
    h.Open();
    h.TypePin(kPin);
    REQUIRE(h.manager->Current() == Mode::Manager);
    CHECK_FALSE(h.core->NextDeadlineMs());  // the flow's idle timer does not run
    for (int i = 0; i < 5; ++i) {
        h.clock.Advance(10'000);
        h.Frame();
    }
    CHECK(h.core->Session().CurrentStep() == core::Step::WhoHelped);
    CHECK_FALSE(h.Rows().at(0).IsClosed());
    h.manager->Apply(ui::mact::Exit{});
    h.Frame();
    h.Frame();
    // The customer left long ago: the visit is closed as idle and the screen is back at Rate.
    CHECK(h.last.layout.screen == "rate");
    REQUIRE(h.Rows().size() == 1);
    CHECK(h.Rows()[0].IsClosed());
    CHECK(h.Rows()[0].closeReason == core::CloseReason::IdleTimeout);
}

TEST_CASE("manager data: the period switch changes the numbers and sorting orders the reps") {
    test::TempDir dir;
    const core::UtcMs noon = 1'795'000'000'000 - (1'795'000'000'000 % 86'400'000) + 12 * 3'600'000;
    Harness h(Settings(core::RepMode::Ask), WithPin(dir), noon - 3 * 86'400'000);
    // Three days ago: r1 four times, r2 once. Today: r2 twice.
    for (int i = 0; i < 4; ++i)
        h.Rate(4, "r1");
    h.Rate(1, "r2");
    h.clock.SetUtc(noon);
    h.Rate(4, "r2");
    h.Rate(3, "r2");
    h.Open();
    h.TypePin(kPin);
    REQUIRE(h.manager->Current() == Mode::Manager);
    CHECK(h.manager->View().periodKind == core::PeriodKind::Today);
    CHECK(h.manager->View().data.total.tally.all.Total() == 2);
    h.manager->Apply(ui::mact::SelectPeriod{core::PeriodKind::Last7Days});
    CHECK(h.manager->View().data.total.tally.all.Total() == 7);
    CHECK(h.manager->View().data.trend.size() == 7);

    h.manager->Apply(ui::mact::SortBy{core::RepColumn::Responses, true});
    const auto& reps = h.manager->View().data.reps;
    REQUIRE(reps.size() == 2);
    CHECK(reps[0].repId == "r1");
    CHECK(reps[1].repId == "r2");
    CHECK(reps[0].tally.all.Total() == 4);
    h.manager->Apply(ui::mact::SortBy{core::RepColumn::Responses, false});
    CHECK(h.manager->View().data.reps[0].repId == "r2");
    CHECK(h.manager->View().sortColumn == core::RepColumn::Responses);
    CHECK_FALSE(h.manager->View().sortDescending);
    CHECK(h.manager->View().repNames.at("r4") == "Old Timer");  // inactive reps keep their names
    // The rep column sorts by the names on screen: Asha (r1) before Ravi (r2).
    h.manager->Apply(ui::mact::SortBy{core::RepColumn::Rep, false});
    CHECK(h.manager->View().data.reps[0].repId == "r1");
    h.manager->Apply(ui::mact::SortBy{core::RepColumn::Rep, true});
    CHECK(h.manager->View().data.reps[0].repId == "r2");

    const core::CivilDate today = core::LocalDateOf(noon, h.clock);
    h.manager->Apply(ui::mact::SetCustomRange{today, today});
    CHECK(h.manager->View().data.total.tally.all.Total() == 2);
    h.manager->Apply(ui::mact::SetCustomRange{today, core::CivilDate{today.year - 30, 1, 1}});
    REQUIRE(h.manager->View().periodError.has_value());
    CHECK(h.manager->View().periodError->kind == ui::PeriodErrorView::Kind::EndBeforeStart);
    CHECK(ui::PeriodErrorText(h.manager->View().strings, *h.manager->View().periodError)
              .find("is before the start date") != std::string::npos);
}

TEST_CASE(
    "manager roster: sign-in attributes the next rating to the signed-in rep and survives a "
    "restart") {
    test::TempDir dir;
    const auto data = WithPin(dir);
    {
        Harness h(Settings(core::RepMode::OnDuty), data);
        h.Rate(3);
        h.Open();
        h.TypePin(kPin);
        h.manager->Apply(ui::mact::SignIn{"r2"});
        CHECK(h.manager->View().roster.signedInRep == "r2");
        CHECK(h.manager->View().roster.mode == ui::RosterMode::OnDuty);
        h.manager->Apply(ui::mact::SignIn{"nobody"});  // not on the roster: ignored
        CHECK(h.manager->View().roster.signedInRep == "r2");
        h.manager->Apply(ui::mact::Exit{});
        h.Frame();
        h.Rate(4);
        auto rows = h.Rows();
        REQUIRE(rows.size() == 2);
        CHECK_FALSE(rows[0].repId.has_value());
        CHECK(rows[1].repId == "r2");
    }
    {
        Harness h(Settings(core::RepMode::OnDuty), data);
        h.Rate(2);
        CHECK(h.Rows().back().repId == "r2");
        h.manager->Apply(ui::mact::SignOut{});
        h.Rate(2);
        CHECK_FALSE(h.Rows().back().repId.has_value());
    }
    Harness h(Settings(core::RepMode::OnDuty), data);
    h.Rate(1);
    CHECK_FALSE(h.Rows().back().repId.has_value());
}

TEST_CASE(
    "manager roster: ask mode edits the picker locally and persists, a server roster replaces "
    "edits") {
    test::TempDir dir;
    const auto data = WithPin(dir);
    {
        Harness h(Settings(core::RepMode::Ask), data);
        h.manager->Apply(ui::mact::SetRepActive{"r1", false});
        h.manager->Apply(ui::mact::SetRepActive{"r4", true});
        h.Frame();
        h.Tap("rating.4");
        REQUIRE(h.last.layout.screen == "who_helped");
        CHECK_FALSE(h.last.layout.Find("rep.r1"));
        CHECK(h.last.layout.Find("rep.r4"));
        h.Tap("rep.r4");
        CHECK(h.Rows().back().repId == "r4");
    }
    {
        Harness h(Settings(core::RepMode::Ask), data);
        h.Tap("rating.4");
        REQUIRE(h.last.layout.screen == "who_helped");
        CHECK_FALSE(h.last.layout.Find("rep.r1"));
        CHECK(h.last.layout.Find("rep.r4"));
        h.Tap("rep.skip");
        h.clock.Advance(3100);
        h.Frame();
        h.Frame();
        h.manager->ApplyServerRoster({{"r1", "Asha", true, {}}, {"r9", "Nina", true, {}}});
        h.Frame();
        h.Tap("rating.4");
        REQUIRE(h.last.layout.screen == "who_helped");
        CHECK(h.last.layout.Find("rep.r1"));
        CHECK(h.last.layout.Find("rep.r9"));
        CHECK_FALSE(h.last.layout.Find("rep.r4"));
        CHECK(h.manager->View().roster.fromServer);
    }
    // The server's roster wiped the local edits on disk too.
    Harness h(Settings(core::RepMode::Ask), data);
    h.Tap("rating.4");
    CHECK(h.last.layout.Find("rep.r1"));
}

TEST_CASE(
    "manager export: writes both CSV files for the period into an allowed directory, refuses .. "
    "and links out") {
    test::TempDir dir;
    const auto exportRoot = dir.Path() / "usb";
    const auto outside = dir.Path() / "outside";
    std::filesystem::create_directories(exportRoot / "sub");
    std::filesystem::create_directories(outside);
    std::filesystem::create_symlink(outside, exportRoot / "escape");
    app::KioskSettings s = Settings(core::RepMode::Ask);
    s.manager.exportDirs = {exportRoot};
    Harness h(s, WithPin(dir));
    h.Rate(4, "r1");
    h.Rate(1, "r2");
    h.Open();
    h.TypePin(kPin);
    h.manager->Apply(ui::mact::SelectTab{ui::ManagerTab::Export});
    REQUIRE(h.manager->View().exportJob.directories ==
            std::vector<std::string>{exportRoot.string()});
    // A place that appears while the Export tab shows (a stick plugged in) is listed within
    // seconds.
    const auto stick = dir.Path() / "stick";
    std::filesystem::create_directories(stick);
    h.mounts.push_back(stick);
    const auto next = h.router->NextDeadlineMs();
    REQUIRE(next);
    CHECK(*next - h.clock.SteadyMs() <= app::ManagerSession::kExportDirsEveryMs);
    h.clock.Advance(app::ManagerSession::kExportDirsEveryMs);
    CHECK(h.router->Tick());
    CHECK(h.manager->View().exportJob.directories ==
          std::vector<std::string>{exportRoot.string(), stick.string()});

    h.manager->Apply(ui::mact::StartExport{exportRoot.string()});
    h.manager->WaitForExport();
    h.Frame();
    const auto& job = h.manager->View().exportJob.progress;
    CHECK(job.stage == ui::ExportStage::Written);
    CHECK_MESSAGE(!job.FailedOrRefused(), job.detail);
    CHECK(job.fraction == doctest::Approx(1.0));
    CHECK(job.rows == 2);
    const std::string day = core::FormatIsoDate(core::LocalDateOf(h.clock.NowUtcMs(), h.clock));
    const auto responses = exportRoot / ("feedback-k1-" + day + "_" + day + "-responses.csv");
    const auto reps = exportRoot / ("feedback-k1-" + day + "_" + day + "-reps.csv");
    REQUIRE(std::filesystem::exists(responses));
    REQUIRE(std::filesystem::exists(reps));
    const auto table = test::ParseCsv(Read(responses));
    REQUIRE(table);
    CHECK(table->size() == 3);  // header + two responses
    CHECK(test::HasRow(*table, {"Asha"}, test::CellsAt::Anywhere));
    CHECK(test::HasRow(*table, {"Ravi"}, test::CellsAt::Anywhere));
    const auto repsTable = test::ParseCsv(Read(reps));
    REQUIRE(repsTable);
    CHECK(test::HasRow(*repsTable, {"total"}, test::CellsAt::Anywhere));

    // A subdirectory of an allowed place is fine.
    h.manager->Apply(ui::mact::StartExport{(exportRoot / "sub").string()});
    h.manager->WaitForExport();
    CHECK(std::filesystem::exists(exportRoot / "sub" / responses.filename()));

    for (const auto& [bad, words] :
         {std::pair{(exportRoot / ".." / "outside").string(),
                    std::string("Choose one of the listed")},
          std::pair{(exportRoot / "escape").string(), std::string("outside the places")},
          std::pair{outside.string(), std::string("outside the places")},
          std::pair{std::string("relative/dir"), std::string("Choose one of the listed")},
          std::pair{(exportRoot / "missing").string(), std::string("cannot be used")}}) {
        CAPTURE(bad);
        h.manager->Apply(ui::mact::StartExport{bad});
        h.manager->WaitForExport();
        h.Frame();
        const ui::ManagerView& view = h.manager->View();
        CHECK(view.exportJob.progress.stage == ui::ExportStage::PlaceRefused);
        CHECK(ui::ExportStatusText(view.strings, view.exportJob.progress).find(words) !=
              std::string::npos);
    }
    CHECK(std::filesystem::is_empty(outside));
}

TEST_CASE(
    "manager export: a file or a planted link on the stick is refused on screen, nothing is "
    "overwritten or followed") {
    test::TempDir dir;
    const auto data = WithPin(dir);
    const auto stick = dir.Path() / "stick";
    std::filesystem::create_directories(stick);
    app::KioskSettings s = Settings(core::RepMode::Ask);
    s.manager.exportDirs = {stick};
    Harness h(s, data);
    h.Rate(4, "r1");
    h.Open();
    h.TypePin(kPin);
    h.manager->Apply(ui::mact::SelectTab{ui::ManagerTab::Export});
    const std::string day = core::FormatIsoDate(core::LocalDateOf(h.clock.NowUtcMs(), h.clock));
    const std::string responses = "feedback-k1-" + day + "_" + day + "-responses.csv";
    const std::string reps = "feedback-k1-" + day + "_" + day + "-reps.csv";
    const std::string pinBefore = Read(data / "manager-pin");
    const auto victim = dir.Path() / "victim.db";
    std::ofstream(victim) << "precious";
    auto exportOnce = [&]() -> const ui::ExportProgress& {
        h.manager->Apply(ui::mact::StartExport{stick.string()});
        h.manager->WaitForExport();
        h.Frame();
        return h.manager->View().exportJob.progress;
    };

    // A link at the .partial name aimed at the PIN file: refused, the PIN file untouched.
    std::filesystem::create_symlink(data / "manager-pin", stick / (responses + ".partial"));
    {
        const auto& job = exportOnce();
        CHECK(job.stage == ui::ExportStage::AlreadyThere);
        CHECK(job.file == responses + ".partial");
    }
    CHECK(Read(data / "manager-pin") == pinBefore);
    CHECK_FALSE(std::filesystem::exists(stick / reps));  // nothing half-written either
    std::filesystem::remove(stick / (responses + ".partial"));

    // A link at the final name aimed at another file: refused, the file untouched.
    std::filesystem::create_symlink(victim, stick / reps);
    {
        const auto& job = exportOnce();
        CHECK(job.stage == ui::ExportStage::AlreadyThere);
        CHECK(job.file == reps);
    }
    CHECK(Read(victim) == "precious");
    std::filesystem::remove(stick / reps);

    // The same period exported twice: the second is refused, the first file stays as it was.
    {
        const auto& job = exportOnce();
        REQUIRE_MESSAGE(job.stage == ui::ExportStage::Written, job.detail);
        CHECK(job.file.empty());
    }
    std::ofstream(stick / responses, std::ios::app) << "edited on a laptop\r\n";
    const std::string edited = Read(stick / responses);
    {
        const auto& job = exportOnce();
        CHECK(job.stage == ui::ExportStage::AlreadyThere);
        CHECK(job.file == reps);
    }
    CHECK(Read(stick / responses) == edited);
    for (const auto& e : std::filesystem::directory_iterator(stick))
        CHECK(e.path().extension() != ".partial");
}

TEST_CASE(
    "export helpers: mounted sticks come from the mounts table, file names are fixed by the "
    "kiosk") {
    test::TempDir dir;
    std::ofstream(dir.Path() / "mounts") << "/dev/sda1 / ext4 rw 0 0\n"
                                            "/dev/sdb1 /media/usb0 vfat rw 0 0\n"
                                            "/dev/sdc1 /run/media/staff/MY\\040STICK vfat rw 0 0\n"
                                            "proc /proc proc rw 0 0\n"
                                            "/dev/sdd1 /mediafake ext4 rw 0 0\n";
    const auto dirs = app::MountedExportDirs(dir.Path() / "mounts");
    CHECK(dirs == std::vector<std::filesystem::path>{"/media/usb0", "/run/media/staff/MY STICK"});
    core::Period p;
    p.firstDay = {2026, 11, 1};
    p.lastDay = {2026, 11, 30};
    CHECK(app::ExportFileName("k1", p, "responses") ==
          "feedback-k1-2026-11-01_2026-11-30-responses.csv");
    CHECK(app::ExportFileName("../../etc", p, "reps") ==
          "feedback-______etc-2026-11-01_2026-11-30-reps.csv");
}

TEST_CASE("manager alert: many negative ratings raise the banner and the heartbeat text") {
    test::TempDir dir;
    app::KioskSettings s = Settings(core::RepMode::Off);
    s.manager.alert = core::AlertRule{50.0, 15 * 60 * 1000, 4};
    Harness h(s, WithPin(dir));
    h.Rate(4);
    h.Rate(1);
    h.Rate(1);
    CHECK_FALSE(h.manager->Alert().has_value());
    h.Rate(2);
    h.Frame();
    REQUIRE(h.manager->Alert().has_value());
    CHECK(h.manager->Alert()->find("3 of 4") != std::string::npos);
    h.Open();
    h.TypePin(kPin);
    REQUIRE(h.manager->View().alertBanner.has_value());
    CHECK(*h.manager->View().alertBanner == ui::ManagerView::AlertBanner{3, 4, 15});
    // Quarter of an hour later the window has passed: the alert clears by itself.
    h.clock.Advance(16 * 60 * 1000);
    h.manager->Apply(ui::mact::Exit{});
    h.Frame();
    CHECK_FALSE(h.manager->Alert().has_value());
}

TEST_CASE("store alert: the server's alert over every till shows in the banner with its age") {
    test::TempDir dir;
    Harness h(Settings(core::RepMode::Off), WithPin(dir));
    h.Open();
    h.TypePin(kPin);
    CHECK_FALSE(h.manager->View().storeAlertBanner.has_value());
    // The heartbeat answer that carried it (sync::SyncEngine keeps it in the status).
    sync::SyncStatus status;
    status.phase = sync::SyncPhase::Idle;
    status.storeAlert =
        protocol::StoreAlert{h.clock.NowUtcMs() - 60'000, h.clock.NowUtcMs(), 4, 4, 15};
    status.storeAlertAsOf = h.clock.NowUtcMs();
    h.manager->SetSyncStatus(status);
    h.clock.Advance(40'000);
    REQUIRE(h.manager->View().storeAlertBanner.has_value());
    CHECK(*h.manager->View().storeAlertBanner == ui::ManagerView::StoreAlertBanner{4, 4, 15, 40});
    // This till's own rule does not fire: only the store's banner.
    CHECK_FALSE(h.manager->View().alertBanner.has_value());
    // No answer for longer than the window: the alert may have lapsed, so it is not shown.
    h.clock.Advance(15 * 60 * 1000);
    CHECK_FALSE(h.manager->View().storeAlertBanner.has_value());
    // A later answer without one clears it.
    status.storeAlert.reset();
    status.storeAlertAsOf = h.clock.NowUtcMs();
    h.manager->SetSyncStatus(status);
    CHECK_FALSE(h.manager->View().storeAlertBanner.has_value());
}

TEST_CASE("manager settings come from the config's [manager] table, pad words from the locale") {
    const config::KioskConfig c = config::ParseKioskConfig(R"(
[kiosk]
id = "k9"
store_id = "s1"
[languages]
offered = ["hi", "en"]
default = "hi"
[manager]
auto_exit_s = 45
min_n = 7
export_dir = "exports"
[manager.alert]
negative_share_pct = 60
window_min = 10
min_responses = 5
[[reason]]
code = "rude"
attributable_to_rep = true
label = { en = "Rude", hi = "अशिष्ट" }
[[reason]]
code = "queue"
label = { en = "Queue", hi = "कतार" }
)",
                                                           "/etc/kiosk/kiosk.toml");
    app::KioskSettings s = app::SettingsFromConfig(c);
    CHECK(s.manager.autoExitS == 45);
    CHECK(s.manager.minN == 7);
    CHECK(s.manager.alert.negativePct == doctest::Approx(60));
    CHECK(s.manager.alert.windowMs == 10 * 60 * 1000);
    CHECK(s.manager.alert.minResponses == 5);
    CHECK(s.manager.exportDirs == std::vector<std::filesystem::path>{"/etc/kiosk/exports"});
    CHECK_FALSE(s.manager.pinHash.has_value());
    REQUIRE(s.manager.reasonPolicy.size() == 2);
    CHECK(s.manager.reasonPolicy[0].attributableToRep);
    CHECK_FALSE(s.manager.reasonPolicy[1].attributableToRep);
    CHECK(s.manager.pin.title == "Manager PIN");  // built in until the locale is applied
    const auto problems =
        app::ApplyLocales(s, std::filesystem::path(FK_SOURCE_DIR) / "kiosk-config/locales");
    CHECK(problems.empty());
    CHECK(s.manager.pin.title == "प्रबंधक पिन");
    CHECK(s.manager.pin.locked.find("{seconds}") != std::string::npos);
    CHECK(s.manager.strings.count("manager.title") == 1);
}

TEST_CASE("the corner region is no customer touch target on any customer screen") {
    test::TempDir dir;
    Harness h(Settings(core::RepMode::Ask), WithPin(dir));
    const ui::Rect corner = app::CornerHold::Region(96);
    for (const char* tap : {"rating.1", "rep.skip", ""}) {
        for (const auto& e : h.last.layout.elements)
            CHECK_MESSAGE(!e.rect.Overlaps(corner), e.id << " on " << h.last.layout.screen);
        if (*tap)
            h.Tap(tap);
    }
}

// ---- staff sign-in at the till (issue 18 item 2) -------------------------------------------

namespace {

constexpr const char* kAshaCode = "246813";
constexpr const char* kRaviCode = "1357";

app::KioskSettings CodedSettings() {
    app::KioskSettings s = Settings(core::RepMode::OnDuty);
    s.roster[0].codeHash = config::HashPin(kAshaCode);  // r1 Asha
    s.roster[1].codeHash = config::HashPin(kRaviCode);  // r2 Ravi; r3 Mette has no code
    s.roster[3].codeHash = config::HashPin("9999");     // r4 is inactive: never offered
    return s;
}

void TypeCode(Harness& h, const std::string& code) {
    for (char c : code)
        h.Tap(std::string("pin.") + c);
    h.Tap("pin.ok");
}

}  // namespace

TEST_CASE(
    "staff sign-in: the staff button, the rep's name and their code sign them in and out; Rate "
    "says who serves and the next rating is theirs; nothing needs the manager PIN") {
    test::TempDir dir;
    const auto data = dir.Path() / "data";  // no manager PIN at all
    Harness h(CodedSettings(), data);
    REQUIRE(h.last.layout.screen == "rate");
    const ui::ElementRect* button = h.last.layout.Find("staff");
    REQUIRE(button);
    CHECK(button->rect.w >= ui::MmToPx(ui::kMinTargetMm, 96) - 0.5f);
    for (const auto& e : h.last.layout.elements) {
        if (e.id != "staff")
            CHECK_MESSAGE(!e.rect.Overlaps(button->rect), e.id << " overlaps the staff button");
    }
    CHECK_FALSE(h.core->View().servedBy);

    h.Tap("staff");
    REQUIRE(h.last.layout.screen == "staff");
    CHECK(h.last.layout.Find("staff.rep.r1"));
    CHECK(h.last.layout.Find("staff.rep.r2"));
    CHECK_FALSE(h.last.layout.Find("staff.rep.r3"));  // no code: cannot sign in here
    CHECK_FALSE(h.last.layout.Find("staff.rep.r4"));  // inactive
    h.Tap("staff.rep.r1");
    REQUIRE(h.last.layout.screen == "staff.code");
    TypeCode(h, kRaviCode);  // Ravi's code is not Asha's
    CHECK(h.last.layout.screen == "staff.code");
    CHECK(h.staff->Failures() == 1);
    CHECK_FALSE(h.core->Session().OnDutyRep());
    TypeCode(h, kAshaCode);
    CHECK(h.last.layout.screen == "rate");
    CHECK(h.core->Session().OnDutyRep() == std::optional<std::string>("r1"));
    CHECK(h.core->View().servedBy == std::optional<std::string>("Asha"));
    CHECK(h.staff->Failures() == 0);
    // The roster file keeps it, with when the shift began.
    const std::string saved = Read(data / app::RosterFile::kFileName);
    CHECK(saved.find("\"on_duty\": \"r1\"") != std::string::npos);
    CHECK(saved.find("on_duty_since") != std::string::npos);
    CHECK(saved.find("argon2") == std::string::npos);
    h.Rate(4);
    auto rows = h.Rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].repId == std::optional<std::string>("r1"));

    // Ravi signs in over Asha; then Ravi's own code signs him out again.
    h.Tap("staff");
    h.Tap("staff.rep.r2");
    TypeCode(h, kRaviCode);
    CHECK(h.core->Session().OnDutyRep() == std::optional<std::string>("r2"));
    h.Tap("staff");
    h.Tap("staff.rep.r2");
    TypeCode(h, kRaviCode);
    CHECK_FALSE(h.core->Session().OnDutyRep());
    CHECK(Read(data / app::RosterFile::kFileName).find("\"on_duty\": null") != std::string::npos);
    // Cancel on either screen goes back to Rate and signs nobody in.
    h.Tap("staff");
    h.Tap("staff.cancel");
    CHECK(h.last.layout.screen == "rate");
    h.Tap("staff");
    h.Tap("staff.rep.r1");
    h.Tap("pin.cancel");
    CHECK(h.last.layout.screen == "rate");
    CHECK_FALSE(h.core->Session().OnDutyRep());
}

TEST_CASE(
    "staff codes: five wrong codes lock the pad whichever name was tapped, the lock survives a "
    "restart, digits do nothing while locked, and the right code works once it ends") {
    test::TempDir dir;
    const auto data = dir.Path() / "data";
    {
        Harness h(CodedSettings(), data);
        for (int i = 0; i < 5; ++i) {
            h.Tap("staff");
            h.Tap(i % 2 ? "staff.rep.r1" : "staff.rep.r2");
            TypeCode(h, "0000");
            h.Tap("pin.cancel");
        }
        CHECK(h.staff->Failures() == 5);
        CHECK(h.staff->Locked());
        h.Tap("staff");
        h.Tap("staff.rep.r1");
        TypeCode(h, kAshaCode);  // locked: the right code is not even tried
        CHECK_FALSE(h.core->Session().OnDutyRep());
        CHECK(h.last.layout.screen == "staff.code");
        // The manager PIN's brake is a different file: staff guesses never lock manager mode.
        CHECK(std::filesystem::exists(data / app::StaffSignIn::kLockoutFile));
        CHECK_FALSE(std::filesystem::exists(data / app::PinEntry::kLockoutFile));
    }
    Harness h(CodedSettings(), data);  // a restart keeps the lock
    CHECK(h.staff->Locked());
    h.clock.Advance(31'000);
    h.Frame();
    CHECK_FALSE(h.staff->Locked());
    h.Tap("staff");
    h.Tap("staff.rep.r1");
    TypeCode(h, kAshaCode);
    CHECK(h.core->Session().OnDutyRep() == std::optional<std::string>("r1"));
}

TEST_CASE("staff sign-in: no button in ask mode or with no coded rep; the screens time out") {
    test::TempDir dir;
    {
        app::KioskSettings s = CodedSettings();
        s.session.repMode = core::RepMode::Ask;
        Harness h(s, dir.Path() / "a");
        CHECK_FALSE(h.last.layout.Find("staff"));
    }
    {
        Harness h(Settings(core::RepMode::OnDuty), dir.Path() / "b");
        CHECK_FALSE(h.last.layout.Find("staff"));
    }
    Harness h(CodedSettings(), dir.Path() / "c");
    h.Tap("staff");
    h.Tap("staff.rep.r2");
    h.Tap("pin.1");
    CHECK(h.core->Paused());  // the customer flow stands still meanwhile
    h.clock.Advance(app::StaffSignIn::kTimeoutMs);
    CHECK(h.router->Tick());
    h.Frame();
    CHECK(h.last.layout.screen == "rate");
    CHECK_FALSE(h.core->Paused());
    CHECK_FALSE(h.core->Session().OnDutyRep());
}
