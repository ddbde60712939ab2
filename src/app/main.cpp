// kiosk: the touchscreen feedback app, `kiosk export-csv` and `kiosk set-pin`.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "app/CsvExport.h"
#include "app/ExitCodes.h"
#include "app/KioskApp.h"
#include "app/ManagerPin.h"
#include "app/NotSetUpApp.h"
#include "app/Settings.h"
#include "config/KioskConfig.h"
#include "config/SurveyDefinition.h"
#include "core/Clock.h"
#include "logging/BuildInfo.h"
#include "logging/Logging.h"
#include "storage/Dashboard.h"
#include "storage/ResponseStore.h"

namespace {

// The FHS place for the kiosk's config; --config overrides it.
constexpr const char* kDefaultConfig = "/etc/feedback-kiosk/kiosk.toml";

constexpr const char* kFooter = R"(Files:
  /etc/feedback-kiosk/kiosk.toml   the config (--config); documented example:
                                   /usr/share/doc/feedback-kiosk/examples/kiosk.toml
  /var/lib/feedback-kiosk/         responses.db and the cached server config ([kiosk] data_dir, --data-dir)
  /usr/share/feedback-kiosk/locales  translations (--locales)
With no config file (or one without [kiosk] id) the kiosk shows a full-screen "not set up" notice
saying what to do, and exits 0 as soon as the file appears so its service restarts it.

Exit codes:
  0  normal exit (window closed, SIGTERM/SIGINT, or the config file appeared while not set up)
  1  bad command line or unusable config (export-csv), or export-csv failed
  2  no display, or neither OpenGL 3.3 nor OpenGL ES 3.0
  3  too many frames failed in a row (the service manager restarts the kiosk)
  4  a testing hook failed (--screenshot could not be written)
Logs go to standard error (journald reads their <N> priority prefixes under systemd).)";

// The locale directory: beside the config, else the installed one next to this binary
// (<prefix>/bin/kiosk -> <prefix>/share/feedback-kiosk/locales, which also works in a tree unpacked
// with dpkg -x), else /usr/share/feedback-kiosk/locales, else the source tree's
// kiosk-config/locales.
std::filesystem::path DefaultLocalesDir(const std::string& configPath) {
    std::vector<std::filesystem::path> candidates;
    if (!configPath.empty())
        candidates.push_back(std::filesystem::path(configPath).parent_path() / "locales");
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec)
        candidates.push_back(exe.parent_path().parent_path() / "share/feedback-kiosk/locales");
    candidates.emplace_back("/usr/share/feedback-kiosk/locales");
    candidates.emplace_back("kiosk-config/locales");
    for (const auto& c : candidates) {
        if (std::filesystem::is_directory(c, ec))
            return c;
    }
    return candidates.back();
}

// True when every problem is kiosk.id / kiosk.store_id missing: a config that has not been
// filled in for this kiosk yet (the package's own /etc/feedback-kiosk/kiosk.toml is like that).
bool OnlyIdsMissing(const std::vector<fk::config::ConfigProblem>& problems) {
    if (problems.empty())
        return false;
    for (const auto& p : problems) {
        if ((p.key != "kiosk.id" && p.key != "kiosk.store_id") ||
            p.kind != fk::config::ProblemKind::Missing) {
            return false;
        }
    }
    return true;
}

bool ParseSize(const std::string& text, int& w, int& h) {
    return std::sscanf(text.c_str(), "%dx%d", &w, &h) == 2 && w >= 200 && h >= 200 && w <= 16384 &&
           h <= 16384;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{
        "kiosk: the Feedback Kiosk touchscreen app. Without a subcommand it runs the kiosk "
        "full-screen."};
    cli.footer(kFooter);
    cli.set_version_flag("--version", fk::logging::VersionLine("kiosk"),
                         "print the version and exit");
    fk::app::AppOptions options;
    std::string configPath = kDefaultConfig;
    bool noConfig = false;
    std::string dataDir;  // default: the config's data_dir, else ./data
    std::string onDutyRep;
    std::string windowed;
    std::string screenshot;
    std::string layoutJson;
    std::string localesDir;
    std::string logLevel = "info";
    auto* configOpt =
        cli.add_option("--config", configPath, "kiosk TOML config file")->capture_default_str();
    cli.add_flag("--no-config", noConfig,
                 "run on the built-in defaults without a config file (trying it out, benchmarks)")
        ->excludes(configOpt);
    cli.add_option("--data-dir", dataDir,
                   "directory holding responses.db (default: the config's [kiosk] data_dir)");
    cli.add_option("--log-level", logLevel,
                   "least severe messages logged: trace, debug, info, warn or error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
        ->capture_default_str();
    cli.add_option("--on-duty-rep", onDutyRep,
                   "rep mode on_duty: the rep signed in at start (until manager mode signs in)");
    cli.add_option("--windowed", windowed,
                   "run in a WxH window instead of fullscreen, e.g. 1280x800");
    cli.add_option("--screenshot", screenshot,
                   "write a PNG of frame --exit-after-frames (default 3) to this file");
    cli.add_flag("--screenshot-on-sigusr1", options.screenshotOnSignal,
                 "instead of exiting: write --screenshot whenever SIGUSR1 arrives");
    cli.add_option("--exit-after-frames", options.exitAfterFrames,
                   "exit after drawing this many frames");
    cli.add_option("--layout-json", layoutJson,
                   "rewrite this file with the screen's touch targets on every change");
    cli.add_option("--locales", localesDir,
                   "locale directory (default: <config dir>/locales, else "
                   "<prefix>/share/feedback-kiosk/locales)");
    cli.add_flag("--render-continuously", options.renderContinuously,
                 "draw frames continuously (displays that need it)");
    cli.add_option("--max-failed-frames", options.maxFailedFramesInARow,
                   "exit 3 after this many failed frames in a row")
        ->capture_default_str();

    auto* exportCmd = cli.add_subcommand(
        "export-csv", "write every stored response as CSV (works while the kiosk runs)");
    std::string outPath;
    exportCmd->add_option("--config", configPath, "kiosk TOML config file")->capture_default_str();
    exportCmd->add_option("--data-dir", dataDir,
                          "directory holding responses.db (default: the config's data_dir)");
    exportCmd->add_option("--out", outPath, "CSV file to write (- for standard output)")
        ->required();

    auto* setPinCmd = cli.add_subcommand(
        "set-pin",
        "set the manager PIN: reads it twice without echo (or lines on standard input) and writes "
        "<data dir>/manager-pin");
    bool printHash = false;
    setPinCmd->add_option("--config", configPath, "kiosk TOML config file");
    setPinCmd->add_option("--data-dir", dataDir,
                          "directory for manager-pin (default: the config's data_dir)");
    setPinCmd->add_flag("--print-hash", printHash,
                        "print the hash for the config's [manager] pin_hash instead");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = cli.exit(e);  // prints help, version or the error
        return code == 0 ? fk::app::exit_code::kOk : fk::app::exit_code::kUsage;
    }
    fk::logging::Configure(*fk::logging::LevelFromString(logLevel), fk::logging::DetectStyle());

    fk::app::KioskSettings settings = fk::app::DefaultKioskSettings();
    std::optional<fk::config::KioskConfig> loadedConfig;  // the survey definitions apply over it
    std::optional<fk::ui::NotSetUpView> notSetUp;
    const fk::app::ConfigStamp configSeen = fk::app::StampOf(configPath);  // before reading it
    if (noConfig) {
        configPath.clear();
    } else if (!std::filesystem::exists(configPath)) {
        if ((*exportCmd || *setPinCmd) && dataDir.empty()) {
            std::cerr << "kiosk " << (*exportCmd ? "export-csv" : "set-pin")
                      << ": no config file at " << configPath
                      << " (give --config FILE or --data-dir DIR)\n";
            return fk::app::exit_code::kUsage;
        }
        if (*exportCmd || *setPinCmd) {
            configPath.clear();  // the data dir is all an export needs
        } else {
            spdlog::error("no config file at {}: showing the not-set-up screen", configPath);
            notSetUp = fk::ui::MakeNotSetUpView(configPath, {}, true);
        }
    } else {
        try {
            loadedConfig = fk::config::LoadKioskConfig(configPath);
            settings = fk::app::SettingsFromConfig(*loadedConfig);
        } catch (const fk::config::ConfigError& e) {
            if (*exportCmd || *setPinCmd) {
                std::cerr << "kiosk: the config cannot be used:\n" << e.what() << "\n";
                return fk::app::exit_code::kUsage;
            }
            std::vector<std::string> problems;
            for (const auto& p : e.Problems())
                problems.push_back(fk::config::to_string(p));
            if (OnlyIdsMissing(e.Problems())) {
                spdlog::error("{} has no [kiosk] id / store_id yet: showing the not-set-up screen",
                              configPath);
                notSetUp = fk::ui::MakeNotSetUpView(configPath, {}, false);
            } else {
                spdlog::error("the config cannot be used; showing its errors on screen:");
                for (const auto& p : problems)
                    spdlog::error("{}", p);
                notSetUp = fk::ui::MakeNotSetUpView(configPath, problems, false);
            }
        }
    }
    if (dataDir.empty())
        dataDir = configPath.empty() ? "data" : settings.dataDir.string();
    // The token file defaults to <data dir>/sync-token; --data-dir moves that default with it.
    if (settings.tokenFile.empty() || settings.tokenFile == settings.dataDir / "sync-token") {
        settings.tokenFile = std::filesystem::path(dataDir) / "sync-token";
    }
    settings.dataDir = dataDir;
    if (!onDutyRep.empty())
        settings.onDutyRep = onDutyRep;

    if (*setPinCmd) {
        return fk::app::SetPinCommand(settings.manager.pinHash, dataDir, printHash, stdin, stdout,
                                      stderr);
    }

    const std::filesystem::path dir =
        localesDir.empty() ? DefaultLocalesDir(configPath) : std::filesystem::path(localesDir);
    if (loadedConfig) {
        // A survey definition from the server: the kiosk's own loader over its own kiosk.toml.
        options.surveyFromDefinition = [base = *loadedConfig, dir](const std::string& definition) {
            fk::app::KioskSettings next = fk::app::SettingsFromConfig(
                fk::config::ApplySurveyDefinition(base, definition, "server definition"));
            if (std::filesystem::exists(dir))
                fk::app::ApplyLocales(next, dir);
            return next;
        };
    }
    if (!*exportCmd) {
        if (notSetUp) {
            // Nothing to translate: the notice is for the technician.
        } else if (std::filesystem::exists(dir)) {
            for (const auto& problem : fk::app::ApplyLocales(settings, dir))
                spdlog::warn("locale: {}", problem);
        } else {
            spdlog::warn("no locale directory at {}; English strings built in (use --locales DIR)",
                         dir.string());
        }
    }

    if (*exportCmd) {
        try {
            fk::core::SystemClock clock;
            // With no kiosk running, open the store as the kiosk does (rows a crash left open are
            // closed first); while a kiosk holds it, read through a read-only connection.
            std::unique_ptr<fk::storage::ResponseStore> store;
            std::unique_ptr<fk::storage::Dashboard> readOnly;
            try {
                store = fk::storage::ResponseStore::Open(dataDir, clock);
            } catch (const fk::storage::StoreError& e) {
                spdlog::info("export-csv reads without writing ({})", e.what());
                readOnly = fk::storage::Dashboard::Open(dataDir, clock);
            }
            const fk::app::ResponseSource all = [&](const fk::app::ResponseVisitor& visit) {
                if (store) {
                    store->ForEach(visit);
                } else {
                    readOnly->ForEachResponse(std::numeric_limits<fk::core::UtcMs>::min(),
                                              std::numeric_limits<fk::core::UtcMs>::max(), visit);
                }
            };
            std::size_t rows = 0;
            if (outPath == "-") {
                rows = fk::app::ExportCsv(all, std::cout);
            } else {
                std::ofstream out(outPath, std::ios::trunc);
                if (!out) {
                    std::cerr << "kiosk export-csv: cannot write " << outPath << "\n";
                    return fk::app::exit_code::kUsage;
                }
                rows = fk::app::ExportCsv(all, out);
                out.close();
                if (!out) {
                    std::cerr << "kiosk export-csv: writing " << outPath << " failed\n";
                    return fk::app::exit_code::kUsage;
                }
            }
            std::cerr << "exported " << rows << " response(s)\n";
            return fk::app::exit_code::kOk;
        } catch (const fk::storage::StoreError& e) {
            std::cerr << "kiosk export-csv: " << e.what() << "\n";
            return fk::app::exit_code::kUsage;
        }
    }

    if (!windowed.empty()) {
        if (!ParseSize(windowed, options.width, options.height)) {
            std::cerr << "kiosk: --windowed expects WxH such as 1280x800, got \"" << windowed
                      << "\"\n";
            return fk::app::exit_code::kUsage;
        }
        options.fullscreen = false;
    }
    options.dataDir = dataDir;
    options.hooks = fk::app::TestHooksFromEnvironment();
    if (!screenshot.empty()) {
        options.screenshotPath = screenshot;
        if (options.exitAfterFrames <= 0 && !options.screenshotOnSignal)
            options.exitAfterFrames = 3;
    }
    if (!layoutJson.empty())
        options.layoutJsonPath = layoutJson;
    if (notSetUp) {
        notSetUp->dpi = settings.dpi > 0 ? settings.dpi : 96;
        return fk::app::RunNotSetUp(options, *notSetUp, configPath, configSeen, settings.fonts);
    }
    return fk::app::RunKiosk(options, std::move(settings));
}
