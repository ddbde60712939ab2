#pragma once
// The customer's flow as a pure state machine:
//   Rate -> WhoHelped (rep mode ask) -> Reason (ratings configured to ask)
//        -> Help (ratings configured to offer help) -> ThankYou -> Rate.
// A "yes" at Help is a call for staff: the thank-you screen waits up to confirmWithinMs for the
// app to report the server's confirmation (CallConfirmed), then says someone is on the way, or,
// without it, to please ask at the counter.
// Events in (taps, ticks, language choice, opening hours), effects out: the app performs the
// effects (storage begin/amend/close) in order. The session never does I/O and never blocks.
// Idle timeout from any step returns to Rate and keeps what was given (the open response is
// closed with IdleTimeout).
// Undo (issue 22): the screen right after a rating offers "change my answer" for undoMs. Using it
// returns to Rate with the response still open; the next face tap corrects the stored rating
// (CorrectRating: the store keeps the first answer for audit). A thank-you reached straight from
// the rating keeps the response open (its close deferred) until the offer ends, so a correction
// never amends a row that may already be synced. Walking away from Rate after an undo closes the
// response as it was (IdleTimeout): nothing replaced the first answer. The customer's language
// holds for this customer only. Time (issue 22): every touch of the screen restarts the idle
// timeout (Touch, also while a finger is held down, and on parts of the screen that are no target),
// and no timeout ever comes within kTouchGraceMs of a touch. The accessible mode (SetAccessible,
// from Rate) stretches every timeout by kAccessibleTimeFactor; it is this customer's only and ends
// with them, like the language. Not thread-safe: owned by the UI thread. Handle() never throws for
// any event sequence.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/Clock.h"
#include "core/MisuseFilter.h"
#include "core/Rating.h"
#include "core/RepMode.h"
#include "core/Response.h"

namespace fk::core {

struct SessionSettings {
    RatingScale scale;
    RepMode repMode = RepMode::Ask;
    // rep mode on_duty with nobody signed in: ask "who helped" rather than record no rep.
    bool askWhenNobodyOnDuty = true;
    std::vector<int> reasonRatings = {1, 2};  // ratings that ask for a reason (1 = most negative)
    std::vector<std::string> repIds;          // active reps offered in Ask mode, in display order
    std::vector<std::string> reasonCodes;     // configured reasons, in display order
    std::int64_t idleTimeoutMs = 20'000;
    std::int64_t thankYouMs = 3'000;
    std::vector<int> helpRatings;  // ratings after which help is offered (config [help] offer_for)
    std::int64_t confirmWithinMs = 10'000;  // config [help] confirm_within_s
    std::int64_t undoMs = 6'000;  // "change my answer" shows this long after a rating; 0: never
    // The accessible mode's timeouts (idle, thank-you, "change my answer") are this many times
    // longer ([survey] accessible_time_factor).
    std::int64_t accessibleTimeFactor = 2;
    std::vector<std::string> languages = {"en"};
    std::string defaultLanguage = "en";
    MisuseRules misuse;
};

enum class Step { Closed, Rate, WhoHelped, Reason, Help, ThankYou };
std::string to_string(Step step);

namespace ev {
struct TapRating {
    int value = 1;
};
struct TapRep {
    std::string id;
};
struct SkipRep {};
struct TapReason {
    std::string code;
};
struct SkipReason {};
struct AnswerHelp {
    bool yes = false;
};
// The server confirmed the call of the customer now on the thank-you screen.
struct CallConfirmed {};
struct Tick {
    std::int64_t steadyMs = 0;
};
struct ChooseLanguage {
    std::string code;
};
// "Change my answer" on the screen after a rating: back to Rate, the response kept open.
struct Undo {};
// A finger on the customer screen this frame, anywhere (a target or not): restarts the idle
// timeout.
struct Touch {};
// The accessible mode (larger, longer, high contrast), switched on or off from Rate.
struct SetAccessible {
    bool on = true;
};
struct SetOpen {
    bool open = true;
};  // from OpeningHours, checked by the app
struct SetOnDutyRep {
    std::optional<std::string> id;
};  // rep signed in at this kiosk (on_duty)
}  // namespace ev
using SessionEvent =
    std::variant<ev::TapRating, ev::TapRep, ev::SkipRep, ev::TapReason, ev::SkipReason,
                 ev::AnswerHelp, ev::CallConfirmed, ev::Tick, ev::ChooseLanguage, ev::Undo,
                 ev::Touch, ev::SetAccessible, ev::SetOpen, ev::SetOnDutyRep>;

namespace fx {
// Store a new response now (storage's Begin returns after commit).
struct BeginResponse {
    int scale = RatingScale::kDefaultPoints;
    int rating = 1;
    std::string language;
    std::optional<std::string> repId;   // on_duty mode: the rep signed in
    std::optional<std::string> misuse;  // the MisuseFilter rule that fired
    friend bool operator==(const BeginResponse&, const BeginResponse&) = default;
};
// A face tapped again after "change my answer": the open response's rating becomes this one (the
// store keeps the first answer for audit).
struct CorrectRating {
    int rating = 1;
    friend bool operator==(const CorrectRating&, const CorrectRating&) = default;
};
struct SetRep {
    std::string repId;
    friend bool operator==(const SetRep&, const SetRep&) = default;
};
struct SetReason {
    std::string code;
    friend bool operator==(const SetReason&, const SetReason&) = default;
};
// The help answer; Yes also queues the call (storage does both in one transaction).
struct SetHelp {
    HelpAnswer answer = HelpAnswer::No;
    friend bool operator==(const SetHelp&, const SetHelp&) = default;
};
struct SetLanguage {
    std::string code;
    friend bool operator==(const SetLanguage&, const SetLanguage&) = default;
};
struct CloseResponse {
    CloseReason reason = CloseReason::ThankYou;
    friend bool operator==(const CloseResponse&, const CloseResponse&) = default;
};
}  // namespace fx
using SessionEffect = std::variant<fx::BeginResponse, fx::CorrectRating, fx::SetRep, fx::SetReason,
                                   fx::SetHelp, fx::SetLanguage, fx::CloseResponse>;
std::string to_string(const SessionEffect& effect);

// What the thank-you screen says about a call for help.
enum class CallState {
    None,          // no call (help not offered, or "no")
    Waiting,       // "yes": waiting for the server's confirmation (at most confirmWithinMs)
    Confirmed,     // the server has it: someone is on the way
    AskAtCounter,  // not confirmed in time: please ask at the counter (still sent, late)
};
std::string to_string(CallState state);

class FeedbackSession {
  public:
    // How long the thank-you screen stays once a call's outcome is known: long enough to read.
    static constexpr std::int64_t kCallMessageMs = 8'000;
    // No idle timeout within this long of the last touch, whatever idleTimeoutMs says.
    static constexpr std::int64_t kTouchGraceMs = 5'000;
    // clock is used only by the misuse filter (wall time); it must outlive the session.
    FeedbackSession(SessionSettings settings, const Clock& clock);

    std::vector<SessionEffect> Handle(const SessionEvent& event);

    // Returns to Rate (or Closed) with no response open and no effects: the app calls this when
    // storage failed to begin a response, so the flow does not amend a row that does not exist.
    void Abandon();
    // New settings (config reload). Applied at once when no customer is mid-flow, otherwise when
    // the current customer is done.
    void ApplySettings(SessionSettings settings);

    Step CurrentStep() const { return m_step; }
    const std::string& Language() const { return m_language; }
    bool HasOpenResponse() const { return m_responseOpen; }
    const std::optional<std::string>& OnDutyRep() const { return m_onDutyRep; }
    // The rating of the customer on screen (Rate: none); the thank-you screen matches it.
    std::optional<int> CurrentRating() const { return m_rating; }
    CallState Call() const { return m_call; }
    // "Change my answer" is on offer now (the screen right after a rating, within undoMs).
    bool UndoOffered() const;
    // Back at Rate after "change my answer": the next face corrects the open response.
    bool Correcting() const { return m_correcting; }
    // This customer switched the accessible mode on (reset with the next customer).
    bool Accessible() const { return m_accessible; }
    const SessionSettings& Settings() const { return m_settings; }
    MisuseFilter& Misuse() { return m_misuse; }
    // Steady ms at which the next Tick changes something (idle timeout, end of thank-you), or
    // nullopt when only a tap can. The frame loop sleeps until then.
    std::optional<std::int64_t> NextDeadlineMs() const;

  private:
    void OnTapRating(int value, std::vector<SessionEffect>& out);
    void OnTick(std::int64_t now, std::vector<SessionEffect>& out);
    void AfterRep(std::vector<SessionEffect>& out);
    void EnterThankYou(std::vector<SessionEffect>& out);
    void BackToStart();
    bool AsksForReason(int rating) const;
    bool AsksForRep() const;
    bool OffersHelp(int rating) const;
    void AfterReason(std::vector<SessionEffect>& out);
    std::int64_t ThankYouEndMs() const;
    void Touch() { m_lastInputMs = m_nowMs; }
    void CloseDeferred(std::vector<SessionEffect>& out);
    std::optional<std::int64_t> StepDeadlineMs() const;
    // The timeouts in force for this customer (stretched in the accessible mode).
    std::int64_t IdleMs() const;
    std::int64_t ThankYouMs() const;
    bool Idle() const { return m_nowMs - m_lastInputMs >= IdleMs(); }

    SessionSettings m_settings;
    std::optional<SessionSettings> m_pendingSettings;
    MisuseFilter m_misuse;
    Step m_step = Step::Rate;
    bool m_open = true;
    bool m_responseOpen = false;
    std::optional<int> m_rating;
    std::optional<std::string> m_onDutyRep;
    std::string m_language;
    std::int64_t m_nowMs = 0;
    std::int64_t m_lastInputMs = 0;
    std::int64_t m_thankYouStartMs = 0;
    CallState m_call = CallState::None;
    std::int64_t m_callOutcomeMs = 0;           // when m_call left Waiting
    std::optional<std::int64_t> m_undoUntilMs;  // set on the screen right after a rating
    bool m_closeDeferred = false;  // thank-you straight after a rating: closed when undo ends
    bool m_correcting = false;     // at Rate after "change my answer", the response open
    bool m_accessible = false;     // this customer's accessible mode
};

}  // namespace fk::core
