#pragma once
// The customer-facing strings a screen draws, already in the customer's language. The app fills
// them from the locale files (issue 4); EnglishStrings() is the built-in fallback.

#include <string>
#include <vector>

namespace fk::ui {

struct Strings {
    std::string question;                 // Rate screen
    std::vector<std::string> faceLabels;  // one per face, 1 = most negative
    std::string whoHelped;
    std::string reasonTitle;
    std::string skip;
    std::string thankYou;
    std::string thankYouBody;
    std::string closedTitle;
    std::string closedBody;
};

// English strings for a 4- or 5-point scale.
Strings EnglishStrings(int points);

}  // namespace fk::ui
