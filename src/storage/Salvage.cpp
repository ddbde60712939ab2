#include "storage/Salvage.h"

#include <algorithm>
#include <string>

#include "core/Uuid.h"

namespace fk::storage {

namespace {

constexpr std::int64_t kMaxSaneSeq = std::int64_t{1} << 40;
// With no trustworthy last seq, probing past the damage stops after this many unreadable seqs.
constexpr std::int64_t kBlindProbe = 10'000;

constexpr const char* kColumns =
    "seq, id, created_at, tz_offset_min, scale, rating, rep_id, reason, language, misuse, "
    "updated_at, "
    "closed_at, close_reason, sync_state, sync_error, help";
constexpr int kColumnCount = 16;

// The columns to read from the damaged file: one written before the help answer existed
// (schema < 5) has no help column, and reads NULL in its place.
std::string ReadColumns(Database& damaged) {
    try {
        Statement probe(damaged, "SELECT help FROM responses LIMIT 0");
        return kColumns;
    } catch (const SqliteError&) {
        std::string columns = kColumns;
        return columns.substr(0, columns.rfind(", help")) + ", NULL";
    }
}

class Copier {
  public:
    explicit Copier(Database& fresh)
        : m_insert(fresh, std::string("INSERT OR IGNORE INTO responses (") + kColumns +
                              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                              "?14, ?15, ?16)") {}

    // Copies the row the statement is on; false when its values are not sane (garbage a damaged
    // page can yield), so it counts as lost.
    bool Copy(const Statement& row) {
        if (row.IsNull(1) || !core::Uuid::Parse(row.TextView(1)))
            return false;
        try {
            m_insert.Bind(1, row.Int(0));
            m_insert.Bind(2, row.TextView(1));
            for (int c = 2; c < kColumnCount; ++c) {
                if (row.IsNull(c)) {
                    m_insert.BindNull(c + 1);
                } else if (c == 6 || c == 7 || c == 8 || c == 9 || c == 12 || c == 13 || c == 14 ||
                           c == 15) {
                    m_insert.Bind(c + 1, row.TextView(c));
                } else {
                    m_insert.Bind(c + 1, row.Int(c));
                }
            }
            m_insert.Run();
            m_insert.Reset();
            return true;
        } catch (const SqliteError& e) {
            m_insert.Reset();
            if (e.IsDiskFull() || e.IsIo() || e.IsReadOnly())
                throw;
            return false;  // a CHECK constraint refused a garbage value
        }
    }

  private:
    Statement m_insert;
};

void AddLost(std::vector<std::pair<std::int64_t, std::int64_t>>& lost, std::int64_t from,
             std::int64_t to) {
    if (from > to)
        return;
    if (!lost.empty() && lost.back().second + 1 == from) {
        lost.back().second = to;
    } else {
        lost.emplace_back(from, to);
    }
}

}  // namespace

std::int64_t SalvageResult::LostCount() const {
    std::int64_t n = 0;
    for (const auto& [from, to] : lost)
        n += to - from + 1;
    return n;
}

SalvageResult SalvageRows(const std::filesystem::path& damaged, Database& fresh,
                          std::int64_t knownMaxSeq) {
    SalvageResult out;
    std::vector<std::int64_t> copied;  // ascending
    std::optional<Database> db;
    try {
        db.emplace(damaged, OpenMode::ReadWrite);
        db->KeepWalOnClose();
        db->Exec("PRAGMA query_only = 1");
    } catch (const SqliteError&) {
        db.reset();
    }
    bool maxKnownFromFile = false;
    const std::int64_t blindLimit = std::max<std::int64_t>(0, knownMaxSeq);
    if (db) {
        try {
            const auto last = db->QueryInt("SELECT IFNULL(MAX(seq), 0) FROM responses");
            if (last > 0 && last < kMaxSaneSeq) {
                out.maxSeq = std::max(out.maxSeq, last);
                maxKnownFromFile = true;
            }
        } catch (const SqliteError&) {
        }
        try {  // an earlier set-aside's floor: seqs below it were used before this file
            Statement floor(*db, "SELECT value FROM store_meta WHERE key = 'seq_floor'");
            if (floor.Step() && !floor.IsNull(0) && floor.Int(0) < kMaxSaneSeq) {
                out.maxSeq = std::max(out.maxSeq, floor.Int(0));
            }
        } catch (const SqliteError&) {
        }
        Copier copier(fresh);
        std::optional<Statement> scan;
        std::optional<Statement> probe;
        try {
            const std::string columns = ReadColumns(*db);
            scan.emplace(*db, "SELECT " + columns + " FROM responses WHERE seq > ?1 ORDER BY seq");
            probe.emplace(*db, "SELECT " + columns + " FROM responses WHERE seq = ?1");
        } catch (const SqliteError&) {
            scan.reset();  // the schema itself is unreadable: nothing to copy
        }
        std::int64_t cursor = 0;  // every seq <= cursor has been copied or given up
        auto take = [&](const Statement& row) {
            const std::int64_t seq = row.Int(0);
            if (seq <= cursor || seq >= kMaxSaneSeq)
                return false;
            if (copier.Copy(row))
                copied.push_back(seq);
            cursor = seq;
            return true;
        };
        while (scan) {
            bool damagedHere = false;
            try {
                scan->Bind(1, cursor);
                while (scan->Step()) {
                    if (!take(*scan)) {
                        damagedHere = true;
                        break;
                    }
                }
            } catch (const SqliteError& e) {
                if (e.IsDiskFull() || (e.IsIo() && !e.IsCorrupt()))
                    throw;
                damagedHere = true;
            }
            scan->Reset();
            if (!damagedHere)
                break;
            // Past the damage seq by seq, until a row reads again.
            const std::int64_t limit =
                maxKnownFromFile ? out.maxSeq
                                 : std::max({out.maxSeq, blindLimit, cursor + kBlindProbe});
            bool found = false;
            while (!found && cursor < limit) {
                const std::int64_t seq = cursor + 1;
                try {
                    probe->Bind(1, seq);
                    if (probe->Step() && probe->Int(0) == seq) {
                        found = true;
                        if (copier.Copy(*probe))
                            copied.push_back(seq);
                    }
                } catch (const SqliteError& e) {
                    if (e.IsDiskFull())
                        throw;
                }
                probe->Reset();
                cursor = seq;
            }
            if (!found)
                break;
        }
        db.reset();
    }
    // The mark runs ahead of the last seq (numbers perhaps never used): it counts only when the
    // file itself cannot say where it ended.
    if (!maxKnownFromFile)
        out.maxSeq = std::max<std::int64_t>(out.maxSeq, knownMaxSeq);
    if (!copied.empty())
        out.maxSeq = std::max(out.maxSeq, copied.back());
    out.salvaged = static_cast<std::int64_t>(copied.size());
    std::int64_t next = 1;
    for (std::int64_t seq : copied) {
        AddLost(out.lost, next, seq - 1);
        next = seq + 1;
    }
    AddLost(out.lost, next, out.maxSeq);
    return out;
}

}  // namespace fk::storage
