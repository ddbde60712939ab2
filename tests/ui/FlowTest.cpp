// The whole customer flow, headless: taps on the drawn screens drive the real FeedbackSession;
// the effects it produces are what the app would store.
#include <doctest/doctest.h>

#include <tuple>

#include "support/HeadlessUi.h"

using namespace fk;
using namespace fk::core;
using Effects = std::vector<SessionEffect>;

namespace {

fx::BeginResponse Begin(int rating, std::optional<std::string> rep = std::nullopt,
                        std::string lang = "en", std::optional<std::string> misuse = std::nullopt,
                        int scale = 4) {
    return fx::BeginResponse{scale, rating, std::move(lang), std::move(rep), std::move(misuse)};
}
const SessionEffect kThanks = fx::CloseResponse{CloseReason::ThankYou};
const SessionEffect kIdle = fx::CloseResponse{CloseReason::IdleTimeout};

void BackToRate(test::Flow& f) {
    f.Wait(f.session.Settings().thankYouMs);
    f.Step();
    REQUIRE(f.Screen() == "rate");
}

}  // namespace

TEST_CASE("rep mode ask: every path through the screens") {
    for (bool portrait : {false, true}) {
        CAPTURE(portrait);
        auto cfg = test::DefaultFlowConfig(RepMode::Ask);
        if (portrait)
            std::swap(cfg.width, cfg.height);
        test::Flow f(cfg);
        REQUIRE(f.Screen() == "rate");

        SUBCASE("negative: rep then reason") {
            f.Tap("rating.1");
            CHECK(f.Screen() == "who_helped");
            f.Tap("rep.r2");
            CHECK(f.Screen() == "reason");
            f.Tap("reason.staff");
            CHECK(f.Screen() == "thank_you");
            CHECK(f.TakeEffects() ==
                  Effects{Begin(1), fx::SetRep{"r2"}, fx::SetReason{"staff"}, kThanks});
            BackToRate(f);
        }
        SUBCASE("negative: skip rep, skip reason") {
            f.Tap("rating.2");
            f.Tap("rep.skip");
            CHECK(f.Screen() == "reason");
            f.Tap("reason.skip");
            CHECK(f.Screen() == "thank_you");
            CHECK(f.TakeEffects() == Effects{Begin(2), kThanks});
        }
        SUBCASE("positive: rep, no reason asked") {
            f.Tap("rating.4");
            f.Tap("rep.r3");
            CHECK(f.Screen() == "thank_you");
            CHECK(f.TakeEffects() == Effects{Begin(4), fx::SetRep{"r3"}, kThanks});
        }
        SUBCASE("positive: skip rep") {
            f.Tap("rating.3");
            f.Tap("rep.skip");
            CHECK(f.TakeEffects() == Effects{Begin(3), kThanks});
        }
    }
}

TEST_CASE("rep mode on_duty: no picker, the signed-in rep is on the response") {
    test::Flow f(test::DefaultFlowConfig(RepMode::OnDuty));
    f.session.Handle(ev::SetOnDutyRep{"r2"});
    f.Tap("rating.1");
    CHECK(f.Screen() == "reason");
    f.Tap("reason.wait_time");
    CHECK(f.TakeEffects() == Effects{Begin(1, "r2"), fx::SetReason{"wait_time"}, kThanks});
    BackToRate(f);
    f.Tap("rating.2");
    f.Tap("reason.skip");
    CHECK(f.TakeEffects() == Effects{Begin(2, "r2"), kThanks});
    BackToRate(f);
    f.Tap("rating.4");
    CHECK(f.Screen() == "thank_you");
    CHECK(f.TakeEffects() == Effects{Begin(4, "r2"), kThanks});
}

TEST_CASE("rep mode off: no rep step at all") {
    test::Flow f(test::DefaultFlowConfig(RepMode::Off));
    f.Tap("rating.2");
    CHECK(f.Screen() == "reason");
    f.Tap("reason.price");
    CHECK(f.TakeEffects() == Effects{Begin(2), fx::SetReason{"price"}, kThanks});
    BackToRate(f);
    f.Tap("rating.3");
    CHECK(f.Screen() == "thank_you");
    CHECK(f.TakeEffects() == Effects{Begin(3), kThanks});
}

TEST_CASE("five faces: the middle one asks a reason only when configured") {
    auto cfg = test::DefaultFlowConfig(RepMode::Off);
    cfg.settings.scale = *RatingScale::Make(5);
    cfg.settings.reasonRatings = {1, 2, 3};
    test::Flow f(cfg);
    REQUIRE(f.Layout().Find("rating.5"));
    f.Tap("rating.3");
    CHECK(f.Screen() == "reason");
    f.Tap("reason.skip");
    CHECK(f.TakeEffects() == Effects{Begin(3, std::nullopt, "en", std::nullopt, 5), kThanks});
}

TEST_CASE("idle timeout at each step returns to rate and keeps what was given") {
    auto cfg = test::DefaultFlowConfig(RepMode::Ask);
    const auto idle = cfg.settings.idleTimeoutMs;
    SUBCASE("at who helped") {
        test::Flow f(cfg);
        f.Tap("rating.1");
        f.Wait(idle - 500);
        CHECK(f.Screen() == "who_helped");
        f.Wait(500);
        f.Step();
        CHECK(f.Screen() == "rate");
        CHECK(f.TakeEffects() == Effects{Begin(1), kIdle});
    }
    SUBCASE("at reason") {
        test::Flow f(cfg);
        f.Tap("rating.2");
        f.Tap("rep.r1");
        f.Wait(idle);
        f.Step();
        CHECK(f.Screen() == "rate");
        CHECK(f.TakeEffects() == Effects{Begin(2), fx::SetRep{"r1"}, kIdle});
    }
    SUBCASE("at thank you: already closed, back to rate after the thank-you time") {
        test::Flow f(cfg);
        f.Tap("rating.4");
        f.Tap("rep.skip");
        f.Wait(idle);
        f.Step();
        CHECK(f.Screen() == "rate");
        CHECK(f.TakeEffects() == Effects{Begin(4), kThanks});
    }
    SUBCASE("at rate: an abandoned language choice resets") {
        test::Flow f(cfg);
        f.Tap("lang.da");
        CHECK(f.session.Language() == "da");
        f.Wait(idle);
        CHECK(f.session.Language() == "en");
        CHECK(f.TakeEffects().empty());
    }
}

TEST_CASE("language: chosen on rate, stored with the response, reset for the next customer") {
    test::Flow f(test::DefaultFlowConfig(RepMode::Off));
    f.Tap("lang.da");
    f.Tap("rating.4");
    CHECK(f.TakeEffects() == Effects{Begin(4, std::nullopt, "da"), kThanks});
    BackToRate(f);
    CHECK(f.session.Language() == "en");
    f.Tap("rating.4");
    CHECK(f.TakeEffects() == Effects{Begin(4), kThanks});
}

TEST_CASE("misuse: hammering the faces is stored flagged with the rule, never dropped") {
    auto cfg = test::DefaultFlowConfig(RepMode::Off);
    cfg.settings.misuse = MisuseRules{5, 3, 2};
    cfg.settings.thankYouMs = 1'000;
    test::Flow f(cfg);
    f.Tap("rating.4");
    BackToRate(f);
    f.Tap("rating.4");  // ~1.2 s after the close
    CHECK(f.TakeEffects() ==
          Effects{Begin(4), kThanks, Begin(4, std::nullopt, "en", "min_interval"), kThanks});
    f.Wait(6'000);
    f.Tap("rating.1");
    f.Tap("reason.skip");
    f.Wait(6'000);
    f.Tap("rating.3");  // fourth within two minutes
    CHECK(f.TakeEffects() ==
          Effects{Begin(1), kThanks, Begin(3, std::nullopt, "en", "burst"), kThanks});
}

TEST_CASE("closed hours: the dimmed closed screen takes no ratings") {
    test::Flow f(test::DefaultFlowConfig(RepMode::Ask));
    const ui::Rect face = f.Layout().Find("rating.4")->rect;
    f.session.Handle(ev::SetOpen{false});
    f.Step();
    CHECK(f.Screen() == "closed");
    CHECK(f.Layout().elements.empty());
    f.TapAt(face.CenterX(), face.CenterY());
    CHECK(f.TakeEffects().empty());
    CHECK(f.Screen() == "closed");
    f.session.Handle(ev::SetOpen{true});
    f.Step();
    CHECK(f.Screen() == "rate");
    f.Tap("rating.4");
    CHECK(f.TakeEffects() == Effects{Begin(4)});
}

TEST_CASE(
    "storage error notice: calm full screen for staff, no taps reach the flow, flow resumes "
    "after") {
    test::Flow f(test::DefaultFlowConfig(RepMode::Ask));
    const ui::Rect face = f.Layout().Find("rating.1")->rect;
    f.notice = ui::StaffNotice{"Feedback is paused",
                               "The kiosk's disk is full. Ratings already given are safe."};
    f.Step();
    CHECK(f.Screen() == "notice");
    f.TapAt(face.CenterX(), face.CenterY());
    CHECK(f.TakeEffects().empty());
    f.notice.reset();
    f.Step();
    CHECK(f.Screen() == "rate");
    f.Tap("rating.1");
    CHECK(f.TakeEffects() == Effects{Begin(1)});
}

TEST_CASE("a tap between targets does nothing") {
    test::Flow f(test::DefaultFlowConfig(RepMode::Ask));
    const auto* a = f.Layout().Find("rating.1");
    const auto* b = f.Layout().Find("rating.2");
    f.TapAt((a->rect.Right() + b->rect.x) * 0.5f, a->rect.CenterY());
    CHECK(f.TakeEffects().empty());
    CHECK(f.Screen() == "rate");
}

TEST_CASE(
    "rep picker with 200 reps: next pages to the 150th, prev goes back, the pick is stored, "
    "the next customer starts on page one") {
    for (const auto& [w, h, dpi] :
         {std::tuple{1280.0f, 800.0f, 96.0f}, std::tuple{1920.0f, 1080.0f, 141.0f},
          std::tuple{800.0f, 1280.0f, 96.0f}}) {
        CAPTURE(w);
        CAPTURE(dpi);
        auto cfg = test::DefaultFlowConfig(RepMode::Ask);
        cfg.width = w;
        cfg.height = h;
        cfg.dpi = dpi;
        cfg.reps.clear();
        cfg.settings.repIds.clear();
        for (int i = 1; i <= 200; ++i) {
            const std::string id = "r" + std::to_string(i);
            cfg.reps.push_back({id, "Rep " + std::to_string(i)});
            cfg.settings.repIds.push_back(id);
        }
        test::Flow f(cfg);
        f.Tap("rating.1");
        REQUIRE(f.Screen() == "who_helped");
        CHECK(f.Layout().Find("rep.r1"));
        CHECK_FALSE(f.Layout().Find("rep.r150"));
        f.Tap("rep.prev");  // on the first page: nothing happens
        CHECK(f.Layout().Find("rep.r1"));
        int taps = 0;
        while (!f.Layout().Find("rep.r150") && taps < 200) {
            f.Tap("rep.next");
            ++taps;
        }
        REQUIRE(f.Layout().Find("rep.r150"));
        CHECK(f.Screen() == "who_helped");
        f.Tap("rep.prev");
        CHECK_FALSE(f.Layout().Find("rep.r150"));
        f.Tap("rep.next");
        f.Tap("rep.r150");
        CHECK(f.Screen() == "reason");
        f.Tap("reason.skip");
        CHECK(f.TakeEffects() == Effects{Begin(1), fx::SetRep{"r150"}, kThanks});
        BackToRate(f);
        f.Tap("rating.2");
        REQUIRE(f.Screen() == "who_helped");
        CHECK(f.Layout().Find("rep.r1"));  // page one again
        MESSAGE(w << "x" << h << "@" << dpi << ": the 150th of 200 after " << taps << " next taps");
    }
}

TEST_CASE(
    "undo: change my answer by taps, on the picker and on a thank-you straight after the "
    "rating") {
    auto cfg = test::DefaultFlowConfig(RepMode::Ask);
    cfg.settings.undoMs = 6'000;
    test::Flow f(cfg);
    f.Tap("rating.1");
    CHECK(f.Screen() == "who_helped");
    REQUIRE(f.Layout().Find("undo") != nullptr);
    f.Tap("undo");
    CHECK(f.Screen() == "rate");
    CHECK(f.Layout().Find("undo") == nullptr);
    f.Tap("rating.4");
    CHECK(f.Screen() == "who_helped");
    f.Tap("rep.r2");
    CHECK(f.TakeEffects() == Effects{Begin(1), fx::CorrectRating{4}, fx::SetRep{"r2"}, kThanks});
    BackToRate(f);
    // The offer ends after undoMs: the button goes, nothing else changes.
    f.Tap("rating.3");
    REQUIRE(f.Layout().Find("undo") != nullptr);
    f.Wait(6'000);
    f.Step();
    CHECK(f.Screen() == "who_helped");
    CHECK(f.Layout().Find("undo") == nullptr);
    f.Tap("rep.skip");
    CHECK(f.TakeEffects() == Effects{Begin(3), kThanks});
    BackToRate(f);

    // Rep mode off, a positive face: thank-you at once, the row closed only when the offer ends.
    auto off = test::DefaultFlowConfig(RepMode::Off);
    off.settings.undoMs = 6'000;
    test::Flow g(off);
    g.Tap("rating.4");
    CHECK(g.Screen() == "thank_you");
    REQUIRE(g.Layout().Find("undo") != nullptr);
    CHECK(g.TakeEffects() == Effects{Begin(4)});
    g.Tap("undo");
    CHECK(g.Screen() == "rate");
    g.Tap("rating.2");
    CHECK(g.Screen() == "reason");
    g.Tap("reason.price");
    CHECK(g.TakeEffects() == Effects{fx::CorrectRating{2}, fx::SetReason{"price"}, kThanks});
}

TEST_CASE(
    "accessible mode: switched on from Rate by a tap, larger targets, reset for the next "
    "customer") {
    test::Flow f(test::DefaultFlowConfig(RepMode::Off));
    f.Step();
    const fk::ui::ElementRect* normal = f.Layout().Find("rating.1");
    REQUIRE(normal != nullptr);
    const fk::ui::Rect normalFace = normal->rect;
    const fk::ui::Rect normalToggle = f.Layout().Find("accessible")->rect;
    f.Tap("accessible");
    CHECK(f.session.Accessible());
    f.Step();
    const fk::ui::Rect bigToggle = f.Layout().Find("accessible")->rect;
    CHECK(bigToggle.w > normalToggle.w * 1.2f);
    const fk::ui::Rect bigFace = f.Layout().Find("rating.1")->rect;
    CHECK(bigFace.h >= normalFace.h);
    f.Tap("rating.4");
    CHECK(f.Screen() == "thank_you");
    f.Wait(f.session.Settings().thankYouMs);
    f.Step();
    CHECK(f.Screen() == "thank_you");  // the accessible mode's thank-you lasts twice as long
    f.Wait(f.session.Settings().thankYouMs);
    f.Step();
    CHECK(f.Screen() == "rate");
    CHECK_FALSE(f.session.Accessible());
    CHECK(f.Layout().Find("accessible")->rect.w == doctest::Approx(normalToggle.w));
}

TEST_CASE("time: a touch between the tiles keeps the reason screen up") {
    test::Flow f(test::DefaultFlowConfig(RepMode::Off));
    f.Tap("rating.1");
    CHECK(f.Screen() == "reason");
    f.Wait(15'000);
    const fk::ui::Rect skip = f.Layout().Find("reason.skip")->rect;
    f.TapAt(5, skip.CenterY());  // the margin left of Skip: no target
    f.Wait(15'000);
    CHECK(f.Screen() == "reason");
    f.Wait(5'000);
    CHECK(f.Screen() == "rate");
}
