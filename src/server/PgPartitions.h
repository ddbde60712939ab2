#pragma once
// PostgreSQL's responses table partitioned by month of created_at (schema version 5): the
// migration that turns today's table into a partitioned one in place, and the month arithmetic
// PgBackend uses to create a month's partition before the first row of that month is inserted.
// SQL text and pure functions; PgBackend runs them. Thread-safe.
//
// Why the layout (docs/ARCHITECTURE.md, "PostgreSQL partitions"): a unique index of a
// partitioned table must contain the partition key, so "one row per id" and "one row per
// (kiosk, seq)" can no longer be indexes of responses. They live in the small unpartitioned
// table response_keys (id primary key, (kiosk_id, seq) unique), which every insert goes through
// first; responses itself keeps (kiosk_id, seq, created_at) as its primary key, the lookup path
// from a key to its row. A default partition takes rows whose month has no partition (a kiosk
// clock years off), so an insert never fails for want of a partition.

#include <cstdint>
#include <string>

namespace fk::server {

// Schema version 5: partitions the responses of a version 4 database in place (rows, keys and
// roll-ups unchanged) and adds kiosks.last_created_at / last_tz_offset_min (the newest response's
// time zone, so reports need no index on responses to find it).
std::string PgPartitionsMigration();

// One statement: fk_ensure_month for every month of the rows of `table` (a responses-shaped
// table) within PartitionOnDemand's window around PostgreSQL's now().
std::string PgEnsureMonthsSql(const std::string& table);

// Sets kiosks.last_created_at / last_tz_offset_min from the rows of `table` where newer.
std::string PgLatestTzSql(const std::string& table);

// First millisecond (UTC) of the calendar month holding atMs.
std::int64_t PartitionMonthStart(std::int64_t atMs);

// Whether a response created at atMs gets its month's partition created on demand when the
// server clock reads nowMs. Months further back or ahead (a kiosk clock far off; a hostile kiosk
// must not create thousands of tables) go to the default partition.
bool PartitionOnDemand(std::int64_t atMs, std::int64_t nowMs);

// Months ahead of nowMs (this one and the next) whose partitions the server creates when it
// starts, so ordinary ingest never waits for one.
inline constexpr int kPartitionMonthsAhead = 2;

}  // namespace fk::server
