#include "ui/Strings.h"

namespace fk::ui {

Strings EnglishStrings(int points) {
    Strings s;
    s.question = "How was your visit today?";
    s.servedBy = "Served by {name}";
    if (points == 5) {
        s.faceLabels = {"Very poor", "Poor", "Okay", "Good", "Very good"};
    } else {
        s.faceLabels = {"Very poor", "Poor", "Good", "Very good"};
    }
    s.whoHelped = "Who helped you today?";
    s.reasonTitle = "What could we do better?";
    s.skip = "Skip";
    s.listen = "Listen";
    s.undo = "Change my answer";
    s.accessible = "Larger and clearer";
    s.helpQuestion = "Would you like someone to come and help you now?";
    s.helpYes = "Yes, please";
    s.helpNo = "No, thank you";
    s.thankYou = "Thank you!";
    s.thankYouBody = "Your feedback helps us improve.";
    s.thankYouSorry = "Thank you for telling us";
    s.thankYouSorryBody = "We are sorry your visit was not good. We will use this to do better.";
    s.callSending = "We are calling someone for you…";
    s.callOnTheWay = "Someone is on the way to help you.";
    s.callAskCounter = "Please ask at the counter, a colleague will be glad to help you.";
    s.closedTitle = "We are closed";
    s.closedBody = "Feedback opens again during opening hours.";
    return s;
}

}  // namespace fk::ui
