#pragma once
// Bearer tokens: 32 random bytes from the kernel CSPRNG, shown once, stored only as their
// SHA-256 (libsodium). Tokens are high-entropy, so an unsalted fast hash is enough: a database leak
// cannot be brute-forced back to a token. Thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "server/Backend.h"

namespace fk::server {

struct IssuedToken {
    TokenRecord record;
    std::string secret;  // "fk1_" + 64 hex digits; print once, never store
};

// Lower-case hex SHA-256 of the token text.
std::string HashToken(std::string_view secret);
// Creates and stores a token. Throw BackendError like the backend.
IssuedToken IssueKioskToken(Backend& backend, const KioskRecord& kiosk, core::UtcMs now);
IssuedToken IssueManagerToken(Backend& backend, const std::optional<std::string>& storeId,
                              core::UtcMs now);

}  // namespace fk::server
