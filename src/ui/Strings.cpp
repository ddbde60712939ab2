#include "ui/Strings.h"

namespace fk::ui {

Strings EnglishStrings(int points) {
    Strings s;
    s.question = "How was your visit today?";
    s.servedBy = "Served by {name}";
    if (points == 5) {
        s.faceLabels = {"Very bad", "Bad", "Okay", "Good", "Very good"};
    } else {
        s.faceLabels = {"Very bad", "Bad", "Good", "Very good"};
    }
    s.whoHelped = "Who helped you today?";
    s.reasonTitle = "What went wrong?";
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
    s.closedBody = "You can leave feedback again during opening hours.";
    return s;
}

const std::vector<StringKey>& StringKeys() {
    static const std::vector<StringKey> kKeys = {
        {"rate.question", &Strings::question},
        {"rate.served_by", &Strings::servedBy},
        {"rep.question", &Strings::whoHelped},
        {"reason.question", &Strings::reasonTitle},
        {"common.skip", &Strings::skip},
        {"common.listen", &Strings::listen},
        {"common.undo", &Strings::undo},
        {"rate.accessible", &Strings::accessible},
        {"help.question", &Strings::helpQuestion},
        {"help.yes", &Strings::helpYes},
        {"help.no", &Strings::helpNo},
        {"thanks.title", &Strings::thankYou},
        {"thanks.body", &Strings::thankYouBody},
        {"thanks.sorry_title", &Strings::thankYouSorry},
        {"thanks.sorry_body", &Strings::thankYouSorryBody},
        {"help.calling", &Strings::callSending},
        {"help.on_the_way", &Strings::callOnTheWay},
        {"help.ask_counter", &Strings::callAskCounter},
        {"closed.title", &Strings::closedTitle},
        {"closed.body", &Strings::closedBody},
    };
    return kKeys;
}

std::string FaceLabelKey(int points, int rating) {
    return "rate.face" + std::to_string(points) + "." + std::to_string(rating);
}

}  // namespace fk::ui
