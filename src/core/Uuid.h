#pragma once
// UUIDs, version 7 (RFC 9562): 48-bit Unix milliseconds, then random bits from the kernel CSPRNG
// (getrandom). Ids from one Uuid7Generator are strictly increasing, also within one millisecond
// and when the wall clock steps back, so rows inserted in id order append to the B-tree.

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/Clock.h"

namespace fk::core {

class Uuid {
  public:
    using Bytes = std::array<std::uint8_t, 16>;

    Uuid() = default;
    explicit Uuid(const Bytes& bytes) : m_bytes(bytes) {}
    // Accepts the canonical 8-4-4-4-12 hex form, either case. nullopt otherwise.
    static std::optional<Uuid> Parse(std::string_view text);

    const Bytes& GetBytes() const { return m_bytes; }
    int Version() const { return m_bytes[6] >> 4; }
    // For version 7: the embedded Unix milliseconds.
    UtcMs TimestampMs() const;
    bool IsNil() const;
    // Canonical lower-case 36-character form.
    std::string ToString() const;
    auto operator<=>(const Uuid&) const = default;

  private:
    Bytes m_bytes{};
};

// Thread-safe. Throws std::system_error only if the kernel refuses random bytes.
class Uuid7Generator {
  public:
    explicit Uuid7Generator(const Clock& clock) : m_clock(clock) {}
    Uuid Next();

  private:
    const Clock& m_clock;
    std::mutex m_mutex;
    UtcMs m_lastMs = 0;
    // rand_a (12 bits) and the top of rand_b act as a counter within one millisecond
    // (RFC 9562 section 6.2, method 2), seeded randomly each new millisecond.
    std::uint64_t m_counter = 0;
};

// Fills buffer from the kernel CSPRNG. Throws std::system_error on failure.
void FillRandom(void* buffer, std::size_t size);

}  // namespace fk::core
