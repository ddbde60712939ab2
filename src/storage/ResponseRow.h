#pragma once
// One response row of responses.db read into a core::Response: the column list and the reader
// shared by ResponseStore and Dashboard (internal to storage). Throws SqliteError (corrupt) when a
// stored id is not a UUID.

#include "core/Response.h"
#include "storage/Sqlite.h"

namespace fk::storage {

// SELECT this, in this order, for ReadResponseRow.
inline constexpr const char* kResponseColumns =
    "id, seq, created_at, tz_offset_min, scale, rating, rep_id, reason, language, misuse, "
    "closed_at, close_reason, sync_state, sync_error, help, first_rating, survey_version";

core::Response ReadResponseRow(const Statement& s);

}  // namespace fk::storage
