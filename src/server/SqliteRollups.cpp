#include "server/SqliteRollups.h"

#include <map>
#include <tuple>

#include "core/Rollups.h"

namespace fk::server {

using storage::Statement;

std::string SqliteRollupsMigration() {
    std::string sql = R"sql(
CREATE TABLE agg_rep_month (
  store_id TEXT NOT NULL, month INTEGER NOT NULL, has_rep INTEGER NOT NULL, rep_id TEXT NOT NULL,
  scale INTEGER NOT NULL, rating INTEGER NOT NULL, has_reason INTEGER NOT NULL, reason TEXT NOT NULL,
  misuse INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (store_id, month, has_rep, rep_id, scale, rating, has_reason, reason, misuse)) WITHOUT ROWID;
CREATE TABLE agg_store_month (
  store_id TEXT NOT NULL, month INTEGER NOT NULL, scale INTEGER NOT NULL, rating INTEGER NOT NULL,
  has_reason INTEGER NOT NULL, reason TEXT NOT NULL, misuse INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (store_id, month, scale, rating, has_reason, reason, misuse)) WITHOUT ROWID;
)sql";
    for (const auto& statement :
         core::RebuildRollupStatements(core::RollupDialect::Sqlite, false, false))
        sql += statement + ";\n";
    return sql;
}

void AddToSqliteRollups(storage::Database& db, const std::string& storeId,
                        const std::vector<const core::Response*>& inserted) {
    // unit (day or month start), has_rep, rep, scale, rating, has_reason, reason, misuse,
    // survey version (0: none)
    using RepKey =
        std::tuple<std::int64_t, int, std::string, int, int, int, std::string, int, std::int64_t>;
    using StoreKey = std::tuple<std::int64_t, int, int, int, std::string, int, std::int64_t>;
    using HourKey = std::tuple<std::int64_t, int, int, int>;  // day, hour, scale, rating
    std::map<RepKey, std::int64_t> repDays, repMonths;
    std::map<StoreKey, std::int64_t> storeDays, storeMonths;
    std::map<HourKey, std::int64_t> hours;
    std::map<std::int64_t, std::int64_t> monthOf;  // day -> month start, computed once per day
    for (const core::Response* r : inserted) {
        const std::int64_t local = core::RollupLocalMs(r->createdAtMs, r->tzOffsetMin);
        const std::int64_t day = core::RollupDay(local);
        auto [m, fresh] = monthOf.try_emplace(day, 0);
        if (fresh)
            m->second = core::RollupMonthStart(day);
        const int misuse = r->misuse ? 1 : 0;
        const int hasReason = r->reason ? 1 : 0;
        const int hasRep = r->repId ? 1 : 0;
        const std::string rep = r->repId.value_or("");
        const std::string reason = r->reason.value_or("");
        const std::int64_t version = r->surveyVersion.value_or(0);
        ++repDays[RepKey{day, hasRep, rep, r->scale, r->rating, hasReason, reason, misuse,
                         version}];
        ++repMonths[RepKey{m->second, hasRep, rep, r->scale, r->rating, hasReason, reason, misuse,
                           version}];
        ++storeDays[StoreKey{day, r->scale, r->rating, hasReason, reason, misuse, version}];
        ++storeMonths[StoreKey{m->second, r->scale, r->rating, hasReason, reason, misuse, version}];
        if (!r->misuse)
            ++hours[HourKey{day, core::RollupHour(local), r->scale, r->rating}];
    }
    auto reps = [&](const char* table, const std::map<RepKey, std::int64_t>& counts) {
        Statement s(db,
                    std::string("INSERT INTO ") + table +
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = "
                        "n + excluded.n");
        for (const auto& [k, n] : counts) {
            const auto& [unit, hasRep, rep, scale, rating, hasReason, reason, misuse, version] = k;
            s.Bind(1, storeId)
                .Bind(2, unit)
                .Bind(3, hasRep)
                .Bind(4, rep)
                .Bind(5, scale)
                .Bind(6, rating);
            s.Bind(7, hasReason).Bind(8, reason).Bind(9, misuse).Bind(10, version).Bind(11, n);
            s.Run();
            s.Reset();
        }
    };
    auto stores = [&](const char* table, const std::map<StoreKey, std::int64_t>& counts) {
        Statement s(
            db,
            std::string("INSERT INTO ") + table +
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n");
        for (const auto& [k, n] : counts) {
            const auto& [unit, scale, rating, hasReason, reason, misuse, version] = k;
            s.Bind(1, storeId).Bind(2, unit).Bind(3, scale).Bind(4, rating).Bind(5, hasReason);
            s.Bind(6, reason).Bind(7, misuse).Bind(8, version).Bind(9, n);
            s.Run();
            s.Reset();
        }
    };
    reps("agg_rep_day", repDays);
    reps("agg_rep_month", repMonths);
    stores("agg_store_day", storeDays);
    stores("agg_store_month", storeMonths);
    Statement hour(db,
                   "INSERT INTO agg_hour VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n "
                   "+ excluded.n");
    for (const auto& [k, n] : hours) {
        const auto& [day, h, scale, rating] = k;
        hour.Bind(1, storeId).Bind(2, day).Bind(3, h).Bind(4, scale).Bind(5, rating).Bind(6, n);
        hour.Run();
        hour.Reset();
    }
}

}  // namespace fk::server
