#include <doctest/doctest.h>

#include "core/FeedbackSession.h"

using namespace fk::core;

namespace {

SessionSettings Settings(RepMode mode) {
    SessionSettings s;
    s.repMode = mode;
    s.repIds = {"r1", "r2"};
    s.reasonCodes = {"wait_time", "rude"};
    s.idleTimeoutMs = 20'000;
    s.thankYouMs = 3'000;
    s.languages = {"en", "hi", "te"};
    s.defaultLanguage = "en";
    s.misuse.minIntervalS = 0;  // misuse has its own cases
    s.misuse.maxPerWindow = 0;
    s.undoMs = 0;  // "change my answer" has its own cases
    return s;
}

SessionSettings WithUndo(RepMode mode) {
    SessionSettings s = Settings(mode);
    s.undoMs = 6'000;
    return s;
}

struct Harness {
    explicit Harness(SessionSettings s) : session(std::move(s), clock) {}
    std::vector<SessionEffect> Do(const SessionEvent& e) { return session.Handle(e); }
    std::vector<SessionEffect> Wait(std::int64_t ms) {
        clock.Advance(ms);
        return session.Handle(ev::Tick{clock.SteadyMs()});
    }
    FakeClock clock;
    FeedbackSession session;
};

fx::BeginResponse Begin(int rating, std::optional<std::string> rep = std::nullopt,
                        std::string lang = "en", std::optional<std::string> misuse = std::nullopt) {
    return fx::BeginResponse{4, rating, std::move(lang), std::move(rep), std::move(misuse)};
}

using Effects = std::vector<SessionEffect>;

}  // namespace

TEST_CASE("ask mode: negative rating -> rep -> reason -> thank you -> rate") {
    Harness h(Settings(RepMode::Ask));
    CHECK(h.session.CurrentStep() == Step::Rate);
    CHECK(h.Do(ev::TapRating{1}) == Effects{Begin(1)});
    CHECK(h.session.CurrentStep() == Step::WhoHelped);
    CHECK(h.Do(ev::TapRep{"r2"}) == Effects{fx::SetRep{"r2"}});
    CHECK(h.session.CurrentStep() == Step::Reason);
    CHECK(h.Do(ev::TapReason{"rude"}) ==
          Effects{fx::SetReason{"rude"}, fx::CloseResponse{CloseReason::ThankYou}});
    CHECK(h.session.CurrentStep() == Step::ThankYou);
    CHECK(h.Wait(2'999).empty());
    CHECK(h.session.CurrentStep() == Step::ThankYou);
    CHECK(h.Wait(1).empty());
    CHECK(h.session.CurrentStep() == Step::Rate);
}

TEST_CASE("ask mode: skip rep and skip reason still close with thank you") {
    Harness h(Settings(RepMode::Ask));
    h.Do(ev::TapRating{2});
    CHECK(h.Do(ev::SkipRep{}).empty());
    CHECK(h.session.CurrentStep() == Step::Reason);
    CHECK(h.Do(ev::SkipReason{}) == Effects{fx::CloseResponse{CloseReason::ThankYou}});
    CHECK(h.session.CurrentStep() == Step::ThankYou);
}

TEST_CASE("ask mode: a positive rating asks no reason") {
    Harness h(Settings(RepMode::Ask));
    h.Do(ev::TapRating{4});
    CHECK(h.Do(ev::TapRep{"r1"}) ==
          Effects{fx::SetRep{"r1"}, fx::CloseResponse{CloseReason::ThankYou}});
    CHECK(h.session.CurrentStep() == Step::ThankYou);
}

TEST_CASE("ask mode with no active reps skips the rep step") {
    auto s = Settings(RepMode::Ask);
    s.repIds.clear();
    Harness h(s);
    CHECK(h.Do(ev::TapRating{3}) == Effects{Begin(3), fx::CloseResponse{CloseReason::ThankYou}});
}

TEST_CASE("on_duty mode attributes the signed-in rep and has no picker") {
    Harness h(Settings(RepMode::OnDuty));
    h.Do(ev::SetOnDutyRep{"r7"});
    CHECK(h.Do(ev::TapRating{1}) == Effects{Begin(1, "r7")});
    CHECK(h.session.CurrentStep() == Step::Reason);
    CHECK(h.Do(ev::TapRep{"r1"}).empty());  // no picker: a stray rep tap does nothing
    CHECK(h.Do(ev::TapReason{"wait_time"}) ==
          Effects{fx::SetReason{"wait_time"}, fx::CloseResponse{CloseReason::ThankYou}});
    h.Wait(3'000);
    CHECK(h.Do(ev::TapRating{4}) ==
          Effects{Begin(4, "r7"), fx::CloseResponse{CloseReason::ThankYou}});
}

TEST_CASE("on_duty mode with nobody signed in asks who helped (the default), a pick is stored") {
    Harness h(Settings(RepMode::OnDuty));
    CHECK(h.Do(ev::TapRating{3}) == Effects{Begin(3)});
    CHECK(h.session.CurrentStep() == Step::WhoHelped);
    CHECK(h.Do(ev::TapRep{"r2"}) ==
          Effects{fx::SetRep{"r2"}, fx::CloseResponse{CloseReason::ThankYou}});
    h.Wait(3'000);
    // Signed in again: no picker, the rep on duty gets the rating.
    h.Do(ev::SetOnDutyRep{"r1"});
    CHECK(h.Do(ev::TapRating{4}) ==
          Effects{Begin(4, "r1"), fx::CloseResponse{CloseReason::ThankYou}});
}

TEST_CASE("on_duty mode with nobody signed in and ask_when_nobody_on_duty = false stores no rep") {
    SessionSettings s = Settings(RepMode::OnDuty);
    s.askWhenNobodyOnDuty = false;
    Harness h(s);
    CHECK(h.Do(ev::TapRating{3}) == Effects{Begin(3), fx::CloseResponse{CloseReason::ThankYou}});
}

TEST_CASE("off mode: rating goes straight to reason or thank you") {
    Harness h(Settings(RepMode::Off));
    h.Do(ev::SetOnDutyRep{"r7"});
    CHECK(h.Do(ev::TapRating{2}) == Effects{Begin(2)});
    CHECK(h.session.CurrentStep() == Step::Reason);
    h.Do(ev::SkipReason{});
    h.Wait(3'000);
    CHECK(h.Do(ev::TapRating{4}) == Effects{Begin(4), fx::CloseResponse{CloseReason::ThankYou}});
}

TEST_CASE("idle timeout at each step returns to rate and keeps what was given") {
    SUBCASE("at who helped") {
        Harness h(Settings(RepMode::Ask));
        h.Do(ev::TapRating{1});
        CHECK(h.Wait(19'999).empty());
        CHECK(h.session.CurrentStep() == Step::WhoHelped);
        CHECK(h.Wait(1) == Effects{fx::CloseResponse{CloseReason::IdleTimeout}});
        CHECK(h.session.CurrentStep() == Step::Rate);
        CHECK_FALSE(h.session.HasOpenResponse());
    }
    SUBCASE("at reason, timer restarted by the rep tap") {
        Harness h(Settings(RepMode::Ask));
        h.Do(ev::TapRating{1});
        h.Wait(15'000);
        h.Do(ev::TapRep{"r1"});
        CHECK(h.Wait(15'000).empty());
        CHECK(h.session.CurrentStep() == Step::Reason);
        CHECK(h.Wait(5'000) == Effects{fx::CloseResponse{CloseReason::IdleTimeout}});
        CHECK(h.session.CurrentStep() == Step::Rate);
    }
    SUBCASE("at thank you the close already happened; idle adds nothing") {
        Harness h(Settings(RepMode::Off));
        h.Do(ev::TapRating{4});
        CHECK(h.Wait(60'000).empty());
        CHECK(h.session.CurrentStep() == Step::Rate);
    }
    SUBCASE("at rate a chosen language resets") {
        Harness h(Settings(RepMode::Ask));
        h.Do(ev::ChooseLanguage{"te"});
        CHECK(h.session.Language() == "te");
        REQUIRE(h.session.NextDeadlineMs());
        CHECK(h.Wait(20'000).empty());
        CHECK(h.session.Language() == "en");
        CHECK_FALSE(h.session.NextDeadlineMs());
    }
}

TEST_CASE("language holds for this customer only and is amended into an open response") {
    Harness h(Settings(RepMode::Ask));
    CHECK(h.Do(ev::ChooseLanguage{"hi"}).empty());
    CHECK(h.Do(ev::ChooseLanguage{"xx"}).empty());  // not offered
    CHECK(h.session.Language() == "hi");
    CHECK(h.Do(ev::TapRating{1}) == Effects{Begin(1, std::nullopt, "hi")});
    CHECK(h.Do(ev::ChooseLanguage{"te"}) == Effects{fx::SetLanguage{"te"}});
    h.Do(ev::SkipRep{});
    h.Do(ev::SkipReason{});
    CHECK(h.session.Language() == "te");
    h.Wait(3'000);
    CHECK(h.session.Language() == "en");
    CHECK(h.Do(ev::TapRating{4}) == Effects{Begin(4)});
}

TEST_CASE("taps for another step, unknown reps and reasons, ratings off the scale are ignored") {
    Harness h(Settings(RepMode::Ask));
    CHECK(h.Do(ev::TapRep{"r1"}).empty());
    CHECK(h.Do(ev::SkipReason{}).empty());
    CHECK(h.Do(ev::TapRating{0}).empty());
    CHECK(h.Do(ev::TapRating{5}).empty());  // 4-point scale
    h.Do(ev::TapRating{1});
    CHECK(h.Do(ev::TapRating{2}).empty());  // a double tap on the faces
    CHECK(h.Do(ev::TapRep{"ghost"}).empty());
    h.Do(ev::TapRep{"r1"});
    CHECK(h.Do(ev::TapReason{"nope"}).empty());
    CHECK(h.session.CurrentStep() == Step::Reason);
}

TEST_CASE("five-point scale: reasons only for the configured ratings") {
    auto s = Settings(RepMode::Off);
    s.scale = *RatingScale::Make(5);
    s.reasonRatings = {1, 2, 3};
    Harness h(s);
    auto e = h.Do(ev::TapRating{5});
    REQUIRE(e.size() == 2);
    CHECK(std::get<fx::BeginResponse>(e[0]).scale == 5);
    h.Wait(3'000);
    h.Do(ev::TapRating{3});
    CHECK(h.session.CurrentStep() == Step::Reason);
}

TEST_CASE("closed hours: no ratings, closing waits for the customer mid-flow") {
    Harness h(Settings(RepMode::Ask));
    h.Do(ev::SetOpen{false});
    CHECK(h.session.CurrentStep() == Step::Closed);
    CHECK(h.Do(ev::TapRating{1}).empty());
    CHECK(h.Do(ev::ChooseLanguage{"hi"}).empty());
    h.Do(ev::SetOpen{true});
    CHECK(h.session.CurrentStep() == Step::Rate);
    h.Do(ev::TapRating{1});
    h.Do(ev::SetOpen{false});
    CHECK(h.session.CurrentStep() == Step::WhoHelped);
    CHECK(h.Do(ev::TapRep{"r1"}) == Effects{fx::SetRep{"r1"}});
    h.Do(ev::SkipReason{});
    h.Wait(3'000);
    CHECK(h.session.CurrentStep() == Step::Closed);
}

TEST_CASE("misuse: a rating right after the previous close is flagged with the rule") {
    auto s = Settings(RepMode::Off);
    s.misuse.minIntervalS = 5;
    s.thankYouMs = 1'000;
    Harness h(s);
    h.Do(ev::TapRating{4});
    h.Wait(1'000);
    CHECK(h.Do(ev::TapRating{4}) == Effects{Begin(4, std::nullopt, "en", "min_interval"),
                                            fx::CloseResponse{CloseReason::ThankYou}});
    h.Wait(5'000);
    CHECK(h.Do(ev::TapRating{4}) == Effects{Begin(4), fx::CloseResponse{CloseReason::ThankYou}});
}

TEST_CASE("abandon returns to rate without effects, settings apply between customers") {
    Harness h(Settings(RepMode::Ask));
    h.Do(ev::TapRating{1});
    h.session.Abandon();
    CHECK(h.session.CurrentStep() == Step::Rate);
    CHECK_FALSE(h.session.HasOpenResponse());
    h.Do(ev::TapRating{1});
    h.session.ApplySettings(Settings(RepMode::Off));
    CHECK(h.session.Settings().repMode == RepMode::Ask);  // not mid-flow
    h.Do(ev::SkipRep{});
    h.Do(ev::SkipReason{});
    h.Wait(3'000);
    CHECK(h.session.Settings().repMode == RepMode::Off);
}

TEST_CASE("rep mode strings round-trip") {
    for (auto m : {RepMode::Ask, RepMode::OnDuty, RepMode::Off})
        CHECK(RepModeFromString(to_string(m)) == m);
    CHECK_FALSE(RepModeFromString("sometimes"));
}

namespace {
SessionSettings HelpSettings() {
    SessionSettings s = Settings(RepMode::Off);
    s.helpRatings = {1};
    s.confirmWithinMs = 10'000;
    return s;
}
}  // namespace

TEST_CASE("help: offered after the reason step, only for the configured ratings") {
    Harness h(HelpSettings());
    CHECK(h.Do(ev::TapRating{1}) == Effects{Begin(1)});
    CHECK(h.session.CurrentStep() == Step::Reason);
    CHECK(h.Do(ev::TapReason{"rude"}) == Effects{fx::SetReason{"rude"}});
    CHECK(h.session.CurrentStep() == Step::Help);
    CHECK(h.Do(ev::AnswerHelp{false}) ==
          Effects{fx::SetHelp{HelpAnswer::No}, fx::CloseResponse{CloseReason::ThankYou}});
    CHECK(h.session.CurrentStep() == Step::ThankYou);
    CHECK(h.session.Call() == CallState::None);
    CHECK(h.session.CurrentRating() == 1);
    CHECK(h.Wait(3'000).empty());
    CHECK(h.session.CurrentStep() == Step::Rate);
    CHECK_FALSE(h.session.CurrentRating().has_value());

    // Rating 2 asks a reason but never offers help; skip reason goes straight on.
    CHECK(h.Do(ev::TapRating{2}) == Effects{Begin(2)});
    CHECK(h.Do(ev::SkipReason{}) == Effects{fx::CloseResponse{CloseReason::ThankYou}});
    h.Wait(3'000);
    // Without a reason step (no reasons configured) help follows the rating directly.
    SessionSettings s = HelpSettings();
    s.reasonCodes.clear();
    Harness direct(s);
    CHECK(direct.Do(ev::TapRating{1}) == Effects{Begin(1)});
    CHECK(direct.session.CurrentStep() == Step::Help);
    // Taps meant for other steps do nothing here.
    CHECK(direct.Do(ev::SkipReason{}).empty());
    CHECK(direct.Do(ev::TapRating{1}).empty());
}

TEST_CASE("help: the idle timeout answers no and closes, nobody is called") {
    Harness h(HelpSettings());
    h.Do(ev::TapRating{1});
    h.Do(ev::SkipReason{});
    REQUIRE(h.session.CurrentStep() == Step::Help);
    CHECK(h.session.NextDeadlineMs() == h.clock.SteadyMs() + 20'000);
    CHECK(h.Wait(19'999).empty());
    CHECK(h.Wait(1) ==
          Effects{fx::SetHelp{HelpAnswer::No}, fx::CloseResponse{CloseReason::IdleTimeout}});
    CHECK(h.session.CurrentStep() == Step::Rate);
    CHECK(h.session.Call() == CallState::None);
}

TEST_CASE("help yes: confirmed in time says someone is on the way") {
    Harness h(HelpSettings());
    h.Do(ev::TapRating{1});
    h.Do(ev::SkipReason{});
    CHECK(h.Do(ev::AnswerHelp{true}) ==
          Effects{fx::SetHelp{HelpAnswer::Yes}, fx::CloseResponse{CloseReason::ThankYou}});
    CHECK(h.session.Call() == CallState::Waiting);
    // The usual 3 s thank-you does not end a waiting call's screen.
    CHECK(h.Wait(3'000).empty());
    CHECK(h.session.CurrentStep() == Step::ThankYou);
    h.Wait(1'200);
    CHECK(h.Do(ev::CallConfirmed{}).empty());
    CHECK(h.session.Call() == CallState::Confirmed);
    // It stays long enough to read, then the next customer starts afresh.
    CHECK(h.session.NextDeadlineMs() == h.clock.SteadyMs() + FeedbackSession::kCallMessageMs);
    h.Wait(FeedbackSession::kCallMessageMs - 1);
    CHECK(h.session.Call() == CallState::Confirmed);
    h.Wait(1);
    CHECK(h.session.CurrentStep() == Step::Rate);
    CHECK(h.session.Call() == CallState::None);
}

TEST_CASE(
    "help yes: no confirmation within confirm_within asks at the counter, calmly, and "
    "a late confirmation never contradicts it") {
    Harness h(HelpSettings());
    h.Do(ev::TapRating{1});
    h.Do(ev::SkipReason{});
    h.Do(ev::AnswerHelp{true});
    CHECK(h.session.NextDeadlineMs() == h.clock.SteadyMs() + 10'000);
    h.Wait(9'999);
    CHECK(h.session.Call() == CallState::Waiting);
    h.Wait(1);
    CHECK(h.session.Call() == CallState::AskAtCounter);
    h.Wait(500);
    CHECK(h.Do(ev::CallConfirmed{}).empty());
    CHECK(h.session.Call() == CallState::AskAtCounter);
    h.Wait(FeedbackSession::kCallMessageMs);
    CHECK(h.session.CurrentStep() == Step::Rate);
    // A confirmation arriving for a customer long gone changes nothing.
    CHECK(h.Do(ev::CallConfirmed{}).empty());
    CHECK(h.session.Call() == CallState::None);
}

TEST_CASE("undo: change my answer on the screen after a rating corrects the open response") {
    Harness h(WithUndo(RepMode::Ask));
    CHECK_FALSE(h.session.UndoOffered());
    CHECK(h.Do(ev::TapRating{1}) == Effects{Begin(1)});
    CHECK(h.session.CurrentStep() == Step::WhoHelped);
    CHECK(h.session.UndoOffered());
    CHECK(h.Do(ev::Undo{}).empty());  // nothing to store yet: the response stays open
    CHECK(h.session.CurrentStep() == Step::Rate);
    CHECK(h.session.Correcting());
    CHECK(h.session.HasOpenResponse());
    CHECK_FALSE(h.session.UndoOffered());
    // The second face corrects the same response: no new row, no misuse check.
    CHECK(h.Do(ev::TapRating{3}) == Effects{fx::CorrectRating{3}});
    CHECK(h.session.CurrentStep() == Step::WhoHelped);
    CHECK(h.session.CurrentRating() == 3);
    CHECK(h.session.UndoOffered());  // and may be changed again
    CHECK(h.Do(ev::TapRep{"r2"}) ==
          Effects{fx::SetRep{"r2"}, fx::CloseResponse{CloseReason::ThankYou}});
    CHECK(h.session.CurrentStep() == Step::ThankYou);
    CHECK_FALSE(h.session.UndoOffered());  // any other answer ends the offer
    CHECK(h.Do(ev::Undo{}).empty());
    CHECK(h.session.CurrentStep() == Step::ThankYou);
}

TEST_CASE("undo: offered for undoMs only, and only on the screen right after the rating") {
    Harness h(WithUndo(RepMode::Ask));
    h.Do(ev::TapRating{1});
    auto deadline = h.session.NextDeadlineMs();
    REQUIRE(deadline);
    CHECK(*deadline == h.clock.SteadyMs() + 6'000);  // the frame loop wakes to hide the button
    CHECK(h.Wait(5'999).empty());
    CHECK(h.session.UndoOffered());
    CHECK(h.Wait(1).empty());
    CHECK_FALSE(h.session.UndoOffered());
    CHECK(h.Do(ev::Undo{}).empty());
    CHECK(h.session.CurrentStep() == Step::WhoHelped);
    // The next screen never offers it.
    Harness g(WithUndo(RepMode::Ask));
    g.Do(ev::TapRating{1});
    g.Do(ev::SkipRep{});
    CHECK(g.session.CurrentStep() == Step::Reason);
    CHECK_FALSE(g.session.UndoOffered());
}

TEST_CASE(
    "undo: a thank-you straight after the rating keeps the response open until the offer "
    "ends") {
    Harness h(WithUndo(RepMode::Off));
    CHECK(h.Do(ev::TapRating{4}) == Effects{Begin(4)});  // no close yet
    CHECK(h.session.CurrentStep() == Step::ThankYou);
    CHECK(h.session.HasOpenResponse());
    CHECK(h.session.UndoOffered());
    CHECK(h.Wait(3'000).empty());  // past thank_you_s: the screen stays while the offer lasts
    CHECK(h.session.CurrentStep() == Step::ThankYou);
    CHECK(h.Wait(3'000) == Effects{fx::CloseResponse{CloseReason::ThankYou}});
    CHECK(h.session.CurrentStep() == Step::Rate);
    CHECK_FALSE(h.session.HasOpenResponse());

    // Used: back to Rate with the row open, corrected by the next face, then the normal flow.
    CHECK(h.Do(ev::TapRating{4}) == Effects{Begin(4)});
    h.Wait(1'000);
    CHECK(h.Do(ev::Undo{}).empty());
    CHECK(h.session.CurrentStep() == Step::Rate);
    CHECK(h.Do(ev::TapRating{1}) == Effects{fx::CorrectRating{1}});
    CHECK(h.session.CurrentStep() == Step::Reason);
    CHECK(h.Do(ev::TapReason{"rude"}) ==
          Effects{fx::SetReason{"rude"}, fx::CloseResponse{CloseReason::ThankYou}});
}

TEST_CASE("undo: walking away from Rate after it closes the first answer as it was") {
    Harness h(WithUndo(RepMode::Off));
    h.Do(ev::TapRating{4});
    h.Do(ev::Undo{});
    CHECK(h.session.CurrentStep() == Step::Rate);
    // Closing time does not take the screen from a customer mid-correction.
    CHECK(h.Do(ev::SetOpen{false}).empty());
    CHECK(h.session.CurrentStep() == Step::Rate);
    auto deadline = h.session.NextDeadlineMs();
    REQUIRE(deadline);
    CHECK(*deadline == h.clock.SteadyMs() + 20'000);
    CHECK(h.Wait(19'999).empty());
    CHECK(h.Wait(1) == Effects{fx::CloseResponse{CloseReason::IdleTimeout}});
    CHECK_FALSE(h.session.HasOpenResponse());
    CHECK(h.session.CurrentStep() == Step::Closed);
}

TEST_CASE("undo: settings that arrive mid-correction wait for the customer") {
    Harness h(WithUndo(RepMode::Off));
    h.Do(ev::TapRating{4});
    h.Do(ev::Undo{});
    SessionSettings next = WithUndo(RepMode::Off);
    next.reasonCodes = {"price"};
    h.session.ApplySettings(next);
    CHECK(h.session.Correcting());
    CHECK(h.Do(ev::TapRating{2}) == Effects{fx::CorrectRating{2}});
}

TEST_CASE("time: every touch restarts the idle timeout, on a target or not") {
    Harness h(Settings(RepMode::Ask));
    h.Do(ev::TapRating{1});
    h.Do(ev::SkipRep{});
    CHECK(h.session.CurrentStep() == Step::Reason);
    CHECK(h.Wait(15'000).empty());
    CHECK(h.Do(ev::Touch{}).empty());  // a finger on the screen, between the tiles
    CHECK(h.session.NextDeadlineMs() == h.clock.SteadyMs() + 20'000);
    CHECK(h.Wait(19'999).empty());
    CHECK(h.session.CurrentStep() == Step::Reason);
    CHECK(h.Wait(1) == Effects{fx::CloseResponse{CloseReason::IdleTimeout}});
    // A finger held down is a touch every frame: never timed out while it stays.
    h.Do(ev::TapRating{2});
    for (int i = 0; i < 60; ++i) {
        h.Wait(1'000);
        h.Do(ev::Touch{});
    }
    CHECK(h.session.CurrentStep() == Step::WhoHelped);
}

TEST_CASE("time: nobody who touched in the last seconds is timed out, whatever the setting") {
    SessionSettings s = Settings(RepMode::Ask);
    s.idleTimeoutMs = 1'000;  // below the grace (the config allows 5 s at least)
    Harness h(s);
    h.Do(ev::TapRating{1});
    CHECK(h.Wait(FeedbackSession::kTouchGraceMs - 1).empty());
    CHECK(h.session.CurrentStep() == Step::WhoHelped);
    CHECK(h.Wait(1) == Effects{fx::CloseResponse{CloseReason::IdleTimeout}});
}

TEST_CASE("time: the accessible mode doubles every timeout and ends with the customer") {
    SessionSettings s = WithUndo(RepMode::Ask);
    Harness h(s);
    CHECK_FALSE(h.session.Accessible());
    CHECK(h.Do(ev::SetAccessible{true}).empty());
    CHECK(h.session.Accessible());
    h.Do(ev::TapRating{1});
    // "Change my answer" stays twice as long: 12 s.
    h.Wait(11'999);
    CHECK(h.session.UndoOffered());
    h.Wait(1);
    CHECK_FALSE(h.session.UndoOffered());
    // The idle timeout: 40 s instead of 20 s after the last touch.
    h.Do(ev::Touch{});
    CHECK(h.Wait(39'999).empty());
    CHECK(h.session.CurrentStep() == Step::WhoHelped);
    CHECK(h.Wait(1) == Effects{fx::CloseResponse{CloseReason::IdleTimeout}});
    // The next customer starts in the normal mode.
    CHECK(h.session.CurrentStep() == Step::Rate);
    CHECK_FALSE(h.session.Accessible());

    // Thank-you twice as long (3 s -> 6 s); then the next customer is back to normal.
    h.Do(ev::SetAccessible{true});
    h.Do(ev::TapRating{4});
    h.Do(ev::SkipRep{});
    CHECK(h.session.CurrentStep() == Step::ThankYou);
    CHECK(h.Do(ev::SetAccessible{false}).empty());  // only switched from Rate
    CHECK(h.session.Accessible());
    h.Wait(5'999);
    CHECK(h.session.CurrentStep() == Step::ThankYou);
    h.Wait(1);
    CHECK(h.session.CurrentStep() == Step::Rate);
    CHECK_FALSE(h.session.Accessible());

    // Switched on and walked away from: off again after the idle timeout at Rate.
    h.Do(ev::SetAccessible{true});
    CHECK(h.session.NextDeadlineMs() == h.clock.SteadyMs() + 40'000);
    h.Wait(40'000);
    CHECK_FALSE(h.session.Accessible());
    // And off by the customer's own second tap.
    h.Do(ev::SetAccessible{true});
    h.Do(ev::SetAccessible{false});
    CHECK_FALSE(h.session.Accessible());
}

TEST_CASE("time: the accessible mode's stretch and the undo offer follow the survey's settings") {
    SessionSettings s = WithUndo(RepMode::Ask);
    s.undoMs = 4'000;            // [survey] undo_s = 4
    s.accessibleTimeFactor = 3;  // [survey] accessible_time_factor = 3
    Harness h(s);
    h.Do(ev::SetAccessible{true});
    h.Do(ev::TapRating{1});
    h.Wait(11'999);  // 4 s x 3
    CHECK(h.session.UndoOffered());
    h.Wait(1);
    CHECK_FALSE(h.session.UndoOffered());
    h.Do(ev::Touch{});
    CHECK(h.Wait(59'999).empty());  // 20 s x 3
    CHECK(h.Wait(1) == Effects{fx::CloseResponse{CloseReason::IdleTimeout}});

    s.undoMs = 0;  // undo_s = 0: never offered
    Harness none(s);
    none.Do(ev::TapRating{1});
    CHECK_FALSE(none.session.UndoOffered());
}
