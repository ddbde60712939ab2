#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <httplib.h>

#include "core/Clock.h"
#include "core/Uuid.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/HttpServer.h"
#include "storage/Sqlite.h"
#include "support/Paths.h"
#include "support/TempDir.h"

namespace {

struct Run {
    int code;
    std::string out;
};

Run Cli(const std::string& args) {
    std::string cmd = (fk::test::BuildDir() / "kiosk-server").string() + " " + args + " 2>/dev/null";
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    std::array<char, 4096> buffer{};
    while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string LastLine(const std::string& text) {
    std::string t = text;
    while (!t.empty() && t.back() == '\n') t.pop_back();
    auto nl = t.rfind('\n');
    return nl == std::string::npos ? t : t.substr(nl + 1);
}

}  // namespace

TEST_CASE("kiosk-server CLI: add-store, add-kiosk, add-manager print tokens that work, revoke stops them") {
    fk::test::TempDir dir;
    std::string db = "--db sqlite:" + (dir / "s.db").string();
    CHECK(Cli("add-store " + db + " --id s1 --name 'Store One'").code == 0);
    CHECK(Cli("add-store " + db + " --id s1 --name again").code == 1);
    CHECK(Cli("add-kiosk " + db + " --store nope --id k1").code == 1);
    auto kiosk = Cli("add-kiosk " + db + " --store s1 --id k1");
    REQUIRE(kiosk.code == 0);
    std::string token = LastLine(kiosk.out);
    CHECK(token.rfind("fk1_", 0) == 0);
    CHECK(token.size() == 68);
    auto idPos = kiosk.out.find("token id: ");
    REQUIRE(idPos != std::string::npos);
    std::string tokenId = kiosk.out.substr(idPos + 10, kiosk.out.find(' ', idPos + 10) - idPos - 10);
    auto manager = Cli("add-manager " + db + " --store s1");
    REQUIRE(manager.code == 0);
    std::string managerToken = LastLine(manager.out);
    CHECK(Cli("add-manager " + db).code == 2);
    CHECK(Cli("add-manager " + db + " --all").code == 0);
    std::ofstream(dir / "config.json") << R"({"survey": {"scale": 5}, "roster": [{"id": "r1", "name": "Asha"}]})";
    CHECK(Cli("set-config " + db + " --store s1 --file " + (dir / "config.json").string()).code == 0);
    std::ofstream(dir / "bad.json") << R"({"survey": {"scale": 9}})";
    CHECK(Cli("set-config " + db + " --store s1 --file " + (dir / "bad.json").string()).code == 1);

    // The token hash, not the token, is what the database holds.
    std::ifstream raw(dir / "s.db", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(raw)), std::istreambuf_iterator<char>());
    CHECK(bytes.find(token) == std::string::npos);

    auto backend = fk::server::OpenBackend("sqlite:" + (dir / "s.db").string());
    fk::core::SystemClock clock;
    fk::server::HttpServer server(*backend, clock, {});
    int port = server.Start();
    httplib::Client client("127.0.0.1", port);
    auto config = client.Get("/api/v1/kiosks/k1/config", {{"Authorization", "Bearer " + token}});
    REQUIRE(config);
    CHECK(config->status == 200);
    CHECK(config->body.find("\"scale\":5") != std::string::npos);
    auto status = client.Get("/api/v1/kiosks/k1/status", {{"Authorization", "Bearer " + managerToken}});
    CHECK(status->status == 200);
    CHECK(Cli("revoke " + db + " --token-id " + tokenId).code == 0);
    CHECK(Cli("revoke " + db + " --token-id " + tokenId).code == 1);
    CHECK(client.Get("/api/v1/kiosks/k1/config", {{"Authorization", "Bearer " + token}})->status == 401);
    CHECK(Cli("serve --db " + (dir / "x.db").string() + " --listen nonsense").code == 2);
}

TEST_CASE("kiosk-server rebuild-rollups recomputes report counts emptied by hand; a missing --db is a usage error") {
    fk::test::TempDir dir;
    const std::string url = "sqlite:" + (dir / "s.db").string();
    fk::core::FakeClock clock(1'795'000'000'000);
    fk::core::Uuid7Generator ids(clock);
    fk::server::ReportQuery query{std::nullopt, fk::core::CivilDate{2026, 1, 1}, fk::core::CivilDate{2026, 12, 31}};
    auto total = [&](fk::server::Backend& b) {
        std::int64_t n = 0;
        for (const auto& c : b.CountDays(query, true, false)) n += c.count;
        return n;
    };
    {
        auto backend = fk::server::OpenBackend(url);
        backend->AddStore("s1", "One", clock.NowUtcMs());
        backend->AddKiosk("k1", "s1", clock.NowUtcMs());
        fk::protocol::Batch batch;
        batch.kioskId = "k1";
        batch.batchId = ids.Next();
        for (int i = 1; i <= 5; ++i) {
            fk::core::Response r;
            r.id = ids.Next();
            r.seq = i;
            r.createdAtMs = clock.NowUtcMs() - i * 86'400'000LL;
            r.closedAtMs = r.createdAtMs + 1000;
            r.rating = 1 + i % 4;
            r.repId = "r1";
            r.language = "en";
            batch.responses.push_back(r);
        }
        fk::server::Ingest(*backend, fk::server::KioskRecord{"k1", "s1"}, batch, clock.NowUtcMs());
        CHECK(total(*backend) == 5);
    }
    {
        fk::storage::Database db(dir / "s.db");
        db.Exec("DELETE FROM agg_rep_day");
        db.Exec("DELETE FROM agg_rep_month");
    }
    CHECK(total(*fk::server::OpenBackend(url)) == 0);
    auto run = Cli("rebuild-rollups --db " + url);
    CHECK(run.code == 0);
    CHECK(run.out.find("report roll-ups rebuilt from 5 responses") != std::string::npos);
    CHECK(total(*fk::server::OpenBackend(url)) == 5);
    CHECK(Cli("rebuild-rollups").code == 2);
}
