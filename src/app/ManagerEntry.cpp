#include "app/ManagerEntry.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "app/PrivateFile.h"
#include "i18n/Catalog.h"

namespace fk::app {

namespace {

void Wipe(std::string& s) {
    if (!s.empty())
        sodium_memzero(s.data(), s.size());
    s.clear();
}

}  // namespace

core::PinLockout LoadPinLockout(const core::Clock& clock, const std::filesystem::path& file,
                                const char* what) {
    std::string error;
    auto text = ReadSmallFile(file, &error);
    if (!text) {
        if (!error.empty())
            spdlog::warn("{} lockout: {}; treating the pad as locked", what, error);
        if (error.empty())
            return core::PinLockout(core::LockoutPolicy{}, clock);
    } else if (auto record = core::ParseLockoutRecord(*text)) {
        return core::PinLockout(core::LockoutPolicy{}, clock, *record);
    } else {
        spdlog::warn("{} lockout file {} is damaged; treating the pad as locked", what,
                     file.string());
    }
    // Unreadable or damaged: as if the fifth wrong PIN had just been entered.
    core::PinLockout lock(core::LockoutPolicy{}, clock);
    for (int i = 0; i < core::LockoutPolicy{}.freeAttempts; ++i)
        lock.RecordFailure();
    return lock;
}

ui::Rect CornerHold::Region(float dpi) {
    const float side = ui::MmToPx(kCornerMm, dpi);
    return ui::Rect{0, 0, side, side};
}

bool CornerHold::Update(bool down, float x, float y, std::int64_t nowMs, float dpi) {
    const bool inside = Region(dpi).Contains(x, y);
    if (!down) {
        m_startMs.reset();
        m_pressOutside = false;
        m_wasDown = false;
        return false;
    }
    if (!m_wasDown) {
        m_wasDown = true;
        m_pressOutside = !inside;
        if (inside)
            m_startMs = nowMs;
    }
    if (m_pressOutside)
        return false;
    if (!inside) {
        // Slid out of the corner: this press no longer counts, even if it slides back.
        m_startMs.reset();
        m_pressOutside = true;
        return false;
    }
    if (m_startMs && nowMs - *m_startMs >= kHoldMs) {
        m_startMs.reset();
        m_pressOutside = true;  // one opening per press
        return true;
    }
    return false;
}

std::optional<std::int64_t> CornerHold::DeadlineMs() const {
    if (!m_startMs)
        return std::nullopt;
    return *m_startMs + kHoldMs;
}

void ShowLockout(const core::PinLockout& lockout, const std::string& lockedText,
                 ui::PinPadView& view) {
    if (!lockout.Locked())
        return;
    view.locked = true;
    view.entered = 0;
    view.message = i18n::FormatPlaceholders(
        lockedText, {{"seconds", std::to_string(lockout.RemainingSeconds())}});
    view.messageIsError = true;
}

PinEntry::PinEntry(const ManagerSettings& settings, const core::Clock& clock,
                   std::filesystem::path dataDir)
    : m_strings(settings.pin),
      m_clock(clock),
      m_dataDir(std::move(dataDir)),
      m_store(settings.pinHash, m_dataDir),
      m_lockout(LoadPinLockout(clock, m_dataDir / kLockoutFile, "manager PIN")) {}

PinEntry::~PinEntry() {
    Wipe(m_digits);
}

void PinEntry::Clear() {
    Wipe(m_digits);
}

void PinEntry::Start() {
    Clear();
    m_message.clear();
    m_messageIsError = false;
    m_state = m_store.State();
    m_prompt = m_state == PinState::Set ? Prompt::Enter : Prompt::NotSet;
    if (m_state == PinState::Damaged)
        spdlog::warn(
            "the manager PIN ({}) is damaged; manager mode stays shut until `kiosk "
            "set-pin` sets it again",
            m_store.FromConfig() ? "config [manager] pin_hash" : m_store.FilePath().string());
}

void PinEntry::SaveLockout() {
    if (auto err = WritePrivateFile(m_dataDir / kLockoutFile, core::Serialize(m_lockout.Record()));
        !err.empty()) {
        spdlog::error("manager PIN lockout not saved: {}", err);
    }
}

PinEntry::Outcome PinEntry::Handle(const ui::PinPadAction& action) {
    if (std::holds_alternative<ui::pact::Cancel>(action)) {
        Clear();
        return Outcome::Cancelled;
    }
    // While locked or without a PIN, nothing but cancel does anything: no digit is kept.
    if (m_prompt == Prompt::NotSet || m_lockout.Locked()) {
        Wipe(m_digits);
        return Outcome::None;
    }
    if (const auto* d = std::get_if<ui::pact::Digit>(&action)) {
        if (m_digits.size() < kMaxPinDigits && d->value >= 0 && d->value <= 9) {
            m_digits.push_back(static_cast<char>('0' + d->value));
            if (m_messageIsError)
                m_message.clear();
        }
        return Outcome::None;
    }
    if (std::holds_alternative<ui::pact::Delete>(action)) {
        if (!m_digits.empty()) {
            sodium_memzero(&m_digits.back(), 1);
            m_digits.pop_back();
        }
        return Outcome::None;
    }
    return Submit();
}

PinEntry::Outcome PinEntry::Submit() {
    m_messageIsError = true;
    if (!CheckPinFormat(m_digits).empty()) {
        m_message = m_strings.tooShort;
        return Outcome::None;
    }
    if (m_prompt != Prompt::Enter)
        return Outcome::None;
    const bool right = m_store.Verify(m_digits);
    Wipe(m_digits);
    if (right) {
        const bool hadFailures = m_lockout.Failures() > 0;
        m_lockout.RecordSuccess();
        if (hadFailures)
            SaveLockout();
        spdlog::info("manager mode opened with the PIN");
        m_message.clear();
        return Outcome::Unlocked;
    }
    m_lockout.RecordFailure();
    SaveLockout();
    spdlog::warn("wrong manager PIN ({} in a row)", m_lockout.Failures());
    m_message = m_strings.wrong;
    return Outcome::None;
}

ui::PinPadView PinEntry::View(const std::string& language, float dpi) const {
    ui::PinPadView v;
    v.language = language;
    v.dpi = dpi;
    v.entered = static_cast<int>(m_digits.size());
    v.maxDigits = static_cast<int>(kMaxPinDigits);
    v.okLabel = m_strings.ok;
    v.deleteLabel = m_strings.del;
    v.cancelLabel = m_strings.cancel;
    v.title = m_strings.title;
    v.message = m_message;
    v.messageIsError = m_messageIsError;
    if (m_prompt == Prompt::NotSet) {
        v.locked = true;
        v.entered = 0;
        v.title = m_state == PinState::Damaged ? m_strings.damaged : m_strings.notSet;
        v.message = m_strings.setBy;
        v.messageIsError = true;
        return v;
    }
    if (m_prompt == Prompt::Enter)
        ShowLockout(m_lockout, m_strings.locked, v);
    return v;
}

std::optional<std::int64_t> PinEntry::NextDeadlineMs() const {
    auto until = m_lockout.LockedUntilSteadyMs();
    if (!until)
        return std::nullopt;
    // The countdown changes when the remaining time crosses a whole second.
    const std::int64_t remaining = *until - m_clock.SteadyMs();
    const std::int64_t intoSecond = remaining % 1000;
    return m_clock.SteadyMs() + (intoSecond == 0 ? 1000 : intoSecond);
}

}  // namespace fk::app
