#pragma once
// The pictogram a reason tile shows beside its words, so a customer who cannot read the label
// can still find "the queue" or "the price" (issue 22). One spelling for the kiosk configuration
// (`pictogram = "clock"` on a [[reason]]) and the screens. Pure; thread-safe.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace fk::core {

enum class Pictogram {
    Clock,         // waiting time
    Person,        // staff behaviour
    EmptyShelf,    // out of stock
    PriceTag,      // price
    Sparkles,      // cleanliness
    SpeechBubble,  // something else (and any reason that names none)
};

inline constexpr std::array<Pictogram, 6> kAllPictograms = {
    Pictogram::Clock,    Pictogram::Person,   Pictogram::EmptyShelf,
    Pictogram::PriceTag, Pictogram::Sparkles, Pictogram::SpeechBubble};

// "clock", "person", "empty_shelf", "price_tag", "sparkles", "speech_bubble" (the TOML spelling).
std::string to_string(Pictogram pictogram);
std::optional<Pictogram> PictogramFromString(std::string_view text);
// The one a built-in reason code shows (wait_time -> Clock, ...); SpeechBubble for other codes.
Pictogram DefaultPictogramFor(std::string_view reasonCode);

}  // namespace fk::core
