#include "core/PinLockout.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace fk::core {

std::string Serialize(const LockoutRecord& r) {
    return "fk-pin-lockout 1\nfailures " + std::to_string(r.failures) + "\nlocks " +
           std::to_string(r.locks) + "\nlock_ms " + std::to_string(r.lockMs) +
           "\nlocked_until_utc " + std::to_string(r.lockedUntilUtc) + "\n";
}

std::optional<LockoutRecord> ParseLockoutRecord(std::string_view text) {
    constexpr std::string_view kMagic = "fk-pin-lockout 1\n";
    if (text.substr(0, kMagic.size()) != kMagic)
        return std::nullopt;
    text.remove_prefix(kMagic.size());
    std::map<std::string, std::int64_t, std::less<>> values;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        if (nl == std::string_view::npos)
            return std::nullopt;
        const std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl + 1);
        const auto sp = line.find(' ');
        if (sp == std::string_view::npos)
            return std::nullopt;
        std::int64_t v = 0;
        const std::string_view num = line.substr(sp + 1);
        auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
        if (ec != std::errc() || ptr != num.data() + num.size() || v < 0)
            return std::nullopt;
        values[std::string(line.substr(0, sp))] = v;
    }
    for (const char* key : {"failures", "locks", "lock_ms", "locked_until_utc"}) {
        if (!values.count(key))
            return std::nullopt;
    }
    if (values["failures"] > 1'000'000'000 || values["locks"] > 1'000'000'000)
        return std::nullopt;
    LockoutRecord r;
    r.failures = static_cast<int>(values["failures"]);
    r.locks = static_cast<int>(values["locks"]);
    r.lockMs = values["lock_ms"];
    r.lockedUntilUtc = values["locked_until_utc"];
    return r;
}

PinLockout::PinLockout(LockoutPolicy policy, const Clock& clock, LockoutRecord record)
    : m_policy(policy), m_clock(clock), m_record(record) {
    if (m_record.lockedUntilUtc > 0 && m_record.lockMs > 0) {
        const std::int64_t left = std::clamp(m_record.lockedUntilUtc - m_clock.NowUtcMs(),
                                             std::int64_t{0}, m_record.lockMs);
        m_untilSteady = m_clock.SteadyMs() + left;
    }
}

std::int64_t PinLockout::RemainingMs() const {
    return std::max<std::int64_t>(0, m_untilSteady - m_clock.SteadyMs());
}

std::int64_t PinLockout::RemainingSeconds() const {
    return (RemainingMs() + 999) / 1000;
}

std::optional<std::int64_t> PinLockout::LockedUntilSteadyMs() const {
    if (!Locked())
        return std::nullopt;
    return m_untilSteady;
}

std::int64_t PinLockout::LockLengthMs(const LockoutPolicy& policy, int locksSoFar) {
    std::int64_t ms = std::max<std::int64_t>(1, policy.firstLockMs);
    for (int i = 0; i < locksSoFar && ms < policy.maxLockMs; ++i)
        ms *= 2;
    return std::min(ms, policy.maxLockMs);
}

void PinLockout::RecordFailure() {
    ++m_record.failures;
    if (m_record.failures < m_policy.freeAttempts)
        return;
    const std::int64_t len = LockLengthMs(m_policy, m_record.locks);
    ++m_record.locks;
    m_record.lockMs = len;
    m_record.lockedUntilUtc = m_clock.NowUtcMs() + len;
    m_untilSteady = m_clock.SteadyMs() + len;
}

void PinLockout::RecordSuccess() {
    m_record = LockoutRecord{};
    m_untilSteady = 0;
}

}  // namespace fk::core
