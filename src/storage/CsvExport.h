#pragma once
// CSV exports for manager mode: the responses of a period and the per-rep table, written to a
// directory the manager chose (a USB stick). Format: core/Csv.h (RFC 4180, CRLF, UTF-8 with BOM,
// formula-injection guard on text cells).
//
// Safety: the file name must stay inside the chosen directory: absolute names and any ".."
// component are refused, and the resolved folder (symlinks followed) must lie under the resolved
// directory. The file is written through SafeExportFile: <name>.partial created exclusively
// without following links, flushed, fsynced and renamed without replacing, so a pulled stick
// never leaves a truncated file under the final name, and a file or link already on the stick
// (at either name) is refused (ExportErrorKind::Exists), never overwritten or followed.
//
// Thread affinity: the caller's thread (the UI may run it on a worker with its own Dashboard).
// Failure: a value (ExportResult::error says what to fix); nothing in the store is touched.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/Period.h"
#include "core/RepStats.h"
#include "storage/Dashboard.h"

namespace fk::storage {

// Called every kProgressEvery rows and once at the end; return false to cancel.
using ExportProgress = std::function<bool(std::int64_t done, std::int64_t total)>;

struct ExportRequest {
    std::filesystem::path directory;  // must exist
    std::string fileName;             // e.g. "responses-2026-11-01-2026-11-30.csv"
    bool byteOrderMark = true;
    // rep id -> display name from the roster; ids without a name export with an empty name.
    std::map<std::string, std::string> repNames;
    ExportProgress progress;
};

enum class ExportErrorKind { None, BadPath, Io, Exists, Cancelled, Store };

struct ExportResult {
    ExportErrorKind error = ExportErrorKind::None;
    std::string message;  // for the manager, when error != None
    std::filesystem::path path;
    std::int64_t rows = 0;  // data rows written (header not counted)
    std::string existing;   // Exists: the name already in the directory
    bool Ok() const { return error == ExportErrorKind::None; }
};
std::string to_string(ExportErrorKind kind);

inline constexpr std::int64_t kProgressEvery = 1000;

// The full path for fileName inside directory, or the reason it is refused.
struct ExportPath {
    std::optional<std::filesystem::path> path;
    std::string error;
};
ExportPath ResolveExportPath(const std::filesystem::path& directory, const std::string& fileName);

// One line per response created in the period (misuse rows included, flagged), created_at order.
// Columns: id, seq, created_at_utc, created_at_local, tz_offset_min, scale, rating, sentiment,
// rep_id, rep_name, reason, reason_about_rep (yes/no/unknown/empty), language, misuse,
// closed_at_utc, close_reason, sync_state.
ExportResult ExportResponsesCsv(Dashboard& dashboard, const core::Period& period,
                                const core::ReasonPolicy& policy, const ExportRequest& request);

// One line per rep plus a "total" line: the numbers the dashboard shows for data.period.
ExportResult ExportRepTableCsv(const DashboardData& data, const ExportRequest& request);

}  // namespace fk::storage
