#include "app/KioskApp.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include <imgui.h>
#include <imgui_internal.h>
#include <spdlog/spdlog.h>

#include "app/ExitCodes.h"
#include "app/FrameHooks.h"
#include "app/FramePacer.h"
#include "app/KioskCore.h"
#include "app/KioskSound.h"
#include "app/KioskWindow.h"
#include "app/LayoutJson.h"
#include "app/LoopSignals.h"
#include "app/ManagerSession.h"
#include "app/ScreenRouter.h"
#include "app/StaffSignIn.h"
#include "logging/BuildInfo.h"
#include "platform/FaceShader.h"
#include "platform/ServiceNotify.h"
#include "platform/Window.h"
#include "sync/SyncEngine.h"
#include "ui/SyncIndicator.h"
#include "ui/TextPainter.h"

namespace fk::app {

namespace {

ui::SyncDot DotFor(const sync::SyncStatus& status) {
    switch (status.phase) {
        case sync::SyncPhase::NotConfigured:
            return ui::SyncDot::Hidden;
        case sync::SyncPhase::Stopped:
            return ui::SyncDot::NeedsStaff;
        case sync::SyncPhase::Retrying:
        case sync::SyncPhase::Sending:
            return ui::SyncDot::Waiting;
        case sync::SyncPhase::Idle:
            return status.pending > 0 ? ui::SyncDot::Waiting : ui::SyncDot::Synced;
    }
    return ui::SyncDot::Hidden;
}

sync::SyncSettings SyncSettingsFor(const KioskSettings& settings,
                                   const std::filesystem::path& dataDir) {
    sync::SyncSettings s;
    s.serverUrl = settings.serverUrl;
    s.kioskId = settings.kioskId;
    s.tokenFile = settings.tokenFile.empty() ? dataDir / "sync-token" : settings.tokenFile;
    s.dataDir = dataDir;
    s.interval = std::chrono::seconds(settings.syncIntervalS);
    // A new survey definition is picked up within one sync interval (a 304 when unchanged).
    s.configInterval = s.interval;
    s.callConfirmWithin = std::chrono::milliseconds(settings.session.confirmWithinMs);
    s.http.verifyTls = !settings.insecureSkipTlsVerify;
    if (!settings.caFile.empty())
        s.http.caFile = settings.caFile;
    s.version = logging::ProjectVersion();  // the heartbeat tells head office what runs where
    return s;
}

// Survey definitions arrive on the sync thread and are applied on the UI thread; only the
// newest waiting one counts.
class DefinitionMailbox {
  public:
    void Post(protocol::KioskConfig config) {
        std::lock_guard lock(m_mutex);
        m_config = std::move(config);
    }
    std::optional<protocol::KioskConfig> Take() {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_config, std::nullopt);
    }

  private:
    std::mutex m_mutex;
    std::optional<protocol::KioskConfig> m_config;
};

// A definition from the server applied on the UI thread: the whole survey where the kiosk can
// read it, otherwise (no builder, or its loader refuses it) the roster as before.
void ApplyDefinition(const AppOptions& options, const protocol::KioskConfig& config,
                     ManagerSession& manager) {
    if (options.surveyFromDefinition && !config.source.empty()) {
        try {
            KioskSettings next = options.surveyFromDefinition(config.source);
            next.surveyVersion = config.version.value_or(0);
            manager.ApplySurvey(next);
            return;
        } catch (const std::exception& e) {
            spdlog::error(
                "the survey definition from the server (version {}) is refused; the "
                "kiosk keeps the survey it runs: {}",
                config.version.value_or(0), e.what());
            return;
        }
    }
    std::vector<RosterRep> reps;
    for (const auto& rep : config.roster)
        reps.push_back({rep.id, rep.name, rep.active, std::nullopt});
    manager.ApplyServerRoster(std::move(reps));
}

}  // namespace

int RunKiosk(const AppOptions& options, KioskSettings settings) {
    InstallLoopSignals(options.screenshotOnSignal);
    const auto startTime = std::chrono::steady_clock::now();

    const auto kioskWindow = KioskWindow::Open(options, options.fullscreen && !settings.showCursor,
                                               settings.fonts, 64.0f);
    if (!kioskWindow)
        return exit_code::kNoDisplay;
    platform::Window* const window = &kioskWindow->PlatformWindow();
    spdlog::info("GL: {}", window->GlRenderer());
    ui::TextPainter& text = kioskWindow->Text();
    ui::DrawListFacePainter drawListFaces;
    platform::GlFacePainter glFaces;
    const bool useShaders = glFaces.Ok() && !options.hooks.drawListFaces;
    ui::FacePainter* faces = useShaders ? static_cast<ui::FacePainter*>(&glFaces) : &drawListFaces;
    ui::KioskScreens screens(text, *faces);

    core::SystemClock clock;
    const float configuredDpi = settings.dpi;
    const sync::SyncSettings syncSettings = SyncSettingsFor(settings, options.dataDir);
    const KioskSettings managerSettings = settings;
    // Sounds and "listen" on their own threads: a frame only queues them.
    KioskSound sound({settings.soundEnabled, settings.soundVolumePct, settings.soundDevice});
    KioskCore core(std::move(settings), clock, options.dataDir);
    core.LeaveCheckpointsToSync();
    // Manager mode's Calls tab: its own worker and connection, so a slow server never delays sync.
    std::unique_ptr<sync::StaffCalls> staffCalls;
    if (!syncSettings.serverUrl.empty()) {
        staffCalls = std::make_unique<sync::StaffCalls>(
            sync::StaffCallsSettings{syncSettings.serverUrl, managerSettings.storeId,
                                     syncSettings.tokenFile, syncSettings.http},
            clock, [] { platform::Window::Wake(); });
    }
    ManagerSession::Options managerOptions;
    managerOptions.wake = [] { platform::Window::Wake(); };
    managerOptions.calls = staffCalls.get();
    ManagerSession manager(core, managerSettings, clock, options.dataDir, text,
                           std::move(managerOptions));
    StaffSignIn staff(core, managerSettings, clock, options.dataDir, text,
                      [&manager] { manager.SaveOnDuty(); });
    ScreenRouter router(core, manager, staff, clock);

    // Sync runs on its own thread with its own store connection; it wakes this loop when its
    // status changes and hands over rosters pushed by the server.
    DefinitionMailbox definitions;
    sync::SyncEngine syncEngine(
        syncSettings, clock, [] { platform::Window::Wake(); },
        [&definitions](const protocol::KioskConfig& config) {
            definitions.Post(config);
            platform::Window::Wake();
        });
    if (syncSettings.http.verifyTls == false) {
        spdlog::warn("TLS verification is OFF (insecure_skip_tls_verify = true in the config)");
    }
    syncEngine.Start();
    ui::SyncDot shownDot = DotFor(syncEngine.Status());
    std::optional<std::string> sentAlert;
    std::int64_t sentSurvey = 0;
    if (configuredDpi <= 0) {
        const float dpi = window->MonitorDpi();
        core.SetDpi(dpi > 30 ? dpi : 96);
    }

    FramePacer pacer({.continuous = options.renderContinuously || options.exitAfterFrames > 0,
                      .animationFpsCap = options.animationFpsCap});
    int failFrames = options.hooks.failFrames;
    int failuresInARow = 0;
    std::uint64_t seenEvents = window->EventCount();
    int frameCount = 0;
    ui::ScreenLayout lastLayout;
    bool layoutWritten = false;
    // systemd's watchdog is fed from this loop's own passes: a loop that stops stops the pings.
    platform::ServiceNotify service;

    // What the core reports after a tick or a frame: a closed response or a queued call wakes
    // sync at once; signing out saves who is on duty.
    auto applyEffects = [&] {
        const auto fx = core.TakeEffects();
        if (fx.responseClosed || fx.callQueued)
            syncEngine.Nudge();
        if (fx.signedOut)
            manager.SaveOnDuty();  // closing time or shift end: nobody on duty at the next start
    };
    while (!window->ShouldClose() && !StopRequested()) {
        // Sleep until input, a wake-up, the next deadline, the watchdog's next ping, or a periodic
        // opening-hours check.
        window->WaitEvents(pacer.WaitTimeoutS(
            clock.SteadyMs(),
            {core.NextDeadlineMs(), router.NextDeadlineMs(), service.NextPingMs()}));
        service.Alive(clock.SteadyMs());
        if (ShotRequested())
            pacer.Want(1);
        if (window->EventCount() != seenEvents) {
            seenEvents = window->EventCount();
            pacer.Want(2);
        }
        if (auto config = definitions.Take())
            ApplyDefinition(options, *config, manager);
        const sync::SyncStatus syncStatus = syncEngine.Status();
        manager.SetSyncStatus(syncStatus);
        const ui::SyncDot dot = DotFor(syncStatus);
        if (dot != shownDot) {
            shownDot = dot;
            pacer.Want(1);
        }
        try {
            // Before Tick: the "someone is on the way" it may bring is a change Tick reports.
            if (auto calls = syncEngine.TakeConfirmedCalls(); !calls.empty())
                core.CallsConfirmed(calls);
            if (core.Tick())
                pacer.Want(2);
            applyEffects();
            if (router.Tick())
                pacer.Want(2);
            if (const std::int64_t v = core.SurveyVersion(); v != sentSurvey) {
                sentSurvey = v;
                syncEngine.SetRunningConfig(v > 0 ? std::optional(v) : std::nullopt);
                pacer.Want(2);
            }
            if (manager.Alert() != sentAlert) {
                sentAlert = manager.Alert();
                syncEngine.SetAlert(sentAlert);
            }
        } catch (const std::exception& e) {
            spdlog::error("tick failed: {}", e.what());
        }
        if (!pacer.FrameDue())
            continue;
        // Animation frames are capped; input frames are drawn at once.
        if (const auto hold = pacer.HoldBack(std::chrono::steady_clock::now()); hold.count() > 0)
            std::this_thread::sleep_for(hold);
        pacer.FrameStarted(std::chrono::steady_clock::now());

        bool frameStarted = false;
        try {
            glFaces.BeginFrame();
            window->BeginFrame();
            frameStarted = true;
            if (failFrames > 0) {
                --failFrames;
                throw std::runtime_error("injected frame failure (FK_KIOSK_FAIL_FRAMES)");
            }
            const bool customerFrame = router.CustomerShown();
            ui::FrameOutput out = router.Frame(screens, window->Pointer());
            if (customerFrame)
                sound.AfterFrame(out, core.View());
            else
                sound.Stop();
            applyEffects();
            if (router.CustomerShown()) {
                const ImVec2 display = ImGui::GetIO().DisplaySize;
                ui::DrawSyncDot(ImGui::GetForegroundDrawList(), shownDot, display, core.Dpi());
            }
            kioskWindow->EndTextFrame();
            window->RenderFrame();
            frameStarted = false;
            ++frameCount;
            if (frameCount == 1) {
                const double ms = std::chrono::duration<double, std::milli>(
                                      std::chrono::steady_clock::now() - startTime)
                                      .count();
                spdlog::info("first frame after {:.1f} ms", ms);
                service.Ready("showing the customer screens");
                if (options.hooks.stallSeconds > 0) {
                    spdlog::warn("FK_KIOSK_STALL_S: the frame loop stops for {} s",
                                 options.hooks.stallSeconds);
                    std::this_thread::sleep_for(std::chrono::seconds(options.hooks.stallSeconds));
                }
            }
            pacer.FrameDrawn(out.animating, !out.actions.empty());
            // Queued presses and releases are handed to ImGui one per frame.
            if (window->InputPending())
                pacer.Want(1);
            if (options.layoutJsonPath && (!layoutWritten || !(out.layout == lastLayout))) {
                if (auto err = WriteLayoutJson(*options.layoutJsonPath, out.layout); !err.empty()) {
                    spdlog::error("{}", err);
                } else {
                    layoutWritten = true;
                    lastLayout = out.layout;
                }
            }
            if (const auto code = ScreenshotHooks(*window, options, frameCount)) {
                window->Swap();
                return *code;
            }
            window->Swap();
            failuresInARow = 0;
        } catch (const std::exception& e) {
            // The firewall: committed data is safe; drop this frame and carry on.
            ++failuresInARow;
            spdlog::error("frame failed ({} in a row): {}", failuresInARow, e.what());
            if (frameStarted) {
                ImGui::ErrorCheckEndFrameRecover(nullptr);
                ImGui::EndFrame();
            }
            if (failuresInARow >= options.maxFailedFramesInARow) {
                spdlog::critical(
                    "{} frames failed in a row; exiting so the service manager restarts the kiosk",
                    failuresInARow);
                return exit_code::kFramesFailing;
            }
            pacer.FrameFailed();
        }
    }
    service.Stopping();
    return exit_code::kOk;
}

}  // namespace fk::app
