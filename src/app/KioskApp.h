#pragma once
// The kiosk program: window, event-driven frame loop, exception firewall, testing hooks.
// Runs on the main thread until the window closes or a hook says stop; returns the exit code.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "app/Settings.h"

namespace fk::app {

// Hooks for tests and for looking at the kiosk, read from the environment once, by main
// (TestHooksFromEnvironment), never inside the loop.
struct TestHooks {
    int failFrames = 0;          // FK_KIOSK_FAIL_FRAMES=N: the first N frames throw (the firewall)
    bool drawListFaces = false;  // FK_KIOSK_DRAWLIST_FACES=1: the fallback faces despite shaders
    int stallSeconds =
        0;  // FK_KIOSK_STALL_S=N: the loop stops N s after the first frame (watchdog)
};
TestHooks TestHooksFromEnvironment();

struct AppOptions {
    bool fullscreen = true;
    int width = 1280;  // --windowed WxH
    int height = 800;
    std::filesystem::path dataDir = "data";
    std::optional<std::filesystem::path> screenshotPath;  // written at frame exitAfterFrames
    int exitAfterFrames = 0;                              // 0: run until closed
    bool screenshotOnSignal = false;  // SIGUSR1: write screenshotPath at the next frame
    std::optional<std::filesystem::path> layoutJsonPath;  // rewritten when the screen changes
    bool renderContinuously = false;
    int maxFailedFramesInARow = 5;
    int animationFpsCap = 60;
    TestHooks hooks;
    // The kiosk's settings with a survey definition from the server applied over its own
    // kiosk.toml (main.cpp: config::ApplySurveyDefinition, then the locale catalog). Throws
    // config::ConfigError when the kiosk's loader refuses it. Empty: only the roster is applied.
    std::function<KioskSettings(const std::string& definition)> surveyFromDefinition;
};

// 0 normal exit, 2 window/GL could not start, 3 too many failed frames in a row, 4 hook failed.
int RunKiosk(const AppOptions& options, KioskSettings settings);

}  // namespace fk::app
