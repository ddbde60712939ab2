#include "server/AccessLog.h"

#include <cstdlib>

namespace fk::server {

AccessLog::AccessLog(std::unique_ptr<SqlRunner> runner) : m_runner(std::move(runner)) {}

void AccessLog::Record(const AccessEntry& entry, std::int64_t keepMs) {
    m_runner->InTransaction([&](SqlSession& s) {
        s.Exec("DELETE FROM access_log WHERE at < ?1", {entry.at - keepMs});
        s.Exec("INSERT INTO access_log (at, who, role, what, address) VALUES (?1, ?2, ?3, ?4, ?5)",
               {entry.at, entry.who, entry.role, entry.what, entry.from});
    });
}

std::vector<AccessEntry> AccessLog::List(core::UtcMs fromMs, core::UtcMs toMs, int limit) {
    std::vector<AccessEntry> out;
    m_runner->Read([&](SqlSession& s) {
        out.clear();
        for (const auto& r :
             s.Query("SELECT at, who, role, what, address FROM access_log WHERE at >= ?1 AND at "
                     "< ?2 ORDER BY at DESC, id DESC LIMIT ?3",
                     {fromMs, toMs, limit})) {
            AccessEntry e;
            e.at = r[0] ? std::strtoll(r[0]->c_str(), nullptr, 10) : 0;
            e.who = r[1].value_or("");
            e.role = r[2].value_or("");
            e.what = r[3].value_or("");
            e.from = r[4].value_or("");
            out.push_back(std::move(e));
        }
    });
    return out;
}

std::string AccessLogMigration(bool postgres) {
    return std::string("CREATE TABLE access_log (id ") +
           (postgres ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at BIGINT"
                     : "INTEGER PRIMARY KEY, at INTEGER") +
           " NOT NULL, who TEXT NOT NULL, role TEXT NOT NULL, what TEXT NOT NULL, address TEXT "
           "NOT NULL);\nCREATE INDEX access_log_at ON access_log (at);\n";
}

}  // namespace fk::server
