#include "server/Tokens.h"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "core/Uuid.h"

namespace fk::server {

namespace {

std::string Hex(const unsigned char* data, std::size_t size) {
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), data, size);
    out.pop_back();
    return out;
}

std::string RandomHex(std::size_t bytes) {
    std::array<unsigned char, 64> buffer{};
    core::FillRandom(buffer.data(), bytes);
    return Hex(buffer.data(), bytes);
}

IssuedToken Issue(Backend& backend, TokenRecord record, core::UtcMs now) {
    IssuedToken issued;
    issued.record = std::move(record);
    issued.record.id = "tok_" + RandomHex(6);
    issued.secret = "fk1_" + RandomHex(32);
    backend.AddToken(issued.record, HashToken(issued.secret), now);
    return issued;
}

}  // namespace

std::string HashToken(std::string_view secret) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(secret.data()),
                       secret.size());
    return Hex(digest.data(), digest.size());
}

IssuedToken IssueKioskToken(Backend& backend, const KioskRecord& kiosk, core::UtcMs now) {
    return Issue(backend, TokenRecord{"", TokenKind::Kiosk, kiosk.id, kiosk.storeId}, now);
}

IssuedToken IssueManagerToken(Backend& backend, const std::optional<std::string>& storeId,
                              core::UtcMs now) {
    if (storeId && !backend.StoreExists(*storeId)) {
        throw BackendError(BackendError::Kind::NotFound,
                           "no store " + *storeId + "; add it first with add-store");
    }
    return Issue(backend, TokenRecord{"", TokenKind::Manager, std::nullopt, storeId}, now);
}

}  // namespace fk::server
