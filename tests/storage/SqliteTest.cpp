#include <doctest/doctest.h>

#include "storage/Sqlite.h"
#include "support/TempDir.h"

using namespace fk::storage;

TEST_CASE("statements bind, step and read every column type") {
    fk::test::TempDir dir;
    Database db(dir / "t.db");
    db.Exec("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT, b BLOB)");
    Statement insert(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?)");
    const char blob[] = {1, 2, 3};
    insert.Bind(1, std::int64_t{1} << 40)
        .Bind(2, 2.5)
        .Bind(3, "नमस्ते")
        .BindNull(4)
        .BindBlob(5, blob, 3);
    insert.Run();
    Statement select(db, "SELECT i, r, s, n, b FROM t");
    REQUIRE(select.Step());
    CHECK(select.Int(0) == std::int64_t{1} << 40);
    CHECK(select.Double(1) == 2.5);
    CHECK(select.Text(2) == "नमस्ते");
    CHECK_FALSE(select.OptText(3).has_value());
    CHECK(select.Blob(4).size() == 3);
    CHECK_FALSE(select.Step());
}

TEST_CASE("an uncommitted transaction rolls back and a committed one stays") {
    fk::test::TempDir dir;
    Database db(dir / "t.db");
    db.Exec("CREATE TABLE t (x INTEGER)");
    {
        Transaction tx(db);
        db.Exec("INSERT INTO t VALUES (1)");
    }
    CHECK(db.QueryInt("SELECT count(*) FROM t") == 0);
    {
        Transaction tx(db);
        db.Exec("INSERT INTO t VALUES (1)");
        tx.Commit();
    }
    CHECK(db.QueryInt("SELECT count(*) FROM t") == 1);
}

TEST_CASE("errors carry the result code and SQLite's words") {
    fk::test::TempDir dir;
    Database db(dir / "t.db");
    try {
        db.Exec("SELECT * FROM missing_table");
        FAIL("expected an error");
    } catch (const SqliteError& e) {
        CHECK(std::string(e.what()).find("no such table: missing_table") != std::string::npos);
        CHECK(e.Code() == 1);
    }
    CHECK_THROWS_AS(Database(dir / "absent" / "x.db"), SqliteError);
}

TEST_CASE("migrations apply in order once and refuse a newer schema") {
    fk::test::TempDir dir;
    std::vector<Migration> v1 = {{1, "CREATE TABLE a (x)"}};
    std::vector<Migration> v2 = {{1, "CREATE TABLE a (x)"}, {2, "CREATE TABLE b (y)"}};
    {
        Database db(dir / "m.db");
        Migrate(db, v1);
        Migrate(db, v1);
        CHECK(db.QueryInt("PRAGMA user_version") == 1);
        Migrate(db, v2);
        CHECK(db.QueryInt("PRAGMA user_version") == 2);
        CHECK(db.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name IN ('a','b')") == 2);
    }
    Database db(dir / "m.db");
    CHECK_THROWS_WITH_AS(Migrate(db, v1), doctest::Contains("newer than this program knows"),
                         SqliteError);
}

TEST_CASE("durable settings turn on WAL and synchronous=FULL") {
    fk::test::TempDir dir;
    Database db(dir / "d.db");
    ApplyDurableSettings(db);
    CHECK(db.QueryText("PRAGMA journal_mode") == "wal");
    CHECK(db.QueryInt("PRAGMA synchronous") == 2);
}
