#include "storage/Sqlite.h"

#include <sqlite3.h>

#include <cerrno>
#include <utility>

namespace fk::storage {

namespace {

std::string Describe(sqlite3* db, int rc, std::string_view what) {
    std::string message(what);
    message += ": ";
    message += sqlite3_errstr(rc);
    if (db != nullptr) {
        const char* detail = sqlite3_errmsg(db);
        if (detail != nullptr && std::string_view(detail) != sqlite3_errstr(rc)) {
            message += " (";
            message += detail;
            message += ")";
        }
    }
    return message;
}

}  // namespace

bool SqliteError::IsDiskFull() const {
    if (m_code == SQLITE_FULL)
        return true;
    return m_code == SQLITE_IOERR &&
           (m_systemErrno == ENOSPC || m_systemErrno == EDQUOT || m_systemErrno == EFBIG);
}
bool SqliteError::IsIo() const {
    return m_code == SQLITE_IOERR && !IsDiskFull();
}
bool SqliteError::IsReadOnly() const {
    return m_code == SQLITE_READONLY || m_code == SQLITE_CANTOPEN || m_code == SQLITE_PERM;
}
bool SqliteError::IsCorrupt() const {
    return m_code == SQLITE_CORRUPT || m_code == SQLITE_NOTADB;
}
bool SqliteError::IsBusy() const {
    return m_code == SQLITE_BUSY || m_code == SQLITE_LOCKED;
}

void ThrowSqlite(sqlite3* db, int rc, std::string_view what) {
    int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
    int systemErrno = db != nullptr ? sqlite3_system_errno(db) : 0;
    std::string message = Describe(db, rc, what);
    if (systemErrno != 0 && (rc & 0xFF) == SQLITE_IOERR) {
        message += " [errno " + std::to_string(systemErrno) + "]";
    }
    throw SqliteError(rc & 0xFF, extended, message, systemErrno);
}

Database::Database(const std::filesystem::path& path, OpenMode mode) : m_path(path) {
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
        case OpenMode::ReadWriteCreate:
            flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
            break;
        case OpenMode::ReadWrite:
            flags |= SQLITE_OPEN_READWRITE;
            break;
        case OpenMode::ReadOnly:
            flags |= SQLITE_OPEN_READONLY;
            break;
    }
    int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = Describe(m_db, rc, "open " + path.string());
        int extended = m_db != nullptr ? sqlite3_extended_errcode(m_db) : rc;
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw SqliteError(rc & 0xFF, extended, message);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, 5000);
}

Database::~Database() {
    if (m_db != nullptr)
        sqlite3_close_v2(m_db);
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (m_db != nullptr)
            sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

void Database::Exec(std::string_view sql) {
    std::string text(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = "exec \"" + text.substr(0, 80) + "\": " + sqlite3_errstr(rc);
        if (error != nullptr) {
            message += std::string(" (") + error + ")";
            sqlite3_free(error);
        }
        throw SqliteError(rc & 0xFF, sqlite3_extended_errcode(m_db), message,
                          sqlite3_system_errno(m_db));
    }
}

std::string Database::QueryText(std::string_view sql) {
    Statement stmt(*this, sql);
    if (!stmt.Step())
        throw SqliteError(SQLITE_ERROR, SQLITE_ERROR, "no row from " + std::string(sql));
    return stmt.Text(0);
}

std::int64_t Database::QueryInt(std::string_view sql) {
    Statement stmt(*this, sql);
    if (!stmt.Step())
        throw SqliteError(SQLITE_ERROR, SQLITE_ERROR, "no row from " + std::string(sql));
    return stmt.Int(0);
}

std::int64_t Database::LastInsertRowId() const {
    return sqlite3_last_insert_rowid(m_db);
}

int Database::Changes() const {
    return sqlite3_changes(m_db);
}

bool Database::IsReadOnly() const {
    return sqlite3_db_readonly(m_db, "main") == 1;
}

void Database::KeepWalOnClose() {
    int rc = sqlite3_db_config(m_db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    if (rc != SQLITE_OK)
        ThrowSqlite(m_db, rc, "turn off checkpoint on close");
}

Statement::Statement(Database& db, std::string_view sql) : m_db(db.Handle()) {
    int rc = sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK)
        ThrowSqlite(m_db, rc, "prepare \"" + std::string(sql.substr(0, 80)) + "\"");
}

Statement::~Statement() {
    if (m_stmt != nullptr)
        sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)) {}

void Statement::Check(int rc, const char* what) const {
    if (rc != SQLITE_OK)
        ThrowSqlite(m_db, rc, what);
}

Statement& Statement::Bind(int index, std::int64_t value) {
    Check(sqlite3_bind_int64(m_stmt, index, value), "bind integer");
    return *this;
}

Statement& Statement::Bind(int index, double value) {
    Check(sqlite3_bind_double(m_stmt, index, value), "bind real");
    return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
    Check(sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT),
          "bind text");
    return *this;
}

Statement& Statement::BindBlob(int index, const void* data, std::size_t size) {
    Check(sqlite3_bind_blob(m_stmt, index, data, static_cast<int>(size), SQLITE_TRANSIENT),
          "bind blob");
    return *this;
}

Statement& Statement::BindNull(int index) {
    Check(sqlite3_bind_null(m_stmt, index), "bind null");
    return *this;
}

bool Statement::Step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    ThrowSqlite(m_db, rc, "step \"" + std::string(sqlite3_sql(m_stmt)).substr(0, 80) + "\"");
}

void Statement::Run() {
    if (Step()) {
        throw SqliteError(SQLITE_MISUSE, SQLITE_MISUSE,
                          "statement returned a row where none was expected: " +
                              std::string(sqlite3_sql(m_stmt)).substr(0, 80));
    }
}

void Statement::Reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::IsNull(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::Int(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::Double(int column) const {
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::Text(int column) const {
    const auto* text = sqlite3_column_text(m_stmt, column);
    int size = sqlite3_column_bytes(m_stmt, column);
    return text != nullptr
               ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
               : std::string();
}

std::string_view Statement::TextView(int column) const {
    const auto* text = sqlite3_column_text(m_stmt, column);
    int size = sqlite3_column_bytes(m_stmt, column);
    return text != nullptr ? std::string_view(reinterpret_cast<const char*>(text),
                                              static_cast<std::size_t>(size))
                           : std::string_view();
}

int Statement::ColumnCount() const {
    return sqlite3_column_count(m_stmt);
}

std::optional<std::string> Statement::OptText(int column) const {
    if (IsNull(column))
        return std::nullopt;
    return Text(column);
}

std::optional<std::int64_t> Statement::OptInt(int column) const {
    if (IsNull(column))
        return std::nullopt;
    return Int(column);
}

std::vector<std::uint8_t> Statement::Blob(int column) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
    int size = sqlite3_column_bytes(m_stmt, column);
    return data != nullptr ? std::vector<std::uint8_t>(data, data + size)
                           : std::vector<std::uint8_t>();
}

Transaction::Transaction(Database& db) : m_db(db) {
    m_db.Exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (m_done)
        return;
    // ROLLBACK can fail if SQLite already rolled back (SQLITE_FULL, IOERR); nothing to do then.
    sqlite3_exec(m_db.Handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::Commit() {
    m_db.Exec("COMMIT");
    m_done = true;
}

void Migrate(Database& db, const std::vector<Migration>& migrations) {
    const std::int64_t current = db.QueryInt("PRAGMA user_version");
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    if (current > latest) {
        throw SqliteError(SQLITE_ERROR, SQLITE_ERROR,
                          db.Path().string() + " has schema version " + std::to_string(current) +
                              ", newer than this program knows (" + std::to_string(latest) +
                              "): upgrade the program or restore an older backup");
    }
    for (const auto& migration : migrations) {
        if (migration.version <= current)
            continue;
        Transaction tx(db);
        db.Exec(migration.sql);
        db.Exec("PRAGMA user_version = " + std::to_string(migration.version));
        tx.Commit();
    }
}

void ApplyDurableSettings(Database& db) {
    std::string mode = db.QueryText("PRAGMA journal_mode=WAL");
    if (mode != "wal") {
        throw SqliteError(SQLITE_ERROR, SQLITE_ERROR,
                          db.Path().string() + ": cannot switch to WAL journal (got " + mode + ")");
    }
    db.Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

}  // namespace fk::storage
