#include "server/PgPartitions.h"

#include "core/Calendar.h"
#include "core/TimeFormat.h"

namespace fk::server {

namespace {

// The on-demand window. Back: a kiosk holds its unsent rows for weeks at most; three years is
// generous. Ahead: a kiosk clock a little fast.
constexpr std::int64_t kPastMs = 3 * 366 * core::kMsPerDay;
constexpr std::int64_t kAheadMs = 62 * core::kMsPerDay;

// SQL: the first millisecond of created_at's month (UTC), as PartitionMonthStart computes it.
const char* const kMonthOfSql =
    "(extract(epoch FROM date_trunc('month', to_timestamp(created_at / 1000.0) AT TIME ZONE "
    "'UTC')) * 1000)::bigint";

}  // namespace

std::int64_t PartitionMonthStart(std::int64_t atMs) {
    const core::CivilDate day = core::CivilFromDays(core::FloorDiv(atMs, core::kMsPerDay));
    return core::DaysFromCivil(core::CivilDate{day.year, day.month, 1}) * core::kMsPerDay;
}

bool PartitionOnDemand(std::int64_t atMs, std::int64_t nowMs) {
    return atMs >= nowMs - kPastMs && atMs <= nowMs + kAheadMs;
}

std::string PgEnsureMonthsSql(const std::string& table) {
    const std::string now = "(extract(epoch FROM now()) * 1000)::bigint";
    return std::string("SELECT fk_ensure_month(m) FROM (SELECT DISTINCT ") + kMonthOfSql +
           " AS m FROM " + table + " WHERE created_at BETWEEN " + now + " - " +
           std::to_string(kPastMs) + " AND " + now + " + " + std::to_string(kAheadMs) + ") s";
}

std::string PgLatestTzSql(const std::string& table) {
    return "UPDATE kiosks k SET last_created_at = l.created_at, last_tz_offset_min = "
           "l.tz_offset_min FROM (SELECT DISTINCT ON (kiosk_id) kiosk_id, created_at, "
           "tz_offset_min FROM " +
           table +
           " ORDER BY kiosk_id, created_at DESC) l WHERE l.kiosk_id = k.id AND "
           "(k.last_created_at IS NULL OR l.created_at >= k.last_created_at)";
}

std::string PgPartitionsMigration() {
    std::string sql = R"sql(
-- Uniqueness moves to response_keys (see PgPartitions.h); the old indexes go: reports read the
-- roll-ups, and the lookups go through response_keys and the new primary key.
DROP INDEX responses_rep;
DROP INDEX responses_store_time;
ALTER TABLE responses DROP CONSTRAINT responses_pkey;
ALTER TABLE responses DROP CONSTRAINT responses_kiosk_id_seq_key;
ALTER TABLE responses RENAME TO responses_v4;
CREATE TABLE response_keys (
  id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, seq BIGINT NOT NULL, created_at BIGINT NOT NULL,
  UNIQUE (kiosk_id, seq));
CREATE TABLE responses (
  id TEXT NOT NULL, kiosk_id TEXT NOT NULL, store_id TEXT NOT NULL, seq BIGINT NOT NULL,
  created_at BIGINT NOT NULL, closed_at BIGINT NOT NULL, tz_offset_min INTEGER NOT NULL,
  scale INTEGER NOT NULL, rating INTEGER NOT NULL, rep_id TEXT, reason TEXT, language TEXT NOT NULL,
  misuse TEXT, batch_id TEXT NOT NULL, received_at BIGINT NOT NULL,
  CONSTRAINT responses_pkey PRIMARY KEY (kiosk_id, seq, created_at)) PARTITION BY RANGE (created_at);
CREATE TABLE responses_other PARTITION OF responses DEFAULT;
-- Creates the partition of at_ms's month unless one exists (false then). Rows of that month
-- already in the default partition move into it. Serialised by an advisory lock, so several
-- servers asking at once create it once. ATTACH (not CREATE ... PARTITION OF) so running inserts
-- and reports are not blocked: it takes SHARE UPDATE EXCLUSIVE on responses.
CREATE FUNCTION fk_ensure_month(at_ms BIGINT) RETURNS BOOLEAN LANGUAGE plpgsql AS $fn$
DECLARE
  m TIMESTAMP := date_trunc('month', to_timestamp(at_ms / 1000.0) AT TIME ZONE 'UTC');
  lo BIGINT := (extract(epoch FROM m) * 1000)::bigint;
  hi BIGINT := (extract(epoch FROM m + interval '1 month') * 1000)::bigint;
  parent REGCLASS := 'responses'::regclass;
  nsp TEXT := (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = 'responses'::regclass);
  name TEXT := 'responses_' || to_char(m, 'YYYY_MM');
  fallback REGCLASS;
BEGIN
  PERFORM pg_advisory_xact_lock(7302118);
  IF EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = parent AND pg_get_expr(c.relpartbound, c.oid) IN (
               format('FOR VALUES FROM (''%s'') TO (''%s'')', lo, hi),
               format('FOR VALUES FROM (%s) TO (%s)', lo, hi))) THEN
    RETURN false;
  END IF;
  IF to_regclass(format('%I.%I', nsp, name)) IS NOT NULL THEN
    name := name || '_' || txid_current();  -- the old one was detached and kept
  END IF;
  EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS, CONSTRAINT %I CHECK '
                 '(created_at >= %s AND created_at < %s))', nsp, name, parent, name || '_month', lo, hi);
  SELECT c.oid INTO fallback FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = parent AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
  IF fallback IS NOT NULL THEN
    EXECUTE format('WITH moved AS (DELETE FROM %s WHERE created_at >= %s AND created_at < %s '
                   'RETURNING *) INSERT INTO %I.%I SELECT * FROM moved', fallback, lo, hi, nsp, name);
  END IF;
  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%s) TO (%s)',
                 parent, nsp, name, lo, hi);
  RETURN true;
END
$fn$;
)sql";
    sql += PgEnsureMonthsSql("responses_v4") + ";\n";
    sql += R"sql(
INSERT INTO response_keys (id, kiosk_id, seq, created_at)
  SELECT id, kiosk_id, seq, created_at FROM responses_v4;
INSERT INTO responses (id, kiosk_id, store_id, seq, created_at, closed_at, tz_offset_min, scale,
    rating, rep_id, reason, language, misuse, batch_id, received_at)
  SELECT id, kiosk_id, store_id, seq, created_at, closed_at, tz_offset_min, scale, rating, rep_id,
    reason, language, misuse, batch_id, received_at FROM responses_v4;
ALTER TABLE kiosks ADD COLUMN last_created_at BIGINT, ADD COLUMN last_tz_offset_min INTEGER;
CREATE INDEX kiosks_store_latest ON kiosks (store_id, last_created_at);
)sql";
    sql += PgLatestTzSql("responses_v4") + ";\n";
    sql += R"sql(
DROP TABLE responses_v4;
ANALYZE response_keys;
ANALYZE responses;
)sql";
    return sql;
}

}  // namespace fk::server
