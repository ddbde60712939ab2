#include "ui/ManagerMessages.h"

#include <string_view>

namespace fk::ui {

namespace {

std::string_view StateKey(SyncPhaseView phase) {
    switch (phase) {
        case SyncPhaseView::NotConfigured:
            return "manager.sync.state.not_configured";
        case SyncPhaseView::Idle:
            return "manager.sync.state.idle";
        case SyncPhaseView::Sending:
            return "manager.sync.state.sending";
        case SyncPhaseView::Retrying:
            return "manager.sync.state.retrying";
        case SyncPhaseView::Stopped:
            return "manager.sync.state.stopped";
    }
    return "manager.sync.state.idle";
}

std::string_view PlaceKey(ExportPlaceProblem problem) {
    switch (problem) {
        case ExportPlaceProblem::NotListed:
            return "manager.export.place_not_listed";
        case ExportPlaceProblem::Unusable:
            return "manager.export.place_unusable";
        case ExportPlaceProblem::NotFolder:
            return "manager.export.place_not_folder";
        case ExportPlaceProblem::Outside:
            return "manager.export.place_outside";
    }
    return "manager.export.place_not_listed";
}

}  // namespace

std::vector<std::string> SyncStateLines(const ManagerStringMap& strings, const SyncHealthView& s) {
    std::vector<std::string> lines;
    lines.push_back(ManagerText(strings, "manager.sync.phase",
                                {{"phase", ManagerText(strings, StateKey(s.phase))}}));
    if (s.salvaged > 0 || s.lost > 0) {
        lines.push_back(ManagerText(
            strings, "manager.sync.recovered",
            {{"salvaged", std::to_string(s.salvaged)}, {"lost", std::to_string(s.lost)}}));
        if (s.lostUnreported > 0)
            lines.push_back(ManagerText(strings, "manager.sync.lost_unreported",
                                        {{"count", std::to_string(s.lostUnreported)}}));
        else if (s.lost > 0)
            lines.push_back(ManagerText(strings, "manager.sync.lost_reported"));
    }
    if (s.resentAfterServerLoss > 0)
        lines.push_back(ManagerText(strings, "manager.sync.resent",
                                    {{"count", std::to_string(s.resentAfterServerLoss)}}));
    if (s.pendingCalls > 0)
        lines.push_back(ManagerText(strings, "manager.sync.calls_waiting",
                                    {{"count", std::to_string(s.pendingCalls)}}));
    return lines;
}

std::string ExportStatusText(const ManagerStringMap& strings, const ExportProgress& p) {
    switch (p.stage) {
        case ExportStage::Idle:
            return {};
        case ExportStage::Starting:
            return ManagerText(strings, "manager.export.starting");
        case ExportStage::Running:
            return ManagerText(strings, "manager.export.running") + ": " +
                   ManagerText(
                       strings, "manager.export.progress",
                       {{"done", std::to_string(p.done)}, {"total", std::to_string(p.total)}});
        case ExportStage::Written:
            return ManagerText(strings, "manager.export.written",
                               {{"place", p.place},
                                {"reps", p.repsFile},
                                {"responses", p.responsesFile},
                                {"rows", std::to_string(p.rows)}});
        case ExportStage::AlreadyThere:
            return ManagerText(strings, "manager.export.exists", {{"file", p.file}});
        case ExportStage::PlaceRefused:
            return ManagerText(strings, "manager.export.failed",
                               {{"message", ManagerText(strings, PlaceKey(p.placeProblem),
                                                        {{"place", p.place}})}});
        case ExportStage::Failed:
            return ManagerText(strings, "manager.export.failed", {{"message", p.detail}});
    }
    return {};
}

std::string PeriodErrorText(const ManagerStringMap& strings, const PeriodErrorView& e) {
    switch (e.kind) {
        case PeriodErrorView::Kind::EndBeforeStart:
            return ManagerText(
                strings, "manager.period_error.end_before_start",
                {{"first", core::FormatIsoDate(e.first)}, {"last", core::FormatIsoDate(e.last)}});
        case PeriodErrorView::Kind::TooLong:
            return ManagerText(strings, "manager.period_error.too_long",
                               {{"first", core::FormatIsoDate(e.first)},
                                {"last", core::FormatIsoDate(e.last)},
                                {"days", std::to_string(core::kMaxCustomDays)}});
        case PeriodErrorView::Kind::StoreUnreadable:
            return ManagerText(strings, "manager.period_error.store_unreadable");
        case PeriodErrorView::Kind::Unreadable:
            return ManagerText(strings, "manager.period_error.unreadable", {{"error", e.detail}});
    }
    return {};
}

}  // namespace fk::ui
