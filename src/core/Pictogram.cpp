#include "core/Pictogram.h"

namespace fk::core {

std::string to_string(Pictogram pictogram) {
    switch (pictogram) {
        case Pictogram::Clock:
            return "clock";
        case Pictogram::Person:
            return "person";
        case Pictogram::EmptyShelf:
            return "empty_shelf";
        case Pictogram::PriceTag:
            return "price_tag";
        case Pictogram::Sparkles:
            return "sparkles";
        case Pictogram::SpeechBubble:
            return "speech_bubble";
    }
    return "?";
}

std::optional<Pictogram> PictogramFromString(std::string_view text) {
    for (Pictogram p : kAllPictograms) {
        if (text == to_string(p))
            return p;
    }
    return std::nullopt;
}

Pictogram DefaultPictogramFor(std::string_view reasonCode) {
    if (reasonCode == "wait_time")
        return Pictogram::Clock;
    if (reasonCode == "staff_attitude")
        return Pictogram::Person;
    if (reasonCode == "product_availability")
        return Pictogram::EmptyShelf;
    if (reasonCode == "price")
        return Pictogram::PriceTag;
    if (reasonCode == "cleanliness")
        return Pictogram::Sparkles;
    return Pictogram::SpeechBubble;
}

}  // namespace fk::core
