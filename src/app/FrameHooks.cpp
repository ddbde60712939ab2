#include "app/FrameHooks.h"

#include <cstdlib>
#include <string_view>

#include <spdlog/spdlog.h>

#include "app/ExitCodes.h"
#include "app/LoopSignals.h"
#include "platform/Screenshot.h"

namespace fk::app {

TestHooks TestHooksFromEnvironment() {
    TestHooks hooks;
    if (const char* v = std::getenv("FK_KIOSK_FAIL_FRAMES"))
        hooks.failFrames = std::atoi(v);
    if (const char* v = std::getenv("FK_KIOSK_DRAWLIST_FACES"))
        hooks.drawListFaces = std::string_view(v) == "1";
    if (const char* v = std::getenv("FK_KIOSK_STALL_S"))
        hooks.stallSeconds = std::atoi(v);
    return hooks;
}

std::optional<int> ScreenshotHooks(platform::Window& window, const AppOptions& options,
                                   int framesDrawn) {
    const bool last = options.exitAfterFrames > 0 && framesDrawn >= options.exitAfterFrames;
    if (options.screenshotPath && (last || ShotRequested())) {
        ClearShotRequest();
        const platform::Size fb = window.FramebufferSize();
        if (auto err =
                platform::SaveScreenshotPng(options.screenshotPath->string(), fb.width, fb.height);
            !err.empty()) {
            spdlog::error("screenshot: {}", err);
            if (last)
                return exit_code::kTestHookFailed;
        } else {
            spdlog::info("screenshot written to {}", options.screenshotPath->string());
        }
    }
    if (last)
        return exit_code::kOk;
    return std::nullopt;
}

}  // namespace fk::app
