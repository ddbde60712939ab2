#pragma once
// The report roll-ups' definitions, shared by both server backends (server/SqliteRollups,
// server/PgRollups) so the same response lands in the same cell everywhere: a response counts
// on its kiosk's local day, local hour and local month, by store, rep, scale, rating, reason and
// misuse. The SQL expressions compute in SQL exactly what the C++ functions compute (integer
// division truncating toward zero in SQLite, PostgreSQL and C++ alike); tests/server/RollupsTest
// checks every roll-up against raw counts on both backends. Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/Response.h"

namespace fk::core {

inline constexpr std::int64_t kRollupMsPerDay = 86'400'000;

// Local time of a response in ms since the epoch: created_at + tz_offset_min minutes.
inline std::int64_t RollupLocalMs(std::int64_t createdAtMs, int tzOffsetMin) {
    return createdAtMs + static_cast<std::int64_t>(tzOffsetMin) * 60'000;
}
inline std::int64_t RollupDay(std::int64_t localMs) {
    return localMs / kRollupMsPerDay;
}
inline int RollupHour(std::int64_t localMs) {
    return static_cast<int>((localMs % kRollupMsPerDay) / 3'600'000);
}
// The day number of the first day of the day's calendar month: a month's key.
std::int64_t RollupMonthStart(std::int64_t day);
// The day number of the first day of the next month.
std::int64_t RollupNextMonthStart(std::int64_t monthStart);

// The same in SQL over a responses row (columns created_at, tz_offset_min).
inline constexpr const char* kRollupDaySql = "((created_at + tz_offset_min * 60000) / 86400000)";
inline constexpr const char* kRollupHourSql =
    "(((created_at + tz_offset_min * 60000) % 86400000) / 3600000)";

// A day range [from, to] split for summing: days outside whole months from the day roll-up,
// whole months (by month start) from the month roll-up. Periods shorter than a month have no
// whole month and are days only.
struct RollupSpan {
    std::vector<std::pair<std::int64_t, std::int64_t>> dayRanges;  // inclusive
    std::optional<std::pair<std::int64_t, std::int64_t>> months;   // month starts, inclusive
};
RollupSpan SplitRollupSpan(std::int64_t fromDay, std::int64_t toDay);

// The roll-up tables, the same in both backends. Keys cannot hold NULL (SQLite's UNIQUE treats
// NULLs as distinct), so a missing rep or reason is has_rep/has_reason = 0 with '', a missing
// survey version 0.
//   agg_rep_day    (store_id, day,   has_rep, rep_id, scale, rating, has_reason, reason, misuse,
//                   survey_version, n)
//   agg_rep_month  (store_id, month, has_rep, rep_id, scale, rating, has_reason, reason, misuse,
//                   survey_version, n)
//   agg_store_day  (store_id, day,   scale, rating, has_reason, reason, misuse, survey_version, n)
//   agg_store_month(store_id, month, scale, rating, has_reason, reason, misuse, survey_version, n)
//   agg_hour       (store_id, day, hour, scale, rating, n)   non-misuse rows only
// month is RollupMonthStart(day). Dialect: which SQL the statements are written in.
enum class RollupDialect { Sqlite, Postgres };

// A statement with "$1".."$n" placeholders (PostgreSQL's form; SqliteBackend turns them into
// SQLite's "?1".."?n") and its values.
struct RollupStatement {
    std::string sql;
    std::vector<std::variant<std::int64_t, std::string>> params;
};

// Counts of [fromDay, toDay], columns: store_id, day (0 when !perDay), has_rep, rep_id, scale,
// rating, has_reason, reason, misuse, n, survey_version (0: none). byRep false: rep columns are
// 0, ''. !perDay sums the
// days, reading whole months from the month roll-ups; for one store a key may come in several
// rows (add them up).
RollupStatement CountDaysStatement(const std::optional<std::string>& storeId, std::int64_t fromDay,
                                   std::int64_t toDay, bool byRep, bool perDay);
// Heatmap counts: store_id, day, hour, scale, rating, n.
RollupStatement CountHoursStatement(const std::optional<std::string>& storeId, std::int64_t fromDay,
                                    std::int64_t toDay);
// Retention (issue 20): the one-row table retention (id = 1, before_day) says that the raw
// responses of local days before before_day were deleted; their day roll-ups (and the hour
// roll-up) are then the only record of them and are never recomputed. A database never purged
// has no row. The SQL of that day (a day before any response when there is no row):
inline constexpr const char* kRetentionMarkSql =
    "(SELECT coalesce(max(before_day), -1000000000) FROM retention)";
// Empties every roll-up and refills it from responses (run inside one transaction), except the
// day and hour rows of retained days before the retention mark: those stay, and the month
// roll-ups are summed from the day roll-ups, so a report over a purged period reads the same.
// keepRetained false: no retention table yet (the schema steps before it), every row is rebuilt.
// surveyVersions false: the per-rep roll-ups have no survey_version column yet (the schema steps
// before it); true: they are keyed by it too (0: a response that names none).
std::vector<std::string> RebuildRollupStatements(RollupDialect dialect, bool keepRetained = true,
                                                 bool surveyVersions = true);
// SQL of the month start of an integer day-number column or expression.
std::string MonthStartSql(RollupDialect dialect, const std::string& day);

}  // namespace fk::core
