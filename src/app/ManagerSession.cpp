#include "app/ManagerSession.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/CallStats.h"
#include "protocol/Calls.h"
#include "ui/ManagerStrings.h"

namespace fk::app {

namespace {

ui::PeriodErrorView PeriodErrorFor(const core::PeriodError& e) {
    return {e.kind == core::PeriodError::Kind::TooLong ? ui::PeriodErrorView::Kind::TooLong
                                                       : ui::PeriodErrorView::Kind::EndBeforeStart,
            e.first,
            e.last,
            {}};
}

ui::RosterMode ToRosterMode(core::RepMode mode) {
    switch (mode) {
        case core::RepMode::Ask:
            return ui::RosterMode::Ask;
        case core::RepMode::OnDuty:
            return ui::RosterMode::OnDuty;
        case core::RepMode::Off:
            return ui::RosterMode::Off;
    }
    return ui::RosterMode::Off;
}

ExportJob::Options ExportOptions(const KioskSettings& settings,
                                 const std::filesystem::path& dataDir,
                                 ManagerSession::Options& options) {
    ExportJob::Options o;
    o.kioskId = settings.kioskId;
    o.dataDir = dataDir;
    o.configuredDirs = settings.manager.exportDirs;
    o.mountedDirs = std::move(options.mountedDirs);
    o.wake = std::move(options.wake);
    return o;
}

}  // namespace

ManagerSession::ManagerSession(KioskCore& core, const KioskSettings& settings,
                               const core::Clock& clock, std::filesystem::path dataDir,
                               ui::TextPainter& text, Options options)
    : m_core(core),
      m_clock(clock),
      m_language(settings.session.defaultLanguage),
      m_settings(settings.manager),
      m_repMode(settings.session.repMode),
      m_pad(text),
      m_screens(text),
      m_pin(settings.manager, clock, dataDir),
      m_data(clock, dataDir, settings),
      m_rosterFile(dataDir),
      m_calls(options.calls),
      m_kioskId(settings.kioskId),
      m_escalateAfterMs(std::int64_t{settings.escalateAfterS} * 1000),
      m_export(clock, ExportOptions(settings, dataDir, options)) {
    for (const auto& r : settings.ReasonsFor(m_language))
        m_reasonLabels[r.code] = r.label;
    m_roster = settings.roster;
    if (m_roster.empty()) {
        for (const auto& tile : settings.reps)
            m_roster.push_back({tile.id, tile.name, true, std::nullopt});
    }
    LoadRoster();
    m_period = core::MakePeriod(core::PeriodKind::Today, m_clock);
    m_view.language = m_language;
    m_view.strings = m_settings.strings;
    m_view.minResponses = m_settings.minN;
    m_view.customFirst = m_period.firstDay;
    m_view.customLast = m_period.lastDay;
}

// ---- roster --------------------------------------------------------------------------------

void ManagerSession::LoadRoster() {
    const std::optional<RosterEdits> edits = m_rosterFile.Load();
    if (!edits)
        return;
    bool changed = false;
    for (const auto& [id, active] : edits->active) {
        for (auto& rep : m_roster) {
            if (rep.id != id)
                continue;
            m_activeEdits[id] = active;
            changed = changed || rep.active != active;
            rep.active = active;
        }
    }
    if (changed)
        m_core.ApplyRoster(ActiveTiles());
    // A file from before shifts counted: the shift starts now rather than never ending.
    if (edits->onDuty)
        m_core.SetOnDutyRep(*edits->onDuty, edits->onDutySinceUtc);
}

void ManagerSession::SaveRoster() const {
    m_rosterFile.Save(m_activeEdits, m_core.Session().OnDutyRep(), m_core.OnDutySinceUtc());
}

std::vector<ui::RepTile> ManagerSession::ActiveTiles() const {
    std::vector<ui::RepTile> tiles;
    for (const auto& rep : m_roster) {
        if (rep.active)
            tiles.push_back({rep.id, rep.name});
    }
    return tiles;
}

void ManagerSession::ApplyServerRoster(std::vector<RosterRep> roster) {
    m_roster = std::move(roster);
    m_rosterFromServer = true;
    const bool hadEdits = !m_activeEdits.empty();
    m_activeEdits.clear();
    if (hadEdits)
        SaveRoster();
    m_core.ApplyRoster(ActiveTiles());
    SortData();
    m_redraw = m_mode == Mode::Manager;
}

void ManagerSession::ApplySurvey(const KioskSettings& next) {
    ApplyServerRoster(next.roster);
    m_core.ApplySurvey(next);
    m_data.SetSurvey(next);
    m_repMode = next.session.repMode;
    m_escalateAfterMs = std::int64_t{next.escalateAfterS} * 1000;
    m_settings.alert = next.manager.alert;
    m_settings.reasonPolicy = next.manager.reasonPolicy;
    m_reasonLabels.clear();
    for (const auto& r : next.ReasonsFor(m_language))
        m_reasonLabels[r.code] = r.label;
    SortData();
    m_redraw = m_mode == Mode::Manager;
}

// ---- modes ---------------------------------------------------------------------------------

void ManagerSession::OpenPad() {
    m_pin.Start();
    m_mode = Mode::Pin;
    m_core.SetPaused(true);
    m_lastTouchMs = m_clock.SteadyMs();
    m_redraw = true;
    spdlog::info("manager PIN pad opened");
}

void ManagerSession::Close() {
    if (m_mode == Mode::Customer)
        return;
    spdlog::info("{} closed", m_mode == Mode::Pin ? "manager PIN pad" : "manager mode");
    m_pin.Start();  // wipes any digits
    m_mode = Mode::Customer;
    m_core.SetPaused(false);
    m_redraw = true;
}

void ManagerSession::EnterManager() {
    m_mode = Mode::Manager;
    m_lastTouchMs = m_clock.SteadyMs();
    m_view.tab = ui::ManagerTab::Reps;
    m_view.periodKind = core::PeriodKind::Today;
    m_view.periodError.reset();
    m_view.sortColumn = core::kDefaultRepColumn;
    m_view.sortDescending = true;
    m_period = core::MakePeriod(core::PeriodKind::Today, m_clock);
    m_view.customFirst = core::MakePeriod(core::PeriodKind::Last7Days, m_clock).firstDay;
    m_view.customLast = m_period.lastDay;
    m_data.MarkRejectedDirty();
    m_data.MarkAlertDirty();
    LoadData();
    m_data.EvaluateAlert();
    m_redraw = true;
}

std::int64_t ManagerSession::AutoExitMs() const {
    return std::int64_t{m_settings.autoExitS} * 1000;
}

// ---- frame and time ------------------------------------------------------------------------

ui::FrameOutput ManagerSession::Frame() {
    const std::int64_t now = m_clock.SteadyMs();
    ui::FrameOutput out;
    if (m_mode == Mode::Customer)
        return out;
    if (m_mode == Mode::Pin) {
        ui::PinPadOutput pad = m_pad.Frame(m_pin.View(m_language, m_core.Dpi()));
        out.layout = std::move(pad.layout);
        if (pad.touched || !pad.actions.empty())
            m_lastTouchMs = now;
        for (const auto& action : pad.actions) {
            m_redraw = true;
            const PinEntry::Outcome outcome = m_pin.Handle(action);
            if (outcome == PinEntry::Outcome::Unlocked) {
                EnterManager();
                break;
            }
            if (outcome == PinEntry::Outcome::Cancelled) {
                Close();
                break;
            }
        }
        return out;
    }
    ui::ManagerFrameOutput m = m_screens.Frame(View());
    out.layout = std::move(m.layout);
    if (m.touched || !m.actions.empty())
        m_lastTouchMs = now;
    for (const auto& action : m.actions) {
        m_redraw = true;
        Apply(action);
        if (m_mode != Mode::Manager)
            break;
    }
    return out;
}

bool ManagerSession::Tick() {
    const std::int64_t now = m_clock.SteadyMs();
    bool changed = std::exchange(m_redraw, false);
    if (m_data.AlertDue()) {
        const auto before = m_data.Alert();
        m_data.EvaluateAlert();
        changed = changed || (m_mode == Mode::Manager && before != m_data.Alert());
    }
    switch (m_mode) {
        case Mode::Customer:
            break;
        case Mode::Pin: {
            if (now - m_lastTouchMs >= kPadTimeoutMs) {
                Close();
                return true;
            }
            const std::int64_t seconds = m_pin.Locked() ? m_pin.LockedSeconds() : 0;
            if (seconds != m_shownSeconds) {
                m_shownSeconds = seconds;
                changed = true;
            }
            break;
        }
        case Mode::Manager: {
            if (ExportRunning())
                m_lastTouchMs = now;  // a running export keeps manager mode open
            const std::int64_t left = AutoExitMs() - (now - m_lastTouchMs);
            if (left <= 0) {
                Close();
                return true;
            }
            const std::int64_t seconds = (left + 999) / 1000;
            if (seconds <= 30 && seconds != m_shownSeconds) {
                m_shownSeconds = seconds;
                changed = true;
            }
            const std::uint64_t generation = m_export.Status().generation;
            if (generation != m_exportSeen) {
                m_exportSeen = generation;
                changed = true;
            }
            if (m_view.tab == ui::ManagerTab::Export && now >= m_nextDirsMs && RefreshExportDirs())
                changed = true;
            if (m_view.tab == ui::ManagerTab::Calls && m_calls) {
                if (now >= m_nextCallsMs)
                    RefreshCalls();
                const std::uint64_t version = m_calls->Snapshot().version;
                if (version != m_callsSeen) {
                    m_callsSeen = version;
                    changed = true;
                }
            }
            // Today, 7 and 30 days move at local midnight.
            if (m_view.periodKind != core::PeriodKind::Custom) {
                const core::Period p = core::MakePeriod(m_view.periodKind, m_clock);
                if (p.firstDay != m_period.firstDay || p.lastDay != m_period.lastDay) {
                    SetPeriod(p);
                    changed = true;
                }
            }
            break;
        }
    }
    return changed;
}

std::optional<std::int64_t> ManagerSession::NextDeadlineMs() const {
    // A change made during the last frame (mode switch, new data) is drawn at once.
    if (m_redraw)
        return m_clock.SteadyMs();
    std::optional<std::int64_t> d;
    auto take = [&](std::optional<std::int64_t> t) {
        if (t && (!d || *t < *d))
            d = t;
    };
    take(m_data.NextAlertMs());
    switch (m_mode) {
        case Mode::Customer:
            break;
        case Mode::Pin:
            take(m_lastTouchMs + kPadTimeoutMs);
            take(m_pin.NextDeadlineMs());
            break;
        case Mode::Manager: {
            const std::int64_t end = m_lastTouchMs + AutoExitMs();
            const std::int64_t left = end - m_clock.SteadyMs();
            // The last 30 seconds count down on screen: one frame per second, nothing more.
            take(left <= 30'000 ? m_clock.SteadyMs() + std::max<std::int64_t>(
                                                           1, left % 1000 == 0 ? 1000 : left % 1000)
                                : end - 30'000);
            if (m_view.tab == ui::ManagerTab::Export)
                take(m_nextDirsMs);
            if (m_view.tab == ui::ManagerTab::Calls && m_calls)
                take(m_nextCallsMs);
            break;
        }
    }
    return d;
}

// ---- help calls ----------------------------------------------------------------------------

void ManagerSession::RefreshCalls() {
    m_nextCallsMs = m_clock.SteadyMs() + kCallsEveryMs;
    if (!m_calls)
        return;
    m_calls->Refresh();
    m_calls->ReportPeriod(m_period.fromUtc, m_period.toUtc);
}

std::string ManagerSession::CallsBy() const {
    // The server takes at most kMaxCallStaffName bytes: a long translation falls back to English.
    std::string by = ui::ManagerText(m_view.strings, "manager.calls.by", {{"kiosk", m_kioskId}});
    if (by.size() > protocol::kMaxCallStaffName)
        by = ui::ManagerText({}, "manager.calls.by", {{"kiosk", m_kioskId}});
    if (by.size() > protocol::kMaxCallStaffName)
        by = "kiosk " + m_kioskId.substr(0, protocol::kMaxCallStaffName - 6);
    return by;
}

void ManagerSession::FillCalls() {
    ui::CallsView& v = m_view.calls;
    v = ui::CallsView{};
    if (!m_calls)
        return;
    v.configured = true;
    const sync::StaffCallsSnapshot snapshot = m_calls->Snapshot();
    v.busy = snapshot.busy;
    v.error = snapshot.error;
    if (snapshot.listedAtSteadyMs)
        v.listedAgeS =
            std::max<std::int64_t>(0, (m_clock.SteadyMs() - *snapshot.listedAtSteadyMs) / 1000);
    const std::int64_t nowUtc = m_clock.NowUtcMs();
    for (const protocol::CallRecord& record : snapshot.calls) {
        ui::CallRowView row;
        row.id = record.call.responseId.ToString();
        row.waitingS = std::max<std::int64_t>(0, (nowUtc - record.receivedAt) / 1000);
        row.rating = record.call.rating;
        row.scale = record.call.scale;
        row.kiosk = record.kioskId;
        row.thisKiosk = record.kioskId == m_kioskId;
        if (record.call.repId) {
            row.repName = *record.call.repId;
            for (const auto& rep : m_roster) {
                if (rep.id == *record.call.repId)
                    row.repName = rep.name;
            }
        }
        if (record.call.reason) {
            auto label = m_reasonLabels.find(*record.call.reason);
            row.reasonLabel = label != m_reasonLabels.end() ? label->second : *record.call.reason;
        }
        row.acknowledged = record.status == protocol::CallStatus::Acknowledged;
        row.ackedBy = record.ackedBy.value_or("");
        row.late = record.call.late;
        row.repeats = record.repeats;
        core::CallFact fact;
        fact.receivedAt = record.receivedAt;
        fact.ackedAt = record.ackedAt;
        fact.closedAt = record.closedAt;
        row.overdue = core::CallOverdue(fact, nowUtc, m_escalateAfterMs);
        v.calls.push_back(std::move(row));
    }
    if (snapshot.periodListed && snapshot.periodFromUtc == m_period.fromUtc &&
        snapshot.periodToUtc == m_period.toUtc) {
        std::vector<core::CallFact> facts;
        for (const protocol::CallRecord& record : snapshot.periodCalls) {
            core::CallFact fact;
            fact.receivedAt = record.receivedAt;
            fact.ackedAt = record.ackedAt;
            fact.closedAt = record.closedAt;
            if (record.outcome)
                fact.outcome = protocol::to_string(*record.outcome);
            fact.misuse = record.call.misuse.has_value();
            facts.push_back(std::move(fact));
        }
        // Unhappy customers are counted per till, calls per store: no "asked" share here.
        v.report = core::SummarizeCalls(facts, 0, nowUtc, m_escalateAfterMs);
    }
}

// ---- data ----------------------------------------------------------------------------------

void ManagerSession::SetPeriod(const core::Period& period) {
    m_period = period;
    LoadData();
    if (m_mode == Mode::Manager && m_view.tab == ui::ManagerTab::Calls)
        RefreshCalls();
}

void ManagerSession::LoadData() {
    m_data.Load(m_period, m_view);
    SortData();
}

void ManagerSession::SortData() {
    m_data.SortInto(m_view, m_roster);
}

void ManagerSession::SetSyncStatus(const sync::SyncStatus& status) {
    if (m_data.SetSyncStatus(status) && m_mode == Mode::Manager)
        m_redraw = true;
}

const ui::ManagerView& ManagerSession::View() {
    const std::int64_t now = m_clock.SteadyMs();
    m_view.dpi = m_core.Dpi();
    m_view.nowMs = now;
    m_view.autoExitInS =
        std::max<std::int64_t>(0, (AutoExitMs() - (now - m_lastTouchMs) + 999) / 1000);
    m_view.reasonLabels = m_reasonLabels;
    m_view.alertBanner.reset();
    if (const auto& raised = m_data.RaisedAlert())
        m_view.alertBanner = ui::ManagerView::AlertBanner{raised->negative, raised->responses,
                                                          m_data.AlertWindowMinutes()};
    m_view.storeAlertBanner = m_data.StoreAlertBanner();
    m_data.FillSync(m_view.sync, m_core.Store());
    ui::RosterView& r = m_view.roster;
    r.mode = ToRosterMode(m_repMode);
    r.reps.clear();
    for (const auto& rep : m_roster)
        r.reps.push_back({rep.id, rep.name, rep.active});
    r.signedInRep = m_core.Session().OnDutyRep();
    r.fromServer = m_rosterFromServer;
    FillCalls();
    m_view.exportJob.progress = m_export.Status().progress;
    return m_view;
}

// ---- actions -------------------------------------------------------------------------------

void ManagerSession::Apply(const ui::ManagerAction& action) {
    spdlog::debug("manager: {}", ui::to_string(action));
    std::visit(
        [&](const auto& a) {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, ui::mact::SelectTab>) {
                m_view.tab = a.tab;
                if (a.tab == ui::ManagerTab::Export)
                    RefreshExportDirs();
                if (a.tab == ui::ManagerTab::Calls)
                    RefreshCalls();
            } else if constexpr (std::is_same_v<A, ui::mact::RefreshCalls>) {
                RefreshCalls();
            } else if constexpr (std::is_same_v<A, ui::mact::AcknowledgeCall>) {
                if (auto id = core::Uuid::Parse(a.id); id && m_calls) {
                    spdlog::info("manager mode: help call {} acknowledged", a.id);
                    m_calls->Acknowledge(*id, CallsBy());
                }
            } else if constexpr (std::is_same_v<A, ui::mact::CloseCall>) {
                auto id = core::Uuid::Parse(a.id);
                auto outcome = protocol::CallOutcomeFromString(a.outcome);
                if (id && outcome && m_calls) {
                    spdlog::info("manager mode: help call {} closed ({})", a.id, a.outcome);
                    m_calls->Close(*id, CallsBy(), *outcome);
                }
            } else if constexpr (std::is_same_v<A, ui::mact::SelectPeriod>) {
                m_view.periodKind = a.kind;
                if (a.kind == core::PeriodKind::Custom) {
                    auto result =
                        core::MakeCustomPeriod(m_view.customFirst, m_view.customLast, m_clock);
                    if (result.period) {
                        SetPeriod(*result.period);
                    } else if (result.error) {
                        m_view.periodError = PeriodErrorFor(*result.error);
                    }
                } else {
                    SetPeriod(core::MakePeriod(a.kind, m_clock));
                }
            } else if constexpr (std::is_same_v<A, ui::mact::SetCustomRange>) {
                m_view.periodKind = core::PeriodKind::Custom;
                m_view.customFirst = a.first;
                m_view.customLast = a.last;
                auto result = core::MakeCustomPeriod(a.first, a.last, m_clock);
                if (result.period) {
                    SetPeriod(*result.period);
                } else if (result.error) {
                    m_view.periodError = PeriodErrorFor(*result.error);
                }
            } else if constexpr (std::is_same_v<A, ui::mact::SortBy>) {
                m_view.sortColumn = a.column;
                m_view.sortDescending = a.descending;
                SortData();
            } else if constexpr (std::is_same_v<A, ui::mact::SignIn>) {
                const bool known = std::any_of(m_roster.begin(), m_roster.end(),
                                               [&](const RosterRep& r) { return r.id == a.repId; });
                if (!known) {
                    spdlog::warn("sign-in for a rep not on the roster ignored");
                    return;
                }
                m_core.SetOnDutyRep(a.repId);
                SaveRoster();
                spdlog::info("rep {} signed in at this kiosk", a.repId);
            } else if constexpr (std::is_same_v<A, ui::mact::SignOut>) {
                m_core.SetOnDutyRep(std::nullopt);
                SaveRoster();
                spdlog::info("on-duty rep signed out");
            } else if constexpr (std::is_same_v<A, ui::mact::SetRepActive>) {
                for (auto& rep : m_roster) {
                    if (rep.id != a.repId || rep.active == a.active)
                        continue;
                    rep.active = a.active;
                    m_activeEdits[rep.id] = a.active;
                    SaveRoster();
                    m_core.ApplyRoster(ActiveTiles());
                }
            } else if constexpr (std::is_same_v<A, ui::mact::StartExport>) {
                std::map<std::string, std::string> names;
                for (const auto& rep : m_roster)
                    names[rep.id] = rep.name;
                m_export.Start(a.directory, m_data.Data(), m_period, m_data.Policy(), names);
            } else if constexpr (std::is_same_v<A, ui::mact::Exit>) {
                Close();
            }
        },
        action);
}

// ---- export places -------------------------------------------------------------------------

bool ManagerSession::RefreshExportDirs() {
    m_nextDirsMs = m_clock.SteadyMs() + kExportDirsEveryMs;
    std::vector<std::string> dirs;
    for (const auto& d : ExportDirectories())
        dirs.push_back(d.string());
    if (dirs == m_view.exportJob.directories)
        return false;
    m_view.exportJob.directories = std::move(dirs);
    return true;
}

}  // namespace fk::app
