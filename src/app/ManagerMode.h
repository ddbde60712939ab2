#pragma once
// Manager mode's glue on the UI thread: the corner long-press and PIN pad in front of it
// (ManagerEntry.h), the manager screens (ui::ManagerScreens) fed a ui::ManagerView built from the
// kiosk's own data, and the ManagerActions applied: period and sort (storage::Dashboard, loaded
// when the period changes or manager mode opens, never per frame), roster edits and on-duty
// sign-in (persisted in <dataDir>/manager-roster.json, so a restart keeps who is signed in; it
// wins over --on-duty-rep once manager mode has signed someone in or out; a roster pushed by the
// server replaces local active/inactive edits), CSV export on a worker thread into an allowed
// directory, the alert rule (also evaluated while the customer screen shows, for the heartbeat),
// sync health. While the pad or manager mode shows, the customer flow is paused
// (KioskCore::SetPaused); both close themselves after inactivity (pad kPadTimeoutMs, manager
// [manager] auto_exit_s).
//
// Thread affinity: UI thread, except the export worker it owns (joined by the destructor).
// Ownership: borrows the KioskCore, clock and painter (they must outlive it). Failure: storage
// errors become words on the screens (period error, export message) and a log line; nothing
// here throws out of Frame or Tick for a data problem.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/KioskCore.h"
#include "app/ManagerEntry.h"
#include "app/Settings.h"
#include "core/Alerts.h"
#include "core/Period.h"
#include "storage/Dashboard.h"
#include "sync/SyncStatus.h"
#include "ui/KioskScreens.h"
#include "ui/ManagerView.h"
#include "ui/PinPad.h"

namespace fk::app {

// Mount points under /media and /run/media (USB sticks), from a mounts table such as
// /proc/self/mounts.
std::vector<std::filesystem::path> MountedExportDirs(
    const std::filesystem::path& mountsFile = "/proc/self/mounts");

// An export directory is accepted only when it is absolute, has no ".." component, exists, and
// its canonical path (symlinks resolved) lies inside the canonical path of an allowed root.
struct ExportDirCheck {
    std::optional<std::filesystem::path> dir;  // canonical
    std::string error;                         // for the manager, when refused
};
ExportDirCheck CheckExportDir(const std::filesystem::path& requested,
                              const std::vector<std::filesystem::path>& roots);

// "feedback-<kiosk>-<first>_<last>-<what>.csv"; the kiosk id is reduced to [A-Za-z0-9_-] (no
// dots, so never "." or ".."). Names are fixed by the kiosk, never taken from input.
std::string ExportFileName(const std::string& kioskId, const core::Period& period,
                           const std::string& what);

class ManagerMode {
  public:
    enum class Mode { Customer, Pin, Manager };
    static constexpr std::int64_t kPadTimeoutMs = 30'000;
    static constexpr std::int64_t kAlertEveryMs = 30'000;
    static constexpr std::int64_t kExportDirsEveryMs = 2'000;  // a stick plugged in shows up
    static constexpr const char* kRosterFile = "manager-roster.json";

    struct Options {
        std::function<void()>
            wake;  // from any thread: the loop should look again (export progress)
        std::function<std::vector<std::filesystem::path>()> mountedDirs = [] {
            return MountedExportDirs();
        };
    };

    ManagerMode(KioskCore& core, const KioskSettings& settings, const core::Clock& clock,
                std::filesystem::path dataDir, ui::TextPainter& text, Options options);
    ~ManagerMode();
    ManagerMode(const ManagerMode&) = delete;
    ManagerMode& operator=(const ManagerMode&) = delete;

    // One frame of whatever shows: the customer screens (watching for the corner long-press), the
    // pad or manager mode. Call between ImGui::NewFrame() and ImGui::Render(). The output's
    // actions are the customer's; its layout is the screen shown ("pin", "manager.<tab>", ...).
    ui::FrameOutput Frame(ui::KioskScreens& customer);
    // Time passing: hold completion, countdown, auto-exit, export progress, alert. True when the
    // screen must be redrawn.
    bool Tick();
    // Steady ms of the next thing Tick would do by itself (nullopt: only input or a wake-up).
    std::optional<std::int64_t> NextDeadlineMs() const;

    Mode Current() const { return m_mode; }
    void SetSyncStatus(const sync::SyncStatus& status);
    // A roster from the server (every rep, active or not) replaces the local one and its edits.
    void ApplyServerRoster(std::vector<RosterRep> roster);
    // The alert rule firing now, in words (nullopt: not firing): for the heartbeat.
    const std::optional<std::string>& Alert() const { return m_alertText; }

    // What the gesture and the pad do, callable directly (tests, tools).
    void OpenPad();
    void Close();
    void Apply(const ui::ManagerAction& action);
    const ui::ManagerView& View();
    PinEntry& Pin() { return m_pin; }
    const std::vector<RosterRep>& Roster() const { return m_roster; }
    std::vector<std::filesystem::path> ExportDirectories() const;
    bool ExportRunning() const;
    void WaitForExport();

  private:
    struct ExportState;
    void EnterManager();
    void LoadData();
    void SortData();
    void RefreshSync();
    void EvaluateAlert();
    void SaveRoster() const;
    void LoadRoster();
    std::vector<ui::RepTile> ActiveTiles() const;
    void StartExport(const std::string& directory);
    bool RefreshExportDirs();  // true when the list changed
    void SetPeriod(const core::Period& period);
    std::int64_t AutoExitMs() const;
    storage::Dashboard* Dash();

    KioskCore& m_core;
    const core::Clock& m_clock;
    std::filesystem::path m_dataDir;
    std::string m_kioskId;
    std::string m_language;
    ManagerSettings m_settings;
    core::RatingScale m_scale;
    core::ReasonPolicy m_policy;
    core::RepMode m_repMode;
    std::map<std::string, std::string, std::less<>> m_reasonLabels;
    Options m_options;

    ui::PinPad m_pad;
    ui::ManagerScreens m_screens;
    CornerHold m_hold;
    PinEntry m_pin;
    Mode m_mode = Mode::Customer;
    std::int64_t m_lastTouchMs = 0;
    bool m_redraw = false;
    std::int64_t m_shownSeconds = -1;

    std::unique_ptr<storage::Dashboard> m_dashboard;
    std::int64_t m_nextDashboardTryMs = 0;
    core::Period m_period;
    core::DashboardData m_data;
    ui::ManagerView m_view;

    std::vector<RosterRep> m_roster;
    std::map<std::string, bool> m_activeEdits;  // local edits (ask mode), by rep id
    bool m_rosterFromServer = false;

    sync::SyncStatus m_sync;
    bool m_rejectedDirty = true;

    std::optional<std::string> m_alertText;
    std::int64_t m_nextAlertMs = 0;
    bool m_alertDirty = true;

    std::shared_ptr<ExportState> m_export;
    std::uint64_t m_exportSeen = 0;
    std::int64_t m_nextDirsMs = 0;
    std::thread m_exportThread;
};

}  // namespace fk::app
