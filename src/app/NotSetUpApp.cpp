#include "app/NotSetUpApp.h"

#include <chrono>
#include <memory>
#include <optional>
#include <system_error>

#include <imgui.h>
#include <spdlog/spdlog.h>

#include "app/ExitCodes.h"
#include "app/FrameHooks.h"
#include "app/KioskWindow.h"
#include "app/LayoutJson.h"
#include "app/LoopSignals.h"
#include "platform/ServiceNotify.h"
#include "platform/Window.h"

namespace fk::app {

ConfigStamp StampOf(const std::filesystem::path& file) {
    std::error_code ec;
    auto t = std::filesystem::last_write_time(file, ec);
    if (ec)
        return std::nullopt;
    return t;
}

int RunNotSetUp(const AppOptions& options, const ui::NotSetUpView& view,
                const std::filesystem::path& configPath, const ConfigStamp& seen,
                const std::vector<std::filesystem::path>& fonts) {
    InstallLoopSignals(options.screenshotOnSignal);

    const auto kioskWindow = KioskWindow::Open(options, options.fullscreen, fonts, 48.0f);
    if (!kioskWindow)
        return exit_code::kNoDisplay;
    platform::Window* const window = &kioskWindow->PlatformWindow();
    ui::TextPainter& text = kioskWindow->Text();

    const bool continuous = options.exitAfterFrames > 0;
    int frames = 0;
    int framesWanted = 2;
    std::uint64_t seenEvents = window->EventCount();
    auto lastCheck = std::chrono::steady_clock::now();
    platform::ServiceNotify service;  // ready and alive for systemd, like RunKiosk
    while (!window->ShouldClose() && !StopRequested()) {
        window->WaitEvents(continuous || framesWanted > 0 ? 0 : 2.0);
        service.Alive(std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count());
        if (window->EventCount() != seenEvents) {
            seenEvents = window->EventCount();
            framesWanted = 2;
        }
        if (ShotRequested())
            framesWanted = std::max(framesWanted, 1);
        if (std::chrono::steady_clock::now() - lastCheck >= std::chrono::seconds(2)) {
            lastCheck = std::chrono::steady_clock::now();
            if (StampOf(configPath) != seen) {
                spdlog::info("{} changed; exiting so the service manager starts the kiosk with it",
                             configPath.string());
                return exit_code::kOk;
            }
        }
        if (!continuous && framesWanted == 0)
            continue;

        window->BeginFrame();
        const ui::ScreenLayout layout = DrawNotSetUp(text, view);
        kioskWindow->EndTextFrame();
        window->RenderFrame();
        ++frames;
        if (frames == 1)
            service.Ready("not set up: showing what to do");
        if (framesWanted > 0)
            --framesWanted;
        if (frames == 1 && options.layoutJsonPath) {
            if (auto err = WriteLayoutJson(*options.layoutJsonPath, layout); !err.empty())
                spdlog::error("{}", err);
        }
        const auto code = ScreenshotHooks(*window, options, frames);
        window->Swap();
        if (code)
            return *code;
    }
    return exit_code::kOk;
}

}  // namespace fk::app
