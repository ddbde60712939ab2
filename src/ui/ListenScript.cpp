#include "ui/ListenScript.h"

#include "core/Rating.h"

namespace fk::ui {

std::vector<ListenLine> ListenScript(const KioskView& view) {
    std::vector<ListenLine> lines;
    if (view.notice)
        return lines;
    const Strings& s = view.strings;
    auto add = [&](const std::string& text) {
        if (!text.empty())
            lines.push_back({view.language, text});
    };
    switch (view.step) {
        case core::Step::Rate:
            add(s.question);
            for (const auto& label : s.faceLabels)
                add(label);
            break;
        case core::Step::WhoHelped:
            add(s.whoHelped);
            for (const auto& rep : view.reps)
                add(rep.name);
            add(s.skip);
            break;
        case core::Step::Reason:
            add(s.reasonTitle);
            for (const auto& reason : view.reasons)
                add(reason.label);
            add(s.skip);
            break;
        case core::Step::Help:
            add(s.helpQuestion);
            add(s.helpYes);
            add(s.helpNo);
            break;
        case core::Step::ThankYou: {
            // The same words the thank-you screen shows: after a negative rating, no cheer.
            const bool sorry =
                view.rating && core::SentimentOf(*core::RatingScale::Make(view.points == 5 ? 5 : 4),
                                                 *view.rating) == core::Sentiment::Negative;
            add(sorry ? s.thankYouSorry : s.thankYou);
            switch (view.call) {
                case core::CallState::None:
                    add(sorry ? s.thankYouSorryBody : s.thankYouBody);
                    break;
                case core::CallState::Waiting:
                    add(s.callSending);
                    break;
                case core::CallState::Confirmed:
                    add(s.callOnTheWay);
                    break;
                case core::CallState::AskAtCounter:
                    add(s.callAskCounter);
                    break;
            }
            break;
        }
        case core::Step::Closed:
            break;
    }
    return lines;
}

}  // namespace fk::ui
