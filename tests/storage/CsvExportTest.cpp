#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/Clock.h"
#include "core/Period.h"
#include "core/TimeFormat.h"
#include "storage/CsvExport.h"
#include "storage/Dashboard.h"
#include "storage/ResponseStore.h"
#include "storage/SafeExportFile.h"
#include "storage/Sqlite.h"
#include "support/TempDir.h"

using namespace fk;
using namespace fk::storage;
namespace fs = std::filesystem;

namespace {

const char* const kFormulaName = "=HYPERLINK(\"x\")";
const char* const kTeluguName = "ప్రియాంక రెడ్డి";

core::ReasonPolicy Policy() {
    return core::ReasonPolicy({{"rude", true}, {"wait_time", false}});
}

// Bulk rows straight into the store's table (the export reads whatever the kiosk committed).
void InsertRows(const fs::path& db, core::UtcMs start, int count, const std::string& rep) {
    Database d(db);
    Transaction t(d);
    Statement s(d,
                "INSERT INTO responses (seq, id, created_at, tz_offset_min, scale, rating, rep_id, "
                "reason, language, updated_at, closed_at, close_reason) VALUES ((SELECT "
                "coalesce(max(seq), 0) + 1 FROM responses), ?1, ?2, 330, 4, ?3, ?4, ?5, 'te', ?2, "
                "?2, 'thank_you')");
    core::FakeClock idClock(start);
    core::Uuid7Generator gen(idClock);
    for (int i = 0; i < count; ++i) {
        s.Bind(1, gen.Next().ToString()).Bind(2, start + i).Bind(3, 1 + i % 4).Bind(4, rep);
        if (i % 4 == 0)
            s.Bind(5, "wait_time");
        else
            s.BindNull(5);
        s.Run();
        s.Reset();
    }
    t.Commit();
}

// Runs python3's csv module over the file; prints rep_id TAB rep_name for each data row.
std::vector<std::pair<std::string, std::string>> ReadWithPython(const fs::path& file,
                                                                const std::string& idColumn,
                                                                const std::string& nameColumn) {
    const std::string cmd =
        "python3 -c 'import csv,sys\n"
        "with open(sys.argv[1], newline=\"\", encoding=\"utf-8-sig\") as f:\n"
        "    for row in csv.DictReader(f):\n"
        "        sys.stdout.write(row[sys.argv[2]] + \"\\t\" + row[sys.argv[3]] + \"\\n\")' '" +
        file.string() + "' " + idColumn + " " + nameColumn;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    REQUIRE(::pclose(p) == 0);
    std::vector<std::pair<std::string, std::string>> rows;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        REQUIRE(tab != std::string::npos);
        rows.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    }
    return rows;
}

std::string Slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Fixture {
    test::TempDir dir{"fk-csv"};
    test::TempDir out{"fk-csv-out"};
    core::FakeClock clock{*core::ParseRfc3339("2026-11-22T12:00:00Z"), 330};
    std::unique_ptr<ResponseStore> store = ResponseStore::Open(dir.Path(), clock);
    core::Period period = core::MakePeriod(core::PeriodKind::Today, clock);
    std::unique_ptr<Dashboard> dash;
    ExportRequest request;

    Fixture() {
        InsertRows(store->DatabasePath(), period.fromUtc + 1000, 6, "r1");
        InsertRows(store->DatabasePath(), period.fromUtc + 5000, 5, "r2");
        InsertRows(store->DatabasePath(), period.fromUtc + 9000, 3, "-5");
        dash = Dashboard::Open(dir.Path(), clock);
        request.directory = out.Path();
        request.repNames = {{"r1", kFormulaName}, {"r2", kTeluguName}, {"-5", "@boss"}};
    }
};

}  // namespace

TEST_CASE("csv export of responses: formula and Telugu rep names round-trip through python csv") {
    Fixture f;
    f.request.fileName = "responses.csv";
    const ExportResult r = ExportResponsesCsv(*f.dash, f.period, Policy(), f.request);
    REQUIRE_MESSAGE(r.Ok(), r.message);
    CHECK(r.rows == 14);
    CHECK(r.path == fs::canonical(f.out.Path()) / "responses.csv");
    CHECK_FALSE(fs::exists(r.path.string() + ".partial"));
    const std::string bytes = Slurp(r.path);
    CHECK(bytes.rfind("\xEF\xBB\xBF"
                      "id,seq,",
                      0) == 0);
    CHECK(bytes.find("\r\n") != std::string::npos);

    const auto rows = ReadWithPython(r.path, "rep_id", "rep_name");
    REQUIRE(rows.size() == 14);
    int formula = 0, telugu = 0, guardedId = 0;
    for (const auto& [id, name] : rows) {
        if (id == "r1") {
            CHECK(name == std::string("'") + kFormulaName);
            ++formula;
        } else if (id == "r2") {
            CHECK(name == kTeluguName);
            ++telugu;
        } else {
            CHECK(id == "'-5");  // a rep id starting with '-' is guarded too
            CHECK(name == "'@boss");
            ++guardedId;
        }
    }
    CHECK(formula == 6);
    CHECK(telugu == 5);
    CHECK(guardedId == 3);
    // The numeric tz offset is ours, not user text: no guard.
    const auto tz = ReadWithPython(r.path, "tz_offset_min", "reason_about_rep");
    CHECK(tz[0].first == "330");
    CHECK(tz[0].second == "no");  // wait_time is not about the rep
    CHECK(tz[1].second == "");
}

TEST_CASE("csv export of the rep table: the dashboard's numbers, names guarded") {
    Fixture f;
    f.request.fileName = "reps.csv";
    const DashboardData data =
        f.dash->Load(DashboardRequest{f.period, core::RatingScale(), 4, 1}, Policy());
    const ExportResult r = ExportRepTableCsv(data, f.request);
    REQUIRE_MESSAGE(r.Ok(), r.message);
    CHECK(r.rows == 4);  // three reps and the total
    const auto names = ReadWithPython(r.path, "rep_id", "rep_name");
    REQUIRE(names.size() == 4);
    CHECK(names[0] == std::make_pair(std::string("'-5"), std::string("'@boss")));
    CHECK(names[1].second == std::string("'") + kFormulaName);
    CHECK(names[2].second == kTeluguName);
    CHECK(names[3].first == "total");
    // r1: 6 rows, ratings 1,2,3,4,1,2; rows 0 and 4 (rating 1) carry wait_time -> 4 about the rep.
    const auto counts = ReadWithPython(r.path, "responses_about_rep", "not_about_rep");
    CHECK(counts[1] == std::make_pair(std::string("4"), std::string("2")));
    const auto pct = ReadWithPython(r.path, "satisfaction_pct", "enough_data");
    CHECK(pct[1] == std::make_pair(std::string("50.0"), std::string("yes")));  // 3,4 of 1..4 minus
    CHECK(pct[0] == std::make_pair(std::string(""), std::string("no")));  // "-5": 3 rows, 2 about
}

TEST_CASE("csv export refuses paths that leave the chosen directory") {
    Fixture f;
    for (const char* bad : {"../escape.csv", "sub/../../escape.csv", "/tmp/abs.csv", ""}) {
        f.request.fileName = bad;
        const ExportResult r = ExportResponsesCsv(*f.dash, f.period, Policy(), f.request);
        CHECK(r.error == ExportErrorKind::BadPath);
        CHECK_FALSE(r.message.empty());
    }
    f.request.fileName = "../escape.csv";
    CHECK(ExportResponsesCsv(*f.dash, f.period, Policy(), f.request).message.find("..") !=
          std::string::npos);
    CHECK_FALSE(fs::exists(f.out.Path().parent_path() / "escape.csv"));
    // A symbolic link inside the directory that points outside is refused too.
    test::TempDir elsewhere("fk-csv-elsewhere");
    fs::create_directory_symlink(elsewhere.Path(), f.out.Path() / "link");
    f.request.fileName = "link/x.csv";
    CHECK(ExportResponsesCsv(*f.dash, f.period, Policy(), f.request).error ==
          ExportErrorKind::BadPath);
    CHECK_FALSE(fs::exists(elsewhere.Path() / "x.csv"));
    // A missing directory says so.
    f.request.directory = f.out.Path() / "no-stick";
    f.request.fileName = "x.csv";
    const auto missing = ExportResponsesCsv(*f.dash, f.period, Policy(), f.request);
    CHECK(missing.error == ExportErrorKind::BadPath);
    CHECK(missing.message.find("does not exist") != std::string::npos);
    // A subfolder that exists is fine.
    fs::create_directory(f.out.Path() / "sub");
    f.request.directory = f.out.Path();
    f.request.fileName = "sub/ok.csv";
    CHECK(ExportResponsesCsv(*f.dash, f.period, Policy(), f.request).Ok());
}

TEST_CASE("csv export reports progress and can be cancelled without leaving a file") {
    Fixture f;
    InsertRows(f.store->DatabasePath(), f.period.fromUtc + 20000, 2500, "r3");
    std::vector<std::pair<std::int64_t, std::int64_t>> calls;
    f.request.fileName = "big.csv";
    f.request.progress = [&](std::int64_t done, std::int64_t total) {
        calls.emplace_back(done, total);
        return true;
    };
    const ExportResult r = ExportResponsesCsv(*f.dash, f.period, Policy(), f.request);
    REQUIRE(r.Ok());
    CHECK(r.rows == 2514);
    REQUIRE(calls.size() == 3);
    CHECK(calls[0] == std::make_pair(std::int64_t{1000}, std::int64_t{2514}));
    CHECK(calls[1].first == 2000);
    CHECK(calls[2] == std::make_pair(std::int64_t{2514}, std::int64_t{2514}));

    f.request.fileName = "cancelled.csv";
    f.request.progress = [](std::int64_t done, std::int64_t) { return done < 1000; };
    const ExportResult c = ExportResponsesCsv(*f.dash, f.period, Policy(), f.request);
    CHECK(c.error == ExportErrorKind::Cancelled);
    CHECK_FALSE(fs::exists(f.out.Path() / "cancelled.csv"));
    CHECK_FALSE(fs::exists(f.out.Path() / "cancelled.csv.partial"));
}

TEST_CASE("csv export never follows a link or overwrites a file on the stick") {
    Fixture f;
    test::TempDir victims("fk-csv-victims");
    const fs::path victim = victims.Path() / "responses.db";
    std::ofstream(victim) << "precious";
    const DashboardData data =
        f.dash->Load(DashboardRequest{f.period, core::RatingScale(), 4, 1}, Policy());
    for (const std::string& planted : {std::string("x.csv.partial"), std::string("x.csv")}) {
        CAPTURE(planted);
        fs::create_symlink(victim, f.out.Path() / planted);
        f.request.fileName = "x.csv";
        const ExportResult rows = ExportResponsesCsv(*f.dash, f.period, Policy(), f.request);
        CHECK(rows.error == ExportErrorKind::Exists);
        CHECK(rows.existing == planted);
        CHECK(rows.message.find("nothing was overwritten") != std::string::npos);
        const ExportResult table = ExportRepTableCsv(data, f.request);
        CHECK(table.error == ExportErrorKind::Exists);
        CHECK(Slurp(victim) == "precious");
        CHECK(fs::is_symlink(f.out.Path() / planted));
        fs::remove(f.out.Path() / planted);
        CHECK(fs::is_empty(f.out.Path()));
    }
    // A dangling link is refused too (O_CREAT would otherwise create its target).
    fs::create_symlink(victims.Path() / "new-file", f.out.Path() / "y.csv.partial");
    f.request.fileName = "y.csv";
    CHECK(ExportResponsesCsv(*f.dash, f.period, Policy(), f.request).error ==
          ExportErrorKind::Exists);
    CHECK_FALSE(fs::exists(victims.Path() / "new-file"));

    // A plain file already there: refused, left as it was.
    std::ofstream(f.out.Path() / "z.csv") << "someone's own file";
    f.request.fileName = "z.csv";
    const ExportResult again = ExportResponsesCsv(*f.dash, f.period, Policy(), f.request);
    CHECK(again.error == ExportErrorKind::Exists);
    CHECK(Slurp(f.out.Path() / "z.csv") == "someone's own file");
    CHECK_FALSE(fs::exists(f.out.Path() / "z.csv.partial"));
    CHECK(FirstExistingExport(f.out.Path(), {"w.csv", "z.csv"}) == std::string("z.csv"));
    CHECK_FALSE(FirstExistingExport(f.out.Path(), {"w.csv"}).has_value());
}

TEST_CASE("a file appearing at the final name during an export is not replaced") {
    test::TempDir out("fk-csv-race");
    SafeExportFile file(out.Path(), "r.csv");
    REQUIRE(file.Ok());
    REQUIRE(file.Write("a,b\r\n", 5));
    std::ofstream(out.Path() / "r.csv") << "theirs";  // planted between create and rename
    CHECK_FALSE(file.Commit());
    CHECK(file.problem() == SafeExportFile::Problem::Exists);
    CHECK(Slurp(out.Path() / "r.csv") == "theirs");
}
