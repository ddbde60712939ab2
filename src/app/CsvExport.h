#pragma once
// kiosk export-csv: the UTF-8 byte order mark, a header row, then one row per response with every
// column of the response. Cells go through core::CsvWriter (RFC 4180, CRLF, text starting with
// = + - @ tab CR guarded against spreadsheet formulas). Pure over its source; the caller picks the
// connection (the command uses a read-only one, so it works while the kiosk runs).

#include <functional>
#include <ostream>

#include "core/Response.h"

namespace fk::app {

// The same column names as the manager's USB export (storage::ExportResponsesCsv) for the same
// fields; this file adds sync_error and leaves out the columns that need the roster or the policy.
inline constexpr const char* kCsvHeader =
    "id,seq,created_at_utc,tz_offset_min,scale,rating,rep_id,reason,language,misuse,"
    "closed_at_utc,close_reason,sync_state,sync_error";

using ResponseVisitor = std::function<bool(const core::Response&)>;
// Calls the visitor for each response to export until it returns false.
using ResponseSource = std::function<void(const ResponseVisitor&)>;

// Writes the header and every response the source yields; returns the number of rows.
std::size_t ExportCsv(const ResponseSource& source, std::ostream& out);

}  // namespace fk::app
