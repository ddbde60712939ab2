#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/RepStats.h"
#include "support/HeadlessUi.h"
#include "ui/ManagerLayout.h"
#include "ui/ManagerSampleData.h"
#include "ui/ManagerStrings.h"
#include "ui/ManagerView.h"

using namespace fk;
using namespace fk::ui;

namespace {

const core::ReasonPolicy& Policy() {
    static const core::ReasonPolicy policy(
        {{"rude", true}, {"wait_time", false}, {"price", false}});
    return policy;
}

// A rep's row from counts per rating (1..4), plus negatives not about the rep / about the rep and
// misuse-flagged responses.
core::DashboardRepRow Row(std::optional<std::string> id, std::array<int, 4> byRating,
                          int notAbout = 0, int against = 0, int misuse = 0,
                          std::int64_t minN = 20) {
    core::DashboardRepRow row;
    row.repId = std::move(id);
    core::RepTally tally;
    for (int r = 1; r <= 4; ++r)
        tally.Add(r, std::nullopt, false, Policy(), byRating[static_cast<std::size_t>(r - 1)]);
    tally.Add(1, "wait_time", false, Policy(), notAbout);
    tally.Add(2, "rude", false, Policy(), against);
    tally.Add(4, std::nullopt, true, Policy(), misuse);
    row.tally = tally;
    row.summary = core::SummarizeRep(tally, minN);
    return row;
}

ManagerView BaseView(int reps = 6) {
    ManagerView v;
    v.data.period.kind = core::PeriodKind::Last7Days;
    v.data.period.firstDay = {2026, 11, 16};
    v.data.period.lastDay = {2026, 11, 22};
    v.periodKind = core::PeriodKind::Last7Days;
    v.customFirst = {2026, 11, 1};
    v.customLast = {2026, 11, 10};
    for (int i = 0; i < reps; ++i) {
        const std::string id = "r" + std::to_string(i + 1);
        v.data.reps.push_back(Row(id, {2 + i % 3, 3, 10 + i, 12 + 2 * i}, i % 4, i % 3, i % 2));
        v.repNames[id] = "Rep " + std::to_string(i + 1);
    }
    v.data.reps.push_back(Row("low", {1, 0, 2, 2}));  // 5 responses: not enough data
    v.repNames["low"] = "Few Ratings";
    v.data.reps.push_back(Row(std::nullopt, {3, 2, 9, 11}));
    return v;
}

// Records what text was drawn where, drawing it with ImGui's font.
class RecordingPainter final : public TextPainter {
  public:
    struct Drawn {
        std::string text;
        ImVec2 pos;
    };
    ImVec2 Measure(std::string_view text, float px, std::string_view language) override {
        return m_inner.Measure(text, px, language);
    }
    void Draw(ImDrawList* dl, ImVec2 pos, std::string_view text, float px,
              std::string_view language, ImU32 colour) override {
        drawn.push_back({std::string(text), pos});
        m_inner.Draw(dl, pos, text, px, language, colour);
    }
    std::vector<Drawn> drawn;

  private:
    ImGuiTextPainter m_inner;
};

struct Harness {
    explicit Harness(float w = 1280, float h = 800) : ctx(w, h), screens(text) {}

    ManagerFrameOutput Frame() {
        text.drawn.clear();
        ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
        last = screens.Frame(view);
        ImGui::Render();
        for (const auto& a : last.actions)
            actions.push_back(a);
        return last;
    }
    void MoveTo(float x, float y) { ImGui::GetIO().MousePos = ImVec2(x, y); }
    // A frame down, a frame up at the element's centre; returns the actions of both frames.
    std::vector<ManagerAction> Tap(const std::string& id) {
        const ElementRect* e = last.layout.Find(id);
        REQUIRE_MESSAGE(e != nullptr, "no element " << id << " on " << last.layout.screen);
        return TapAt(e->rect.CenterX(), e->rect.CenterY());
    }
    std::vector<ManagerAction> TapAt(float x, float y) {
        actions.clear();
        ImGuiIO& io = ImGui::GetIO();
        MoveTo(x, y);
        Frame();
        io.MouseDown[0] = true;
        Frame();
        io.MouseDown[0] = false;
        Frame();
        return actions;
    }
    std::vector<ManagerAction> Drag(float x, float y0, float y1, int steps = 10) {
        actions.clear();
        ImGuiIO& io = ImGui::GetIO();
        MoveTo(x, y0);
        Frame();
        io.MouseDown[0] = true;
        Frame();
        for (int i = 1; i <= steps; ++i) {
            MoveTo(x, y0 + (y1 - y0) * static_cast<float>(i) / static_cast<float>(steps));
            Frame();
        }
        io.MouseDown[0] = false;
        Frame();
        Frame();
        return actions;
    }
    // Strings drawn inside r.
    std::vector<std::string> TextIn(const Rect& r) const {
        std::vector<std::string> out;
        for (const auto& d : text.drawn) {
            if (r.Contains(d.pos.x + 1, d.pos.y + 1))
                out.push_back(d.text);
        }
        return out;
    }

    test::ImGuiContextGuard ctx;
    RecordingPainter text;
    ManagerScreens screens;
    ManagerView view = BaseView();
    ManagerFrameOutput last;
    std::vector<ManagerAction> actions;
};

// The one action of a tap, by value.
template <class A>
std::optional<A> Only(const std::vector<ManagerAction>& actions) {
    REQUIRE_MESSAGE(actions.size() == 1, "expected one action, got " << actions.size());
    const A* a = std::get_if<A>(&actions.front());
    REQUIRE_MESSAGE(a != nullptr, "unexpected action " << to_string(actions.front()));
    return *a;
}

}  // namespace

TEST_CASE("manager reps tab draws the chrome, the sort headers and one target per rep") {
    Harness h;
    h.Frame();
    const auto out = h.Frame();
    CHECK(out.layout.screen == "manager.reps");
    for (const char* id : {"tab.reps",          "tab.store",    "tab.sync",    "tab.roster",
                           "tab.export",        "period.today", "period.7d",   "period.30d",
                           "period.custom",     "manager.exit", "sort.rep",    "sort.responses",
                           "sort.satisfaction", "sort.score",   "sort.wilson", "sort.not_about_rep",
                           "sort.against_rep",  "sort.misuse",  "rep.r1",      "rep.low",
                           "rep.none"}) {
        CHECK_MESSAGE(out.layout.Find(id) != nullptr, id);
    }
    CHECK(out.actions.empty());
    CHECK_FALSE(out.touched);
    // Names go through the text painter.
    bool sawName = false;
    for (const auto& d : h.text.drawn)
        sawName = sawName || d.text == "Rep 3";
    CHECK(sawName);
}

TEST_CASE("clicking a header emits SortBy with that column, the same column flips the direction") {
    Harness h;
    h.view.sortColumn = core::RepColumn::WilsonLower;
    h.view.sortDescending = true;
    h.Frame();
    auto a = h.Tap("sort.wilson");
    CHECK(Only<mact::SortBy>(a)->column == core::RepColumn::WilsonLower);
    CHECK_FALSE(Only<mact::SortBy>(a)->descending);
    a = h.Tap("sort.score");
    CHECK(Only<mact::SortBy>(a)->column == core::RepColumn::Score);
    CHECK(Only<mact::SortBy>(a)->descending);
    a = h.Tap("sort.rep");
    CHECK(Only<mact::SortBy>(a)->column == core::RepColumn::Rep);
    CHECK_FALSE(Only<mact::SortBy>(a)->descending);
    h.view.sortColumn = core::RepColumn::Misuse;
    h.view.sortDescending = false;
    h.Frame();
    a = h.Tap("sort.misuse");
    CHECK(Only<mact::SortBy>(a)->column == core::RepColumn::Misuse);
    CHECK(Only<mact::SortBy>(a)->descending);
    CHECK(to_string(a.front()) == "sort_by(misuse,desc)");
}

TEST_CASE("period buttons emit SelectPeriod, tabs SelectTab, Exit Exit") {
    Harness h;
    h.Frame();
    CHECK(Only<mact::SelectPeriod>(h.Tap("period.today"))->kind == core::PeriodKind::Today);
    CHECK(Only<mact::SelectPeriod>(h.Tap("period.30d"))->kind == core::PeriodKind::Last30Days);
    CHECK(Only<mact::SelectPeriod>(h.Tap("period.custom"))->kind == core::PeriodKind::Custom);
    CHECK(Only<mact::SelectTab>(h.Tap("tab.store"))->tab == ManagerTab::Store);
    CHECK(Only<mact::SelectTab>(h.Tap("tab.export"))->tab == ManagerTab::Export);
    Only<mact::Exit>(h.Tap("manager.exit"));
    CHECK(h.last.touched);
}

TEST_CASE("custom period steppers emit SetCustomRange one day on and keep first <= last") {
    Harness h;
    h.view.periodKind = core::PeriodKind::Custom;
    h.Frame();
    CHECK(h.last.layout.Find("period.first.minus"));
    auto r = Only<mact::SetCustomRange>(h.Tap("period.first.minus"));
    CHECK(r->first == core::CivilDate{2026, 10, 31});
    CHECK(r->last == core::CivilDate{2026, 11, 10});
    r = Only<mact::SetCustomRange>(h.Tap("period.first.plus"));
    CHECK(r->first == core::CivilDate{2026, 11, 2});
    r = Only<mact::SetCustomRange>(h.Tap("period.last.plus"));
    CHECK(r->last == core::CivilDate{2026, 11, 11});
    r = Only<mact::SetCustomRange>(h.Tap("period.last.minus"));
    CHECK(r->last == core::CivilDate{2026, 11, 9});
    CHECK(r->first == core::CivilDate{2026, 11, 1});
    h.view.customFirst = h.view.customLast = {2026, 11, 10};
    h.Frame();
    r = Only<mact::SetCustomRange>(h.Tap("period.first.plus"));
    CHECK(r->first == core::CivilDate{2026, 11, 11});
    CHECK(r->last == core::CivilDate{2026, 11, 11});
    // Not custom: no steppers.
    h.view.periodKind = core::PeriodKind::Today;
    h.Frame();
    CHECK_FALSE(h.last.layout.Find("period.first.minus"));
}

TEST_CASE(
    "a rep below the minimum n shows not enough data and no score, a rep above shows its numbers") {
    Harness h;
    h.Frame();
    h.Frame();
    const ElementRect* low = h.last.layout.Find("rep.low");
    const ElementRect* good = h.last.layout.Find("rep.r2");
    REQUIRE(low);
    REQUIRE(good);
    const auto lowText = h.TextIn(low->rect);
    const auto goodText = h.TextIn(good->rect);
    auto has = [](const std::vector<std::string>& v, const std::string& s) {
        return std::find(v.begin(), v.end(), s) != v.end();
    };
    CHECK(has(lowText, "Few Ratings"));
    CHECK(has(lowText, "Not enough data (n < 20)"));
    CHECK(has(lowText, "5"));
    for (const auto& s : lowText)
        CHECK_MESSAGE(s.find('%') == std::string::npos, s);
    const auto& fair = h.view.data.reps[1].summary.fair;
    REQUIRE(fair.enoughData);
    CHECK(has(goodText, std::to_string(std::lround(*fair.satisfactionPct)) + "%"));
    CHECK(has(goodText, std::to_string(std::lround(*fair.wilsonLowerPct)) + "%"));
    CHECK(has(goodText, std::to_string(std::lround(*fair.score100))));
    CHECK_FALSE(has(goodText, "Not enough data (n < 20)"));
    // The cut-off is the view's.
    h.view.minResponses = 3;
    h.view.data.reps[h.view.data.reps.size() - 2] = Row("low", {1, 0, 2, 2}, 0, 0, 0, 3);
    h.Frame();
    CHECK_FALSE(has(h.TextIn(h.last.layout.Find("rep.low")->rect), "Not enough data (n < 3)"));
}

TEST_CASE("manager targets are at least 12 mm and never overlap, landscape and portrait") {
    for (auto [w, hgt] : {std::pair{1280.0f, 800.0f}, std::pair{800.0f, 1280.0f}}) {
        for (float dpi : {96.0f, 160.0f}) {
            for (bool custom : {false, true}) {
                Harness h(w, hgt);
                h.view = SampleManagerView();  // 50 reps, a roster of 50, three export places
                h.view.exportJob.progress = {};
                h.view.roster.mode = custom ? RosterMode::Ask : RosterMode::OnDuty;
                h.view.dpi = dpi;
                h.view.periodKind = custom ? core::PeriodKind::Custom : core::PeriodKind::Today;
                h.view.alertBanner = ui::ManagerView::AlertBanner{5, 7, 15};
                h.view.autoExitInS = 12;
                for (ManagerTab tab : {ManagerTab::Reps, ManagerTab::Store, ManagerTab::Sync,
                                       ManagerTab::Roster, ManagerTab::Export}) {
                    h.view.tab = tab;
                    h.Frame();
                    const auto& els = h.last.layout.elements;
                    INFO(w << "x" << hgt << " dpi " << dpi << " custom " << custom << " "
                           << h.last.layout.screen);
                    CHECK(els.size() >= 10);
                    const float min = MmToPx(kMinTargetMm, dpi) - 0.5f;
                    for (std::size_t i = 0; i < els.size(); ++i) {
                        const Rect& r = els[i].rect;
                        CHECK_MESSAGE(r.w >= min, els[i].id << " " << r.w);
                        CHECK_MESSAGE(r.h >= min, els[i].id << " " << r.h);
                        CHECK_MESSAGE(r.x >= 0, els[i].id);
                        CHECK_MESSAGE(r.y >= 0, els[i].id);
                        CHECK_MESSAGE(r.Right() <= w + 0.5f, els[i].id);
                        CHECK_MESSAGE(r.Bottom() <= hgt + 0.5f, els[i].id);
                        for (std::size_t j = i + 1; j < els.size(); ++j) {
                            CHECK_MESSAGE(!r.Overlaps(els[j].rect),
                                          els[i].id << " overlaps " << els[j].id);
                            CHECK_MESSAGE(els[i].id != els[j].id, "duplicate " << els[i].id);
                        }
                    }
                }
            }
        }
    }
}

TEST_CASE("50 reps scroll by touch drag, a drag taps nothing") {
    Harness h;
    h.view = BaseView(50);
    h.Frame();
    h.Frame();
    CHECK(h.last.layout.Find("rep.r1"));
    CHECK_FALSE(h.last.layout.Find("rep.r50"));
    CHECK_FALSE(h.last.layout.Find("rep.none"));
    const ElementRect* r3 = h.last.layout.Find("rep.r3");
    REQUIRE(r3);
    const float x = r3->rect.CenterX();
    const float y0 = r3->rect.CenterY() + 300;
    auto actions = h.Drag(x, y0, y0 - 250);
    CHECK(actions.empty());
    CHECK(h.last.touched == false);  // the frame after the release
    CHECK_FALSE(h.last.layout.Find("rep.r1"));
    // Far enough down reaches the end: the last rows become tappable.
    for (int i = 0; i < 12 && !h.last.layout.Find("rep.none"); ++i)
        h.Drag(x, y0, y0 - 300);
    CHECK(h.last.layout.Find("rep.r50"));
    CHECK(h.last.layout.Find("rep.none"));
    // And back up.
    for (int i = 0; i < 12 && !h.last.layout.Find("rep.r1"); ++i)
        h.Drag(x, y0 - 300, y0);
    CHECK(h.last.layout.Find("rep.r1"));
    // The wheel scrolls too.
    h.MoveTo(x, y0);
    ImGui::GetIO().MouseWheel = -5;
    h.Frame();
    h.Frame();
    CHECK_FALSE(h.last.layout.Find("rep.r1"));
}

TEST_CASE("manager strings: the view's text wins, English fills in, placeholders are replaced") {
    ManagerStringMap strings{{"manager.exit", "Afslut"}};
    CHECK(ManagerText(strings, "manager.exit") == "Afslut");
    CHECK(ManagerText(strings, "manager.tab.store") == "Store");
    CHECK(ManagerText(strings, "manager.screen.closes_in", {{"seconds", "9"}}) == "Closes in 9 s");
    CHECK(ManagerText(strings, "manager.nope") == "manager.nope");
    CHECK(FormatAge(strings, 59) == "59 s");
    CHECK(FormatAge(strings, 600) == "10 min");
    CHECK(FormatAge(strings, 3 * 3600) == "3 h");
    CHECK(FormatAge(strings, 3 * 86400) == "3 d");
    // Ages are words too: in Telugu the unit is Telugu.
    const ManagerStringMap te{{"manager.age.minutes", "{n} నిమిషాలు"}};
    CHECK(FormatAge(te, 600) == "10 నిమిషాలు");
}

TEST_CASE("tapping a rep row shows what its numbers mean, tapping again hides it") {
    Harness h;
    h.Frame();
    const auto& row = h.view.data.reps[1];
    REQUIRE(row.summary.fair.enoughData);
    CHECK(h.Tap("rep.r2").empty());
    h.Frame();  // the strip shows from the frame after the tap
    const std::string lower = std::to_string(std::lround(*row.summary.fair.wilsonLowerPct));
    bool shown = false;
    for (const auto& d : h.text.drawn)
        shown = shown || d.text.find("at least " + lower + "% are satisfied") != std::string::npos;
    CHECK(shown);
    h.Tap("rep.r2");
    h.Frame();
    shown = false;
    for (const auto& d : h.text.drawn)
        shown = shown || d.text.find("are satisfied") != std::string::npos;
    CHECK_FALSE(shown);
}

TEST_CASE("store, sync, roster and export tabs draw their data and emit their actions") {
    Harness h;
    h.view = SampleManagerView();
    auto drew = [&](const std::string& needle) {
        for (const auto& d : h.text.drawn) {
            if (d.text.find(needle) != std::string::npos)
                return true;
        }
        return false;
    };
    h.view.tab = ManagerTab::Store;
    h.Frame();
    CHECK(h.last.layout.screen == "manager.store");
    CHECK(drew(std::to_string(h.view.data.total.summary.raw.responses)));
    CHECK(drew("Score by weekday and hour"));
    CHECK(drew("Hollow: fewer than 20 responses that day"));
    // The reasons breakdown is further down: scroll to it.
    for (int i = 0; i < 6; ++i)
        h.Drag(640, 700, 300);
    CHECK(drew("Long wait"));
    CHECK(drew("not about the rep"));
    CHECK(drew("about the rep"));

    h.view.tab = ManagerTab::Sync;
    h.Frame();
    CHECK(h.last.layout.screen == "manager.sync");
    CHECK(drew("Waiting to send: 37"));
    CHECK(drew("The server has everything up to #48213."));
    CHECK(drew("certificate checks are OFF"));
    CHECK(drew("rep_id \"rep99\" is not on the roster"));
    h.view.sync = SyncHealthView{};
    h.Frame();
    CHECK(drew("does not sync"));

    h.view.tab = ManagerTab::Roster;
    h.view.roster.mode = RosterMode::OnDuty;
    h.view.roster.signedInRep = "rep2";
    h.Frame();
    CHECK(h.last.layout.screen == "manager.roster");
    CHECK(drew("Signed in at this kiosk: " + h.view.roster.reps[1].name));
    Only<mact::SignOut>(h.Tap("roster.signout"));
    CHECK(Only<mact::SignIn>(h.Tap("roster.signin.rep1"))->repId == "rep1");
    h.view.roster.mode = RosterMode::Ask;
    h.view.roster.reps[0].active = true;
    h.Frame();
    auto active = Only<mact::SetRepActive>(h.Tap("roster.active.rep1"));
    CHECK(active->repId == "rep1");
    CHECK_FALSE(active->active);
    CHECK(drew("The server sent this list"));
    h.view.roster.mode = RosterMode::Off;
    h.Frame();
    CHECK_FALSE(h.last.layout.Find("roster.active.rep1"));

    h.view.tab = ManagerTab::Export;
    h.view.exportJob.progress = {};
    h.Frame();
    CHECK(h.last.layout.screen == "manager.export");
    CHECK(Only<mact::StartExport>(h.Tap("export.dir.1"))->directory == "/media/MANAGER-STICK");
    h.view.exportJob.progress.stage = ExportStage::Running;
    h.view.exportJob.progress.fraction = 0.42;
    h.view.exportJob.progress.done = 12345;
    h.view.exportJob.progress.total = 29400;
    h.Frame();
    CHECK_FALSE(h.last.layout.Find("export.dir.0"));  // no second export while one runs
    CHECK(drew("Exporting: 12345 of 29400 rows"));
    CHECK(drew("42%"));
    h.view.exportJob.progress = {};
    h.view.exportJob.progress.stage = ExportStage::Failed;
    h.view.exportJob.progress.detail = "/media/usb0 is read-only";
    h.Frame();
    CHECK(drew("Export failed: /media/usb0 is read-only"));
    h.view.exportJob.progress.stage = ExportStage::PlaceRefused;
    h.view.exportJob.progress.placeProblem = ExportPlaceProblem::Unusable;
    h.view.exportJob.progress.place = "/media/usb0";
    h.Frame();
    CHECK(drew("Export failed: /media/usb0 cannot be used. Is the USB stick still plugged in?"));
    h.view.exportJob.progress = {};
    h.view.exportJob.progress.stage = ExportStage::Written;
    h.view.exportJob.progress.place = "/media/usb0";
    h.view.exportJob.progress.repsFile = "r.csv";
    h.view.exportJob.progress.responsesFile = "a.csv";
    h.view.exportJob.progress.rows = 7;
    h.view.strings["manager.export.written"] =
        "{place}లో సేవ్ చేయబడింది: {reps}, {responses} ({rows} స్పందనలు)";
    h.Frame();
    CHECK(drew("/media/usb0లో సేవ్ చేయబడింది: r.csv, a.csv (7 స్పందనలు)"));
}

TEST_CASE("calls tab: each open call with its till, rep and reason, I'm going and four closings") {
    Harness h;
    h.view = SampleManagerView();
    auto drew = [&](const std::string& needle) {
        for (const auto& d : h.text.drawn) {
            if (d.text.find(needle) != std::string::npos)
                return true;
        }
        return false;
    };
    h.view.tab = ManagerTab::Calls;
    h.Frame();
    CHECK(h.last.layout.screen == "manager.calls");
    const CallRowView waiting = h.view.calls.calls[0];
    const CallRowView going = h.view.calls.calls[1];
    CHECK(drew("Rating 1 of 4 at till till-2, 95 s ago"));
    CHECK(drew("Rating 2 of 4 at this till, 6 min ago"));
    CHECK(drew("Served by " + waiting.repName));
    CHECK(drew("Reason: Long wait"));
    CHECK(drew("Asked 1 more times"));
    CHECK(drew("Nobody is on the way yet"));
    CHECK(drew("Manager mode at till till-1 is on the way"));
    CHECK(drew("asked the customer to go to the counter"));
    CHECK(drew("Updated 4 s ago"));
    // The report wraps over lines: read the drawn words as one text.
    std::string words;
    for (const auto& d : h.text.drawn)
        words += d.text + " ";
    CHECK(words.find(": 9 calls at this store, 8 acknowledged (half within 75 s, 90% within 4 "
                     "min), 5 of 7 closed as helped, 0 overdue now") != std::string::npos);
    // "I'm going" only for a call nobody has acknowledged; all four closings for both.
    CHECK(h.last.layout.Find("call.ack." + waiting.id));
    CHECK_FALSE(h.last.layout.Find("call.ack." + going.id));
    CHECK(Only<mact::AcknowledgeCall>(h.Tap("call.ack." + waiting.id))->id == waiting.id);
    for (const char* outcome : {"helped", "refund_or_replacement", "customer_left", "other"}) {
        INFO(outcome);
        auto close = Only<mact::CloseCall>(h.Tap("call.close." + going.id + "." + outcome));
        CHECK(close->id == going.id);
        CHECK(close->outcome == outcome);
    }
    Only<mact::RefreshCalls>(h.Tap("calls.refresh"));
    CHECK_FALSE(drew("Waiting too long"));
    h.view.calls.calls[0].overdue = true;
    h.Frame();
    CHECK(drew("Waiting too long: head office has been alerted"));
    // Targets are at least 12 mm and do not overlap.
    const float min = MmToPx(kMinTargetMm, h.view.dpi) - 0.01f;
    std::vector<Rect> targets;
    for (const auto& e : h.last.layout.elements) {
        if (e.id.rfind("call", 0) == 0)
            targets.push_back(e.rect);
    }
    CHECK(targets.size() == 1 + 5 + 4);
    for (std::size_t i = 0; i < targets.size(); ++i) {
        CHECK(targets[i].w >= min);
        CHECK(targets[i].h >= min);
        for (std::size_t j = i + 1; j < targets.size(); ++j)
            CHECK_FALSE(targets[i].Overlaps(targets[j]));
    }

    h.view.calls.report = core::CallSummary{};
    h.Frame();
    CHECK(drew(": no help calls at this store"));
    h.view.calls.error = "listing the help calls: HTTP 401 (unknown_token: ...)";
    h.view.calls.calls.clear();
    h.Frame();
    CHECK(drew("Could not update: listing the help calls: HTTP 401"));
    CHECK(drew("No customer is waiting for help at this store."));
    h.view.calls = CallsView{};
    h.Frame();
    CHECK(drew("does not sync with a server"));
    CHECK_FALSE(h.last.layout.Find("calls.refresh"));
}

TEST_CASE(
    "top bar: period dates, the alert banner, the auto-exit countdown only when close, period "
    "errors") {
    Harness h;
    auto drew = [&](const std::string& needle) {
        for (const auto& d : h.text.drawn) {
            if (d.text == needle)
                return true;
        }
        return false;
    };
    h.view.autoExitInS = 120;
    h.Frame();
    CHECK(drew("2026-11-16 to 2026-11-22 (7 days)"));
    CHECK_FALSE(drew("Closes in 120 s"));
    h.view.autoExitInS = 9;
    h.view.alertBanner = ui::ManagerView::AlertBanner{5, 7, 15};
    h.Frame();
    CHECK(drew("Closes in 9 s"));
    CHECK(drew("5 of 7 responses negative in the last 15 min"));
    // In the manager's language, from the locale's words (it was English in every language).
    h.view.strings["manager.alert.banner"] =
        "पिछले {minutes} मिनट में {responses} में से {negative} जवाब नकारात्मक";
    h.Frame();
    CHECK(drew("पिछले 15 मिनट में 7 में से 5 जवाब नकारात्मक"));
    h.view.strings.erase("manager.alert.banner");
    h.view.periodKind = core::PeriodKind::Custom;
    h.view.periodError = PeriodErrorView{PeriodErrorView::Kind::EndBeforeStart,
                                         core::CivilDate{2026, 11, 10},
                                         core::CivilDate{2026, 11, 1},
                                         {}};
    h.Frame();
    CHECK(drew("2026-11-01"));
    CHECK(drew("2026-11-10"));
    CHECK(
        drew("The end date 2026-11-01 is before the start date 2026-11-10: pick an end on or "
             "after the start"));
    h.view.strings["manager.period_error.end_before_start"] =
        "अंतिम तारीख {last} शुरुआती तारीख {first} से पहले है";
    h.Frame();
    CHECK(drew("अंतिम तारीख 2026-11-01 शुरुआती तारीख 2026-11-10 से पहले है"));
    h.view.data.period.lastDay = h.view.data.period.firstDay;
    h.view.periodKind = core::PeriodKind::Today;
    h.Frame();
    CHECK(drew("2026-11-16"));
}

TEST_CASE("portrait: 50 reps scroll and a tap still lands on the row under the finger") {
    Harness h(800, 1280);
    h.view = SampleManagerView();
    h.Frame();
    h.Frame();
    const auto& rows = h.view.data.reps;
    const std::string bottom = rows.back().repId ? "rep." + *rows.back().repId : "rep.none";
    CHECK_FALSE(h.last.layout.Find(bottom));
    for (int i = 0; i < 15 && !h.last.layout.Find(bottom); ++i) {
        h.Drag(400, 1100, 500);
    }
    REQUIRE(h.last.layout.Find(bottom));
    CHECK(h.Tap(bottom).empty());
    h.Frame();
    // The detail strip starts with the tapped rep's name.
    const std::string name =
        rows.back().repId ? h.view.repNames.at(*rows.back().repId) : "No rep chosen";
    bool detail = false;
    for (const auto& d : h.text.drawn)
        detail = detail || d.text.rfind(name + ": ", 0) == 0;
    CHECK(detail);
}
