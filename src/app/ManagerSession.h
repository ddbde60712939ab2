#pragma once
// Manager mode on the UI thread, once the corner hold (app::ScreenRouter) has asked for it: the
// modes (customer / PIN pad / manager), the PIN pad's state machine (PinEntry, ManagerEntry.h),
// the manager screens (ui::ManagerScreens) fed a ui::ManagerView, and the ManagerActions applied:
// period and sort (ManagerData, loaded when the period changes or manager mode opens, never per
// frame), roster edits and on-duty sign-in (RosterFile: a restart keeps who is signed in; it wins
// over --on-duty-rep once manager mode has signed someone in or out; a roster pushed by the server
// replaces local active/inactive edits), the store's help calls (sync::StaffCalls: listed when
// the Calls tab opens and every kCallsEveryMs while it shows), CSV export (ExportJob), the alert
// rule (ManagerData, also evaluated while the customer screen shows, for the heartbeat), sync
// health. While the pad or manager mode shows, the customer flow is paused (KioskCore::SetPaused);
// both close themselves after inactivity (pad kPadTimeoutMs, manager [manager] auto_exit_s).
//
// Thread affinity: UI thread (the export worker belongs to ExportJob). Ownership: borrows the
// KioskCore, clock and painter (they must outlive it). Failure: storage errors become words on
// the screens (period error, export message) and a log line; nothing here throws out of Frame or
// Tick for a data problem.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/ExportJob.h"
#include "app/KioskCore.h"
#include "app/ManagerData.h"
#include "app/ManagerEntry.h"
#include "app/Mounts.h"
#include "app/RosterFile.h"
#include "app/Settings.h"
#include "core/Period.h"
#include "sync/StaffCalls.h"
#include "sync/SyncStatus.h"
#include "ui/KioskScreens.h"
#include "ui/ManagerView.h"
#include "ui/PinPad.h"

namespace fk::app {

class ManagerSession {
  public:
    enum class Mode { Customer, Pin, Manager };
    static constexpr std::int64_t kPadTimeoutMs = 30'000;
    static constexpr std::int64_t kExportDirsEveryMs = 2'000;  // a stick plugged in shows up

    struct Options {
        std::function<void()>
            wake;  // from any thread: the loop should look again (export progress)
        std::function<std::vector<std::filesystem::path>()> mountedDirs = [] {
            return MountedExportDirs();
        };
        // The store's help calls (borrowed, must outlive the session; nullptr: the kiosk does
        // not sync, and the Calls tab says so). Its onChange should wake the loop.
        sync::StaffCalls* calls = nullptr;
    };
    static constexpr std::int64_t kCallsEveryMs = 15'000;  // the Calls tab asks again

    ManagerSession(KioskCore& core, const KioskSettings& settings, const core::Clock& clock,
                   std::filesystem::path dataDir, ui::TextPainter& text, Options options);
    ManagerSession(const ManagerSession&) = delete;
    ManagerSession& operator=(const ManagerSession&) = delete;

    // One frame of the pad or manager mode (Current() != Customer). Call between
    // ImGui::NewFrame() and ImGui::Render(). Its layout is the screen shown ("pin",
    // "manager.<tab>", ...); it has no customer actions.
    ui::FrameOutput Frame();
    // Time passing: countdown, auto-exit, export progress, alert. True when the screen must be
    // redrawn.
    bool Tick();
    // Steady ms of the next thing Tick would do by itself (nullopt: only input or a wake-up).
    std::optional<std::int64_t> NextDeadlineMs() const;

    Mode Current() const { return m_mode; }
    // The customer tapped: the alert rule is looked at again on the next Tick.
    void NoteCustomerTaps() { m_data.MarkAlertDirty(); }
    void SetSyncStatus(const sync::SyncStatus& status);
    // A roster from the server (every rep, active or not) replaces the local one and its edits.
    void ApplyServerRoster(std::vector<RosterRep> roster);
    // A survey definition from the server: its roster (as ApplyServerRoster), then the figures'
    // scale, reason policy and alert rule, the reason names and the rep mode; KioskCore takes the
    // customer side (KioskCore::ApplySurvey).
    void ApplySurvey(const KioskSettings& next);
    // Writes who is on duty now to the roster file: the loop calls it when KioskCore signed the
    // rep out at closing time, so a restart keeps nobody on duty.
    void SaveOnDuty() const { SaveRoster(); }
    // The alert rule firing now, in words (nullopt: not firing): for the heartbeat.
    const std::optional<std::string>& Alert() const { return m_data.Alert(); }

    // What the gesture and the pad do, callable directly (tests, tools).
    void OpenPad();
    void Close();
    void Apply(const ui::ManagerAction& action);
    const ui::ManagerView& View();
    PinEntry& Pin() { return m_pin; }
    const std::vector<RosterRep>& Roster() const { return m_roster; }
    std::vector<std::filesystem::path> ExportDirectories() const { return m_export.Directories(); }
    bool ExportRunning() const { return m_export.Running(); }
    void WaitForExport() { m_export.Wait(); }

  private:
    void EnterManager();
    void LoadData();
    void SortData();
    void SaveRoster() const;
    void LoadRoster();
    std::vector<ui::RepTile> ActiveTiles() const;
    bool RefreshExportDirs();  // true when the list changed
    void RefreshCalls();
    void FillCalls();
    std::string CallsBy() const;  // who acknowledges or closes a call from this kiosk
    void SetPeriod(const core::Period& period);
    std::int64_t AutoExitMs() const;

    KioskCore& m_core;
    const core::Clock& m_clock;
    std::string m_language;
    ManagerSettings m_settings;
    core::RepMode m_repMode;
    std::map<std::string, std::string, std::less<>> m_reasonLabels;

    ui::PinPad m_pad;
    ui::ManagerScreens m_screens;
    PinEntry m_pin;
    Mode m_mode = Mode::Customer;
    std::int64_t m_lastTouchMs = 0;
    bool m_redraw = false;
    std::int64_t m_shownSeconds = -1;

    ManagerData m_data;
    core::Period m_period;
    ui::ManagerView m_view;

    RosterFile m_rosterFile;
    std::vector<RosterRep> m_roster;
    std::map<std::string, bool> m_activeEdits;  // local edits (ask mode), by rep id
    bool m_rosterFromServer = false;

    sync::StaffCalls* m_calls;
    std::string m_kioskId;
    std::int64_t m_escalateAfterMs;
    std::uint64_t m_callsSeen = 0;
    std::int64_t m_nextCallsMs = 0;

    ExportJob m_export;
    std::uint64_t m_exportSeen = 0;
    std::int64_t m_nextDirsMs = 0;
};

}  // namespace fk::app
