#include "ui/Strings.h"

namespace fk::ui {

Strings EnglishStrings(int points) {
    Strings s;
    s.question = "How was your visit today?";
    if (points == 5) {
        s.faceLabels = {"Very poor", "Poor", "Okay", "Good", "Very good"};
    } else {
        s.faceLabels = {"Very poor", "Poor", "Good", "Very good"};
    }
    s.whoHelped = "Who helped you today?";
    s.reasonTitle = "What could we do better?";
    s.skip = "Skip";
    s.thankYou = "Thank you!";
    s.thankYouBody = "Your feedback helps us improve.";
    s.closedTitle = "We are closed";
    s.closedBody = "Feedback opens again during opening hours.";
    return s;
}

}  // namespace fk::ui
