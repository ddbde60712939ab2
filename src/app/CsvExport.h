#pragma once
// kiosk export-csv: one row per response, a header row, every column of the response.

#include <ostream>

#include "storage/ResponseStore.h"

namespace fk::app {

inline constexpr const char* kCsvHeader =
    "id,seq,created_at,tz_offset_min,scale,rating,rep_id,reason,language,misuse,closed_at,close_reason,sync_state,"
    "sync_error";

// Writes the header and every response in seq order; returns the number of rows.
std::size_t ExportCsv(storage::ResponseStore& store, std::ostream& out);
// RFC 4180 quoting when the field holds a comma, quote or line break.
std::string CsvField(const std::string& text);

}  // namespace fk::app
