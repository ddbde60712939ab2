#include "app/ManagerData.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "ui/ManagerSort.h"

namespace fk::app {

namespace {

ui::SyncPhaseView PhaseOf(const sync::SyncStatus& s) {
    switch (s.phase) {
        case sync::SyncPhase::NotConfigured:
            return ui::SyncPhaseView::NotConfigured;
        case sync::SyncPhase::Idle:
            return ui::SyncPhaseView::Idle;
        case sync::SyncPhase::Sending:
            return ui::SyncPhaseView::Sending;
        case sync::SyncPhase::Retrying:
            return ui::SyncPhaseView::Retrying;
        case sync::SyncPhase::Stopped:
            return ui::SyncPhaseView::Stopped;
    }
    return ui::SyncPhaseView::Idle;
}

}  // namespace

ManagerData::ManagerData(const core::Clock& clock, std::filesystem::path dataDir,
                         const KioskSettings& settings)
    : m_clock(clock),
      m_dataDir(std::move(dataDir)),
      m_scale(settings.session.scale),
      m_policy(settings.manager.reasonPolicy),
      m_minN(settings.manager.minN),
      m_alertRule(settings.manager.alert) {}

storage::Dashboard* ManagerData::Dash() {
    if (!m_dashboard && m_clock.SteadyMs() >= m_nextDashboardTryMs) {
        try {
            m_dashboard = storage::Dashboard::Open(m_dataDir, m_clock);
        } catch (const std::exception& e) {
            spdlog::warn("manager mode cannot read the store yet: {}", e.what());
            m_nextDashboardTryMs = m_clock.SteadyMs() + kDashboardRetryMs;
        }
    }
    return m_dashboard.get();
}

void ManagerData::Load(const core::Period& period, ui::ManagerView& view) {
    view.periodError.reset();
    storage::Dashboard* dash = Dash();
    if (!dash) {
        m_data = core::DashboardData();
        m_data.period = period;
        view.periodError =
            ui::PeriodErrorView{ui::PeriodErrorView::Kind::StoreUnreadable, {}, {}, {}};
        return;
    }
    storage::DashboardRequest request;
    request.period = period;
    request.scale = m_scale;
    request.minResponses = m_minN;
    view.heatmapMinResponses = request.heatmapMinResponses;
    try {
        m_data = dash->Load(request, m_policy);
    } catch (const std::exception& e) {
        spdlog::error("manager mode: loading the dashboard failed: {}", e.what());
        m_data = core::DashboardData();
        m_data.period = period;
        view.periodError =
            ui::PeriodErrorView{ui::PeriodErrorView::Kind::Unreadable, {}, {}, e.what()};
    }
}

void ManagerData::SortInto(ui::ManagerView& view, const std::vector<RosterRep>& roster) const {
    view.data = m_data;
    view.repNames.clear();
    for (const auto& rep : roster)
        view.repNames[rep.id] = rep.name;
    ui::SortManagerRows(view.data.reps, view.sortColumn, view.sortDescending, view.repNames);
}

void ManagerData::EvaluateAlert() {
    m_alertDirty = false;
    m_nextAlertMs = m_clock.SteadyMs() + kAlertEveryMs;
    storage::Dashboard* dash = Dash();
    if (!dash)
        return;
    try {
        const core::AlertState state = dash->EvaluateAlert(m_alertRule, m_clock.NowUtcMs());
        std::optional<std::string> text;
        if (state.raised)
            text = core::to_string(state, m_alertRule);
        m_raised = state.raised ? std::optional(state) : std::nullopt;
        if (text != m_alertText) {
            if (text)
                spdlog::warn("manager alert: {}", *text);
            m_alertText = std::move(text);
        }
    } catch (const std::exception& e) {
        spdlog::error("manager alert not evaluated: {}", e.what());
    }
}

void ManagerData::SetSurvey(const KioskSettings& settings) {
    m_scale = settings.session.scale;
    m_policy = core::ReasonPolicy(settings.manager.reasonPolicy);
    m_alertRule = settings.manager.alert;
    m_alertDirty = true;
}

bool ManagerData::SetSyncStatus(const sync::SyncStatus& status) {
    const sync::SyncStatus& o = m_sync;
    const bool same =
        o.phase == status.phase && o.pending == status.pending &&
        o.oldestPendingCreatedAt == status.oldestPendingCreatedAt &&
        o.lastSuccessAt == status.lastSuccessAt && o.lastError == status.lastError &&
        o.rejected == status.rejected && o.serverAckedSeq == status.serverAckedSeq &&
        o.tlsVerificationOff == status.tlsVerificationOff &&
        sync::DescribeRecovery(o) == sync::DescribeRecovery(status) &&
        o.pendingCalls == status.pendingCalls && o.configVersion == status.configVersion &&
        sync::ConfigStale(o, m_clock.NowUtcMs()) == sync::ConfigStale(status, m_clock.NowUtcMs()) &&
        o.storeAlert == status.storeAlert && o.storeAlertAsOf == status.storeAlertAsOf;
    if (same)
        return false;
    if (status.rejected != m_sync.rejected)
        m_rejectedDirty = true;
    m_sync = status;
    return true;
}

std::optional<ui::ManagerView::StoreAlertBanner> ManagerData::StoreAlertBanner() const {
    if (!m_sync.storeAlert || !m_sync.storeAlertAsOf)
        return std::nullopt;
    const protocol::StoreAlert& a = *m_sync.storeAlert;
    const std::int64_t ageS =
        std::max<std::int64_t>(0, (m_clock.NowUtcMs() - *m_sync.storeAlertAsOf) / 1000);
    if (ageS > a.windowMin * 60)
        return std::nullopt;
    return ui::ManagerView::StoreAlertBanner{a.negative, a.responses, a.windowMin, ageS};
}

void ManagerData::FillSync(ui::SyncHealthView& v, storage::ResponseStore* store) {
    const core::UtcMs now = m_clock.NowUtcMs();
    v.configured = m_sync.phase != sync::SyncPhase::NotConfigured;
    v.phase = PhaseOf(m_sync);
    v.salvaged = m_sync.salvaged;  // issue 14
    v.lost = m_sync.lost;
    v.lostUnreported = m_sync.lostUnreported;
    v.resentAfterServerLoss = m_sync.resentAfterServerLoss;
    v.pendingCalls = m_sync.pendingCalls;  // issue 16: staff see a call stuck on the kiosk
    v.pending = m_sync.pending;
    v.oldestPendingAgeS.reset();
    if (m_sync.oldestPendingCreatedAt)
        v.oldestPendingAgeS =
            std::max<std::int64_t>(0, (now - *m_sync.oldestPendingCreatedAt) / 1000);
    v.lastSuccessAgeS.reset();
    if (m_sync.lastSuccessAt)
        v.lastSuccessAgeS = std::max<std::int64_t>(0, (now - *m_sync.lastSuccessAt) / 1000);
    v.lastError = m_sync.lastError;
    v.serverAckedSeq = m_sync.serverAckedSeq;
    v.tlsVerificationOff = m_sync.tlsVerificationOff;
    v.surveyVersion = m_sync.configVersion;
    v.surveyStale = sync::ConfigStale(m_sync, now);
    if (m_rejectedDirty) {
        m_rejectedDirty = false;
        v.rejected.clear();
        if (store) {
            try {
                for (const auto& r : store->Rejected(50)) {
                    v.rejected.push_back({r.seq, r.id.ToString(), r.syncError.value_or("")});
                }
            } catch (const std::exception& e) {
                spdlog::error("manager mode: reading rejected rows failed: {}", e.what());
            }
        }
    }
}

}  // namespace fk::app
