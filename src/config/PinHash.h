#pragma once
// The manager PIN's format and hash, shared by the kiosk (the pad, `kiosk set-pin`) and the server
// (`kiosk-server add-kiosk --write-config`, which puts the hash in the kiosk.toml it writes).
// A PIN is 4 to 8 digits, kept only as a libsodium argon2id hash (crypto_pwhash_str) costing
// kPinOpsLimit passes over kPinMemLimit bytes (OWASP's argon2id minimum: 19 MiB, t=2): about
// 50-100 ms on a kiosk, fine for a human, slow for a guesser. Neither the PIN nor its hash is
// ever logged or echoed in a message.
//
// Thread affinity: any thread. Failure: HashPin throws std::runtime_error (out of memory, libsodium
// unusable); the rest return values.

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace fk::config {

inline constexpr std::size_t kMinPinDigits = 4;
inline constexpr std::size_t kMaxPinDigits = 8;
inline constexpr unsigned long long kPinOpsLimit = 2;
inline constexpr std::size_t kPinMemLimit = 19u * 1024u * 1024u;

// Empty when pin is 4-8 ASCII digits, else what is wrong with it (never echoing the PIN).
std::string CheckPinFormat(std::string_view pin);
// "$argon2id$v=19$m=19456,t=2,p=1$..." for pin.
std::string HashPin(std::string_view pin);
// True when pin matches hash; false for a wrong PIN or a hash that is not a valid argon2id string.
bool VerifyPin(const std::string& hash, std::string_view pin);
// A complete argon2id hash string libsodium can verify against (not a prefix, not garbage).
bool LooksLikePinHash(std::string_view hash);

// Reads a new PIN twice: from a terminal without echo (prompts on err, the second entry is the
// confirmation), or as lines from in when it is not a terminal (the second line optional, and when
// given it must match). tool names the command in messages ("kiosk set-pin").
struct PinRead {
    std::optional<std::string> pin;  // valid format; the caller wipes it (WipePin) after use
    std::string error;               // when !pin: what went wrong, for err
};
PinRead ReadNewPin(std::FILE* in, std::FILE* err);
void WipePin(std::string& pin);

}  // namespace fk::config
