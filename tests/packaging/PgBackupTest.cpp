// docs/OPERATIONS.md's PostgreSQL backup and restore, for real: a partitioned database with rows
// in three months and in the default partition is dumped with pg_dump, restored with pg_restore
// into a fresh database (a new machine), and `kiosk-server rebuild-rollups` is run on it. The
// restored database answers every report, status and the fleet exactly as the original did, a
// resend is still a duplicate, and a new month still gets its partition. pg_dump/pg_restore come
// from the bindir of the cluster's own major version (/usr/lib/postgresql/N/bin, or
// FK_PG_BINDIR): missing, the test skips (77), or fails under FK_REQUIRE_PG=1.
#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/Clock.h"
#include "core/TimeFormat.h"
#include "core/Uuid.h"
#include "server/Backend.h"
#include "support/ChildProcess.h"
#include "support/Paths.h"
#include "support/Skip.h"
#include "support/TempDir.h"

namespace fk::server {

namespace {

bool Required() {
    const char* v = std::getenv("FK_REQUIRE_PG");
    return v != nullptr && std::string(v) == "1";
}

std::string Query(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    std::string out;
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult* r = PQexec(c, sql.c_str());
        const auto st = PQresultStatus(r);
        if (st == PGRES_TUPLES_OK && PQntuples(r) > 0)
            out = PQgetvalue(r, 0, 0);
        else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
            FAIL_CHECK(sql << ": " << PQresultErrorMessage(r));
        PQclear(r);
    } else {
        FAIL_CHECK("cannot connect to " << url << ": " << PQerrorMessage(c));
    }
    PQfinish(c);
    return out;
}

// The cluster URL with another database name.
std::string WithDatabase(const std::string& url, const std::string& db) {
    const auto slash = url.find('/', url.find("://") + 3);
    const auto query = url.find('?', slash);
    return url.substr(0, slash + 1) + db + (query == std::string::npos ? "" : url.substr(query));
}

// Exit status of program with args (its output echoed on failure).
int Run(const std::filesystem::path& program, const std::vector<std::string>& args) {
    test::Child child(program, args, true);
    const int status = child.Wait();
    const std::string output = child.ReadToEnd();
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    if (code != 0)
        MESSAGE(program.filename().string() << " exited " << code << ": " << output);
    return code;
}

// Everything a manager or the fleet page reads, as text.
std::string Snapshot(Backend& backend) {
    std::ostringstream out;
    const ReportQuery all{std::nullopt, {2026, 1, 1}, {2026, 12, 31}};
    for (bool byRep : {true, false}) {
        for (const auto& c : backend.CountDays(all, byRep, true)) {
            out << c.storeId << ' ' << c.day << ' ' << c.repId.value_or("-") << ' ' << c.scale
                << ' ' << c.rating << ' ' << c.reason.value_or("-") << ' ' << c.misuse << ' '
                << c.count << '\n';
        }
    }
    for (const auto& h : backend.CountHours(all))
        out << h.storeId << ' ' << h.day << ' ' << h.hour << ' ' << h.rating << ' ' << h.count
            << '\n';
    for (const auto& k : backend.FleetStatuses(std::nullopt)) {
        out << k.kioskId << ' ' << k.ackedSeq << ' ' << k.maxSeq << ' ' << k.gaps.size() << ' '
            << k.rejected << '\n';
    }
    const auto st = backend.Status("k1");
    REQUIRE(st);
    out << "k1 " << st->responses << ' ' << st->ackedSeq << '\n';
    out << "tz " << backend.LatestTzOffset(std::string("s1")).value_or(-1) << '\n';
    out << "total " << backend.CountResponses() << '\n';
    // Row order is the database's (a rebuilt table returns its rows in another order).
    std::vector<std::string> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    std::string text;
    for (const auto& line : lines)
        text += line + '\n';
    return text;
}

}  // namespace

TEST_CASE(
    "postgres / pg_dump, pg_restore into a new database and kiosk-server rebuild-rollups give "
    "back the same reports, partitions and keys") {
    const char* base = std::getenv("FK_TEST_PG_URL");
    if (base == nullptr || *base == '\0') {
        if (Required())
            FAIL("FK_REQUIRE_PG=1 but FK_TEST_PG_URL is not set");
        test::Skip("the PostgreSQL backup test: FK_TEST_PG_URL is not set");
        return;
    }
    const std::string major =
        std::to_string(std::atoi(Query(base, "SHOW server_version_num").c_str()) / 10000);
    const char* env = std::getenv("FK_PG_BINDIR");
    std::filesystem::path bindir = "/usr/lib/postgresql/" + major + "/bin";
    if (env != nullptr && *env != '\0' &&
        std::filesystem::exists(std::filesystem::path(env) / "pg_dump"))
        bindir = env;
    if (!std::filesystem::exists(bindir / "pg_dump") ||
        !std::filesystem::exists(bindir / "pg_restore")) {
        if (Required())
            FAIL("FK_REQUIRE_PG=1 but pg_dump/pg_restore " << major << " are not in " << bindir);
        test::Skip("the PostgreSQL backup test: no pg_dump/pg_restore in " + bindir.string());
        return;
    }
    unsigned char bytes[4];
    core::FillRandom(bytes, sizeof bytes);
    std::string suffix;
    for (unsigned char b : bytes)
        suffix += std::to_string(b % 10);
    const std::string srcDb = "fk_backup_src_" + suffix, dstDb = "fk_backup_dst_" + suffix;
    Query(base, "CREATE DATABASE " + srcDb);
    Query(base, "CREATE DATABASE " + dstDb);
    struct Drop {
        std::string base, a, b;
        ~Drop() {
            PGconn* c = PQconnectdb(base.c_str());
            for (const auto& db : {a, b})
                PQclear(PQexec(c, ("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)").c_str()));
            PQfinish(c);
        }
    } drop{base, srcDb, dstDb};
    const std::string src = WithDatabase(base, srcDb), dst = WithDatabase(base, dstDb);

    core::FakeClock clock(*core::ParseRfc3339("2026-11-20T12:00:00Z"));
    core::Uuid7Generator ids(clock);
    const core::UtcMs now = clock.NowUtcMs();
    protocol::Batch batch;
    batch.kioskId = "k1";
    batch.batchId = ids.Next();
    for (int i = 0; i < 90; ++i) {
        core::Response r;
        r.id = ids.Next();
        r.seq = i + 1;
        // September to November, and one from a kiosk clock at 1971 (the default partition).
        r.createdAtMs = i == 89 ? *core::ParseRfc3339("1971-01-02T03:00:00Z")
                                : *core::ParseRfc3339("2026-09-10T08:00:00Z") + i * 86'400'000LL;
        r.closedAtMs = r.createdAtMs + 2000;
        r.tzOffsetMin = i < 60 ? 330 : 345;
        r.rating = 1 + i % 4;
        r.repId = "r" + std::to_string(i % 3);
        r.reason = r.rating == 1 ? std::optional<std::string>("rude") : std::nullopt;
        r.language = "en";
        batch.responses.push_back(r);
    }
    batch.responses[10].seq = 95;  // a gap the status and fleet must report again
    std::string before;
    {
        auto backend = OpenBackend(src);
        backend->AddStore("s1", "One", now);
        backend->AddStore("s2", "Two", now);
        backend->AddKiosk("k1", "s1", now);
        backend->AddKiosk("k2", "s2", now);
        const auto receipt = Ingest(*backend, KioskRecord{"k1", "s1"}, batch, now);
        REQUIRE(receipt.ackedSeq == 10);
        before = Snapshot(*backend);
    }
    CHECK(Query(src, "SELECT count(*) FROM responses_other") == "1");
    CHECK(Query(src, "SELECT count(*) FROM responses_2026_10") == "31");

    test::TempDir dir;
    const std::string dump = (dir.Path() / "feedback.dump").string();
    REQUIRE(Run(bindir / "pg_dump", {"--format=custom", "--file=" + dump, src}) == 0);
    REQUIRE(Run(bindir / "pg_restore",
                {"--clean", "--if-exists", "--no-owner", "--dbname=" + dst, dump}) == 0);
    REQUIRE(Run(test::BuildDir() / "kiosk-server", {"rebuild-rollups", "--db", dst}) == 0);

    CHECK(Query(dst, "SELECT count(*) FROM responses_other") == "1");
    CHECK(Query(dst, "SELECT count(*) FROM responses_2026_10") == "31");
    CHECK(Query(dst, "SELECT count(*) FROM response_keys") == "90");
    CHECK(
        Query(dst, "SELECT (SELECT count(*) FROM responses) = (SELECT sum(n) FROM agg_rep_day)") ==
        "t");
    auto restored = OpenBackend(dst);
    CHECK(Snapshot(*restored) == before);
    // Nothing is stored twice after a restore, and ingest still makes months on demand.
    auto receipt = Ingest(*restored, KioskRecord{"k1", "s1"}, batch, now);
    for (const auto& item : receipt.results)
        CHECK(item.status == protocol::ItemStatus::Duplicate);
    protocol::Batch july;
    july.kioskId = "k1";
    july.batchId = ids.Next();
    core::Response r = batch.responses[0];
    r.id = ids.Next();
    r.seq = 11;
    r.createdAtMs = *core::ParseRfc3339("2026-07-01T00:30:00Z");
    r.closedAtMs = r.createdAtMs + 1000;
    july.responses.push_back(r);
    receipt = Ingest(*restored, KioskRecord{"k1", "s1"}, july, now);
    CHECK(receipt.results.at(0).status == protocol::ItemStatus::Accepted);
    CHECK(Query(dst, "SELECT count(*) FROM responses_2026_07") == "1");
}

}  // namespace fk::server
