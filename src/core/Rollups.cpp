#include "core/Rollups.h"

#include "core/TimeFormat.h"

namespace fk::core {

std::int64_t RollupMonthStart(std::int64_t day) {
    CivilDate d = CivilFromDays(day);
    d.day = 1;
    return DaysFromCivil(d);
}

std::int64_t RollupNextMonthStart(std::int64_t monthStart) {
    CivilDate d = CivilFromDays(monthStart);
    d.day = 1;
    if (++d.month > 12) {
        d.month = 1;
        ++d.year;
    }
    return DaysFromCivil(d);
}

RollupSpan SplitRollupSpan(std::int64_t fromDay, std::int64_t toDay) {
    RollupSpan span;
    if (toDay < fromDay)
        return span;
    std::int64_t first = RollupMonthStart(fromDay);
    if (first < fromDay)
        first = RollupNextMonthStart(first);  // first whole month starts here
    std::int64_t last = -1;                   // start of the last whole month
    bool any = false;
    for (std::int64_t m = first; RollupNextMonthStart(m) - 1 <= toDay;
         m = RollupNextMonthStart(m)) {
        last = m;
        any = true;
    }
    if (!any) {
        span.dayRanges.emplace_back(fromDay, toDay);
        return span;
    }
    if (fromDay < first)
        span.dayRanges.emplace_back(fromDay, first - 1);
    const std::int64_t afterLast = RollupNextMonthStart(last);
    if (afterLast <= toDay)
        span.dayRanges.emplace_back(afterLast, toDay);
    span.months = std::make_pair(first, last);
    return span;
}

namespace {

class Builder {
  public:
    std::string Add(std::variant<std::int64_t, std::string> value) {
        m_statement.params.push_back(std::move(value));
        return "$" + std::to_string(m_statement.params.size());
    }
    RollupStatement& Statement() { return m_statement; }

  private:
    RollupStatement m_statement;
};

}  // namespace

RollupStatement CountDaysStatement(const std::optional<std::string>& storeId, std::int64_t fromDay,
                                   std::int64_t toDay, bool byRep, bool perDay) {
    Builder b;
    const std::string store = storeId ? b.Add(*storeId) : "";
    const std::string rep = byRep ? "has_rep, rep_id" : "0 AS has_rep, '' AS rep_id";
    const std::string kind = byRep ? "rep" : "store";

    auto part = [&](const std::string& unit, std::int64_t lo, std::int64_t hi) {
        std::string sql = "SELECT store_id, " + std::string(perDay ? unit : "0") + " AS day, " +
                          rep +
                          ", scale, rating, has_reason, reason, misuse, n, survey_version"
                          " FROM agg_" +
                          kind + "_" + (unit == "day" ? "day" : "month") + " WHERE ";
        if (storeId)
            sql += "store_id = " + store + " AND ";
        sql += unit + " BETWEEN " + b.Add(lo) + " AND " + b.Add(hi);
        return sql;
    };
    std::string sql;
    if (perDay) {
        sql = part("day", fromDay, toDay);
    } else {
        const RollupSpan span = SplitRollupSpan(fromDay, toDay);
        std::string parts;
        for (const auto& [lo, hi] : span.dayRanges)
            parts += (parts.empty() ? "" : " UNION ALL ") + part("day", lo, hi);
        if (span.months) {
            parts += (parts.empty() ? "" : " UNION ALL ") +
                     part("month", span.months->first, span.months->second);
        }
        // One store: the rows as they are (a key may repeat; the caller adds them up), which is
        // cheaper than grouping them in the database. Every store: grouped, far fewer rows to send.
        sql =
            storeId
                ? parts
                : "SELECT store_id, 0, has_rep, rep_id, scale, rating, has_reason, reason, misuse, "
                  "CAST(sum(n) AS BIGINT), survey_version FROM (" +
                      parts +
                      ") u GROUP BY store_id, has_rep, rep_id, scale, rating, has_reason, reason, "
                      "misuse, survey_version";
    }
    b.Statement().sql = std::move(sql);
    return std::move(b.Statement());
}

RollupStatement CountHoursStatement(const std::optional<std::string>& storeId, std::int64_t fromDay,
                                    std::int64_t toDay) {
    Builder b;
    std::string sql = "SELECT store_id, day, hour, scale, rating, n FROM agg_hour WHERE ";
    if (storeId)
        sql += "store_id = " + b.Add(*storeId) + " AND ";
    sql += "day BETWEEN " + b.Add(fromDay) + " AND " + b.Add(toDay);
    b.Statement().sql = std::move(sql);
    return std::move(b.Statement());
}

std::string MonthStartSql(RollupDialect dialect, const std::string& day) {
    if (dialect == RollupDialect::Sqlite) {
        return "CAST(julianday(date((" + day +
               ") * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER)";
    }
    return "(CAST(date_trunc('month', CAST(DATE '1970-01-01' + CAST(" + day +
           " AS INTEGER) AS TIMESTAMP)) AS DATE) - DATE '1970-01-01')";
}

std::vector<std::string> RebuildRollupStatements(RollupDialect dialect, bool keepRetained,
                                                 bool surveyVersions) {
    const std::string day = kRollupDaySql;
    const std::string hour = kRollupHourSql;
    const std::string has = dialect == RollupDialect::Sqlite ? "" : "::int";
    const std::string repCols = "(rep_id IS NOT NULL)" + has + ", coalesce(rep_id, '')";
    const std::string reasonCols =
        "(reason IS NOT NULL)" + has + ", coalesce(reason, ''), (misuse IS NOT NULL)" + has;
    const std::string mark = keepRetained ? kRetentionMarkSql : "-1000000000";
    const std::string version = surveyVersions ? ", coalesce(survey_version, 0)" : "";
    const std::string versionSum = surveyVersions ? ", survey_version" : "";
    const std::string versionGroup = surveyVersions ? ", 10" : "";
    const std::string storeVersionGroup = surveyVersions ? ", 8" : "";
    return {
        // Rows of purged days (before the retention mark) have no responses to be rebuilt from.
        "DELETE FROM agg_rep_day WHERE day >= " + mark,
        "DELETE FROM agg_rep_month",
        "DELETE FROM agg_store_day",
        "DELETE FROM agg_store_month",
        "DELETE FROM agg_hour WHERE day >= " + mark,
        "INSERT INTO agg_rep_day SELECT store_id, " + day + ", " + repCols + ", scale, rating, " +
            reasonCols + version + ", count(*) FROM responses WHERE " + day + " >= " + mark +
            " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9" + versionGroup,
        "INSERT INTO agg_store_day SELECT store_id, day, scale, rating, has_reason, reason, "
        "misuse" +
            versionSum + ", sum(n) FROM agg_rep_day GROUP BY 1, 2, 3, 4, 5, 6, 7" +
            storeVersionGroup,
        "INSERT INTO agg_rep_month SELECT store_id, " + MonthStartSql(dialect, "day") +
            ", has_rep, rep_id, scale, rating, has_reason, reason, misuse" + versionSum +
            ", sum(n) FROM agg_rep_day GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9" + versionGroup,
        "INSERT INTO agg_store_month SELECT store_id, " + MonthStartSql(dialect, "day") +
            ", scale, rating, has_reason, reason, misuse" + versionSum +
            ", sum(n) FROM agg_store_day GROUP BY 1, 2, 3, 4, 5, 6, 7" + storeVersionGroup,
        "INSERT INTO agg_hour SELECT store_id, " + day + ", " + hour +
            ", scale, rating, count(*) FROM responses WHERE misuse IS NULL AND " + day +
            " >= " + mark + " GROUP BY 1, 2, 3, 4, 5",
    };
}

}  // namespace fk::core
