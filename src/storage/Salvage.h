#pragma once
// Salvage of a damaged responses.db that ResponseStore::Open has set aside: every row that can
// still be read (and holds sane values) is copied, with its id, seq, times and sync state, into
// the fresh store; the seqs that cannot be read are returned as lost ranges, for the server's
// gap report. A random damaged page costs the rows on that page (or under it, for an interior
// page), not the rows after it: a range scan that hits the damage goes on seq by seq past it.
//
// Thread affinity: the caller's thread; `fresh` is the caller's connection inside Open.
// Failure: never throws for damage in the set-aside file (what cannot be read is lost); throws
// SqliteError when writing to the fresh store fails.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

#include "storage/Sqlite.h"

namespace fk::storage {

struct SalvageResult {
    std::int64_t salvaged = 0;  // rows copied into the fresh store
    // Seqs in 1..maxSeq not copied (unreadable, or numbers reserved but perhaps never used).
    std::vector<std::pair<std::int64_t, std::int64_t>> lost;
    std::int64_t maxSeq = 0;  // the highest seq the damaged store may have used
    std::int64_t LostCount() const;
};

// Copies what is readable of `damaged` (its -wal too; the file is not changed) into `fresh`
// (migrated, empty). knownMaxSeq: a high-water mark kept outside the damaged file (0 if none),
// at or above every seq used; it counts only when the damaged file's last seq cannot be read
// (then the seqs between the last readable row and it are reported lost: some were perhaps
// never used).
SalvageResult SalvageRows(const std::filesystem::path& damaged, Database& fresh,
                          std::int64_t knownMaxSeq);

}  // namespace fk::storage
