#pragma once
// RAII over SQLite: Database (one connection), Statement (one prepared statement), Transaction.
// sqlite3.h stays in Sqlite.cpp. A Database and its Statements belong to one thread at a time
// (SQLITE_OPEN_NOMUTEX): give each thread its own connection. Every failing SQLite call throws
// SqliteError carrying the primary result code and sqlite3_errstr/errmsg; destructors never throw.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace fk::storage {

class SqliteError : public std::runtime_error {
  public:
    SqliteError(int code, int extendedCode, const std::string& message, int systemErrno = 0)
        : std::runtime_error(message),
          m_code(code),
          m_extendedCode(extendedCode),
          m_systemErrno(systemErrno) {}
    int Code() const { return m_code; }  // primary result code (SQLITE_FULL = 13, ...)
    int ExtendedCode() const { return m_extendedCode; }
    // errno of the failing system call behind an I/O error (sqlite3_system_errno), 0 if none.
    int SystemErrno() const { return m_systemErrno; }
    // SQLITE_FULL, or an I/O error whose errno says no space (ENOSPC, EDQUOT, EFBIG: SQLite
    // reports a write refused by RLIMIT_FSIZE or a quota as SQLITE_IOERR_WRITE).
    bool IsDiskFull() const;
    bool IsReadOnly() const;
    bool IsCorrupt() const;  // SQLITE_CORRUPT or SQLITE_NOTADB
    bool IsBusy() const;

    bool IsIo() const;  // SQLITE_IOERR that is not a full disk

  private:
    int m_code;
    int m_extendedCode;
    int m_systemErrno;
};

enum class OpenMode { ReadWriteCreate, ReadWrite, ReadOnly };

class Database {
  public:
    // Opens the file (created unless mode says otherwise) with a 5 s busy timeout.
    explicit Database(const std::filesystem::path& path, OpenMode mode = OpenMode::ReadWriteCreate);
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more statements with no results.
    void Exec(std::string_view sql);
    // Reads a single-row, single-column pragma or query as text/integer.
    std::string QueryText(std::string_view sql);
    std::int64_t QueryInt(std::string_view sql);
    std::int64_t LastInsertRowId() const;
    int Changes() const;
    // True when SQLite could only open the file read-only (no write permission, read-only mount).
    bool IsReadOnly() const;
    // Closing the last connection normally checkpoints the WAL into the file and deletes it; for
    // a damaged file kept for forensics, leave both untouched.
    void KeepWalOnClose();
    const std::filesystem::path& Path() const { return m_path; }
    sqlite3* Handle() const { return m_db; }  // for Statement only

  private:
    sqlite3* m_db = nullptr;
    std::filesystem::path m_path;
};

class Statement {
  public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Bind by 1-based index. Text is copied (SQLITE_TRANSIENT).
    Statement& Bind(int index, std::int64_t value);
    Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
    Statement& Bind(int index, double value);
    Statement& Bind(int index, std::string_view value);
    Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
    Statement& Bind(int index, const std::string& value) {
        return Bind(index, std::string_view(value));
    }
    Statement& BindBlob(int index, const void* data, std::size_t size);
    Statement& BindNull(int index);
    template <typename T>
    Statement& Bind(int index, const std::optional<T>& value) {
        return value ? Bind(index, *value) : BindNull(index);
    }

    // Advances; true while a row is available, false when done. Throws on error.
    bool Step();
    // Step() that must finish without a row (INSERT/UPDATE/DELETE).
    void Run();
    void Reset();  // resets and clears bindings, ready for reuse

    bool IsNull(int column) const;
    std::int64_t Int(int column) const;
    double Double(int column) const;
    std::string Text(int column) const;
    // Valid until the next Step/Reset; no copy.
    std::string_view TextView(int column) const;
    std::optional<std::string> OptText(int column) const;
    std::optional<std::int64_t> OptInt(int column) const;
    int ColumnCount() const;
    std::vector<std::uint8_t> Blob(int column) const;

  private:
    void Check(int rc, const char* what) const;
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

// Resets a reused statement however its use ends, so no read snapshot stays open.
class StatementUse {
  public:
    explicit StatementUse(Statement& s) : m_s(s) {}
    ~StatementUse() { m_s.Reset(); }
    StatementUse(const StatementUse&) = delete;
    StatementUse& operator=(const StatementUse&) = delete;
    Statement* operator->() { return &m_s; }
    Statement& operator*() { return m_s; }

  private:
    Statement& m_s;
};

// BEGIN IMMEDIATE on construction; rolls back on destruction unless Commit() succeeded.
class Transaction {
  public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void Commit();

  private:
    Database& m_db;
    bool m_done = false;
};

// A numbered schema step. Steps run in order inside one transaction each; PRAGMA user_version
// records the last applied number. A database newer than the code is refused (SqliteError).
struct Migration {
    int version;
    std::string_view sql;
};
void Migrate(Database& db, const std::vector<Migration>& migrations);

// WAL + synchronous=FULL + foreign keys: the settings every durable store here uses.
void ApplyDurableSettings(Database& db);

// Throws SqliteError built from the connection's current error.
[[noreturn]] void ThrowSqlite(sqlite3* db, int rc, std::string_view what);

}  // namespace fk::storage
