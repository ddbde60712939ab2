#pragma once
// What "listen" reads on a customer screen: its question, then its choices, in the customer's
// language (rep names as written). Pure: the app hands the lines to audio::Speaker.
// Thread-safe (no state).

#include <string>
#include <vector>

#include "ui/KioskScreens.h"

namespace fk::ui {

struct ListenLine {
    std::string language;
    std::string text;
};

// Empty for the closed screen and staff notices (nothing for a customer to answer).
std::vector<ListenLine> ListenScript(const KioskView& view);

}  // namespace fk::ui
