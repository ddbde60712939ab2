#include "app/ExportJob.h"

#include <algorithm>
#include <mutex>

#include <spdlog/spdlog.h>

#include "storage/CsvExport.h"
#include "storage/Dashboard.h"
#include "storage/SafeExportFile.h"

namespace fk::app {

namespace {

bool Under(const std::filesystem::path& path, const std::filesystem::path& root) {
    const std::filesystem::path rel = path.lexically_relative(root);
    if (rel.empty())
        return false;
    const auto first = *rel.begin();
    return first != "..";
}

}  // namespace

ExportDirCheck CheckExportDir(const std::filesystem::path& requested,
                              const std::vector<std::filesystem::path>& roots) {
    ExportDirCheck c;
    const bool dotDot = std::any_of(requested.begin(), requested.end(),
                                    [](const std::filesystem::path& part) { return part == ".."; });
    if (requested.empty() || requested.is_relative() || dotDot) {
        c.problem = ui::ExportPlaceProblem::NotListed;
        return c;
    }
    std::error_code ec;
    const std::filesystem::path canon = std::filesystem::canonical(requested, ec);
    if (ec) {
        c.problem = ui::ExportPlaceProblem::Unusable;
        c.detail = ec.message();
        return c;
    }
    if (!std::filesystem::is_directory(canon, ec)) {
        c.problem = ui::ExportPlaceProblem::NotFolder;
        return c;
    }
    for (const auto& root : roots) {
        const std::filesystem::path rootCanon = std::filesystem::canonical(root, ec);
        if (ec)
            continue;
        if (canon == rootCanon || Under(canon, rootCanon)) {
            c.dir = canon;
            return c;
        }
    }
    c.problem = ui::ExportPlaceProblem::Outside;
    c.detail = canon.string();
    return c;
}

std::string_view to_string(ui::ExportPlaceProblem problem) {
    switch (problem) {
        case ui::ExportPlaceProblem::NotListed:
            return "not_listed";
        case ui::ExportPlaceProblem::Unusable:
            return "unusable";
        case ui::ExportPlaceProblem::NotFolder:
            return "not_folder";
        case ui::ExportPlaceProblem::Outside:
            return "outside";
    }
    return "not_listed";
}

std::string ExportFileName(const std::string& kioskId, const core::Period& period,
                           const std::string& what) {
    std::string id;
    for (char ch : kioskId) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        id.push_back(ok ? ch : '_');
    }
    if (id.empty())
        id = "kiosk";
    return "feedback-" + id + "-" + core::FormatIsoDate(period.firstDay) + "_" +
           core::FormatIsoDate(period.lastDay) + "-" + what + ".csv";
}

struct ExportJob::State {
    std::mutex mutex;
    ui::ExportProgress progress;
    std::uint64_t generation = 0;
    std::atomic<bool> cancel{false};

    void Set(ui::ExportProgress next) {
        std::lock_guard lock(mutex);
        progress = std::move(next);
        ++generation;
    }
    bool Running() {
        std::lock_guard lock(mutex);
        return progress.Running();
    }
};

ExportJob::ExportJob(const core::Clock& clock, Options options)
    : m_clock(clock), m_options(std::move(options)), m_state(std::make_shared<State>()) {
    // A config given by a relative path yields relative places; the list shows absolute ones.
    for (auto& d : m_options.configuredDirs) {
        std::error_code ec;
        if (auto abs = std::filesystem::absolute(d, ec); !ec)
            d = abs.lexically_normal();
    }
}

ExportJob::~ExportJob() {
    m_state->cancel = true;
    if (m_thread.joinable())
        m_thread.join();
}

std::vector<std::filesystem::path> ExportJob::Directories() const {
    std::vector<std::filesystem::path> dirs;
    std::error_code ec;
    for (const auto& d : m_options.configuredDirs) {
        if (std::filesystem::is_directory(d, ec) &&
            std::find(dirs.begin(), dirs.end(), d) == dirs.end())
            dirs.push_back(d);
    }
    if (m_options.mountedDirs) {
        for (const auto& d : m_options.mountedDirs()) {
            if (std::filesystem::is_directory(d, ec) &&
                std::find(dirs.begin(), dirs.end(), d) == dirs.end())
                dirs.push_back(d);
        }
    }
    return dirs;
}

ExportStatus ExportJob::Status() const {
    std::lock_guard lock(m_state->mutex);
    return {m_state->progress, m_state->generation};
}

bool ExportJob::Running() const {
    return m_state->Running();
}

void ExportJob::Wait() {
    if (m_thread.joinable())
        m_thread.join();
}

void ExportJob::Start(const std::string& directory, const core::DashboardData& data,
                      const core::Period& period, const core::ReasonPolicy& policy,
                      const std::map<std::string, std::string>& repNames) {
    if (Running())
        return;
    if (m_thread.joinable())
        m_thread.join();
    const ExportDirCheck check = CheckExportDir(directory, Directories());
    if (!check.dir) {
        spdlog::warn("export to {} refused: {} {}", directory, to_string(check.problem),
                     check.detail);
        ui::ExportProgress refused;
        refused.stage = ui::ExportStage::PlaceRefused;
        refused.placeProblem = check.problem;
        refused.place = directory;
        m_state->Set(std::move(refused));
        return;
    }
    storage::ExportRequest base;
    base.directory = *check.dir;
    base.repNames = repNames;
    const std::string responsesName = ExportFileName(m_options.kioskId, period, "responses");
    const std::string repsName = ExportFileName(m_options.kioskId, period, "reps");
    m_state->cancel = false;
    ui::ExportProgress starting;
    starting.stage = ui::ExportStage::Starting;
    starting.place = check.dir->string();
    m_state->Set(starting);
    spdlog::info("export to {} started", check.dir->string());
    m_thread =
        std::thread([state = m_state, base, responsesName, repsName, data, period, policy,
                     dataDir = m_options.dataDir, &clock = m_clock, wake = m_options.wake]() {
            auto finish = [&](ui::ExportProgress end) {
                state->Set(std::move(end));
                if (wake)
                    wake();
            };
            auto fail = [&](ui::ExportStage stage, const std::string& detail) {
                ui::ExportProgress end;
                end.stage = stage;
                end.place = base.directory.string();
                (stage == ui::ExportStage::AlreadyThere ? end.file : end.detail) = detail;
                finish(std::move(end));
            };
            auto refuse = [&](const std::string& name) {
                spdlog::warn("export refused: {} is already on the stick", name);
                fail(ui::ExportStage::AlreadyThere, name);
            };
            try {
                // Neither file is written when either name is taken: no half export to clean up.
                if (auto taken =
                        storage::FirstExistingExport(base.directory, {repsName, responsesName}))
                    return refuse(*taken);
                storage::ExportRequest reps = base;
                reps.fileName = repsName;
                storage::ExportResult table = storage::ExportRepTableCsv(data, reps);
                if (table.error == storage::ExportErrorKind::Exists)
                    return refuse(table.existing);
                if (!table.Ok()) {
                    spdlog::error("export failed: {}", table.message);
                    return fail(ui::ExportStage::Failed, table.message);
                }
                // Its own read-only connection: the UI thread's Dashboard stays on the UI thread.
                auto dashboard = storage::Dashboard::Open(dataDir, clock);
                storage::ExportRequest rows = base;
                rows.fileName = responsesName;
                rows.progress = [&](std::int64_t done, std::int64_t total) {
                    ui::ExportProgress running;
                    running.stage = ui::ExportStage::Running;
                    running.place = base.directory.string();
                    running.fraction =
                        total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
                    running.done = done;
                    running.total = total;
                    state->Set(std::move(running));
                    if (wake)
                        wake();
                    return !state->cancel.load();
                };
                storage::ExportResult result =
                    storage::ExportResponsesCsv(*dashboard, period, policy, rows);
                if (result.error == storage::ExportErrorKind::Exists)
                    return refuse(result.existing);
                if (!result.Ok()) {
                    spdlog::error("export failed: {}", result.message);
                    return fail(ui::ExportStage::Failed, result.message);
                }
                spdlog::info("export written: {} rows", result.rows);
                ui::ExportProgress written;
                written.stage = ui::ExportStage::Written;
                written.fraction = 1.0;
                written.place = base.directory.string();
                written.repsFile = repsName;
                written.responsesFile = responsesName;
                written.rows = result.rows;
                finish(std::move(written));
            } catch (const std::exception& e) {
                spdlog::error("export failed: {}", e.what());
                fail(ui::ExportStage::Failed, e.what());
            }
        });
}

}  // namespace fk::app
