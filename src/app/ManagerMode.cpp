#include "app/ManagerMode.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <imgui.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "app/PrivateFile.h"
#include "storage/CsvExport.h"
#include "storage/SafeExportFile.h"
#include "ui/ManagerSort.h"

namespace fk::app {

namespace {

// /proc/mounts escapes space, tab, newline and backslash as \ooo.
std::string UnescapeMountPath(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size()) {
            const std::string oct = text.substr(i + 1, 3);
            if (oct.size() == 3 &&
                std::all_of(oct.begin(), oct.end(), [](char c) { return c >= '0' && c <= '7'; })) {
                out.push_back(static_cast<char>(std::stoi(oct, nullptr, 8)));
                i += 3;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    return out;
}

bool Under(const std::filesystem::path& path, const std::filesystem::path& root) {
    const std::filesystem::path rel = path.lexically_relative(root);
    if (rel.empty())
        return false;
    const auto first = *rel.begin();
    return first != "..";
}

std::string PhaseWords(const sync::SyncStatus& s) {
    switch (s.phase) {
        case sync::SyncPhase::NotConfigured:
            return "not configured";
        case sync::SyncPhase::Idle:
            return "idle";
        case sync::SyncPhase::Sending:
            return "sending";
        case sync::SyncPhase::Retrying:
            return "retrying";
        case sync::SyncPhase::Stopped:
            return "stopped: needs staff";
    }
    return "unknown";
}

std::string Thousands(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out.push_back(',');
        out.push_back(digits[i]);
    }
    return n < 0 ? "-" + out : out;
}

ui::RosterMode ToRosterMode(core::RepMode mode) {
    switch (mode) {
        case core::RepMode::Ask:
            return ui::RosterMode::Ask;
        case core::RepMode::OnDuty:
            return ui::RosterMode::OnDuty;
        case core::RepMode::Off:
            return ui::RosterMode::Off;
    }
    return ui::RosterMode::Off;
}

}  // namespace

std::vector<std::filesystem::path> MountedExportDirs(const std::filesystem::path& mountsFile) {
    std::vector<std::filesystem::path> out;
    std::ifstream in(mountsFile);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string device, mountPoint;
        if (!(fields >> device >> mountPoint))
            continue;
        const std::string path = UnescapeMountPath(mountPoint);
        if (path.rfind("/media/", 0) == 0 || path.rfind("/run/media/", 0) == 0) {
            if (std::find(out.begin(), out.end(), path) == out.end())
                out.emplace_back(path);
        }
    }
    return out;
}

ExportDirCheck CheckExportDir(const std::filesystem::path& requested,
                              const std::vector<std::filesystem::path>& roots) {
    ExportDirCheck c;
    if (requested.empty() || requested.is_relative()) {
        c.error = "Choose one of the listed export places (got \"" + requested.string() + "\").";
        return c;
    }
    for (const auto& part : requested) {
        if (part == "..") {
            c.error = "\"" + requested.string() +
                      "\" contains \"..\": choose one of the listed export places.";
            return c;
        }
    }
    std::error_code ec;
    const std::filesystem::path canon = std::filesystem::canonical(requested, ec);
    if (ec) {
        c.error = requested.string() + " cannot be used: " + ec.message() +
                  ". Is the USB stick still plugged in?";
        return c;
    }
    if (!std::filesystem::is_directory(canon, ec)) {
        c.error = requested.string() + " is not a directory.";
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
    c.error =
        requested.string() +
        (canon != requested.lexically_normal() ? " leads to " + canon.string() : std::string()) +
        ", outside the places exports may go (USB sticks under /media or /run/media, or the "
        "configured "
        "[manager] export_dir).";
    return c;
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

struct ManagerMode::ExportState {
    std::mutex mutex;
    bool running = false;
    double fraction = 0;
    std::string message;
    bool failed = false;
    std::string existing;  // a refused export: the file already on the stick
    std::uint64_t generation = 0;
    std::atomic<bool> cancel{false};

    void Set(bool isRunning, double f, std::string text, bool isFailed,
             std::string existingFile = {}) {
        std::lock_guard lock(mutex);
        running = isRunning;
        fraction = f;
        message = std::move(text);
        failed = isFailed;
        existing = std::move(existingFile);
        ++generation;
    }
};

ManagerMode::ManagerMode(KioskCore& core, const KioskSettings& settings, const core::Clock& clock,
                         std::filesystem::path dataDir, ui::TextPainter& text, Options options)
    : m_core(core),
      m_clock(clock),
      m_dataDir(std::move(dataDir)),
      m_kioskId(settings.kioskId),
      m_language(settings.session.defaultLanguage),
      m_settings(settings.manager),
      m_scale(settings.session.scale),
      m_policy(settings.manager.reasonPolicy),
      m_repMode(settings.session.repMode),
      m_options(std::move(options)),
      m_pad(text),
      m_screens(text),
      m_pin(settings.manager, clock, m_dataDir),
      m_export(std::make_shared<ExportState>()) {
    for (const auto& r : settings.ReasonsFor(m_language))
        m_reasonLabels[r.code] = r.label;
    // A config given by a relative path yields relative places; the list shows absolute ones.
    for (auto& d : m_settings.exportDirs) {
        std::error_code ec;
        if (auto abs = std::filesystem::absolute(d, ec); !ec)
            d = abs.lexically_normal();
    }
    m_roster = settings.roster;
    if (m_roster.empty()) {
        for (const auto& tile : settings.reps)
            m_roster.push_back({tile.id, tile.name, true});
    }
    LoadRoster();
    m_period = core::MakePeriod(core::PeriodKind::Today, m_clock);
    m_view.language = m_language;
    m_view.strings = m_settings.strings;
    m_view.minResponses = m_settings.minN;
    m_view.customFirst = m_period.firstDay;
    m_view.customLast = m_period.lastDay;
}

ManagerMode::~ManagerMode() {
    m_export->cancel = true;
    if (m_exportThread.joinable())
        m_exportThread.join();
}

storage::Dashboard* ManagerMode::Dash() {
    if (!m_dashboard && m_clock.SteadyMs() >= m_nextDashboardTryMs) {
        try {
            m_dashboard = storage::Dashboard::Open(m_dataDir, m_clock);
        } catch (const std::exception& e) {
            spdlog::warn("manager mode cannot read the store yet: {}", e.what());
            m_nextDashboardTryMs = m_clock.SteadyMs() + 30'000;
        }
    }
    return m_dashboard.get();
}

// ---- roster --------------------------------------------------------------------------------

void ManagerMode::LoadRoster() {
    std::string error;
    auto text = ReadSmallFile(m_dataDir / kRosterFile, &error);
    if (!text) {
        if (!error.empty())
            spdlog::warn("manager roster edits: {}", error);
        return;
    }
    const nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object()) {
        spdlog::warn("{} is damaged; local roster edits and sign-in ignored",
                     (m_dataDir / kRosterFile).string());
        return;
    }
    bool changed = false;
    if (auto it = j.find("active"); it != j.end() && it->is_object()) {
        for (const auto& [id, value] : it->items()) {
            if (!value.is_boolean())
                continue;
            for (auto& rep : m_roster) {
                if (rep.id != id)
                    continue;
                m_activeEdits[id] = value.get<bool>();
                changed = changed || rep.active != value.get<bool>();
                rep.active = value.get<bool>();
            }
        }
    }
    if (changed)
        m_core.ApplyRoster(ActiveTiles());
    if (auto it = j.find("on_duty"); it != j.end()) {
        if (it->is_string()) {
            m_core.SetOnDutyRep(it->get<std::string>());
        } else if (it->is_null()) {
            m_core.SetOnDutyRep(std::nullopt);
        }
    }
}

void ManagerMode::SaveRoster() const {
    nlohmann::json j = nlohmann::json::object();
    nlohmann::json active = nlohmann::json::object();
    for (const auto& [id, on] : m_activeEdits)
        active[id] = on;
    if (!m_activeEdits.empty())
        j["active"] = active;
    const auto& onDuty = m_core.Session().OnDutyRep();
    j["on_duty"] = onDuty ? nlohmann::json(*onDuty) : nlohmann::json(nullptr);
    if (auto err = WritePrivateFile(m_dataDir / kRosterFile, j.dump(2) + "\n"); !err.empty()) {
        spdlog::error("manager roster edits not saved: {}", err);
    }
}

std::vector<ui::RepTile> ManagerMode::ActiveTiles() const {
    std::vector<ui::RepTile> tiles;
    for (const auto& rep : m_roster) {
        if (rep.active)
            tiles.push_back({rep.id, rep.name});
    }
    return tiles;
}

void ManagerMode::ApplyServerRoster(std::vector<RosterRep> roster) {
    m_roster = std::move(roster);
    m_rosterFromServer = true;
    const bool hadEdits = !m_activeEdits.empty();
    m_activeEdits.clear();
    if (hadEdits)
        SaveRoster();
    m_core.ApplyRoster(ActiveTiles());
    SortData();
    m_redraw = m_mode == Mode::Manager;
}

// ---- modes ---------------------------------------------------------------------------------

void ManagerMode::OpenPad() {
    m_pin.Start();
    m_mode = Mode::Pin;
    m_core.SetPaused(true);
    m_lastTouchMs = m_clock.SteadyMs();
    m_redraw = true;
    spdlog::info("manager PIN pad opened");
}

void ManagerMode::Close() {
    if (m_mode == Mode::Customer)
        return;
    spdlog::info("{} closed", m_mode == Mode::Pin ? "manager PIN pad" : "manager mode");
    m_pin.Start();  // wipes any digits
    m_mode = Mode::Customer;
    m_hold.Reset();
    m_core.SetPaused(false);
    m_redraw = true;
}

void ManagerMode::EnterManager() {
    m_mode = Mode::Manager;
    m_lastTouchMs = m_clock.SteadyMs();
    m_view.tab = ui::ManagerTab::Reps;
    m_view.periodKind = core::PeriodKind::Today;
    m_view.periodError.reset();
    m_view.sortColumn = core::kDefaultRepColumn;
    m_view.sortDescending = true;
    m_period = core::MakePeriod(core::PeriodKind::Today, m_clock);
    m_view.customFirst = core::MakePeriod(core::PeriodKind::Last7Days, m_clock).firstDay;
    m_view.customLast = m_period.lastDay;
    m_rejectedDirty = true;
    m_alertDirty = true;
    LoadData();
    EvaluateAlert();
    m_redraw = true;
}

std::int64_t ManagerMode::AutoExitMs() const {
    return std::int64_t{m_settings.autoExitS} * 1000;
}

// ---- frame and time ------------------------------------------------------------------------

ui::FrameOutput ManagerMode::Frame(ui::KioskScreens& customer) {
    const std::int64_t now = m_clock.SteadyMs();
    const ImGuiIO& io = ImGui::GetIO();
    if (m_mode == Mode::Customer) {
        ui::FrameOutput out = m_core.Frame(customer);
        if (!out.actions.empty())
            m_alertDirty = true;
        if (m_hold.Update(io.MouseDown[0], io.MousePos.x, io.MousePos.y, now, m_core.Dpi()))
            OpenPad();
        return out;
    }
    ui::FrameOutput out;
    if (m_mode == Mode::Pin) {
        ui::PinPadOutput pad = m_pad.Frame(m_pin.View(m_language, m_core.Dpi()));
        out.layout = std::move(pad.layout);
        if (pad.touched || !pad.actions.empty())
            m_lastTouchMs = now;
        for (const auto& action : pad.actions) {
            m_redraw = true;
            const PinEntry::Outcome outcome = m_pin.Handle(action);
            if (outcome == PinEntry::Outcome::Unlocked) {
                EnterManager();
                break;
            }
            if (outcome == PinEntry::Outcome::Cancelled) {
                Close();
                break;
            }
        }
        return out;
    }
    ui::ManagerFrameOutput m = m_screens.Frame(View());
    out.layout = std::move(m.layout);
    if (m.touched || !m.actions.empty())
        m_lastTouchMs = now;
    for (const auto& action : m.actions) {
        m_redraw = true;
        Apply(action);
        if (m_mode != Mode::Manager)
            break;
    }
    return out;
}

bool ManagerMode::Tick() {
    const std::int64_t now = m_clock.SteadyMs();
    bool changed = std::exchange(m_redraw, false);
    if (m_alertDirty || now >= m_nextAlertMs) {
        const auto before = m_alertText;
        EvaluateAlert();
        changed = changed || (m_mode == Mode::Manager && before != m_alertText);
    }
    switch (m_mode) {
        case Mode::Customer:
            // The hold completes with no input event: the frame at its deadline sees it.
            if (auto d = m_hold.DeadlineMs(); d && now >= *d)
                changed = true;
            break;
        case Mode::Pin: {
            if (now - m_lastTouchMs >= kPadTimeoutMs) {
                Close();
                return true;
            }
            const std::int64_t seconds = m_pin.Locked() ? m_pin.LockedSeconds() : 0;
            if (seconds != m_shownSeconds) {
                m_shownSeconds = seconds;
                changed = true;
            }
            break;
        }
        case Mode::Manager: {
            if (ExportRunning())
                m_lastTouchMs = now;  // a running export keeps manager mode open
            const std::int64_t left = AutoExitMs() - (now - m_lastTouchMs);
            if (left <= 0) {
                Close();
                return true;
            }
            const std::int64_t seconds = (left + 999) / 1000;
            if (seconds <= 30 && seconds != m_shownSeconds) {
                m_shownSeconds = seconds;
                changed = true;
            }
            std::uint64_t generation = 0;
            {
                std::lock_guard lock(m_export->mutex);
                generation = m_export->generation;
            }
            if (generation != m_exportSeen) {
                m_exportSeen = generation;
                changed = true;
            }
            if (m_view.tab == ui::ManagerTab::Export && now >= m_nextDirsMs && RefreshExportDirs())
                changed = true;
            // Today, 7 and 30 days move at local midnight.
            if (m_view.periodKind != core::PeriodKind::Custom) {
                const core::Period p = core::MakePeriod(m_view.periodKind, m_clock);
                if (p.firstDay != m_period.firstDay || p.lastDay != m_period.lastDay) {
                    SetPeriod(p);
                    changed = true;
                }
            }
            break;
        }
    }
    return changed;
}

std::optional<std::int64_t> ManagerMode::NextDeadlineMs() const {
    // A change made during the last frame (mode switch, new data) is drawn at once.
    if (m_redraw)
        return m_clock.SteadyMs();
    std::optional<std::int64_t> d;
    auto take = [&](std::optional<std::int64_t> t) {
        if (t && (!d || *t < *d))
            d = t;
    };
    take(m_nextAlertMs);
    switch (m_mode) {
        case Mode::Customer:
            take(m_hold.DeadlineMs());
            break;
        case Mode::Pin:
            take(m_lastTouchMs + kPadTimeoutMs);
            take(m_pin.NextDeadlineMs());
            break;
        case Mode::Manager: {
            const std::int64_t end = m_lastTouchMs + AutoExitMs();
            const std::int64_t left = end - m_clock.SteadyMs();
            // The last 30 seconds count down on screen: one frame per second, nothing more.
            take(left <= 30'000 ? m_clock.SteadyMs() + std::max<std::int64_t>(
                                                           1, left % 1000 == 0 ? 1000 : left % 1000)
                                : end - 30'000);
            if (m_view.tab == ui::ManagerTab::Export)
                take(m_nextDirsMs);
            break;
        }
    }
    return d;
}

// ---- data ----------------------------------------------------------------------------------

void ManagerMode::SetPeriod(const core::Period& period) {
    m_period = period;
    LoadData();
}

void ManagerMode::LoadData() {
    m_view.periodError.reset();
    storage::Dashboard* dash = Dash();
    if (!dash) {
        m_data = core::DashboardData();
        m_data.period = m_period;
        m_view.periodError = "The feedback store cannot be read yet.";
        SortData();
        return;
    }
    storage::DashboardRequest request;
    request.period = m_period;
    request.scale = m_scale;
    request.minResponses = m_settings.minN;
    m_view.heatmapMinResponses = request.heatmapMinResponses;
    try {
        m_data = dash->Load(request, m_policy);
    } catch (const std::exception& e) {
        spdlog::error("manager mode: loading the dashboard failed: {}", e.what());
        m_data = core::DashboardData();
        m_data.period = m_period;
        m_view.periodError = std::string("The numbers could not be read: ") + e.what();
    }
    SortData();
}

void ManagerMode::SortData() {
    m_view.data = m_data;
    m_view.repNames.clear();
    for (const auto& rep : m_roster)
        m_view.repNames[rep.id] = rep.name;
    ui::SortManagerRows(m_view.data.reps, m_view.sortColumn, m_view.sortDescending,
                        m_view.repNames);
}

void ManagerMode::EvaluateAlert() {
    m_alertDirty = false;
    m_nextAlertMs = m_clock.SteadyMs() + kAlertEveryMs;
    storage::Dashboard* dash = Dash();
    if (!dash)
        return;
    try {
        const core::AlertState state = dash->EvaluateAlert(m_settings.alert, m_clock.NowUtcMs());
        std::optional<std::string> text;
        if (state.raised)
            text = core::to_string(state, m_settings.alert);
        if (text != m_alertText) {
            if (text)
                spdlog::warn("manager alert: {}", *text);
            m_alertText = std::move(text);
        }
    } catch (const std::exception& e) {
        spdlog::error("manager alert not evaluated: {}", e.what());
    }
}

void ManagerMode::SetSyncStatus(const sync::SyncStatus& status) {
    const sync::SyncStatus& o = m_sync;
    const bool same = o.phase == status.phase && o.pending == status.pending &&
                      o.oldestPendingCreatedAt == status.oldestPendingCreatedAt &&
                      o.lastSuccessAt == status.lastSuccessAt && o.lastError == status.lastError &&
                      o.rejected == status.rejected && o.serverAckedSeq == status.serverAckedSeq &&
                      o.tlsVerificationOff == status.tlsVerificationOff &&
                      sync::DescribeRecovery(o) == sync::DescribeRecovery(status);
    if (same)
        return;
    if (status.rejected != m_sync.rejected)
        m_rejectedDirty = true;
    m_sync = status;
    if (m_mode == Mode::Manager)
        m_redraw = true;
}

void ManagerMode::RefreshSync() {
    ui::SyncHealthView& v = m_view.sync;
    const core::UtcMs now = m_clock.NowUtcMs();
    v.configured = m_sync.phase != sync::SyncPhase::NotConfigured;
    v.phase = PhaseWords(m_sync);
    if (const std::string recovery = sync::DescribeRecovery(m_sync); !recovery.empty())
        v.phase += "; " + recovery;  // salvaged / lost / re-sent counts (issue 14)
    v.pending = m_sync.pending;
    v.oldestPendingAgeS.reset();
    if (m_sync.oldestPendingCreatedAt)
        v.oldestPendingAgeS =
            std::max<std::int64_t>(0, (now - *m_sync.oldestPendingCreatedAt) / 1000);
    v.lastSuccessAgeS.reset();
    if (m_sync.lastSuccessAt)
        v.lastSuccessAgeS = std::max<std::int64_t>(0, (now - *m_sync.lastSuccessAt) / 1000);
    v.lastError = m_sync.lastError;
    v.serverAckedSeq = m_sync.serverAckedSeq;
    v.tlsVerificationOff = m_sync.tlsVerificationOff;
    if (m_rejectedDirty) {
        m_rejectedDirty = false;
        v.rejected.clear();
        if (auto* store = m_core.Store()) {
            try {
                for (const auto& r : store->Rejected(50)) {
                    v.rejected.push_back({r.seq, r.id.ToString(), r.syncError.value_or("")});
                }
            } catch (const std::exception& e) {
                spdlog::error("manager mode: reading rejected rows failed: {}", e.what());
            }
        }
    }
}

const ui::ManagerView& ManagerMode::View() {
    const std::int64_t now = m_clock.SteadyMs();
    m_view.dpi = m_core.Dpi();
    m_view.nowMs = now;
    m_view.autoExitInS =
        std::max<std::int64_t>(0, (AutoExitMs() - (now - m_lastTouchMs) + 999) / 1000);
    m_view.reasonLabels = m_reasonLabels;
    m_view.alertBanner = m_alertText;
    RefreshSync();
    ui::RosterView& r = m_view.roster;
    r.mode = ToRosterMode(m_repMode);
    r.reps.clear();
    for (const auto& rep : m_roster)
        r.reps.push_back({rep.id, rep.name, rep.active});
    r.signedInRep = m_core.Session().OnDutyRep();
    r.fromServer = m_rosterFromServer;
    {
        std::lock_guard lock(m_export->mutex);
        m_view.exportJob.running = m_export->running;
        m_view.exportJob.fraction = m_export->fraction;
        m_view.exportJob.message = m_export->message;
        m_view.exportJob.failed = m_export->failed;
        m_view.exportJob.existing = m_export->existing;
    }
    return m_view;
}

// ---- actions -------------------------------------------------------------------------------

void ManagerMode::Apply(const ui::ManagerAction& action) {
    spdlog::debug("manager: {}", ui::to_string(action));
    std::visit(
        [&](const auto& a) {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, ui::mact::SelectTab>) {
                m_view.tab = a.tab;
                if (a.tab == ui::ManagerTab::Export)
                    RefreshExportDirs();
            } else if constexpr (std::is_same_v<A, ui::mact::SelectPeriod>) {
                m_view.periodKind = a.kind;
                if (a.kind == core::PeriodKind::Custom) {
                    auto result =
                        core::MakeCustomPeriod(m_view.customFirst, m_view.customLast, m_clock);
                    if (result.period) {
                        SetPeriod(*result.period);
                    } else if (result.error) {
                        m_view.periodError = result.error->message;
                    }
                } else {
                    SetPeriod(core::MakePeriod(a.kind, m_clock));
                }
            } else if constexpr (std::is_same_v<A, ui::mact::SetCustomRange>) {
                m_view.periodKind = core::PeriodKind::Custom;
                m_view.customFirst = a.first;
                m_view.customLast = a.last;
                auto result = core::MakeCustomPeriod(a.first, a.last, m_clock);
                if (result.period) {
                    SetPeriod(*result.period);
                } else if (result.error) {
                    m_view.periodError = result.error->message;
                }
            } else if constexpr (std::is_same_v<A, ui::mact::SortBy>) {
                m_view.sortColumn = a.column;
                m_view.sortDescending = a.descending;
                SortData();
            } else if constexpr (std::is_same_v<A, ui::mact::SignIn>) {
                const bool known = std::any_of(m_roster.begin(), m_roster.end(),
                                               [&](const RosterRep& r) { return r.id == a.repId; });
                if (!known) {
                    spdlog::warn("sign-in for a rep not on the roster ignored");
                    return;
                }
                m_core.SetOnDutyRep(a.repId);
                SaveRoster();
                spdlog::info("rep {} signed in at this kiosk", a.repId);
            } else if constexpr (std::is_same_v<A, ui::mact::SignOut>) {
                m_core.SetOnDutyRep(std::nullopt);
                SaveRoster();
                spdlog::info("on-duty rep signed out");
            } else if constexpr (std::is_same_v<A, ui::mact::SetRepActive>) {
                for (auto& rep : m_roster) {
                    if (rep.id != a.repId || rep.active == a.active)
                        continue;
                    rep.active = a.active;
                    m_activeEdits[rep.id] = a.active;
                    SaveRoster();
                    m_core.ApplyRoster(ActiveTiles());
                }
            } else if constexpr (std::is_same_v<A, ui::mact::StartExport>) {
                StartExport(a.directory);
            } else if constexpr (std::is_same_v<A, ui::mact::Exit>) {
                Close();
            }
        },
        action);
}

// ---- export --------------------------------------------------------------------------------

std::vector<std::filesystem::path> ManagerMode::ExportDirectories() const {
    std::vector<std::filesystem::path> dirs;
    std::error_code ec;
    for (const auto& d : m_settings.exportDirs) {
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

bool ManagerMode::RefreshExportDirs() {
    m_nextDirsMs = m_clock.SteadyMs() + kExportDirsEveryMs;
    std::vector<std::string> dirs;
    for (const auto& d : ExportDirectories())
        dirs.push_back(d.string());
    if (dirs == m_view.exportJob.directories)
        return false;
    m_view.exportJob.directories = std::move(dirs);
    return true;
}

bool ManagerMode::ExportRunning() const {
    std::lock_guard lock(m_export->mutex);
    return m_export->running;
}

void ManagerMode::WaitForExport() {
    if (m_exportThread.joinable())
        m_exportThread.join();
}

void ManagerMode::StartExport(const std::string& directory) {
    if (ExportRunning())
        return;
    if (m_exportThread.joinable())
        m_exportThread.join();
    const ExportDirCheck check = CheckExportDir(directory, ExportDirectories());
    if (!check.dir) {
        spdlog::warn("export refused: {}", check.error);
        m_export->Set(false, 0, check.error, true);
        return;
    }
    storage::ExportRequest base;
    base.directory = *check.dir;
    for (const auto& rep : m_roster)
        base.repNames[rep.id] = rep.name;
    const std::string responsesName = ExportFileName(m_kioskId, m_period, "responses");
    const std::string repsName = ExportFileName(m_kioskId, m_period, "reps");
    m_export->cancel = false;
    m_export->Set(true, 0, "Starting the export...", false);
    spdlog::info("export to {} started", check.dir->string());
    m_exportThread = std::thread([state = m_export, base, responsesName, repsName, data = m_data,
                                  period = m_period, policy = m_policy, dataDir = m_dataDir,
                                  &clock = m_clock, wake = m_options.wake]() {
        auto finish = [&](bool ok, std::string message, std::string existing = {}) {
            state->Set(false, ok ? 1.0 : 0.0, std::move(message), !ok, std::move(existing));
            if (wake)
                wake();
        };
        auto refuse = [&](const std::string& name) {
            spdlog::warn("export refused: {} is already on the stick", name);
            finish(false, name + " is already on the stick", name);
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
            if (!table.Ok())
                return finish(false, table.message);
            // Its own read-only connection: the UI thread's Dashboard stays on the UI thread.
            auto dashboard = storage::Dashboard::Open(dataDir, clock);
            storage::ExportRequest rows = base;
            rows.fileName = responsesName;
            rows.progress = [&](std::int64_t done, std::int64_t total) {
                state->Set(true,
                           total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0,
                           Thousands(done) + " of " + Thousands(total) + " rows", false);
                if (wake)
                    wake();
                return !state->cancel.load();
            };
            storage::ExportResult result =
                storage::ExportResponsesCsv(*dashboard, period, policy, rows);
            if (result.error == storage::ExportErrorKind::Exists)
                return refuse(result.existing);
            if (!result.Ok())
                return finish(false, result.message);
            spdlog::info("export written: {} rows", result.rows);
            finish(true, "Written to " + base.directory.string() + ": " + repsName + " and " +
                             responsesName + " (" + Thousands(result.rows) + " responses)");
        } catch (const std::exception& e) {
            finish(false, std::string("The export failed: ") + e.what());
        }
    });
}

}  // namespace fk::app
