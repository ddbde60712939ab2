#include "server/RepLinks.h"

namespace fk::server {

RepLinks::RepLinks(std::unique_ptr<SqlRunner> runner) : m_runner(std::move(runner)) {}

void RepLinks::Link(const RepLink& link, core::UtcMs now) {
    m_runner->InTransaction([&](SqlSession& s) {
        s.Exec(
            "INSERT INTO rep_links (store_id, rep_id, person, linked_at) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT (store_id, rep_id) DO UPDATE SET person = excluded.person, linked_at = "
            "excluded.linked_at",
            {link.storeId, link.repId, link.person, now});
    });
}

bool RepLinks::Unlink(const std::string& storeId, const std::string& repId) {
    bool removed = false;
    m_runner->InTransaction([&](SqlSession& s) {
        removed = s.Exec("DELETE FROM rep_links WHERE store_id = ?1 AND rep_id = ?2",
                         {storeId, repId}) > 0;
    });
    return removed;
}

std::vector<RepLink> RepLinks::List(const std::optional<std::string>& storeId) {
    std::vector<RepLink> out;
    m_runner->Read([&](SqlSession& s) {
        out.clear();
        const std::string sql = std::string("SELECT store_id, rep_id, person FROM rep_links") +
                                (storeId ? " WHERE store_id = ?1" : "") +
                                " ORDER BY store_id, rep_id";
        std::vector<SqlValue> args;
        if (storeId)
            args.emplace_back(*storeId);
        for (const auto& r : s.Query(sql, args))
            out.push_back({r[0].value_or(""), r[1].value_or(""), r[2].value_or("")});
    });
    return out;
}

std::string RepLinksMigration(bool postgres) {
    return std::string(
               "CREATE TABLE rep_links (store_id TEXT NOT NULL, rep_id TEXT NOT NULL, person TEXT "
               "NOT NULL, linked_at ") +
           (postgres ? "BIGINT" : "INTEGER") +
           " NOT NULL, PRIMARY KEY (store_id, rep_id));\n"
           "CREATE INDEX rep_links_person ON rep_links (person);\n";
}

bool ValidPersonName(const std::string& name) {
    if (name.empty() || name.size() > 64)
        return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

}  // namespace fk::server
