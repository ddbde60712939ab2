#pragma once
// The kiosk's logic without a window: owns the FeedbackSession and the UI thread's ResponseStore
// connection, turns screen intents into session events and session effects into durable writes
// (Begin returns after commit, before the next frame acknowledges the tap). Storage errors become
// a calm staff notice; the kiosk keeps running and retries after kNoticeRetryMs. It draws nothing:
// the screens (ui::KioskScreens, through app::ScreenRouter) show View() and hand their taps to
// Handle(). What the loop must act on comes out as Effects (TakeEffects).
// UI thread only.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/RepOrder.h"
#include "app/Settings.h"
#include "core/Clock.h"
#include "core/FeedbackSession.h"
#include "storage/ResponseStore.h"
#include "ui/KioskScreens.h"

namespace fk::app {

class KioskCore {
  public:
    static constexpr std::int64_t kNoticeRetryMs = 30'000;

    // Opens the store in dataDir; if that fails the notice is shown and opening is retried.
    KioskCore(KioskSettings settings, const core::Clock& clock, std::filesystem::path dataDir);
    ~KioskCore();

    // Advances time: opening hours, idle timeout, thank-you end, notice retry. Returns true when
    // what the screen shows changed (a frame is needed).
    bool Tick();
    // The customer's taps on the screen that showed View(), applied in order.
    void Handle(const std::vector<ui::UiAction>& actions);
    // A finger was on the customer screen this frame (a target or not): the idle timeout restarts.
    void Touched();
    // What happened since the last call that the loop acts on.
    struct Effects {
        bool responseClosed = false;  // a response was durably closed: sync may send it now
        bool callQueued = false;      // a call for help is in the outbox: wake sync to send it now
        bool signedOut = false;       // the on-duty rep was signed out at closing time: persist it
    };
    Effects TakeEffects() { return std::exchange(m_effects, Effects{}); }
    // The sync thread's word that the server has these calls (accepted or duplicate). The
    // customer on the thank-you screen whose call is among them is told someone is on the way.
    void CallsConfirmed(const std::vector<core::Uuid>& responseIds);
    // Steady ms when Tick() will next change something on its own (nullopt: only input will).
    std::optional<std::int64_t> NextDeadlineMs() const;

    ui::KioskView View() const;
    const core::FeedbackSession& Session() const { return m_session; }
    core::FeedbackSession& Session() { return m_session; }
    const std::optional<ui::StaffNotice>& Notice() const { return m_notice; }
    storage::ResponseStore* Store() { return m_store.get(); }
    void SetDpi(float dpi) { m_dpi = dpi; }
    float Dpi() const { return m_dpi; }
    // The sync thread checkpoints the WAL; the UI connection then never pays for it on a tap.
    void LeaveCheckpointsToSync();
    // A roster pushed by the server replaces the configured one; the customer in front of the
    // kiosk keeps the tiles they see until their visit ends.
    void ApplyRoster(const std::vector<ui::RepTile>& activeReps);
    // A survey definition from the server (next holds it; its device settings are ignored):
    // scale, question, languages, reasons, help step, hours, misuse rules and roster take over
    // once the customer in front of the kiosk is done (at Rate or while closed), no restart.
    void ApplySurvey(KioskSettings next);
    // The definition version in force (0: the kiosk.toml fallback survey).
    std::int64_t SurveyVersion() const { return m_settings.surveyVersion; }
    // A closed spell longer than this is closing time (the on-duty rep is signed out); a shorter
    // one is a break (a lunch hour keeps them signed in).
    static constexpr std::int64_t kLongestBreakMs = 4 * 3600'000;
    // rep mode on_duty: who is signed in at this kiosk now (nullopt: nobody); the next rating is
    // attributed to them. Manager mode persists it; this only tells the flow.
    void SetOnDutyRep(std::optional<std::string> repId);
    // While manager mode (or its PIN pad) covers the screen the customer flow stands still: no
    // idle timeout, no opening-hours switch. When it resumes, a flow left mid-way times out as
    // usual (the customer has gone), so the screen comes back at Rate.
    void SetPaused(bool paused);
    bool Paused() const { return m_paused; }
    const std::vector<ui::RepTile>& ActiveReps() const {
        return m_pendingReps ? *m_pendingReps : m_settings.reps;
    }

  private:
    void OpenStore();
    void SeedMisuse();
    void SeedRecentReps();
    // Keeps the reason policy of the survey version in force in the store (manager mode judges
    // each response by its own version's policy); logs and carries on when the store refuses.
    void RecordPolicy();
    void Apply(const std::vector<core::SessionEffect>& effects);
    void ShowStorageProblem(storage::StoreErrorKind kind, const std::string& detail);
    // What the screen shows that Tick can change; a frame is needed when it differs.
    struct Shown {
        core::Step step = core::Step::Rate;
        std::string language;
        core::CallState call = core::CallState::None;
        std::optional<ui::StaffNotice> notice;
        bool undo = false;  // "change my answer" on offer
        bool accessible = false;
        friend bool operator==(const Shown&, const Shown&) = default;
    };
    Shown CurrentShown() const;

    KioskSettings m_settings;
    const core::Clock& m_clock;
    std::filesystem::path m_dataDir;
    core::FeedbackSession m_session;
    std::unique_ptr<storage::ResponseStore> m_store;
    std::optional<core::Uuid> m_current;  // the open response
    std::optional<core::Uuid> m_call;     // the response whose call the thank-you screen awaits
    std::optional<ui::StaffNotice> m_notice;
    std::int64_t m_noticeUntilMs = 0;
    float m_dpi = 96;
    Shown m_lastShown;
    bool m_checkpointsElsewhere = false;
    bool m_paused = false;
    bool m_wasOpen = true;  // the opening hours at the last Tick (closing time is the edge)
    Effects m_effects;
    std::optional<std::vector<ui::RepTile>> m_pendingReps;  // shown once the visit on screen ends
    std::optional<KioskSettings> m_pendingSurvey;           // likewise a new survey definition
    RecentReps m_recentReps;  // chosen on the picker here, newest first (seeded from the store)
    struct RepOrderCache {
        std::string language;
        std::vector<std::string> first;
        OrderedReps order;
    };
    mutable std::optional<RepOrderCache> m_repOrder;  // View()'s picker order, for its key
};

// The staff notice for a storage failure: what happened and what to do; never alarming.
ui::StaffNotice NoticeFor(storage::StoreErrorKind kind, const std::string& detail);

}  // namespace fk::app
