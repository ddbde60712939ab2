#pragma once
// SQLite's report roll-ups (definitions in core/Rollups.h): the schema migration that adds the
// monthly ones, and the per-batch update the ingest transaction calls. Runs on the caller's
// connection inside its transaction; throws storage::SqliteError. Not thread-safe per connection.

#include <string>
#include <vector>

#include "core/Response.h"
#include "storage/Sqlite.h"

namespace fk::server {

// Schema version 3: the monthly roll-ups, and every roll-up refilled from the responses.
std::string SqliteRollupsMigration();

// Adds rows (just inserted for storeId) to every roll-up: counted in memory first, then one
// upsert per distinct key (a batch from one kiosk shares few keys).
void AddToSqliteRollups(storage::Database& db, const std::string& storeId,
                        const std::vector<const core::Response*>& inserted);

// Adds the same rows to the store alert's minute counts (StoreAlerts.h): those without misuse,
// created after now - kAlertMinutesKeptMs.
void AddToSqliteAlertMinutes(storage::Database& db, const std::string& storeId,
                             const std::vector<const core::Response*>& inserted, std::int64_t now);

}  // namespace fk::server
