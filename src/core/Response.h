#pragma once
// One customer's feedback: created at the rating tap, amended (rep, reason, language, help) while
// open, closed by "thank you" or the idle timeout. Plain value type.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/Clock.h"
#include "core/Rating.h"
#include "core/Uuid.h"

namespace fk::core {

enum class SyncState { Pending, Sent, Rejected };
std::string to_string(SyncState state);
std::optional<SyncState> SyncStateFromString(std::string_view text);

// Why a response was closed.
enum class CloseReason { ThankYou, IdleTimeout, Recovered };
std::string to_string(CloseReason reason);
std::optional<CloseReason> CloseReasonFromString(std::string_view text);

// The answer to "would you like someone to come and help you now?" (issue 16). Absent on a
// response that was never asked; an idle timeout on the question stores No.
enum class HelpAnswer { Yes, No };
std::string to_string(HelpAnswer answer);  // "yes", "no"
std::optional<HelpAnswer> HelpAnswerFromString(std::string_view text);

struct Response {
    Uuid id;
    std::int64_t seq = 0;  // per kiosk, gapless, from 1
    UtcMs createdAtMs = 0;
    int tzOffsetMin = 0;
    int scale = RatingScale::kDefaultPoints;
    int rating = 1;
    std::optional<std::string> repId;
    std::optional<std::string> reason;
    std::string language = "en";
    std::optional<std::string> misuse;  // the rule that flagged it; kept, excluded from stats
    std::optional<HelpAnswer> help;     // nullopt: help was not offered
    // The face first tapped, when the customer changed their answer ("change my answer", issue
    // 22); kept for audit, never counted: `rating` is the answer that counts. nullopt: unchanged.
    std::optional<int> firstRating;
    // The survey definition version the kiosk ran when the customer tapped (issue 17): reports
    // judge the response by that version's reason policy. nullopt: the kiosk's own kiosk.toml
    // survey, or a row stored before responses recorded it (judged by the current policy).
    std::optional<std::int64_t> surveyVersion;
    std::optional<UtcMs> closedAtMs;
    std::optional<CloseReason> closeReason;
    SyncState syncState = SyncState::Pending;
    std::optional<std::string> syncError;

    bool IsClosed() const { return closedAtMs.has_value(); }
};

}  // namespace fk::core
