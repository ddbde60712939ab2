#pragma once
// Who viewed or exported per-rep data (issue 20 item 3): one row per successful per-rep report
// read or download, with who (person or token id), as what (role), when, what (report, store,
// dates, JSON or CSV) and from where (client address). Written once over the shared SQL runner
// (CallStoreSql.h); rows older than the configured time are deleted as new ones are written.
// Thread-safe when the runner is; database failures throw BackendError.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/Clock.h"
#include "server/CallStoreSql.h"

namespace fk::server {

struct AccessEntry {
    core::UtcMs at = 0;
    std::string who;   // user name, or "token:<id>"
    std::string role;  // admin, head_office, store_manager, coach, or manager_token
    std::string what;  // "reports/reps.csv store=s1 2026-11-01..2026-11-30"
    std::string from;  // client address
};

class AccessLog {
  public:
    explicit AccessLog(std::unique_ptr<SqlRunner> runner);
    // Records entry and deletes the entries older than keepMs before entry.at.
    void Record(const AccessEntry& entry, std::int64_t keepMs);
    // Newest first, entries with at in [fromMs, toMs), at most limit.
    std::vector<AccessEntry> List(core::UtcMs fromMs, core::UtcMs toMs, int limit);

  private:
    std::unique_ptr<SqlRunner> m_runner;
};

// The schema step that adds access_log (the same text on both backends).
std::string AccessLogMigration(bool postgres);

}  // namespace fk::server
