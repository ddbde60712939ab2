#pragma once
// Manager mode's numbers: the period's dashboard (storage::Dashboard, a read-only connection
// opened on first use and retried every kDashboardRetryMs while the store cannot be read), the
// alert rule (evaluated every kAlertEveryMs and after customer taps, also while the customer
// screen shows, for the heartbeat) and sync health in words. It fills the data parts of a
// ui::ManagerView; the session decides when.
//
// Thread affinity: UI thread only. Ownership: owns its Dashboard; borrows the clock (must outlive
// it). Failure: storage errors become words in the view (periodError) and a log line; nothing
// here throws.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/Settings.h"
#include "core/Alerts.h"
#include "core/Clock.h"
#include "core/DashboardData.h"
#include "core/Period.h"
#include "storage/Dashboard.h"
#include "storage/ResponseStore.h"
#include "sync/SyncStatus.h"
#include "ui/ManagerView.h"

namespace fk::app {

class ManagerData {
  public:
    static constexpr std::int64_t kAlertEveryMs = 30'000;
    static constexpr std::int64_t kDashboardRetryMs = 30'000;

    ManagerData(const core::Clock& clock, std::filesystem::path dataDir,
                const KioskSettings& settings);

    // Loads period into Data() and sets view.periodError / heatmapMinResponses.
    void Load(const core::Period& period, ui::ManagerView& view);
    // view.data = Data(), sorted by the view's column; names from the roster.
    void SortInto(ui::ManagerView& view, const std::vector<RosterRep>& roster) const;
    const core::DashboardData& Data() const { return m_data; }
    const core::ReasonPolicy& Policy() const { return m_policy; }

    // The alert rule: evaluated now (logged when it changes), next due in kAlertEveryMs.
    void EvaluateAlert();
    void MarkAlertDirty() { m_alertDirty = true; }
    bool AlertDue() const { return m_alertDirty || m_clock.SteadyMs() >= m_nextAlertMs; }
    std::int64_t NextAlertMs() const { return m_nextAlertMs; }
    // The rule firing now, in words (nullopt: not firing).
    const std::optional<std::string>& Alert() const { return m_alertText; }
    // The raised alert's counts (nullopt: none), for the banner in the manager's language.
    const std::optional<core::AlertState>& RaisedAlert() const { return m_raised; }
    std::int64_t AlertWindowMinutes() const { return m_alertRule.windowMs / 60000; }

    // True when what manager mode shows of sync changed.
    bool SetSyncStatus(const sync::SyncStatus& status);
    // A new survey definition's scale, reason policy and alert rule (figures reload next time).
    void SetSurvey(const KioskSettings& settings);
    // Sync health in words; rejected rows are re-read from store only after they changed.
    void FillSync(ui::SyncHealthView& view, storage::ResponseStore* store);
    void MarkRejectedDirty() { m_rejectedDirty = true; }
    // The store-level alert the server reported in the last heartbeat answer, for the banner;
    // nullopt when none, or when that answer is older than the alert's window (it may have
    // lapsed since).
    std::optional<ui::ManagerView::StoreAlertBanner> StoreAlertBanner() const;

  private:
    storage::Dashboard* Dash();

    const core::Clock& m_clock;
    std::filesystem::path m_dataDir;
    core::RatingScale m_scale;
    core::ReasonPolicy m_policy;
    int m_minN;
    core::AlertRule m_alertRule;

    std::unique_ptr<storage::Dashboard> m_dashboard;
    std::int64_t m_nextDashboardTryMs = 0;
    core::DashboardData m_data;

    std::optional<std::string> m_alertText;
    std::optional<core::AlertState> m_raised;
    std::int64_t m_nextAlertMs = 0;
    bool m_alertDirty = true;

    sync::SyncStatus m_sync;
    bool m_rejectedDirty = true;
};

}  // namespace fk::app
