// The CSV files the kiosk writes (`kiosk export-csv` and the manager's USB export) opened the way a
// store manager opens them: Debian's LibreOffice Calc, headless, converts them to .ods with its
// UTF-8 CSV import filter; the test reads content.xml back out of the .ods. Hindi and Telugu must
// survive, and no cell may become a formula (a control file with one unguarded "=1+1" proves the
// check can see one). One soffice run converts all four files (about 3-5 s).
// Exit 77 (ctest skip) without soffice; FK_REQUIRE_LIBREOFFICE=1 (scripts/test) makes that a
// failure.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "app/CsvExport.h"
#include "core/Clock.h"
#include "core/Period.h"
#include "core/TimeFormat.h"
#include "core/Uuid.h"
#include "storage/CsvExport.h"
#include "storage/Dashboard.h"
#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"
#include "support/TempDir.h"

namespace fs = std::filesystem;
using namespace fk;

namespace {

const std::string kHindi = "प्रिया शर्मा";
const std::string kTelugu = "ప్రియాంక రెడ్డి";
const std::string kHindiError = "सर्वर ने अस्वीकार किया";
const std::string kTeluguError = "సర్వర్ తిరస్కరించింది";

std::string Capture(const std::string& command, int* status) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p)
        return out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    *status = ::pclose(p);
    return out;
}

std::string Slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// content.xml of an .ods (a zip), through python3's zipfile.
std::string OdsContent(const fs::path& ods) {
    int status = -1;
    const std::string xml = Capture(
        "python3 -c 'import sys, zipfile; "
        "sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(\"content.xml\").decode())' '" +
            ods.string() + "'",
        &status);
    REQUIRE_MESSAGE(status == 0, "cannot read content.xml from " << ods);
    return xml;
}

std::size_t Count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

// Rows as the kiosk stores them, straight into its table (as tests/storage/CsvExportTest does).
void InsertRows(const fs::path& db, core::UtcMs start) {
    storage::Database d(db);
    storage::Transaction t(d);
    storage::Statement s(
        d,
        "INSERT INTO responses (seq, id, created_at, tz_offset_min, scale, rating, rep_id, reason, "
        "language, updated_at, closed_at, close_reason) VALUES ((SELECT coalesce(max(seq), 0) + 1 "
        "FROM responses), ?1, ?2, 330, 4, ?3, ?4, NULL, 'hi', ?2, ?2, 'thank_you')");
    core::FakeClock idClock(start);
    core::Uuid7Generator gen(idClock);
    int i = 0;
    for (const char* rep : {"r1", "r2", "r3", "r4", "-5", "@6"}) {
        s.Bind(1, gen.Next().ToString()).Bind(2, start + i).Bind(3, 1 + i % 4).Bind(4, rep);
        s.Run();
        s.Reset();
        ++i;
    }
    t.Commit();
}

}  // namespace

TEST_CASE(
    "LibreOffice Calc opens both kiosk CSV exports with Hindi and Telugu intact and no formula") {
    test::TempDir dir("fk-lo");
    const fs::path data = dir / "data";
    const fs::path csvDir = dir / "csv";
    fs::create_directories(csvDir);
    core::FakeClock clock{*core::ParseRfc3339("2026-11-22T12:00:00Z"), 330};

    // The USB export: responses and the rep table, rep names from the roster.
    {
        auto store = storage::ResponseStore::Open(data, clock);
        const core::Period period = core::MakePeriod(core::PeriodKind::Today, clock);
        InsertRows(store->DatabasePath(), period.fromUtc + 1000);
        auto dash = storage::Dashboard::Open(data, clock);
        storage::ExportRequest request;
        request.directory = csvDir;
        request.repNames = {
            {"r1", kHindi}, {"r2", kTelugu}, {"r3", "=HYPERLINK(\"http://x.example\";\"click\")"},
            {"r4", "+1+1"}, {"-5", "-2+3"},  {"@6", "@SUM(1;2)"}};
        const core::ReasonPolicy policy;
        request.fileName = "usb-responses.csv";
        const auto rows = storage::ExportResponsesCsv(*dash, period, policy, request);
        REQUIRE_MESSAGE(rows.Ok(), rows.message);
        request.fileName = "usb-reps.csv";
        const auto data0 =
            dash->Load(storage::DashboardRequest{period, core::RatingScale(), 4, 1}, policy);
        const auto table = storage::ExportRepTableCsv(data0, request);
        REQUIRE_MESSAGE(table.Ok(), table.message);
    }
    // `kiosk export-csv`: every column, text from the server's answers included.
    {
        std::ofstream out(csvDir / "kiosk-export.csv", std::ios::binary);
        core::FakeClock idClock(1'790'000'000'000);
        core::Uuid7Generator gen(idClock);
        const app::ResponseSource source = [&](const app::ResponseVisitor& visit) {
            core::Response r;
            r.id = gen.Next();
            r.seq = 1;
            r.createdAtMs = idClock.NowUtcMs();
            r.repId = "-5";
            r.reason = "=1+2";
            r.language = "hi";
            r.misuse = "@rule";
            r.syncState = core::SyncState::Rejected;
            r.syncError = kHindiError + " / " + kTeluguError;
            if (!visit(r))
                return;
            r.id = gen.Next();
            r.seq = 2;
            r.repId = "r2";
            r.reason = "+cmd|' /C calc'!A0";
            r.syncError = "\t=2+2";
            visit(r);
        };
        REQUIRE(app::ExportCsv(source, out) == 2);
    }
    // The control: an unguarded formula, which Calc does turn into one.
    std::ofstream(csvDir / "control.csv", std::ios::binary) << "a,b\r\n=1+1,x\r\n";

    for (const char* name : {"usb-responses.csv", "usb-reps.csv", "kiosk-export.csv"})
        CHECK_MESSAGE(Slurp(csvDir / name).rfind("\xEF\xBB\xBF", 0) == 0, name << " has no BOM");

    // One soffice run for all four; its own profile, so a user's LibreOffice is not disturbed.
    const fs::path odsDir = dir / "ods";
    const std::string command =
        "cd '" + csvDir.string() + "' && soffice --headless --norestore --nolockcheck " +
        "-env:UserInstallation=file://" + (dir / "lo-profile").string() +
        " --convert-to ods --infilter=CSV:44,34,76,1 --outdir '" + odsDir.string() +
        "' usb-responses.csv usb-reps.csv kiosk-export.csv control.csv 2>&1";
    int status = -1;
    const std::string log = Capture(command, &status);
    REQUIRE_MESSAGE(status == 0, "soffice failed: " << log);

    const std::string control = OdsContent(odsDir / "control.ods");
    REQUIRE_MESSAGE(Count(control, "table:formula=") == 1,
                    "the control's =1+1 did not become a formula: the check below would be blind");

    const std::string responses = OdsContent(odsDir / "usb-responses.ods");
    const std::string reps = OdsContent(odsDir / "usb-reps.ods");
    const std::string kiosk = OdsContent(odsDir / "kiosk-export.ods");
    for (const auto& [name, xml] :
         {std::pair{"usb-responses", &responses}, std::pair{"usb-reps", &reps},
          std::pair{"kiosk-export", &kiosk}}) {
        CAPTURE(name);
        CHECK(Count(*xml, "table:formula=") == 0);
        CHECK(Count(*xml, "\xEF\xBB\xBF") == 0);  // the BOM was read as a BOM, not as text
        CHECK(xml->find("office:value-type=\"error\"") == std::string::npos);
    }
    CHECK(responses.find("<text:p>" + kHindi + "</text:p>") != std::string::npos);
    CHECK(responses.find("<text:p>" + kTelugu + "</text:p>") != std::string::npos);
    CHECK(reps.find("<text:p>" + kHindi + "</text:p>") != std::string::npos);
    CHECK(reps.find("<text:p>" + kTelugu + "</text:p>") != std::string::npos);
    CHECK(kiosk.find(kHindiError + " / " + kTeluguError) != std::string::npos);
    // The guarded cells are text that still shows what was typed.
    CHECK(responses.find("=HYPERLINK(") != std::string::npos);
    CHECK(responses.find("@SUM(1;2)") != std::string::npos);
    CHECK(kiosk.find("=1+2") != std::string::npos);
    // The first header cell is exactly "id": no stray BOM glued to it.
    CHECK(kiosk.find("<text:p>id</text:p>") != std::string::npos);
}

int main(int argc, char** argv) {
    int status = -1;
    const std::string where = Capture("command -v soffice 2>/dev/null", &status);
    if (status != 0 || where.empty()) {
        const char* require = std::getenv("FK_REQUIRE_LIBREOFFICE");
        if (require && std::string(require) == "1") {
            std::cerr << "FK_REQUIRE_LIBREOFFICE=1 but soffice is not installed "
                         "(scripts/setup-deps installs libreoffice-calc-nogui)\n";
            return 1;
        }
        std::cerr << "SKIP: soffice not installed (apt-get install libreoffice-calc-nogui)\n";
        return 77;
    }
    doctest::Context context(argc, argv);
    return context.run();
}
