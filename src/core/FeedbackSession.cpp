#include "core/FeedbackSession.h"

#include <algorithm>

// GCC 12 reports false -Wmaybe-uninitialized on std::variant move construction at -O2
// (GCC bug 105593 family); the members are all initialised.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace fk::core {

std::string to_string(Step step) {
    switch (step) {
        case Step::Closed:
            return "closed";
        case Step::Rate:
            return "rate";
        case Step::WhoHelped:
            return "who_helped";
        case Step::Reason:
            return "reason";
        case Step::Help:
            return "help";
        case Step::ThankYou:
            return "thank_you";
    }
    return "?";
}

std::string to_string(CallState state) {
    switch (state) {
        case CallState::None:
            return "none";
        case CallState::Waiting:
            return "waiting";
        case CallState::Confirmed:
            return "confirmed";
        case CallState::AskAtCounter:
            return "ask_at_counter";
    }
    return "?";
}

std::string to_string(const SessionEffect& effect) {
    struct V {
        std::string operator()(const fx::BeginResponse& b) const {
            return "begin(rating=" + std::to_string(b.rating) + "/" + std::to_string(b.scale) +
                   ", lang=" + b.language + ", rep=" + b.repId.value_or("-") +
                   ", misuse=" + b.misuse.value_or("-") + ")";
        }
        std::string operator()(const fx::CorrectRating& c) const {
            return "correct_rating(" + std::to_string(c.rating) + ")";
        }
        std::string operator()(const fx::SetRep& s) const { return "set_rep(" + s.repId + ")"; }
        std::string operator()(const fx::SetReason& s) const {
            return "set_reason(" + s.code + ")";
        }
        std::string operator()(const fx::SetHelp& s) const {
            return "set_help(" + to_string(s.answer) + ")";
        }
        std::string operator()(const fx::SetLanguage& s) const {
            return "set_language(" + s.code + ")";
        }
        std::string operator()(const fx::CloseResponse& c) const {
            return "close(" + to_string(c.reason) + ")";
        }
    };
    return std::visit(V{}, effect);
}

FeedbackSession::FeedbackSession(SessionSettings settings, const Clock& clock)
    : m_settings(std::move(settings)),
      m_misuse(clock, m_settings.misuse),
      m_language(m_settings.defaultLanguage) {}

bool FeedbackSession::AsksForReason(int rating) const {
    return !m_settings.reasonCodes.empty() &&
           std::find(m_settings.reasonRatings.begin(), m_settings.reasonRatings.end(), rating) !=
               m_settings.reasonRatings.end();
}

bool FeedbackSession::OffersHelp(int rating) const {
    const auto& r = m_settings.helpRatings;
    return std::find(r.begin(), r.end(), rating) != r.end();
}

bool FeedbackSession::AsksForRep() const {
    const bool nobodyOnDuty =
        m_settings.repMode == RepMode::OnDuty && !m_onDutyRep && m_settings.askWhenNobodyOnDuty;
    return (m_settings.repMode == RepMode::Ask || nobodyOnDuty) && !m_settings.repIds.empty();
}

void FeedbackSession::BackToStart() {
    m_responseOpen = false;
    m_rating.reset();
    m_call = CallState::None;
    m_undoUntilMs.reset();
    m_closeDeferred = false;
    m_correcting = false;
    m_accessible = false;
    if (m_pendingSettings) {
        // Keep the misuse history; only its rules change.
        m_settings = std::move(*m_pendingSettings);
        m_pendingSettings.reset();
        m_misuse.SetRules(m_settings.misuse);
    }
    m_language = m_settings.defaultLanguage;
    m_step = m_open ? Step::Rate : Step::Closed;
    m_lastInputMs = m_nowMs;
}

void FeedbackSession::Abandon() {
    BackToStart();
}

void FeedbackSession::ApplySettings(SessionSettings settings) {
    m_pendingSettings = std::move(settings);
    if ((m_step == Step::Rate || m_step == Step::Closed) && !m_responseOpen) {
        const std::string language = m_language;
        BackToStart();
        // A customer who already picked a language at Rate keeps it if it is still offered.
        const auto& langs = m_settings.languages;
        if (std::find(langs.begin(), langs.end(), language) != langs.end())
            m_language = language;
    }
}

void FeedbackSession::EnterThankYou(std::vector<SessionEffect>& out) {
    m_step = Step::ThankYou;
    m_thankYouStartMs = m_nowMs;
    if (UndoOffered()) {
        // Straight from the rating: the customer may still change it, so the row stays open
        // (and unsynced) until the offer ends.
        m_closeDeferred = true;
        return;
    }
    out.push_back(fx::CloseResponse{CloseReason::ThankYou});
    m_misuse.OnClosed();
    m_responseOpen = false;
}

void FeedbackSession::CloseDeferred(std::vector<SessionEffect>& out) {
    if (!m_closeDeferred)
        return;
    m_closeDeferred = false;
    out.push_back(fx::CloseResponse{CloseReason::ThankYou});
    m_misuse.OnClosed();
    m_responseOpen = false;
}

bool FeedbackSession::UndoOffered() const {
    return m_undoUntilMs && m_step != Step::Rate && m_step != Step::Closed &&
           m_nowMs < *m_undoUntilMs;
}

void FeedbackSession::AfterRep(std::vector<SessionEffect>& out) {
    if (m_rating && AsksForReason(*m_rating)) {
        m_step = Step::Reason;
    } else {
        AfterReason(out);
    }
}

void FeedbackSession::AfterReason(std::vector<SessionEffect>& out) {
    if (m_rating && OffersHelp(*m_rating)) {
        m_step = Step::Help;
    } else {
        EnterThankYou(out);
    }
}

std::int64_t FeedbackSession::IdleMs() const {
    const std::int64_t factor = m_accessible ? m_settings.accessibleTimeFactor : 1;
    return std::max(m_settings.idleTimeoutMs * factor, kTouchGraceMs);
}

std::int64_t FeedbackSession::ThankYouMs() const {
    return m_settings.thankYouMs * (m_accessible ? m_settings.accessibleTimeFactor : 1);
}

std::int64_t FeedbackSession::ThankYouEndMs() const {
    switch (m_call) {
        case CallState::None:
            // A thank-you offering "change my answer" stays as long as the offer.
            if (m_closeDeferred && m_undoUntilMs)
                return std::max(m_thankYouStartMs + ThankYouMs(), *m_undoUntilMs);
            return m_thankYouStartMs + ThankYouMs();
        case CallState::Waiting:
            return m_thankYouStartMs + m_settings.confirmWithinMs;
        case CallState::Confirmed:
        case CallState::AskAtCounter:
            return m_callOutcomeMs + std::max(ThankYouMs(), kCallMessageMs);
    }
    return m_thankYouStartMs + ThankYouMs();
}

void FeedbackSession::OnTapRating(int value, std::vector<SessionEffect>& out) {
    if (m_step != Step::Rate || !m_settings.scale.Contains(value))
        return;
    Touch();
    m_undoUntilMs.reset();
    if (m_settings.undoMs > 0)
        m_undoUntilMs =
            m_nowMs + m_settings.undoMs * (m_accessible ? m_settings.accessibleTimeFactor : 1);
    if (m_correcting && m_responseOpen) {
        // The same customer's second thought: no new response, no misuse check.
        m_correcting = false;
        out.push_back(fx::CorrectRating{value});
        m_rating = value;
        if (AsksForRep()) {
            m_step = Step::WhoHelped;
        } else {
            AfterRep(out);
        }
        return;
    }
    fx::BeginResponse begin;
    begin.scale = m_settings.scale.Points();
    begin.rating = value;
    begin.language = m_language;
    if (m_settings.repMode == RepMode::OnDuty)
        begin.repId = m_onDutyRep;
    begin.misuse = m_misuse.Check();
    m_misuse.OnRating();
    out.push_back(std::move(begin));
    m_responseOpen = true;
    m_rating = value;
    if (AsksForRep()) {
        m_step = Step::WhoHelped;
    } else {
        AfterRep(out);
    }
}

void FeedbackSession::OnTick(std::int64_t now, std::vector<SessionEffect>& out) {
    // Steady time never goes backwards; a smaller value (a test restarting its clock) is ignored.
    m_nowMs = std::max(m_nowMs, now);
    if (m_undoUntilMs && m_nowMs >= *m_undoUntilMs) {
        m_undoUntilMs.reset();
        CloseDeferred(out);
    }
    switch (m_step) {
        case Step::ThankYou:
            if (m_call == CallState::Waiting &&
                m_nowMs - m_thankYouStartMs >= m_settings.confirmWithinMs) {
                m_call = CallState::AskAtCounter;
                m_callOutcomeMs = m_nowMs;
            } else if (m_nowMs >= ThankYouEndMs()) {
                BackToStart();
            }
            break;
        case Step::WhoHelped:
        case Step::Reason:
        case Step::Help:
            if (Idle()) {
                if (m_responseOpen) {
                    // No answer to the help question is a "no": nobody is sent to an empty till.
                    if (m_step == Step::Help)
                        out.push_back(fx::SetHelp{HelpAnswer::No});
                    out.push_back(fx::CloseResponse{CloseReason::IdleTimeout});
                    m_misuse.OnClosed();
                }
                BackToStart();
            }
            break;
        case Step::Rate:
            if (m_correcting && Idle()) {
                // Walked away after "change my answer": the first answer stands.
                out.push_back(fx::CloseResponse{CloseReason::IdleTimeout});
                m_misuse.OnClosed();
                BackToStart();
                break;
            }
            // A language picked by a customer who walked away without rating is not the next
            // customer's language.
            if (Idle()) {
                m_language = m_settings.defaultLanguage;
                m_accessible = false;
            }
            if (!m_open && !m_correcting)
                m_step = Step::Closed;
            break;
        case Step::Closed:
            if (m_open)
                BackToStart();
            break;
    }
}

std::vector<SessionEffect> FeedbackSession::Handle(const SessionEvent& event) {
    std::vector<SessionEffect> out;
    std::visit(
        [&](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, ev::TapRating>) {
                OnTapRating(e.value, out);
            } else if constexpr (std::is_same_v<E, ev::TapRep>) {
                const auto& ids = m_settings.repIds;
                if (m_step != Step::WhoHelped ||
                    std::find(ids.begin(), ids.end(), e.id) == ids.end())
                    return;
                Touch();
                m_undoUntilMs.reset();
                out.push_back(fx::SetRep{e.id});
                AfterRep(out);
            } else if constexpr (std::is_same_v<E, ev::SkipRep>) {
                if (m_step != Step::WhoHelped)
                    return;
                Touch();
                m_undoUntilMs.reset();
                AfterRep(out);
            } else if constexpr (std::is_same_v<E, ev::TapReason>) {
                const auto& codes = m_settings.reasonCodes;
                if (m_step != Step::Reason ||
                    std::find(codes.begin(), codes.end(), e.code) == codes.end())
                    return;
                Touch();
                m_undoUntilMs.reset();
                out.push_back(fx::SetReason{e.code});
                AfterReason(out);
            } else if constexpr (std::is_same_v<E, ev::SkipReason>) {
                if (m_step != Step::Reason)
                    return;
                Touch();
                m_undoUntilMs.reset();
                AfterReason(out);
            } else if constexpr (std::is_same_v<E, ev::AnswerHelp>) {
                if (m_step != Step::Help)
                    return;
                Touch();
                m_undoUntilMs.reset();
                out.push_back(fx::SetHelp{e.yes ? HelpAnswer::Yes : HelpAnswer::No});
                EnterThankYou(out);
                if (e.yes)
                    m_call = CallState::Waiting;
            } else if constexpr (std::is_same_v<E, ev::CallConfirmed>) {
                // Late confirmations (the customer has gone, or already told to ask) change
                // nothing: the screen never contradicts what it said.
                if (m_step == Step::ThankYou && m_call == CallState::Waiting) {
                    m_call = CallState::Confirmed;
                    m_callOutcomeMs = m_nowMs;
                }
            } else if constexpr (std::is_same_v<E, ev::Tick>) {
                OnTick(e.steadyMs, out);
            } else if constexpr (std::is_same_v<E, ev::ChooseLanguage>) {
                const auto& langs = m_settings.languages;
                if (m_step == Step::Closed || m_step == Step::ThankYou ||
                    std::find(langs.begin(), langs.end(), e.code) == langs.end()) {
                    return;
                }
                Touch();
                if (e.code == m_language)
                    return;
                m_language = e.code;
                if (m_responseOpen)
                    out.push_back(fx::SetLanguage{e.code});
            } else if constexpr (std::is_same_v<E, ev::Undo>) {
                if (!UndoOffered() || !m_responseOpen)
                    return;
                Touch();
                m_undoUntilMs.reset();
                m_closeDeferred = false;
                m_correcting = true;
                m_rating.reset();
                m_call = CallState::None;
                m_step = Step::Rate;
            } else if constexpr (std::is_same_v<E, ev::Touch>) {
                if (m_step != Step::Closed && m_step != Step::ThankYou)
                    Touch();
            } else if constexpr (std::is_same_v<E, ev::SetAccessible>) {
                if (m_step != Step::Rate)
                    return;
                Touch();
                m_accessible = e.on;
            } else if constexpr (std::is_same_v<E, ev::SetOpen>) {
                m_open = e.open;
                // Closing never interrupts a customer mid-flow; the Closed screen follows them.
                if (!m_open && m_step == Step::Rate && !m_correcting)
                    m_step = Step::Closed;
                if (m_open && m_step == Step::Closed)
                    BackToStart();
            } else if constexpr (std::is_same_v<E, ev::SetOnDutyRep>) {
                m_onDutyRep = e.id;
            }
        },
        event);
    return out;
}

std::optional<std::int64_t> FeedbackSession::NextDeadlineMs() const {
    std::optional<std::int64_t> undoEnd;
    if (m_undoUntilMs && m_step != Step::Rate)
        undoEnd = *m_undoUntilMs;
    const auto earliest = [&](std::optional<std::int64_t> t) -> std::optional<std::int64_t> {
        if (!undoEnd)
            return t;
        return t ? std::min(*t, *undoEnd) : undoEnd;
    };
    return earliest(StepDeadlineMs());
}

std::optional<std::int64_t> FeedbackSession::StepDeadlineMs() const {
    switch (m_step) {
        case Step::ThankYou:
            return ThankYouEndMs();
        case Step::WhoHelped:
        case Step::Reason:
        case Step::Help:
            return m_lastInputMs + IdleMs();
        case Step::Rate:
            if (m_language != m_settings.defaultLanguage || m_correcting || m_accessible)
                return m_lastInputMs + IdleMs();
            return std::nullopt;
        case Step::Closed:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace fk::core
