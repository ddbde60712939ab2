#pragma once
// Manager mode's screens, as data in and intents out: the app builds a ManagerView each frame
// (from storage::Dashboard, the sync status, the roster and the export job) and applies the
// ManagerActions a frame returns. The screens never touch storage, sync, files, GLFW or GL.
// Entry (corner long-press, PIN pad, lockout) is not drawn here: see ui/PinPad.h.
// UI thread only; ManagerScreens::Frame() is called between ImGui::NewFrame() and ImGui::Render().

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/CallStats.h"
#include "core/DashboardData.h"
#include "core/Period.h"
#include "ui/ExportProgress.h"
#include "ui/Layout.h"
#include "ui/TextPainter.h"

namespace fk::ui {

enum class ManagerTab { Reps, Store, Sync, Roster, Export, Calls };
inline constexpr std::size_t kManagerTabCount = 6;

// Sync health, already in words where words are needed. Filled by the app from sync::SyncStatus
// and the store's rejected rows.
struct RejectedRowView {
    std::int64_t seq = 0;
    std::string id;
    std::string reason;  // the server's words
};
// The sync engine's state, drawn as manager.sync.state.<word>.
enum class SyncPhaseView { NotConfigured, Idle, Sending, Retrying, Stopped };
struct SyncHealthView {
    bool configured = false;  // false: "this kiosk does not sync (no server configured)"
    SyncPhaseView phase = SyncPhaseView::Idle;
    // A damaged store set aside at start (issue 14): rows salvaged and lost, lost rows not yet
    // reported to the server; rows sent again after the server lost them.
    std::int64_t salvaged = 0;
    std::int64_t lost = 0;
    std::int64_t lostUnreported = 0;
    std::int64_t resentAfterServerLoss = 0;
    std::int64_t pendingCalls = 0;  // help calls stuck on this kiosk (issue 16)
    std::int64_t pending = 0;
    std::optional<std::int64_t> oldestPendingAgeS;
    std::optional<std::int64_t> lastSuccessAgeS;
    std::string lastError;                       // empty: the last attempt worked
    std::optional<std::int64_t> serverAckedSeq;  // "the server has everything up to #N"
    std::vector<RejectedRowView> rejected;
    bool tlsVerificationOff = false;            // shown as a warning to staff
    std::optional<std::int64_t> surveyVersion;  // nullopt: the kiosk's own (kiosk.toml) survey
    bool surveyStale = false;  // no word from the server on a newer survey for over an hour
};

enum class RosterMode { Ask, OnDuty, Off };
struct RosterEntryView {
    std::string id;
    std::string name;  // any script: drawn with the shaped TextPainter
    bool active = true;
};
struct RosterView {
    RosterMode mode = RosterMode::Ask;
    std::vector<RosterEntryView> reps;
    std::optional<std::string> signedInRep;  // on_duty: who is signed in at this kiosk now
    bool fromServer = false;  // the server pushed this roster (local edits are then overwritten)
};

struct ExportView {
    std::vector<std::string> directories;  // where an export may go (USB sticks, configured dir)
    ExportProgress progress;               // drawn as manager.export.* in the manager's language
};

// The store's open help calls (issue 16), as the server listed them for this kiosk's token.
struct CallRowView {
    std::string id;  // the response id: element ids call.ack.<id>, call.close.<id>.<outcome>
    std::int64_t waitingS = 0;  // since the server received the call
    int rating = 1;
    int scale = 4;
    std::string kiosk;
    bool thisKiosk = false;
    std::string repName;      // empty: no rep chosen
    std::string reasonLabel;  // empty: no reason given
    bool acknowledged = false;
    std::string ackedBy;
    bool late = false;  // the customer was told to ask at the counter
    std::int64_t repeats = 0;
    bool overdue = false;  // nobody acknowledged it within [help] escalate_after_s (an alert)
};
struct CallsView {
    bool configured = false;  // false: this kiosk does not sync, so it cannot see calls
    bool busy = false;        // a request to the server is under way
    std::optional<std::int64_t> listedAgeS;  // how old the list is (none: never listed)
    std::string error;                       // the last request's failure, in words
    std::vector<CallRowView> calls;          // newest first
    // The calls of the selected period (core::SummarizeCalls, the server's definition); none until
    // the server has answered for this period.
    std::optional<core::CallSummary> report;
};

// Why the period's numbers are not shown, drawn as manager.period_error.<kind>.
struct PeriodErrorView {
    enum class Kind { EndBeforeStart, TooLong, StoreUnreadable, Unreadable };
    Kind kind = Kind::Unreadable;
    core::CivilDate first;  // the range asked for (EndBeforeStart, TooLong)
    core::CivilDate last;
    std::string detail;  // Unreadable: the store's own words, untranslated (technical)
    friend bool operator==(const PeriodErrorView&, const PeriodErrorView&) = default;
};

struct ManagerView {
    ManagerTab tab = ManagerTab::Reps;
    core::PeriodKind periodKind = core::PeriodKind::Today;
    core::CivilDate customFirst;  // shown while periodKind == Custom
    core::CivilDate customLast;
    std::optional<PeriodErrorView> periodError;  // a refused custom range or unreadable numbers
    core::DashboardData data;
    core::RepColumn sortColumn = core::kDefaultRepColumn;
    bool sortDescending = true;
    std::int64_t minResponses = core::kDefaultMinN;
    std::int64_t heatmapMinResponses =
        core::kDefaultHeatmapMinN;  // per hour x weekday cell (storage::DashboardRequest)
    std::map<std::string, std::string, std::less<>> repNames;      // id -> display name
    std::map<std::string, std::string, std::less<>> reasonLabels;  // code -> label
    // The raised alert, drawn as "5 of 7 responses negative in the last 15 min" in the manager's
    // language (manager.alert.banner).
    struct AlertBanner {
        std::int64_t negative = 0;
        std::int64_t responses = 0;
        std::int64_t minutes = 0;
        friend bool operator==(const AlertBanner&, const AlertBanner&) = default;
    };
    std::optional<AlertBanner> alertBanner;
    // The store-level alert (every till, from the server's last heartbeat answer, ageS ago),
    // drawn as manager.alert.store_banner; beside this till's own when both fire.
    struct StoreAlertBanner {
        std::int64_t negative = 0;
        std::int64_t responses = 0;
        std::int64_t minutes = 0;
        std::int64_t ageS = 0;
        friend bool operator==(const StoreAlertBanner&, const StoreAlertBanner&) = default;
    };
    std::optional<StoreAlertBanner> storeAlertBanner;
    SyncHealthView sync;
    RosterView roster;
    ExportView exportJob;
    CallsView calls;
    std::string language = "en";  // the kiosk's default language (manager strings)
    // manager.* locale keys -> text in `language` (ui/ManagerStrings.h lists the keys); a key
    // missing here is drawn in built-in English.
    std::map<std::string, std::string, std::less<>> strings;
    float dpi = 96;
    std::int64_t nowMs = 0;          // steady ms
    std::int64_t autoExitInS = 120;  // seconds until manager mode closes itself if untouched
};

namespace mact {
struct SelectTab {
    ManagerTab tab;
};
struct SelectPeriod {
    core::PeriodKind kind;
};
struct SetCustomRange {
    core::CivilDate first;
    core::CivilDate last;
};
struct SortBy {
    core::RepColumn column;
    bool descending = true;
};
struct SignIn {
    std::string repId;
};
struct SignOut {};
struct SetRepActive {
    std::string repId;
    bool active = true;
};
struct StartExport {
    std::string directory;
};
struct RefreshCalls {};
struct AcknowledgeCall {
    std::string id;
};
struct CloseCall {
    std::string id;
    std::string outcome;  // "helped", "refund_or_replacement", "customer_left", "other"
};
struct Exit {};
}  // namespace mact
using ManagerAction =
    std::variant<mact::SelectTab, mact::SelectPeriod, mact::SetCustomRange, mact::SortBy,
                 mact::SignIn, mact::SignOut, mact::SetRepActive, mact::StartExport,
                 mact::RefreshCalls, mact::AcknowledgeCall, mact::CloseCall, mact::Exit>;
std::string to_string(const ManagerAction& action);

struct ManagerFrameOutput {
    std::vector<ManagerAction> actions;
    // screen "manager.<tab>"; element ids: "manager.exit", "period.today|7d|30d|custom",
    // "period.first.minus|plus", "period.last.minus|plus" (custom only), "tab.<tab>",
    // "sort.rep|responses|satisfaction|score|wilson|not_about_rep|against_rep|misuse",
    // "rep.<id>" / "rep.none" (rows fully in view), "roster.signin.<id>", "roster.signout",
    // "roster.active.<id>", "export.dir.<index>", "calls.refresh", "call.ack.<id>",
    // "call.close.<id>.<outcome>". Only targets fully in view are listed.
    ScreenLayout layout;
    bool touched = false;  // any input this frame (resets the auto-exit timer)
};

// Draws one frame of manager mode full-window (ui/ManagerLayout.h has the geometry). Touch:
// a tap is a press and release on the same target without moving more than 3 mm; a drag that
// starts in the content area scrolls it (each tab keeps its own offset; the wheel scrolls too)
// and taps nothing. Tapping a rep row shows what its numbers mean under the table (tap again to
// hide); that is the screens' own state, as is scrolling: nothing else is kept between frames.
class ManagerScreens {
  public:
    // The painter must outlive this object.
    explicit ManagerScreens(TextPainter& text) : m_text(&text) {}
    ManagerFrameOutput Frame(const ManagerView& view);

  private:
    TextPainter* m_text;
    // Per tab: how far the content is scrolled and how tall it was last frame.
    std::array<float, kManagerTabCount> m_scrollY{};
    std::array<float, kManagerTabCount> m_contentH{};
    std::optional<std::string> m_selectedRep;  // "" for the no-rep row
};

}  // namespace fk::ui
