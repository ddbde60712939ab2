#include "core/Uuid.h"

#include <sys/random.h>

#include <cerrno>
#include <system_error>

#include "core/Hex.h"

namespace fk::core {

namespace {

bool IsDashPosition(std::size_t i) {
    return i == 8 || i == 13 || i == 18 || i == 23;
}

// 42 counter bits: rand_a (12) + the 30 bits of rand_b after the variant. Seeded with the top bit
// clear so a millisecond has room for 2^41 increments before it must borrow the next one.
constexpr int kCounterBits = 42;
constexpr std::uint64_t kCounterMax = (std::uint64_t{1} << kCounterBits) - 1;

}  // namespace

void FillRandom(void* buffer, std::size_t size) {
    auto* out = static_cast<std::uint8_t*>(buffer);
    std::size_t done = 0;
    while (done < size) {
        ssize_t got = getrandom(out + done, size - done, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        done += static_cast<std::size_t>(got);
    }
}

std::optional<Uuid> Uuid::Parse(std::string_view text) {
    if (text.size() != 36)
        return std::nullopt;
    Bytes bytes{};
    std::size_t byte = 0;
    for (std::size_t i = 0; i < 36;) {
        if (IsDashPosition(i)) {
            if (text[i] != '-')
                return std::nullopt;
            ++i;
            continue;
        }
        int hi = HexValue(text[i]);
        int lo = HexValue(text[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        bytes[byte++] = static_cast<std::uint8_t>(hi << 4 | lo);
        i += 2;
    }
    return Uuid(bytes);
}

UtcMs Uuid::TimestampMs() const {
    UtcMs ms = 0;
    for (int i = 0; i < 6; ++i)
        ms = ms << 8 | m_bytes[i];
    return ms;
}

bool Uuid::IsNil() const {
    for (auto b : m_bytes) {
        if (b != 0)
            return false;
    }
    return true;
}

std::string Uuid::ToString() const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out.push_back('-');
        out.push_back(kHex[m_bytes[i] >> 4]);
        out.push_back(kHex[m_bytes[i] & 0xF]);
    }
    return out;
}

Uuid Uuid7Generator::Next() {
    std::uint8_t random[10];
    FillRandom(random, sizeof random);

    std::uint64_t counter;
    UtcMs ms;
    {
        std::lock_guard lock(m_mutex);
        ms = m_clock.NowUtcMs();
        if (ms > m_lastMs) {
            m_lastMs = ms;
            std::uint64_t seed = 0;
            for (int i = 0; i < 6; ++i)
                seed = seed << 8 | random[i];
            m_counter = seed & (kCounterMax >> 1);
        } else {
            // Same millisecond or the wall clock stepped back: keep counting on the last one.
            ms = m_lastMs;
            if (++m_counter > kCounterMax) {
                m_lastMs = ++ms;
                m_counter = 0;
            }
        }
        counter = m_counter;
    }

    Uuid::Bytes b{};
    for (int i = 0; i < 6; ++i)
        b[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
    const std::uint64_t randA = counter >> 30;             // 12 bits
    const std::uint64_t randBHigh = counter & 0x3FFFFFFF;  // 30 bits
    b[6] = static_cast<std::uint8_t>(0x70 | (randA >> 8));
    b[7] = static_cast<std::uint8_t>(randA);
    b[8] = static_cast<std::uint8_t>(0x80 | (randBHigh >> 24));
    b[9] = static_cast<std::uint8_t>(randBHigh >> 16);
    b[10] = static_cast<std::uint8_t>(randBHigh >> 8);
    b[11] = static_cast<std::uint8_t>(randBHigh);
    for (int i = 12; i < 16; ++i)
        b[i] = random[6 + (i - 12)];
    return Uuid(b);
}

}  // namespace fk::core
