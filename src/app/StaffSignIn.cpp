#include "app/StaffSignIn.h"

#include <spdlog/spdlog.h>

#include "app/ManagerEntry.h"
#include "app/PrivateFile.h"
#include "app/RepOrder.h"
#include "config/PinHash.h"
#include "i18n/Catalog.h"

namespace fk::app {

StaffSignIn::StaffSignIn(KioskCore& core, const KioskSettings& settings, const core::Clock& clock,
                         std::filesystem::path dataDir, ui::TextPainter& text,
                         std::function<void()> onDutyChanged)
    : m_core(core),
      m_clock(clock),
      m_dataDir(std::move(dataDir)),
      m_strings(settings.staff),
      m_pinStrings(settings.manager.pin),
      m_language(settings.session.defaultLanguage),
      m_onDutyChanged(std::move(onDutyChanged)),
      m_picker(text),
      m_pad(text),
      m_lockout(LoadPinLockout(clock, m_dataDir / kLockoutFile, "staff code")) {}

StaffSignIn::~StaffSignIn() {
    Wipe();
}

void StaffSignIn::Wipe() {
    config::WipePin(m_digits);
}

void StaffSignIn::Open(const std::vector<RosterRep>& roster) {
    std::vector<ui::RepTile> tiles;
    std::vector<CodedRep> coded;
    for (const auto& rep : roster) {
        if (!rep.active || !rep.codeHash)
            continue;
        tiles.push_back({rep.id, rep.name});
        coded.push_back({rep.id, rep.name, *rep.codeHash});
    }
    if (coded.empty())
        return;
    // The rep on duty first (the one most likely to sign out), then by name.
    std::vector<std::string> first;
    if (const auto& onDuty = m_core.Session().OnDutyRep())
        first.push_back(*onDuty);
    OrderedReps order = OrderReps(tiles, m_language, first);
    m_reps.clear();
    for (const auto& tile : order.reps) {
        for (const auto& rep : coded) {
            if (rep.id == tile.id)
                m_reps.push_back(rep);
        }
    }
    m_initials = std::move(order.initials);
    m_picker.Reset();
    m_mode = Mode::Picking;
    m_message.clear();
    Wipe();
    m_core.SetPaused(true);
    m_lastTouchMs = m_clock.SteadyMs();
    m_redraw = true;
    spdlog::info("staff sign-in opened");
}

void StaffSignIn::Close() {
    if (m_mode == Mode::Closed)
        return;
    Wipe();
    m_mode = Mode::Closed;
    m_chosen.clear();
    m_core.SetPaused(false);
    m_redraw = true;
}

const StaffSignIn::CodedRep* StaffSignIn::Chosen() const {
    for (const auto& rep : m_reps) {
        if (rep.id == m_chosen)
            return &rep;
    }
    return nullptr;
}

void StaffSignIn::Choose(const std::string& repId) {
    m_chosen = repId;
    if (!Chosen()) {
        m_chosen.clear();
        return;
    }
    Wipe();
    m_message.clear();
    m_mode = Mode::Code;
    m_redraw = true;
}

StaffSignIn::Outcome StaffSignIn::Handle(const ui::PinPadAction& action) {
    if (std::holds_alternative<ui::pact::Cancel>(action)) {
        Close();
        return Outcome::Cancelled;
    }
    if (m_mode != Mode::Code || m_lockout.Locked()) {
        Wipe();
        return Outcome::None;
    }
    if (const auto* d = std::get_if<ui::pact::Digit>(&action)) {
        if (m_digits.size() < config::kMaxPinDigits && d->value >= 0 && d->value <= 9) {
            m_digits.push_back(static_cast<char>('0' + d->value));
            m_message.clear();
        }
        return Outcome::None;
    }
    if (std::holds_alternative<ui::pact::Delete>(action)) {
        if (!m_digits.empty()) {
            m_digits.back() = '\0';
            m_digits.pop_back();
        }
        return Outcome::None;
    }
    return Submit();
}

void StaffSignIn::SaveLockout() {
    if (auto err = WritePrivateFile(m_dataDir / kLockoutFile, core::Serialize(m_lockout.Record()));
        !err.empty()) {
        spdlog::error("staff code lockout not saved: {}", err);
    }
}

StaffSignIn::Outcome StaffSignIn::Submit() {
    const CodedRep* rep = Chosen();
    if (!rep)
        return Outcome::None;
    if (!config::CheckPinFormat(m_digits).empty()) {
        m_message = m_strings.tooShort;
        return Outcome::None;
    }
    const bool right = config::VerifyPin(rep->codeHash, m_digits);
    Wipe();
    if (!right) {
        m_lockout.RecordFailure();
        SaveLockout();
        spdlog::warn("wrong staff code for rep {} ({} in a row)", rep->id, m_lockout.Failures());
        m_message = m_strings.wrong;
        return Outcome::None;
    }
    if (m_lockout.Failures() > 0) {
        m_lockout.RecordSuccess();
        SaveLockout();
    }
    const bool signOut = m_core.Session().OnDutyRep() == rep->id;
    const std::string id = rep->id;
    m_core.SetOnDutyRep(signOut ? std::nullopt : std::optional<std::string>(id));
    spdlog::info("rep {} signed {} at this kiosk with their staff code", id,
                 signOut ? "out" : "in");
    Close();
    if (m_onDutyChanged)
        m_onDutyChanged();
    return signOut ? Outcome::SignedOut : Outcome::SignedIn;
}

ui::StaffPickerView StaffSignIn::PickerView() const {
    ui::StaffPickerView v;
    v.title = m_strings.title;
    v.cancel = m_strings.cancel;
    v.language = m_language;
    v.dpi = m_core.Dpi();
    for (const auto& rep : m_reps)
        v.reps.push_back({rep.id, rep.name});
    v.repInitials = m_initials;
    v.onDuty = m_core.Session().OnDutyRep();
    return v;
}

ui::PinPadView StaffSignIn::PadView() const {
    ui::PinPadView v;
    v.screen = "staff.code";
    v.language = m_language;
    v.dpi = m_core.Dpi();
    v.entered = static_cast<int>(m_digits.size());
    v.maxDigits = static_cast<int>(config::kMaxPinDigits);
    v.okLabel = m_pinStrings.ok;
    v.deleteLabel = m_pinStrings.del;
    v.cancelLabel = m_strings.cancel;
    const CodedRep* rep = Chosen();
    v.title = i18n::FormatPlaceholders(m_strings.codeFor, {{"name", rep ? rep->name : ""}});
    v.message = m_message;
    v.messageIsError = !m_message.empty();
    ShowLockout(m_lockout, m_strings.locked, v);
    return v;
}

ui::FrameOutput StaffSignIn::Frame() {
    ui::FrameOutput out;
    const std::int64_t now = m_clock.SteadyMs();
    if (m_mode == Mode::Picking) {
        ui::StaffPickerOutput picked = m_picker.Frame(PickerView());
        out.layout = std::move(picked.layout);
        if (picked.touched)
            m_lastTouchMs = now;
        if (picked.cancelled) {
            Close();
        } else if (picked.chosen) {
            Choose(*picked.chosen);
        }
        return out;
    }
    if (m_mode == Mode::Code) {
        ui::PinPadOutput pad = m_pad.Frame(PadView());
        out.layout = std::move(pad.layout);
        if (pad.touched || !pad.actions.empty())
            m_lastTouchMs = now;
        for (const auto& action : pad.actions) {
            m_redraw = true;
            if (Handle(action) != Outcome::None || m_mode != Mode::Code)
                break;
        }
    }
    return out;
}

bool StaffSignIn::Tick() {
    bool changed = std::exchange(m_redraw, false);
    if (m_mode == Mode::Closed)
        return changed;
    if (m_clock.SteadyMs() - m_lastTouchMs >= kTimeoutMs) {
        Close();
        m_redraw = false;
        return true;
    }
    const std::int64_t seconds = m_lockout.Locked() ? m_lockout.RemainingSeconds() : 0;
    if (seconds != m_shownSeconds) {
        m_shownSeconds = seconds;
        changed = true;
    }
    return changed;
}

std::optional<std::int64_t> StaffSignIn::NextDeadlineMs() const {
    if (m_redraw)
        return m_clock.SteadyMs();
    if (m_mode == Mode::Closed)
        return std::nullopt;
    std::optional<std::int64_t> d = m_lastTouchMs + kTimeoutMs;
    if (auto until = m_lockout.LockedUntilSteadyMs()) {
        const std::int64_t remaining = *until - m_clock.SteadyMs();
        const std::int64_t intoSecond = remaining % 1000;
        d = std::min(*d, m_clock.SteadyMs() + (intoSecond == 0 ? 1000 : intoSecond));
    }
    return d;
}

}  // namespace fk::app
