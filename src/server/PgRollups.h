#pragma once
// PostgreSQL's report roll-ups (definitions in core/Rollups.h): the schema migration that creates
// and fills them, the wrapper that keeps them in the ingest transaction, and the fleet's one-row-
// per-kiosk status query. SQL text only; PgBackend runs it. Pure functions; thread-safe.

#include <string>

namespace fk::server {

// Schema version 4: the roll-up tables, filled from the responses already stored (in place).
std::string PgRollupsMigration();

// Wraps a responses INSERT (no RETURNING) so the rows it actually inserts are added to every
// roll-up in the same statement: one round trip, and rows skipped by ON CONFLICT DO NOTHING are
// not counted. Keys are upserted in key order so concurrent ingest transactions lock them in
// the same order (no deadlock). ctes (empty, or "name AS (...), " each ending in a comma) come
// before the insert, which may use them. The statement ends with finalSelect over `ins` (the
// inserted rows); by default it returns one row: the number of rows inserted.
// moreCtes (empty, or "name AS (...), " each ending in a comma) come after the roll-ups and may
// use `ins` too.
std::string PgWithRollups(const std::string& ctes, const std::string& insertSql,
                          const std::string& finalSelect = "SELECT count(*) FROM ins",
                          const std::string& moreCtes = "");

// Every kiosk of a store ($1) or of all stores (no parameter) with its status in one row:
// id, store_id, acked_seq, last_seen, pending_reported, oldest_pending_age_ms, clock_skew_ms,
// version, last_error, alert, rejected, seqs above acked_seq (PostgreSQL array text, at most
// 100,000; empty for a kiosk that is up to date).
std::string PgFleetSql(bool oneStore);

}  // namespace fk::server
