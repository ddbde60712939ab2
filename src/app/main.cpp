// kiosk: the touchscreen feedback app, `kiosk export-csv` and `kiosk set-pin`.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/CsvExport.h"
#include "app/KioskApp.h"
#include "app/ManagerPin.h"
#include "app/Settings.h"
#include "config/KioskConfig.h"
#include "core/Clock.h"
#include "storage/Dashboard.h"
#include "storage/ResponseStore.h"

namespace {

bool ParseSize(const std::string& text, int& w, int& h) {
    return std::sscanf(text.c_str(), "%dx%d", &w, &h) == 2 && w >= 200 && h >= 200 && w <= 16384 && h <= 16384;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Feedback kiosk"};
    fk::app::AppOptions options;
    std::string configPath;
    std::string dataDir;  // default: the config's data_dir, else ./data
    std::string onDutyRep;
    std::string windowed;
    std::string screenshot;
    std::string layoutJson;
    std::string localesDir;
    cli.add_option("--config", configPath, "kiosk TOML config file");
    cli.add_option("--data-dir", dataDir, "directory holding responses.db (default: the config's data_dir)");
    cli.add_option("--on-duty-rep", onDutyRep, "rep mode on_duty: the rep signed in at start (until manager mode signs in)");
    cli.add_option("--windowed", windowed, "run in a WxH window instead of fullscreen, e.g. 1280x800");
    cli.add_option("--screenshot", screenshot, "write a PNG of frame --exit-after-frames to this file");
    cli.add_flag("--screenshot-on-sigusr1", options.screenshotOnSignal,
                 "instead of exiting: write --screenshot whenever SIGUSR1 arrives");
    cli.add_option("--exit-after-frames", options.exitAfterFrames, "exit after drawing this many frames");
    cli.add_option("--layout-json", layoutJson, "rewrite this file with the screen's touch targets on every change");
    cli.add_option("--locales", localesDir, "locale directory (default: <config dir>/locales, else kiosk-config/locales)");
    cli.add_flag("--render-continuously", options.renderContinuously, "draw frames continuously (displays that need it)");
    cli.add_option("--max-failed-frames", options.maxFailedFramesInARow, "exit non-zero after this many failed frames in a row")
        ->capture_default_str();

    auto* exportCmd = cli.add_subcommand("export-csv", "write every stored response as CSV");
    std::string outPath;
    exportCmd->add_option("--config", configPath, "kiosk TOML config file");
    exportCmd->add_option("--data-dir", dataDir, "directory holding responses.db (default: the config's data_dir)");
    exportCmd->add_option("--out", outPath, "CSV file to write (- for standard output)")->required();

    auto* setPinCmd = cli.add_subcommand(
        "set-pin", "set the manager PIN: reads it twice without echo (or lines on standard input) and writes "
                   "<data dir>/manager-pin");
    bool printHash = false;
    setPinCmd->add_option("--config", configPath, "kiosk TOML config file");
    setPinCmd->add_option("--data-dir", dataDir, "directory for manager-pin (default: the config's data_dir)");
    setPinCmd->add_flag("--print-hash", printHash, "print the hash for the config's [manager] pin_hash instead");
    CLI11_PARSE(cli, argc, argv);

    fk::app::KioskSettings settings = fk::app::DefaultKioskSettings();
    if (!configPath.empty()) {
        try {
            settings = fk::app::SettingsFromConfig(fk::config::LoadKioskConfig(configPath));
        } catch (const fk::config::ConfigError& e) {
            std::cerr << "kiosk: the config cannot be used:\n" << e.what() << "\n";
            return 1;
        }
    }
    if (dataDir.empty()) dataDir = configPath.empty() ? "data" : settings.dataDir.string();
    // The token file defaults to <data dir>/sync-token; --data-dir moves that default with it.
    if (settings.tokenFile.empty() || settings.tokenFile == settings.dataDir / "sync-token") {
        settings.tokenFile = std::filesystem::path(dataDir) / "sync-token";
    }
    settings.dataDir = dataDir;
    if (!onDutyRep.empty()) settings.onDutyRep = onDutyRep;

    if (*setPinCmd) {
        return fk::app::SetPinCommand(settings.manager.pinHash, dataDir, printHash, stdin, stdout, stderr);
    }

    if (!*exportCmd) {
        std::filesystem::path dir = localesDir;
        if (dir.empty()) {
            const auto besideConfig = std::filesystem::path(configPath).parent_path() / "locales";
            dir = !configPath.empty() && std::filesystem::exists(besideConfig) ? besideConfig
                                                                                : std::filesystem::path("kiosk-config/locales");
        }
        if (std::filesystem::exists(dir)) {
            for (const auto& problem : fk::app::ApplyLocales(settings, dir)) spdlog::warn("locale: {}", problem);
        } else {
            spdlog::warn("no locale directory at {}; English strings built in (use --locales DIR)", dir.string());
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
                    return 1;
                }
                rows = fk::app::ExportCsv(all, out);
                out.close();
                if (!out) {
                    std::cerr << "kiosk export-csv: writing " << outPath << " failed\n";
                    return 1;
                }
            }
            std::cerr << "exported " << rows << " response(s)\n";
            return 0;
        } catch (const fk::storage::StoreError& e) {
            std::cerr << "kiosk export-csv: " << e.what() << "\n";
            return 1;
        }
    }

    if (!windowed.empty()) {
        if (!ParseSize(windowed, options.width, options.height)) {
            std::cerr << "kiosk: --windowed expects WxH such as 1280x800, got \"" << windowed << "\"\n";
            return 1;
        }
        options.fullscreen = false;
    }
    options.dataDir = dataDir;
    if (!screenshot.empty()) {
        options.screenshotPath = screenshot;
        if (options.exitAfterFrames <= 0 && !options.screenshotOnSignal) options.exitAfterFrames = 3;
    }
    if (!layoutJson.empty()) options.layoutJsonPath = layoutJson;
    return fk::app::RunKiosk(options, std::move(settings));
}
