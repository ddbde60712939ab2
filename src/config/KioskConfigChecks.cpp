// Checks that need more than one table. Per-table checks are in KioskConfigReader.cpp.

#include <algorithm>

#include "config/KioskConfigReader.h"

namespace fk::config::detail {

void CheckKioskConfig(ReadContext& context, const KioskConfig& config) {
    ProblemList& problems = context.problems;
    const KioskConfigLines& lines = context.lines;
    const int points = config.survey.scale.Points();

    for (int rating : config.survey.askReasonFor) {
        if (rating > points) {
            problems.Add(lines.askReasonFor, "survey.ask_reason_for",
                         std::to_string(rating) + " is out of range for a " +
                             std::to_string(points) + "-point scale, use 1 to " +
                             std::to_string(points));
        }
    }

    for (int rating : config.help.offerFor) {
        if (rating > points) {
            problems.Add(lines.helpOfferFor, "help.offer_for",
                         std::to_string(rating) + " is out of range for a " +
                             std::to_string(points) + "-point scale, use 1 to " +
                             std::to_string(points));
        }
    }

    // Without sync the roster can only come from this file; with sync the server pushes it. The
    // default mode with no roster just skips the rep step; asking for it explicitly is a mistake.
    if (lines.repModeGiven && config.survey.repMode != RepMode::Off &&
        config.ActiveReps().empty() && !config.sync.Enabled()) {
        problems.Add(lines.repMode, "survey.rep_mode",
                     "\"" + to_string(config.survey.repMode) +
                         "\" needs at least one active [[rep]] (or a sync server that pushes the "
                         "roster), add [[rep]] entries or use rep_mode = \"off\"");
    }

    if (lines.reasonsGiven && !config.reasons.empty() && config.survey.askReasonFor.empty()) {
        problems.Add(lines.firstReason, "reason",
                     "reasons are defined but survey.ask_reason_for is empty, so none would ever "
                     "be shown, list ratings in survey.ask_reason_for (e.g. [1, 2]) or remove the "
                     "[[reason]] entries");
    }
    if (!config.survey.askReasonFor.empty() && lines.reasonsGiven && lines.reasonEntries == 0) {
        problems.Add(lines.askReasonFor, "survey.ask_reason_for",
                     "asks for a reason but no [[reason]] is defined, add [[reason]] entries or "
                     "set ask_reason_for = []");
    }

    // Built-in codes are labelled in every language by the locale catalogs; only the file's own
    // codes need a label for every offered language.
    if (lines.reasonsGiven) {
        for (std::size_t i = 0; i < config.reasons.size() && i < lines.reasonLabels.size(); ++i) {
            const auto& [path, line, builtIn] = lines.reasonLabels[i];
            if (builtIn)
                continue;
            for (const std::string& language : config.languages.offered) {
                if (!config.reasons[i].labels.contains(language)) {
                    problems.Add(line, path,
                                 "no \"" + language + "\" label but languages.offered has \"" +
                                     language + "\", add " + language + " = \"...\"");
                }
            }
        }
    }
}

}  // namespace fk::config::detail
