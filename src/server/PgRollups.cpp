#include "server/PgRollups.h"

#include "core/Rollups.h"

namespace fk::server {

namespace {

using core::RollupDialect;

}  // namespace

std::string PgRollupsMigration() {
    std::string sql = R"sql(
CREATE TABLE agg_rep_day (
  store_id TEXT NOT NULL, day BIGINT NOT NULL, has_rep INTEGER NOT NULL, rep_id TEXT NOT NULL,
  scale INTEGER NOT NULL, rating INTEGER NOT NULL, has_reason INTEGER NOT NULL, reason TEXT NOT NULL,
  misuse INTEGER NOT NULL, n BIGINT NOT NULL,
  PRIMARY KEY (store_id, day, has_rep, rep_id, scale, rating, has_reason, reason, misuse));
CREATE TABLE agg_rep_month (
  store_id TEXT NOT NULL, month BIGINT NOT NULL, has_rep INTEGER NOT NULL, rep_id TEXT NOT NULL,
  scale INTEGER NOT NULL, rating INTEGER NOT NULL, has_reason INTEGER NOT NULL, reason TEXT NOT NULL,
  misuse INTEGER NOT NULL, n BIGINT NOT NULL,
  PRIMARY KEY (store_id, month, has_rep, rep_id, scale, rating, has_reason, reason, misuse));
CREATE TABLE agg_store_day (
  store_id TEXT NOT NULL, day BIGINT NOT NULL, scale INTEGER NOT NULL, rating INTEGER NOT NULL,
  has_reason INTEGER NOT NULL, reason TEXT NOT NULL, misuse INTEGER NOT NULL, n BIGINT NOT NULL,
  PRIMARY KEY (store_id, day, scale, rating, has_reason, reason, misuse));
CREATE INDEX agg_store_day_day ON agg_store_day (day);
CREATE TABLE agg_store_month (
  store_id TEXT NOT NULL, month BIGINT NOT NULL, scale INTEGER NOT NULL, rating INTEGER NOT NULL,
  has_reason INTEGER NOT NULL, reason TEXT NOT NULL, misuse INTEGER NOT NULL, n BIGINT NOT NULL,
  PRIMARY KEY (store_id, month, scale, rating, has_reason, reason, misuse));
CREATE TABLE agg_hour (
  store_id TEXT NOT NULL, day BIGINT NOT NULL, hour INTEGER NOT NULL, scale INTEGER NOT NULL,
  rating INTEGER NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (store_id, day, hour, scale, rating));
CREATE INDEX agg_hour_day ON agg_hour (day);
)sql";
    for (const auto& statement :
         core::RebuildRollupStatements(RollupDialect::Postgres, false, false))
        sql += statement + ";\n";
    return sql;
}

std::string PgWithRollups(const std::string& ctes, const std::string& insertSql,
                          const std::string& finalSelect) {
    const std::string day = core::kRollupDaySql;
    const std::string hour = core::kRollupHourSql;
    const std::string month = core::MonthStartSql(RollupDialect::Postgres, day);
    const std::string rep = "(rep_id IS NOT NULL)::int, coalesce(rep_id, ''), ";
    const std::string reason =
        ", (reason IS NOT NULL)::int, coalesce(reason, ''), (misuse IS NOT NULL)::int";
    const std::string version = ", coalesce(survey_version, 0)";
    // Groups the inserted rows by the table's key (its first `keys` columns, in order) and adds
    // the counts.
    auto add = [](const std::string& table, const std::string& columns, int keys,
                  const std::string& where) {
        std::string list = "1";
        for (int i = 2; i <= keys; ++i)
            list += ", " + std::to_string(i);
        return table + "_ins AS (INSERT INTO " + table + " SELECT store_id, " + columns +
               ", count(*) FROM ins" + where + " GROUP BY " + list + " ORDER BY " + list +
               " ON CONFLICT ON CONSTRAINT " + table + "_pkey DO UPDATE SET n = " + table +
               ".n + excluded.n)";
    };
    return "WITH " + ctes + "ins AS (" + insertSql +
           " RETURNING store_id, created_at, tz_offset_min, scale, rating, rep_id, reason, "
           "misuse, survey_version), " +
           add("agg_rep_day", day + ", " + rep + "scale, rating" + reason + version, 10, "") +
           ", " +
           add("agg_rep_month", month + ", " + rep + "scale, rating" + reason + version, 10, "") +
           ", " + add("agg_store_day", day + ", scale, rating" + reason + version, 8, "") + ", " +
           add("agg_store_month", month + ", scale, rating" + reason + version, 8, "") + ", " +
           add("agg_hour", day + ", " + hour + ", scale, rating", 5, " WHERE misuse IS NULL") +
           " " + finalSelect;
}

std::string PgFleetSql(bool oneStore) {
    // Seqs above the mark come from (kiosk_id, seq) index probes that find nothing for a kiosk
    // that is up to date; the rejections are counted in one grouped pass.
    return std::string(
               "SELECT k.id, k.store_id, k.acked_seq, k.last_seen, k.pending_reported, "
               "k.oldest_pending_age_ms, "
               "k.clock_skew_ms, k.version, k.last_error, k.alert, coalesce(j.n, 0), "
               "ARRAY(SELECT seq FROM (SELECT seq FROM response_keys r WHERE r.kiosk_id = k.id AND "
               "r.seq > k.acked_seq "
               "UNION SELECT seq FROM kiosk_seqs s WHERE s.kiosk_id = k.id AND s.seq > "
               "k.acked_seq) u "
               "ORDER BY 1 LIMIT 100000) FROM kiosks k "
               "LEFT JOIN (SELECT kiosk_id, count(*) AS n FROM rejections WHERE code <> 'lost' "
               "GROUP BY "
               "kiosk_id) j ON "
               "j.kiosk_id = k.id") +
           (oneStore ? " WHERE k.store_id = $1" : "") + " ORDER BY k.id";
}

}  // namespace fk::server
