#pragma once
// Leavers pushed with the roster (issue 20 item 4): the one kiosk-side step of a pseudonymisation
// or erasure made at head office. The config names a leaver by the SHA-256 of their old id; each
// rep id in this kiosk's store whose hash matches is replaced (storage::ResponseStore::ReplaceRep,
// which also rewrites the file so no copy of the old id stays). Runs on the thread owning the
// store (the sync thread); StoreError propagates.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/Wire.h"

namespace fk::storage {
class ResponseStore;
}

namespace fk::sync {

// Rows changed (0 when no leaver is named here, which costs one scan of the rep ids).
std::int64_t ApplyLeavers(storage::ResponseStore& store,
                          const std::vector<protocol::LeaverEntry>& leavers);
// SHA-256 of text in lower-case hex, as the server writes from_sha256.
std::string Sha256Hex(std::string_view text);

}  // namespace fk::sync
