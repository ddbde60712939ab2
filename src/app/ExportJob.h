#pragma once
// Manager mode's CSV export: where an export may go (USB sticks mounted under /media or
// /run/media, app/Mounts, and the configured [manager] export_dir), the directory policy, the
// kiosk-chosen file names, and the worker thread that writes the per-rep table and the period's
// responses with a Dashboard connection of its own.
//
// Thread affinity: the UI thread calls everything; the worker runs on its own thread and reports
// through a mutex-guarded progress record and the wake callback (called from the worker).
// Ownership: owns its worker (cancelled and joined by the destructor); borrows the clock, which
// must outlive it. Failure: a refused place or a write error becomes a stage for the manager
// (Status().progress, put into words by ui/ManagerMessages) and a log line; nothing here throws.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/Clock.h"
#include "core/DashboardData.h"
#include "core/Period.h"
#include "core/RepStats.h"
#include "ui/ExportProgress.h"

namespace fk::app {

// An export directory is accepted only when it is absolute, has no ".." component, exists, and
// its canonical path (symlinks resolved) lies inside the canonical path of an allowed root.
struct ExportDirCheck {
    std::optional<std::filesystem::path> dir;                            // canonical
    ui::ExportPlaceProblem problem = ui::ExportPlaceProblem::NotListed;  // when refused
    std::string detail;  // when refused: the system's words or where the path leads (for the log)
};
// "not_listed", "unusable", "not_folder", "outside": for log lines.
std::string_view to_string(ui::ExportPlaceProblem problem);
ExportDirCheck CheckExportDir(const std::filesystem::path& requested,
                              const std::vector<std::filesystem::path>& roots);

// "feedback-<kiosk>-<first>_<last>-<what>.csv"; the kiosk id is reduced to [A-Za-z0-9_-] (no
// dots, so never "." or ".."). Names are fixed by the kiosk, never taken from input.
std::string ExportFileName(const std::string& kioskId, const core::Period& period,
                           const std::string& what);

// What the export shows the manager.
struct ExportStatus {
    ui::ExportProgress progress;
    std::uint64_t generation = 0;  // bumps on every change
};

class ExportJob {
  public:
    struct Options {
        std::string kioskId;
        std::filesystem::path dataDir;
        std::vector<std::filesystem::path> configuredDirs;  // [manager] export_dir
        std::function<std::vector<std::filesystem::path>()> mountedDirs;
        std::function<void()> wake;  // called from the worker: the loop should look again
    };

    ExportJob(const core::Clock& clock, Options options);
    ~ExportJob();
    ExportJob(const ExportJob&) = delete;
    ExportJob& operator=(const ExportJob&) = delete;

    // The places offered now: configured ones first, then mounted sticks; existing dirs only.
    std::vector<std::filesystem::path> Directories() const;
    // Starts writing the period's files into directory unless an export is running; a refused
    // directory ends at once with failed = true.
    void Start(const std::string& directory, const core::DashboardData& data,
               const core::Period& period, const core::ReasonPolicy& policy,
               const std::map<std::string, std::string>& repNames);
    ExportStatus Status() const;
    bool Running() const;
    void Wait();

  private:
    struct State;
    const core::Clock& m_clock;
    Options m_options;
    std::shared_ptr<State> m_state;
    std::thread m_thread;
};

}  // namespace fk::app
