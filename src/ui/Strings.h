#pragma once
// The customer-facing strings a screen draws, already in the customer's language. The app fills
// them from the locale files (issue 4); EnglishStrings() is the built-in fallback.

#include <string>
#include <vector>

namespace fk::ui {

struct Strings {
    std::string question;                 // Rate screen
    std::string servedBy;                 // "Served by {name}": the on-duty rep, on Rate
    std::vector<std::string> faceLabels;  // one per face, 1 = most negative
    std::string whoHelped;
    std::string reasonTitle;
    std::string skip;
    std::string listen;        // the button that reads the screen aloud
    std::string undo;          // "change my answer", on the screen right after a rating
    std::string accessible;    // the accessible mode's switch on Rate ("larger text")
    std::string helpQuestion;  // "Would you like someone to come and help you now?"
    std::string helpYes;
    std::string helpNo;
    std::string thankYou;
    std::string thankYouBody;
    // Thank-you after a negative rating: no cheer, an apology (title) and a promise (body).
    std::string thankYouSorry;
    std::string thankYouSorryBody;
    // After "yes" to help: while the call is on its way, when the server has it, when it did not
    // confirm in time.
    std::string callSending;
    std::string callOnTheWay;
    std::string callAskCounter;
    std::string closedTitle;
    std::string closedBody;
};

// English strings for a 4- or 5-point scale (kiosk-config/locales/en.toml's words, for a kiosk
// without its locale files).
Strings EnglishStrings(int points);

// Every text field and its locale key ("rate.question"); the face labels are
// rate.face<points>.<rating>. The app fills a Strings from the catalog through this table.
struct StringKey {
    const char* key;
    std::string Strings::*member;
};
const std::vector<StringKey>& StringKeys();
std::string FaceLabelKey(int points, int rating);

}  // namespace fk::ui
