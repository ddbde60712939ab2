#include "storage/ResponseStore.h"
#include "storage/ResponseRow.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <system_error>
#include <utility>

#include "core/Rating.h"
#include "storage/Salvage.h"
#include "storage/Sqlite.h"
#include "storage/SqliteStoreError.h"

namespace fk::storage {

namespace fs = std::filesystem;

std::string to_string(StoreErrorKind kind) {
    switch (kind) {
        case StoreErrorKind::DiskFull:
            return "disk_full";
        case StoreErrorKind::ReadOnly:
            return "read_only";
        case StoreErrorKind::Corrupt:
            return "corrupt";
        case StoreErrorKind::Io:
            return "io";
        case StoreErrorKind::Busy:
            return "busy";
        case StoreErrorKind::Invalid:
            return "invalid";
        case StoreErrorKind::Other:
            return "other";
    }
    return "unknown";
}

namespace {

// Schema history. Never edit a released step; add a new one.
// seq is the rowid: gapless because it is max(max(seq), seq_floor)+1 inside the BEGIN IMMEDIATE
// insert transaction; rows are deleted only by retention (PurgeSynced), which keeps the newest.
const std::vector<Migration> kMigrations = {
    {1, R"sql(
CREATE TABLE responses (
    seq           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    tz_offset_min INTEGER NOT NULL,
    scale         INTEGER NOT NULL CHECK (scale BETWEEN 4 AND 5),
    rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND scale),
    rep_id        TEXT,
    reason        TEXT,
    language      TEXT    NOT NULL CHECK (language <> ''),
    misuse        TEXT,
    updated_at    INTEGER NOT NULL,
    closed_at     INTEGER,
    close_reason  TEXT CHECK (close_reason IN ('thank_you', 'idle_timeout', 'recovered')),
    sync_state    TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (sync_state IN ('pending', 'sent', 'rejected')),
    sync_error    TEXT,
    CHECK ((closed_at IS NULL) = (close_reason IS NULL))
);
-- Covering index for the per-rep aggregate: a period is one range scan, no table lookups.
CREATE INDEX responses_by_time_rep ON responses (created_at, rep_id, rating, misuse);
-- Small partial indexes: the outbox, rows a crash left open, rejected rows.
CREATE INDEX responses_pending ON responses (seq, created_at)
    WHERE sync_state = 'pending' AND closed_at IS NOT NULL;
CREATE INDEX responses_open ON responses (seq) WHERE closed_at IS NULL;
CREATE INDEX responses_rejected ON responses (seq) WHERE sync_state = 'rejected';
)sql"},
    // seq_floor: after a damaged store was set aside, numbering continues after its last seq so
    // the server never sees one seq twice.
    {2, R"sql(
CREATE TABLE store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
)sql"},
    // Covering index for the manager dashboard (storage/Dashboard.cpp): one range scan of a period
    // yields rep, rating, misuse, reason, local offset and scale with no table lookups. Costs one
    // more index entry per tap and per rep/reason amendment.
    {3, R"sql(
CREATE INDEX responses_dashboard
    ON responses (created_at, rep_id, rating, misuse, reason, tz_offset_min, scale);
)sql"},
    // Seqs of a damaged store that could not be salvaged, reported once to the server as lost.
    {4, R"sql(
CREATE TABLE lost_seqs (
    from_seq INTEGER PRIMARY KEY,
    to_seq   INTEGER NOT NULL,
    reason   TEXT    NOT NULL,
    reported INTEGER NOT NULL DEFAULT 0
);
)sql"},
    // Issue 16: the help answer on the response, and the calls outbox. A "yes" inserts the call
    // in the same transaction as the answer; the sync thread sends it ahead of the batches.
    {5, R"sql(
ALTER TABLE responses ADD COLUMN help TEXT CHECK (help IN ('yes', 'no'));
CREATE TABLE calls (
    response_id TEXT    PRIMARY KEY REFERENCES responses (id),
    asked_at    INTEGER NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sent', 'rejected')),
    sent_at     INTEGER,
    late        INTEGER,
    error       TEXT
) WITHOUT ROWID;
CREATE INDEX calls_pending ON calls (asked_at) WHERE state = 'pending';
)sql"},
    // Issue 22 (branch a11y22): "change my answer". The rating a customer corrected is kept here
    // for audit (NULL: never corrected); `rating` is the answer that counts.
    {6, R"sql(
ALTER TABLE responses ADD COLUMN first_rating INTEGER CHECK (first_rating BETWEEN 1 AND 5);
)sql"},
    // Issue 17 (branch survey17b; provisional number): the survey definition version each
    // response was taken under, and the reason policy of every version this kiosk ran, so manager
    // mode judges each response by its own version's policy. The dashboard's covering index
    // gains the version (rebuilt once, on upgrade).
    {7, R"sql(
ALTER TABLE responses ADD COLUMN survey_version INTEGER CHECK (survey_version > 0);
CREATE TABLE survey_policies (
    version      INTEGER NOT NULL,
    code         TEXT    NOT NULL,
    attributable INTEGER NOT NULL CHECK (attributable IN (0, 1)),
    PRIMARY KEY (version, code)
) WITHOUT ROWID;
DROP INDEX responses_dashboard;
CREATE INDEX responses_dashboard
    ON responses (created_at, rep_id, rating, misuse, reason, tz_offset_min, scale, survey_version);
)sql"},
};

constexpr const char* kSeqMarkFile = "responses.seq-mark";
// The seq mark kept outside the database file runs this far ahead of the last seq, so the sync
// thread rewrites it only every ~kSeqMarkAhead/2 responses, never on a customer's tap.
constexpr std::int64_t kSeqMarkAhead = 256;

std::int64_t ReadSeqMark(const fs::path& dir) {
    int fd = ::open((dir / kSeqMarkFile).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char buffer[32] = {};
    const auto n = ::read(fd, buffer, sizeof buffer - 1);
    ::close(fd);
    if (n <= 0)
        return 0;
    try {
        const auto value = std::stoll(std::string(buffer, static_cast<std::size_t>(n)));
        return value > 0 && value < (std::int64_t{1} << 40) ? value : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

std::string UtcDate(core::UtcMs ms) {
    std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[16];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
    return buffer;
}

StoreError ErrnoError(int err, const fs::path& path, std::string_view action) {
    std::string what = std::string(action) + ": " + path.string() + ": " + std::strerror(err);
    switch (err) {
        case EROFS:
        case EACCES:
        case EPERM:
            return StoreError(StoreErrorKind::ReadOnly,
                              what +
                                  ". Make the data directory writable by the kiosk user (and "
                                  "its file system read-write); responses already saved are "
                                  "safe.");
        case ENOSPC:
        case EDQUOT:
        case EFBIG:
            return StoreError(StoreErrorKind::DiskFull,
                              what +
                                  ". Free space on that disk; responses already saved are "
                                  "safe.");
        case EIO:
            return StoreError(StoreErrorKind::Io, what + ". Check the disk.");
        default:
            return StoreError(StoreErrorKind::Other, what);
    }
}

void FsyncDir(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        throw ErrnoError(errno, dir, "sync the data directory");
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0)
        throw ErrnoError(err, dir, "sync the data directory");
}

std::string UtcStamp(core::UtcMs ms) {
    std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
    return buffer;
}

// Renames responses.db and its -wal/-shm to responses.db.corrupt-<UTC>[-n][-wal|-shm], so the
// set-aside trio opens as one database for forensics. Never deletes anything.
fs::path SetAside(const fs::path& dbPath, core::UtcMs now) {
    const std::string base = dbPath.string() + ".corrupt-" + UtcStamp(now);
    fs::path aside = base;
    for (int n = 2; fs::exists(aside) || fs::exists(aside.string() + "-wal"); ++n) {
        aside = base + "-" + std::to_string(n);
    }
    for (const char* suffix : {"-wal", "-shm"}) {
        fs::path from = dbPath.string() + suffix;
        if (fs::exists(from))
            fs::rename(from, aside.string() + suffix);
    }
    fs::rename(dbPath, aside);
    FsyncDir(dbPath.parent_path());
    return aside;
}

// One entry per data dir that has a live ResponseStore in this process: holds the flock that
// keeps other processes out, and marks that recovery already ran.
struct DirLock {
    int fd = -1;
    int refs = 0;
};
std::mutex g_dirsMutex;
std::map<std::string, DirLock> g_dirs;

void ReleaseDir(const std::string& key) {
    std::lock_guard lock(g_dirsMutex);
    auto it = g_dirs.find(key);
    if (it == g_dirs.end())
        return;
    if (--it->second.refs == 0) {
        ::close(it->second.fd);  // releases the flock
        g_dirs.erase(it);
    }
}

}  // namespace

struct ResponseStore::Impl {
    // Declared first so it is released last, after the connection is closed.
    struct Lease {
        std::string key;
        ~Lease() {
            if (!key.empty())
                ReleaseDir(key);
        }
    } lease;
    const core::Clock& clock;
    fs::path path;
    Database db;
    core::Uuid7Generator ids;
    Statement insert;
    Statement find;
    Statement exists;
    Statement setRep;
    Statement setReason;
    Statement setLanguage;
    Statement close;
    Statement markSent;
    Statement markRejected;
    Statement nextPending;

    Impl(const core::Clock& c, fs::path p, Database database)
        : clock(c),
          path(std::move(p)),
          db(std::move(database)),
          ids(c),
          insert(db,
                 "INSERT INTO responses (seq, id, created_at, tz_offset_min, scale, rating, "
                 "rep_id, reason, language, misuse, updated_at, survey_version) VALUES ("
                 "(SELECT MAX(IFNULL((SELECT MAX(seq) FROM responses), 0), "
                 "IFNULL((SELECT value FROM store_meta WHERE key = 'seq_floor'), 0)) + 1), "
                 "?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?2, ?9)"),
          find(db, std::string("SELECT ") + kResponseColumns + " FROM responses WHERE id = ?1"),
          exists(db, "SELECT closed_at IS NOT NULL FROM responses WHERE id = ?1"),
          setRep(db,
                 "UPDATE responses SET rep_id = ?2, updated_at = ?3 "
                 "WHERE id = ?1 AND closed_at IS NULL"),
          setReason(db,
                    "UPDATE responses SET reason = ?2, updated_at = ?3 "
                    "WHERE id = ?1 AND closed_at IS NULL"),
          setLanguage(db,
                      "UPDATE responses SET language = ?2, updated_at = ?3 "
                      "WHERE id = ?1 AND closed_at IS NULL"),
          close(db,
                "UPDATE responses SET closed_at = ?2, close_reason = ?3, updated_at = ?2 "
                "WHERE id = ?1 AND closed_at IS NULL"),
          markSent(db,
                   "UPDATE responses SET sync_state = 'sent', sync_error = NULL "
                   "WHERE id = ?1 AND closed_at IS NOT NULL AND sync_state <> 'sent'"),
          markRejected(db,
                       "UPDATE responses SET sync_state = 'rejected', sync_error = ?2 "
                       "WHERE id = ?1 AND closed_at IS NOT NULL"),
          nextPending(db, std::string("SELECT ") + kResponseColumns +
                              " FROM responses WHERE sync_state = 'pending' AND closed_at IS "
                              "NOT NULL ORDER BY seq LIMIT ?1") {}

    template <typename F>
    auto Guard(std::string_view action, F&& f) -> decltype(f()) {
        return WithStoreErrors(path, action, std::forward<F>(f));
    }

    // Inside a transaction after an UPDATE ... AND closed_at IS NULL changed nothing.
    [[noreturn]] void ThrowNotOpen(const core::Uuid& id, std::string_view what) {
        StatementUse q(exists);
        q->Bind(1, id.ToString());
        if (!q->Step()) {
            throw StoreError(StoreErrorKind::Invalid, std::string(what) + ": no response " +
                                                          id.ToString() + " in the store");
        }
        throw StoreError(StoreErrorKind::Invalid, std::string(what) + ": response " +
                                                      id.ToString() +
                                                      " is already closed; amend only while open");
    }

    void Amend(Statement& stmt, const core::Uuid& id, const std::optional<std::string>& value,
               std::string_view what) {
        Guard(what, [&] {
            Transaction tx(db);
            {
                StatementUse u(stmt);
                u->Bind(1, id.ToString()).Bind(2, value).Bind(3, clock.NowUtcMs());
                u->Run();
            }
            if (db.Changes() == 0)
                ThrowNotOpen(id, what);
            tx.Commit();
        });
    }
};

ResponseStore::ResponseStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ResponseStore::~ResponseStore() = default;

std::unique_ptr<ResponseStore> ResponseStore::Open(const fs::path& dataDir,
                                                   const core::Clock& clock, OpenReport* report) {
    OpenReport local;
    OpenReport& out = report != nullptr ? *report : local;
    out = OpenReport{};

    std::error_code ec;
    fs::create_directories(dataDir, ec);
    if (ec)
        throw ErrnoError(ec.value(), dataDir, "create the data directory");
    const fs::path dir = fs::weakly_canonical(dataDir, ec);
    if (ec)
        throw ErrnoError(ec.value(), dataDir, "resolve the data directory");
    const fs::path dbPath = dir / kFileName;
    const std::string key = dir.string();

    // Held for the whole first open so a second thread's Open waits until recovery is done.
    std::unique_lock registry(g_dirsMutex);
    auto found = g_dirs.find(key);
    const bool first = found == g_dirs.end();
    if (first) {
        const fs::path lockPath = dbPath.string() + ".lock";
        int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        // A read-only dir with the lock file already there: lock it anyway (flock works on a
        // read-only descriptor) so the database check below names the real problem.
        if (fd < 0 && (errno == EACCES || errno == EROFS)) {
            fd = ::open(lockPath.c_str(), O_RDONLY | O_CLOEXEC);
        }
        if (fd < 0)
            throw ErrnoError(errno, lockPath, "open the store lock");
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int err = errno;
            ::close(fd);
            if (err == EWOULDBLOCK) {
                throw StoreError(StoreErrorKind::Other,
                                 "open " + dbPath.string() +
                                     ": another process is using this data directory (only one "
                                     "kiosk may run per data dir). Stop the other kiosk, then "
                                     "start this one again.");
            }
            throw ErrnoError(err, lockPath, "lock the store");
        }
        found = g_dirs.emplace(key, DirLock{fd, 0}).first;
    }
    ++found->second.refs;
    Impl::Lease lease{key};  // undoes the ref (and the lock) if opening fails below

    auto openDb = [&](OpenMode mode) {
        Database db(dbPath, mode);
        if (db.IsReadOnly()) {
            throw StoreError(StoreErrorKind::ReadOnly,
                             "open " + dbPath.string() +
                                 ": the file can only be opened read-only, so no rating could be "
                                 "saved. Make the data directory and its files writable by the "
                                 "kiosk user (and its file system read-write); responses already "
                                 "saved are safe.");
        }
        return db;
    };

    std::optional<Database> db;
    try {
        db.emplace(openDb(first ? OpenMode::ReadWriteCreate : OpenMode::ReadWrite));
        if (first) {
            std::string problem;
            try {
                Statement check(*db, "PRAGMA quick_check(5)");
                while (check.Step()) {
                    std::string line = check.Text(0);
                    if (line != "ok")
                        problem += (problem.empty() ? "" : "; ") + line;
                }
            } catch (const SqliteError& e) {
                if (!e.IsCorrupt())
                    throw;
                problem = e.what();
            }
            if (!problem.empty()) {
                db->KeepWalOnClose();
                db.reset();
                out.corruptFileSetAside = true;
                try {
                    out.setAsidePath = SetAside(dbPath, clock.NowUtcMs());
                } catch (const fs::filesystem_error& e) {
                    throw ErrnoError(e.code().value(), dbPath, "set the damaged store aside");
                }
                db.emplace(openDb(OpenMode::ReadWriteCreate));
            }
            ApplyDurableSettings(*db);
            Migrate(*db, kMigrations);
            if (out.corruptFileSetAside) {
                // Every readable row moves into the fresh store; numbering continues above the
                // highest seq ever used (the damaged file's last seq, or the mark kept outside
                // it), so the server never sees a seq twice; the rest is reported as lost.
                Transaction tx(*db);
                const SalvageResult salvage = SalvageRows(out.setAsidePath, *db, ReadSeqMark(dir));
                Statement floor(
                    *db, "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('seq_floor', ?1)");
                floor.Bind(1, salvage.maxSeq);
                floor.Run();
                const std::string reason = "damaged kiosk file on " + UtcDate(clock.NowUtcMs()) +
                                           " (" + out.setAsidePath.filename().string() + ")";
                Statement lost(*db,
                               "INSERT OR REPLACE INTO lost_seqs (from_seq, to_seq, reason) VALUES "
                               "(?1, ?2, ?3)");
                for (const auto& [from, to] : salvage.lost) {
                    lost.Bind(1, from).Bind(2, to).Bind(3, reason);
                    lost.Run();
                    lost.Reset();
                }
                Statement count(*db,
                                "INSERT INTO store_meta (key, value) VALUES (?1, ?2) "
                                "ON CONFLICT (key) DO UPDATE SET value = value + excluded.value");
                count.Bind(1, "salvaged").Bind(2, salvage.salvaged);
                count.Run();
                count.Reset();
                count.Bind(1, "lost").Bind(2, salvage.LostCount());
                count.Run();
                tx.Commit();
                out.salvagedMaxSeq =
                    salvage.maxSeq > 0 ? std::optional<std::int64_t>(salvage.maxSeq) : std::nullopt;
                out.salvaged = salvage.salvaged;
                out.lost = salvage.LostCount();
                out.problem =
                    problem + "; " + std::to_string(salvage.salvaged) + " responses salvaged, " +
                    std::to_string(out.lost) + " seqs unreadable (reported to the server as lost)" +
                    "; new responses continue after seq " + std::to_string(salvage.maxSeq);
            }
            {
                Transaction tx(*db);
                Statement recover(*db,
                                  "UPDATE responses SET closed_at = MAX(updated_at, created_at), "
                                  "close_reason = 'recovered' WHERE closed_at IS NULL");
                recover.Run();
                out.closedOnOpen = db->Changes();
                tx.Commit();
            }
            out.recoveryRan = true;
            FsyncDir(dir);
        } else {
            ApplyDurableSettings(*db);
            const auto version = db->QueryInt("PRAGMA user_version");
            if (version != kMigrations.back().version) {
                throw StoreError(StoreErrorKind::Other,
                                 "open " + dbPath.string() + ": schema version " +
                                     std::to_string(version) + " where " +
                                     std::to_string(kMigrations.back().version) +
                                     " was expected; restart the kiosk");
            }
        }
        auto impl = std::make_unique<Impl>(clock, dbPath, std::move(*db));
        impl->lease.key = std::exchange(lease.key, std::string());
        return std::unique_ptr<ResponseStore>(new ResponseStore(std::move(impl)));
    } catch (const SqliteError& e) {
        db.reset();
        registry.unlock();
        throw StoreErrorFromSqlite(e, dbPath, "open the response store");
    } catch (...) {
        db.reset();
        registry.unlock();  // Lease's destructor takes the registry mutex
        throw;
    }
}

core::Response ResponseStore::Begin(const BeginRequest& request) {
    auto scale = core::RatingScale::Make(request.scale);
    if (!scale) {
        throw StoreError(StoreErrorKind::Invalid, "save the rating: scale " +
                                                      std::to_string(request.scale) +
                                                      " is not allowed; use 4 or 5");
    }
    if (!scale->Contains(request.rating)) {
        throw StoreError(StoreErrorKind::Invalid,
                         "save the rating: rating " + std::to_string(request.rating) +
                             " is outside 1.." + std::to_string(request.scale));
    }
    if (request.language.empty()) {
        throw StoreError(StoreErrorKind::Invalid, "save the rating: language is empty");
    }
    auto& m = *m_impl;
    core::Response r;
    r.id = m.ids.Next();
    r.createdAtMs = m.clock.NowUtcMs();
    r.tzOffsetMin = m.clock.TzOffsetMinutes(r.createdAtMs);
    r.scale = request.scale;
    r.rating = request.rating;
    r.repId = request.repId;
    r.language = request.language;
    r.misuse = request.misuse;
    r.surveyVersion = request.surveyVersion;
    m.Guard("save the rating", [&] {
        Transaction tx(m.db);
        {
            StatementUse u(m.insert);
            u->Bind(1, r.id.ToString())
                .Bind(2, r.createdAtMs)
                .Bind(3, r.tzOffsetMin)
                .Bind(4, r.scale)
                .Bind(5, r.rating)
                .Bind(6, r.repId)
                .Bind(7, r.language)
                .Bind(8, r.misuse)
                .Bind(9, r.surveyVersion);
            u->Run();
        }
        r.seq = m.db.LastInsertRowId();
        tx.Commit();
    });
    return r;
}

void ResponseStore::SetRep(const core::Uuid& id, std::optional<std::string> repId) {
    m_impl->Amend(m_impl->setRep, id, repId, "set the representative");
}

void ResponseStore::SetReason(const core::Uuid& id, std::optional<std::string> reason) {
    m_impl->Amend(m_impl->setReason, id, reason, "set the reason");
}

void ResponseStore::CorrectRating(const core::Uuid& id, int rating) {
    auto& m = *m_impl;
    m.Guard("correct the rating", [&] {
        Transaction tx(m.db);
        {
            Statement u(m.db,
                        "UPDATE responses SET first_rating = COALESCE(first_rating, rating), "
                        "rating = ?2, updated_at = ?3 "
                        "WHERE id = ?1 AND closed_at IS NULL AND ?2 BETWEEN 1 AND scale");
            u.Bind(1, id.ToString()).Bind(2, std::int64_t{rating}).Bind(3, m.clock.NowUtcMs());
            u.Run();
        }
        if (m.db.Changes() == 0) {
            bool open = false;
            {
                StatementUse q(m.find);
                q->Bind(1, id.ToString());
                open = q->Step() && !ReadResponseRow(*q).IsClosed();
            }
            if (open) {
                throw StoreError(StoreErrorKind::Invalid,
                                 "correct the rating: " + std::to_string(rating) +
                                     " is outside the response's scale");
            }
            m.ThrowNotOpen(id, "correct the rating");
        }
        tx.Commit();
    });
}

void ResponseStore::SetHelp(const core::Uuid& id, core::HelpAnswer answer) {
    auto& m = *m_impl;
    m.Guard("save the help answer", [&] {
        Transaction tx(m.db);
        const core::UtcMs now = m.clock.NowUtcMs();
        {
            Statement u(m.db,
                        "UPDATE responses SET help = ?2, updated_at = ?3 "
                        "WHERE id = ?1 AND closed_at IS NULL");
            u.Bind(1, id.ToString()).Bind(2, core::to_string(answer)).Bind(3, now);
            u.Run();
        }
        if (m.db.Changes() == 0)
            m.ThrowNotOpen(id, "save the help answer");
        if (answer == core::HelpAnswer::Yes) {
            Statement call(m.db,
                           "INSERT OR IGNORE INTO calls (response_id, asked_at) VALUES (?1, ?2)");
            call.Bind(1, id.ToString()).Bind(2, now);
            call.Run();
        }
        tx.Commit();
    });
}

std::vector<PendingCall> ResponseStore::PendingCalls(std::size_t maxRows) {
    auto& m = *m_impl;
    return m.Guard("read pending calls", [&] {
        std::vector<PendingCall> out;
        // r.-qualified columns: the same order as kResponseColumns.
        Statement s(
            m.db,
            "SELECT r.id, r.seq, r.created_at, r.tz_offset_min, r.scale, r.rating, "
            "r.rep_id, r.reason, r.language, r.misuse, r.closed_at, r.close_reason, "
            "r.sync_state, r.sync_error, r.help, r.first_rating, r.survey_version, c.asked_at "
            "FROM calls c "
            "JOIN responses r ON r.id = c.response_id WHERE c.state = 'pending' "
            "ORDER BY c.asked_at LIMIT ?1");
        s.Bind(1, static_cast<std::int64_t>(maxRows));
        while (s.Step()) {
            PendingCall call;
            call.response = ReadResponseRow(s);
            call.askedAtMs = s.Int(17);
            out.push_back(std::move(call));
        }
        return out;
    });
}

void ResponseStore::MarkCallSent(const core::Uuid& id, bool late) {
    auto& m = *m_impl;
    m.Guard("mark a call sent", [&] {
        Transaction tx(m.db);
        Statement u(m.db,
                    "UPDATE calls SET state = 'sent', sent_at = ?2, late = ?3, error = NULL "
                    "WHERE response_id = ?1 AND state = 'pending'");
        u.Bind(1, id.ToString()).Bind(2, m.clock.NowUtcMs()).Bind(3, late ? 1 : 0);
        u.Run();
        tx.Commit();
    });
}

void ResponseStore::MarkCallRejected(const core::Uuid& id, const std::string& reason) {
    auto& m = *m_impl;
    m.Guard("mark a call rejected", [&] {
        Transaction tx(m.db);
        Statement u(m.db,
                    "UPDATE calls SET state = 'rejected', error = ?2 "
                    "WHERE response_id = ?1 AND state = 'pending'");
        u.Bind(1, id.ToString()).Bind(2, reason);
        u.Run();
        tx.Commit();
    });
}

std::int64_t ResponseStore::PendingCallCount() {
    auto& m = *m_impl;
    return m.Guard("count pending calls", [&] {
        return m.db.QueryInt("SELECT count(*) FROM calls WHERE state = 'pending'");
    });
}

void ResponseStore::SetLanguage(const core::Uuid& id, const std::string& language) {
    if (language.empty())
        throw StoreError(StoreErrorKind::Invalid, "set the language: empty");
    m_impl->Amend(m_impl->setLanguage, id, language, "set the language");
}

bool ResponseStore::Close(const core::Uuid& id, core::CloseReason reason) {
    auto& m = *m_impl;
    return m.Guard("close the response", [&] {
        Transaction tx(m.db);
        {
            StatementUse u(m.close);
            u->Bind(1, id.ToString()).Bind(2, m.clock.NowUtcMs()).Bind(3, core::to_string(reason));
            u->Run();
        }
        if (m.db.Changes() == 0) {
            StatementUse q(m.exists);
            q->Bind(1, id.ToString());
            if (!q->Step()) {
                throw StoreError(StoreErrorKind::Invalid,
                                 "close the response: no response " + id.ToString());
            }
            return false;
        }
        tx.Commit();
        return true;
    });
}

std::optional<core::Response> ResponseStore::Find(const core::Uuid& id) {
    auto& m = *m_impl;
    return m.Guard("read a response", [&]() -> std::optional<core::Response> {
        StatementUse u(m.find);
        u->Bind(1, id.ToString());
        if (!u->Step())
            return std::nullopt;
        return ReadResponseRow(*u);
    });
}

PendingBatch ResponseStore::NextPending(std::size_t maxRows) {
    auto& m = *m_impl;
    return m.Guard("read pending responses", [&] {
        PendingBatch batch;
        StatementUse u(m.nextPending);
        u->Bind(1, static_cast<std::int64_t>(maxRows));
        while (u->Step())
            batch.responses.push_back(ReadResponseRow(*u));
        return batch;
    });
}

std::size_t ResponseStore::MarkSent(const std::vector<core::Uuid>& ids) {
    auto& m = *m_impl;
    return m.Guard("mark responses sent", [&] {
        std::size_t changed = 0;
        Transaction tx(m.db);
        for (const auto& id : ids) {
            StatementUse u(m.markSent);
            u->Bind(1, id.ToString());
            u->Run();
            changed += static_cast<std::size_t>(m.db.Changes());
        }
        tx.Commit();
        return changed;
    });
}

void ResponseStore::MarkRejected(const core::Uuid& id, const std::string& reason) {
    auto& m = *m_impl;
    m.Guard("mark a response rejected", [&] {
        Transaction tx(m.db);
        {
            StatementUse u(m.markRejected);
            u->Bind(1, id.ToString()).Bind(2, reason);
            u->Run();
        }
        if (m.db.Changes() == 0) {
            throw StoreError(StoreErrorKind::Invalid,
                             "mark a response rejected: no closed response " + id.ToString());
        }
        tx.Commit();
    });
}

std::int64_t ResponseStore::PendingCount() {
    auto& m = *m_impl;
    return m.Guard("count pending responses", [&] {
        return m.db.QueryInt(
            "SELECT count(*) FROM responses WHERE sync_state = 'pending' AND closed_at IS NOT "
            "NULL");
    });
}

std::optional<core::UtcMs> ResponseStore::OldestPendingCreatedAt() {
    auto& m = *m_impl;
    return m.Guard("read the oldest pending response", [&] {
        Statement s(m.db,
                    "SELECT min(created_at) FROM responses "
                    "WHERE sync_state = 'pending' AND closed_at IS NOT NULL");
        s.Step();
        return s.OptInt(0);
    });
}

std::int64_t ResponseStore::RejectedCount() {
    auto& m = *m_impl;
    return m.Guard("count rejected responses", [&] {
        return m.db.QueryInt("SELECT count(*) FROM responses WHERE sync_state = 'rejected'");
    });
}

std::vector<core::Response> ResponseStore::Rejected(std::size_t maxRows) {
    auto& m = *m_impl;
    return m.Guard("read rejected responses", [&] {
        std::vector<core::Response> out;
        Statement s(m.db,
                    std::string("SELECT ") + kResponseColumns +
                        " FROM responses WHERE sync_state = 'rejected' ORDER BY seq LIMIT ?1");
        s.Bind(1, static_cast<std::int64_t>(maxRows));
        while (s.Step())
            out.push_back(ReadResponseRow(s));
        return out;
    });
}

std::int64_t ResponseStore::OpenCount() {
    auto& m = *m_impl;
    return m.Guard("count open responses", [&] {
        return m.db.QueryInt("SELECT count(*) FROM responses WHERE closed_at IS NULL");
    });
}

std::int64_t ResponseStore::MaxSeq() {
    auto& m = *m_impl;
    return m.Guard("read the last seq",
                   [&] { return m.db.QueryInt("SELECT IFNULL(MAX(seq), 0) FROM responses"); });
}

void ResponseStore::ForEach(const std::function<bool(const core::Response&)>& visitor,
                            std::int64_t afterSeq) {
    auto& m = *m_impl;
    m.Guard("read responses", [&] {
        Statement s(m.db, std::string("SELECT ") + kResponseColumns +
                              " FROM responses WHERE seq > ?1 ORDER BY seq");
        s.Bind(1, afterSeq);
        while (s.Step()) {
            if (!visitor(ReadResponseRow(s)))
                break;
        }
    });
}

ResponseStore::CheckpointResult ResponseStore::Checkpoint() {
    auto& m = *m_impl;
    return m.Guard("checkpoint the store", [&] {
        Statement s(m.db, "PRAGMA wal_checkpoint(PASSIVE)");
        CheckpointResult result;
        if (s.Step()) {
            result.walFrames = static_cast<int>(s.Int(1));
            result.checkpointedFrames = static_cast<int>(s.Int(2));
        }
        return result;
    });
}

void ResponseStore::SetAutoCheckpoint(bool on) {
    auto& m = *m_impl;
    m.Guard("set automatic checkpoints", [&] {
        m.db.QueryInt(on ? "PRAGMA wal_autocheckpoint = 1000" : "PRAGMA wal_autocheckpoint = 0");
    });
}

std::int64_t ResponseStore::RequeueForServer(std::int64_t serverAckedSeq,
                                             std::int64_t serverMaxSeq) {
    auto& m = *m_impl;
    return m.Guard("queue responses the server lost", [&]() -> std::int64_t {
        // The server lacks acked+1 if this kiosk has it settled (else acked would be past it):
        // everything settled above acked goes again. Otherwise only what is above its max.
        Statement next(m.db, "SELECT sync_state <> 'pending' FROM responses WHERE seq = ?1");
        next.Bind(1, serverAckedSeq + 1);
        const bool lacksNext = next.Step() && next.Int(0) != 0;
        next.Reset();
        const std::int64_t above =
            lacksNext ? serverAckedSeq : std::max(serverAckedSeq, serverMaxSeq);
        // Normally nothing qualifies: read first, so a receipt costs no write transaction.
        Statement any(m.db,
                      "SELECT EXISTS (SELECT 1 FROM responses WHERE seq > ?1 "
                      "AND sync_state <> 'pending' AND closed_at IS NOT NULL)");
        any.Bind(1, above);
        const bool some = any.Step() && any.Int(0) != 0;
        any.Reset();
        if (!some)
            return 0;
        Transaction tx(m.db);
        Statement requeue(m.db,
                          "UPDATE responses SET sync_state = 'pending', sync_error = NULL "
                          "WHERE seq > ?1 AND sync_state <> 'pending' AND closed_at IS NOT NULL");
        requeue.Bind(1, above);
        requeue.Run();
        const std::int64_t changed = m.db.Changes();
        if (changed > 0)
            tx.Commit();
        return changed;
    });
}

std::vector<LostSeqs> ResponseStore::UnreportedLost(std::size_t maxRanges) {
    auto& m = *m_impl;
    return m.Guard("read lost seqs", [&] {
        std::vector<LostSeqs> out;
        Statement s(m.db,
                    "SELECT from_seq, to_seq, reason FROM lost_seqs WHERE reported = 0 ORDER BY "
                    "from_seq LIMIT ?1");
        s.Bind(1, static_cast<std::int64_t>(maxRanges));
        while (s.Step())
            out.push_back(LostSeqs{s.Int(0), s.Int(1), s.Text(2)});
        return out;
    });
}

void ResponseStore::MarkLostReported(const std::vector<std::int64_t>& fromSeqs) {
    auto& m = *m_impl;
    m.Guard("mark lost seqs reported", [&] {
        Transaction tx(m.db);
        Statement s(m.db, "UPDATE lost_seqs SET reported = 1 WHERE from_seq = ?1");
        for (auto from : fromSeqs) {
            s.Bind(1, from);
            s.Run();
            s.Reset();
        }
        tx.Commit();
    });
}

void ResponseStore::SplitLost(std::int64_t from, std::int64_t at) {
    auto& m = *m_impl;
    m.Guard("split lost seqs", [&] {
        Transaction tx(m.db);
        Statement add(m.db,
                      "INSERT OR IGNORE INTO lost_seqs (from_seq, to_seq, reason, reported) "
                      "SELECT ?2, to_seq, reason, reported FROM lost_seqs WHERE from_seq = ?1 AND "
                      "to_seq >= ?2");
        add.Bind(1, from).Bind(2, at);
        add.Run();
        Statement cut(m.db,
                      "UPDATE lost_seqs SET to_seq = ?2 - 1 WHERE from_seq = ?1 AND to_seq >= ?2");
        cut.Bind(1, from).Bind(2, at);
        cut.Run();
        tx.Commit();
    });
}

SalvageCounts ResponseStore::Salvage() {
    auto& m = *m_impl;
    return m.Guard("read the salvage counts", [&] {
        SalvageCounts counts;
        Statement s(m.db, "SELECT key, value FROM store_meta WHERE key IN ('salvaged', 'lost')");
        while (s.Step())
            (s.TextView(0) == "salvaged" ? counts.salvaged : counts.lost) = s.Int(1);
        counts.lostUnreported = m.db.QueryInt(
            "SELECT IFNULL(SUM(to_seq - from_seq + 1), 0) FROM lost_seqs WHERE reported = 0");
        return counts;
    });
}

std::int64_t ResponseStore::PurgeSynced(core::UtcMs createdBefore) {
    auto& m = *m_impl;
    return m.Guard("delete old synced responses", [&]() -> std::int64_t {
        constexpr const char* kOld =
            "created_at < ?1 AND sync_state = 'sent' AND closed_at IS NOT NULL AND seq < (SELECT "
            "max(seq) FROM responses) AND id NOT IN (SELECT response_id FROM calls WHERE state = "
            "'pending')";
        {
            Statement any(m.db, std::string("SELECT 1 FROM responses WHERE ") + kOld + " LIMIT 1");
            if (!any.Bind(1, createdBefore).Step())
                return 0;  // the usual case: a read, no write transaction
        }
        Transaction tx(m.db);
        m.db.Exec(
            "INSERT INTO store_meta (key, value) SELECT 'seq_floor', max(seq) FROM responses "
            "WHERE true ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)");
        Statement calls(m.db, std::string("DELETE FROM calls WHERE response_id IN (SELECT id FROM "
                                          "responses WHERE ") +
                                  kOld + ")");
        calls.Bind(1, createdBefore).Run();
        Statement rows(m.db, std::string("DELETE FROM responses WHERE ") + kOld);
        rows.Bind(1, createdBefore).Run();
        const std::int64_t deleted = m.db.Changes();
        tx.Commit();
        return deleted;
    });
}

void ResponseStore::RecordPolicy(std::int64_t version, const core::ReasonPolicy& policy) {
    if (version < 1) {
        throw StoreError(StoreErrorKind::Invalid, "keep the reason policy: version " +
                                                      std::to_string(version) +
                                                      " is not a survey definition version");
    }
    auto& m = *m_impl;
    m.Guard("keep the reason policy", [&] {
        std::map<std::string, bool> stored;
        {
            Statement s(m.db, "SELECT code, attributable FROM survey_policies WHERE version = ?1");
            s.Bind(1, version);
            while (s.Step())
                stored[s.Text(0)] = s.Int(1) != 0;
        }
        std::map<std::string, bool> wanted;
        for (const auto& r : policy.Reasons())
            wanted[r.code] = r.attributableToRep;
        if (stored == wanted)
            return;  // the usual restart: nothing to write
        Transaction tx(m.db);
        Statement del(m.db, "DELETE FROM survey_policies WHERE version = ?1");
        del.Bind(1, version).Run();
        Statement ins(
            m.db, "INSERT INTO survey_policies (version, code, attributable) VALUES (?1, ?2, ?3)");
        for (const auto& [code, attributable] : wanted) {
            ins.Bind(1, version).Bind(2, code).Bind(3, attributable ? 1 : 0);
            ins.Run();
            ins.Reset();
        }
        tx.Commit();
    });
}

std::int64_t ResponseStore::ReplaceRep(const std::string& fromId,
                                       const std::optional<std::string>& toId) {
    auto& m = *m_impl;
    return m.Guard("replace a rep", [&]() -> std::int64_t {
        std::int64_t changed = 0;
        {
            Transaction tx(m.db);
            Statement s(m.db, "UPDATE responses SET rep_id = ?1 WHERE rep_id = ?2");
            s.Bind(1, toId).Bind(2, fromId).Run();
            changed = m.db.Changes();
            tx.Commit();
        }
        if (changed > 0) {
            m.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
            m.db.Exec("VACUUM");
            m.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return changed;
    });
}

std::vector<std::string> ResponseStore::RepIds() {
    auto& m = *m_impl;
    return m.Guard("list rep ids", [&] {
        std::vector<std::string> out;
        Statement s(m.db, "SELECT DISTINCT rep_id FROM responses WHERE rep_id IS NOT NULL");
        while (s.Step())
            out.push_back(s.Text(0));
        return out;
    });
}

void ResponseStore::KeepSeqMark(std::int64_t serverMaxSeq) {
    auto& m = *m_impl;
    m.Guard("keep the seq mark", [&] {
        const std::int64_t floor = m.db.QueryInt(
            "SELECT IFNULL((SELECT value FROM store_meta WHERE key = 'seq_floor'), 0)");
        const std::int64_t last =
            std::max(floor, m.db.QueryInt("SELECT IFNULL(MAX(seq), 0) FROM responses"));
        if (serverMaxSeq > last) {
            // The server holds seqs this store never had (a store lost with its mark): number
            // above.
            Transaction tx(m.db);
            Statement raise(
                m.db, "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('seq_floor', ?1)");
            raise.Bind(1, serverMaxSeq);
            raise.Run();
            tx.Commit();
        }
        const std::int64_t high = std::max(last, serverMaxSeq);
        const fs::path dir = m.path.parent_path();
        if (ReadSeqMark(dir) >= high + kSeqMarkAhead / 2)
            return;
        const fs::path file = dir / kSeqMarkFile;
        const fs::path temporary = file.string() + ".tmp";
        const std::string text = std::to_string(high + kSeqMarkAhead) + "\n";
        int fd =
            ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
            throw ErrnoError(errno, temporary, "write the seq mark");
        const bool ok =
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
        const int err = errno;
        ::close(fd);
        if (!ok)
            throw ErrnoError(err, temporary, "write the seq mark");
        if (::rename(temporary.c_str(), file.c_str()) != 0)
            throw ErrnoError(errno, file, "write the seq mark");
        FsyncDir(dir);
    });
}

const fs::path& ResponseStore::DatabasePath() const {
    return m_impl->path;
}

}  // namespace fk::storage
