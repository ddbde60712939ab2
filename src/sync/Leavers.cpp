#include "sync/Leavers.h"

#include <sodium.h>

#include <array>

#include "storage/ResponseStore.h"

namespace fk::sync {

std::string Sha256Hex(std::string_view text) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()),
                       text.size());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : digest) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

std::int64_t ApplyLeavers(storage::ResponseStore& store,
                          const std::vector<protocol::LeaverEntry>& leavers) {
    if (leavers.empty())
        return 0;
    std::int64_t changed = 0;
    for (const std::string& id : store.RepIds()) {
        const std::string hash = Sha256Hex(id);
        for (const auto& leaver : leavers) {
            if (leaver.fromSha256 == hash) {
                changed += store.ReplaceRep(id, leaver.to);
                break;
            }
        }
    }
    return changed;
}

}  // namespace fk::sync
