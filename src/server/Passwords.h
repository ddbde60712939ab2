#pragma once
// People's passwords and one-time set-password links. A password is kept only as a libsodium
// argon2id hash (crypto_pwhash_str, the kiosk PIN's cost: OWASP's minimum, 19 MiB and t=2); at
// most kMaxConcurrentHashes hashes run at once, so a burst of logins cannot take the server's
// memory. A link secret is 32 random bytes (like a token: only its SHA-256 is stored). Thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fk::server {

inline constexpr std::size_t kMinPasswordLength = 10;
inline constexpr std::size_t kMaxPasswordLength = 200;  // bytes; argon2 takes any length, we don't
inline constexpr int kMaxConcurrentHashes = 4;
// How long a one-time set-password link works.
inline constexpr std::int64_t kLinkLifetimeMs = 72LL * 3600 * 1000;
// The page's address part of a link: BASE_URL + kLinkPath + secret.
inline constexpr std::string_view kLinkPath = "/#set-password=";

// What is wrong with a user name ("" when fine): 1 to 64 of A-Z a-z 0-9 . _ @ -.
std::string CheckUserName(std::string_view name);

// What is wrong with a new password, in a sentence for the person typing it; "" when fine.
std::string CheckNewPassword(std::string_view password);
// Throws std::runtime_error when libsodium fails (out of memory).
std::string HashPassword(std::string_view password);
// false for a wrong password or a hash that is not one of ours.
bool VerifyPassword(const std::string& hash, std::string_view password);
// Spends about one verification's time: a login for an unknown user takes as long as a wrong
// password, so timing does not tell which names exist.
void SpendVerificationTime(std::string_view password);

// "fkl_" + 64 hex digits, from the kernel CSPRNG. Show once; store HashToken() of it.
std::string NewLinkSecret();
bool LooksLikeLinkSecret(std::string_view text);

}  // namespace fk::server
