#include <doctest/doctest.h>

#include <httplib.h>
#include <sys/stat.h>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "config/KioskConfig.h"
#include "config/PinHash.h"
#include "config/SurveyDefinition.h"
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

// stdinText: what is piped on standard input (nullptr: /dev/null).
Run Cli(const std::string& args, const char* stdinText = nullptr) {
    std::string cmd =
        (fk::test::BuildDir() / "kiosk-server").string() + " " + args + " 2>/dev/null";
    cmd = stdinText ? "printf '" + std::string(stdinText) + "' | " + cmd : cmd + " </dev/null";
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    std::array<char, 4096> buffer{};
    while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe))
        out.append(buffer.data(), n);
    int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string LastLine(const std::string& text) {
    std::string t = text;
    while (!t.empty() && t.back() == '\n')
        t.pop_back();
    auto nl = t.rfind('\n');
    return nl == std::string::npos ? t : t.substr(nl + 1);
}

}  // namespace

TEST_CASE(
    "kiosk-server CLI: add-store, add-kiosk, add-manager print tokens that work, revoke stops "
    "them") {
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
    std::string tokenId =
        kiosk.out.substr(idPos + 10, kiosk.out.find(' ', idPos + 10) - idPos - 10);
    auto manager = Cli("add-manager " + db + " --store s1");
    REQUIRE(manager.code == 0);
    std::string managerToken = LastLine(manager.out);
    CHECK(Cli("add-manager " + db).code == 2);
    CHECK(Cli("add-manager " + db + " --all").code == 0);
    std::ofstream(dir / "config.json")
        << R"({"survey": {"scale": 5}, "roster": [{"id": "r1", "name": "Asha"}]})";
    CHECK(Cli("set-config " + db + " --store s1 --file " + (dir / "config.json").string()).code ==
          0);
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
    auto status =
        client.Get("/api/v1/kiosks/k1/status", {{"Authorization", "Bearer " + managerToken}});
    CHECK(status->status == 200);
    CHECK(Cli("revoke " + db + " --token-id " + tokenId).code == 0);
    CHECK(Cli("revoke " + db + " --token-id " + tokenId).code == 1);
    CHECK(client.Get("/api/v1/kiosks/k1/config", {{"Authorization", "Bearer " + token}})->status ==
          401);
    CHECK(Cli("serve --db " + (dir / "x.db").string() + " --listen nonsense").code == 2);
}

TEST_CASE(
    "kiosk-server set-rep-code: the code typed twice is stored as an argon2id hash in the store's "
    "next survey version and served to its kiosks, never printed; --clear removes it") {
    fk::test::TempDir dir;
    const std::string db = "--db sqlite:" + (dir / "s.db").string();
    REQUIRE(Cli("add-store " + db + " --id s1 --name 'Store One'").code == 0);
    auto kiosk = Cli("add-kiosk " + db + " --store s1 --id k1");
    REQUIRE(kiosk.code == 0);
    const std::string token = LastLine(kiosk.out);
    CHECK(Cli("set-rep-code " + db + " --store s1 --rep r1", "2468\\n2468\\n").code ==
          1);  // no survey
    std::ofstream(dir / "config.json") << R"({"survey": {"scale": 4, "rep_mode": "on_duty"},
              "roster": [{"id": "r1", "name": "Asha"}, {"id": "r2", "name": "Ravi"}]})";
    REQUIRE(Cli("set-config " + db + " --store s1 --file " + (dir / "config.json").string()).code ==
            0);
    CHECK(Cli("set-rep-code " + db + " --store s1 --rep r9", "2468\\n2468\\n").code == 1);
    CHECK(Cli("set-rep-code " + db + " --store s1 --rep r1", "2468\\n1357\\n").code == 2);
    CHECK(Cli("set-rep-code " + db + " --store s1 --rep r1", "12\\n").code == 2);
    const Run set = Cli("set-rep-code " + db + " --store s1 --rep r1", "246813\\n246813\\n");
    REQUIRE(set.code == 0);
    CHECK(set.out.find("version 2") != std::string::npos);
    CHECK(set.out.find("246813") == std::string::npos);
    CHECK(set.out.find("argon2") == std::string::npos);

    auto backend = fk::server::OpenBackend("sqlite:" + (dir / "s.db").string());
    fk::core::SystemClock clock;
    fk::server::HttpServer server(*backend, clock, {});
    httplib::Client client("127.0.0.1", server.Start());
    auto served = client.Get("/api/v1/kiosks/k1/config", {{"Authorization", "Bearer " + token}});
    REQUIRE(served);
    REQUIRE(served->status == 200);
    const auto roster = nlohmann::json::parse(served->body)["roster"];
    REQUIRE(roster.size() == 2);
    REQUIRE(roster[0]["code_hash"].is_string());
    CHECK(fk::config::VerifyPin(roster[0]["code_hash"].get<std::string>(), "246813"));
    CHECK_FALSE(roster[1].contains("code_hash"));
    // The kiosk's own loader takes it: the rep can sign in at the till.
    const fk::config::KioskConfig applied =
        fk::config::ApplySurveyDefinition({}, served->body, "served");
    REQUIRE(applied.roster.size() == 2);
    CHECK(applied.roster[0].codeHash.has_value());
    CHECK_FALSE(applied.roster[1].codeHash.has_value());

    REQUIRE(Cli("set-rep-code " + db + " --store s1 --rep r1 --clear").code == 0);
    served = client.Get("/api/v1/kiosks/k1/config", {{"Authorization", "Bearer " + token}});
    CHECK(served->body.find("code_hash") == std::string::npos);
}

TEST_CASE(
    "kiosk-server serve --config: a bad settings file or a missing database stops it with exit 2 "
    "and file:line") {
    fk::test::TempDir dir;
    auto withStderr = [](const std::string& args) {
        std::string cmd = (fk::test::BuildDir() / "kiosk-server").string() + " " + args + " 2>&1";
        FILE* pipe = popen(cmd.c_str(), "r");
        REQUIRE(pipe != nullptr);
        std::string out;
        std::array<char, 4096> buffer{};
        while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe))
            out.append(buffer.data(), n);
        int status = pclose(pipe);
        return Run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
    };
    const std::string bad = (dir / "bad.toml").string();
    std::ofstream(bad) << "[server]\nlisten = \"127.0.0.1:0\"\n\n[web]\nsession_lifetime_s = 5\n";
    auto run = withStderr("serve --config " + bad + " --db " + (dir / "x.db").string());
    CHECK(run.code == 2);
    CHECK(run.out.find(bad + ":5: web.session_lifetime_s: 5 is out of range") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "x.db"));  // refused before opening anything

    const std::string noDb = (dir / "nodb.toml").string();
    std::ofstream(noDb) << "[server]\nlisten = \"127.0.0.1:0\"\n";
    run = withStderr("serve --config " + noDb);
    CHECK(run.code == 2);
    CHECK(run.out.find("give --db") != std::string::npos);
    CHECK(withStderr("serve --config " + (dir / "missing.toml").string() +
                     " --db x.db --listen 127.0.0.1:0")
              .code == 2);
    CHECK(withStderr("serve --db " + (dir / "x.db").string()).code == 2);  // no --listen anywhere
    CHECK(withStderr("serve --config " + noDb + " --db " + (dir / "x.db").string() +
                     " --session-lifetime 10")
              .code == 2);

    // The command line overrides the file: the file's database is never opened.
    const std::string both = (dir / "both.toml").string();
    std::ofstream(both) << "[server]\nlisten = \"127.0.0.1:0\"\n[database]\nurl = \"sqlite:"
                        << (dir / "file.db").string()
                        << "\"\n[limits]\nmax_connections = 5000\nmax_connections_per_address = "
                           "3\nhead_deadline_s = 5\nqueue_size = 64\nworkers = 4\n";
    run = withStderr("serve --config " + both + " --db sqlite:" + (dir / "cli.db").string() +
                     " 2>&1 & pid=$!; sleep 1; kill $pid; wait");
    CHECK(run.out.find("kiosk-server: serving sqlite:" + (dir / "cli.db").string() +
                       " on 127.0.0.1:") != std::string::npos);
    CHECK(std::filesystem::exists(dir / "cli.db"));
    CHECK_FALSE(std::filesystem::exists(dir / "file.db"));
    // The file's [limits] reach the server (the startup line lists what it runs with).
    CHECK(run.out.find("limits: 5000 connections (3 per address), request head 5 s, idle "
                       "keep-alive 30 s, body 4194304 bytes (16777216 decoded), queue 64, 4 "
                       "workers") != std::string::npos);
}

TEST_CASE(
    "kiosk-server add-kiosk --write-config sets the manager PIN: typed or piped twice, or "
    "--pin-hash") {
    fk::test::TempDir dir;
    const std::string db = "--db sqlite:" + (dir / "s.db").string();
    REQUIRE(Cli("add-store " + db + " --id s1 --name One").code == 0);
    auto addKiosk = [&](const std::string& id, const std::string& extra, const char* in) {
        return Cli("add-kiosk " + db + " --store s1 --id " + id +
                       " --server-url http://127.0.0.1:9 --write-config " + (dir / id).string() +
                       " " + extra,
                   in);
    };
    auto pinHashIn = [&](const std::string& id) {
        const auto c = fk::config::LoadKioskConfig(dir / id / "kiosk.toml");
        REQUIRE(c.manager.pinHash.has_value());
        return *c.manager.pinHash;
    };

    // Piped on standard input, as `kiosk set-pin` takes it: the kiosk's own loader reads the hash.
    REQUIRE(addKiosk("k1", "", "4826\\n4826\\n").code == 0);
    const std::string h1 = pinHashIn("k1");
    CHECK(fk::config::VerifyPin(h1, "4826"));
    CHECK_FALSE(fk::config::VerifyPin(h1, "4827"));
    std::ifstream toml(dir / "k1" / "kiosk.toml");
    const std::string text((std::istreambuf_iterator<char>(toml)), {});
    CHECK(text.find("4826") == std::string::npos);  // the hash only, never the PIN
    struct stat st {};
    REQUIRE(::stat((dir / "k1" / "kiosk.toml").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);  // a 4-digit PIN falls fast to whoever reads its hash

    // --pin-hash, as `kiosk set-pin --print-hash` prints it: written as given.
    const std::string given = fk::config::HashPin("135790");
    REQUIRE(addKiosk("k2", "--pin-hash '" + given + "'", nullptr).code == 0);
    CHECK(pinHashIn("k2") == given);

    // No PIN, a bad PIN, two different ones, or a hash that is no hash: refused before anything is
    // stored (the same id then works), and no file is written.
    CHECK(addKiosk("k3", "", nullptr).code == 2);
    CHECK(addKiosk("k3", "", "12\\n12\\n").code == 2);
    CHECK(addKiosk("k3", "", "1111\\n2222\\n").code == 2);
    CHECK(addKiosk("k3", "--pin-hash 1234", nullptr).code == 2);
    CHECK(addKiosk("k3", "--pin-hash '$argon2id$v=19$m=19456,t=2,p=1$broken'", nullptr).code == 2);
    CHECK_FALSE(std::filesystem::exists(dir / "k3" / "kiosk.toml"));
    CHECK(addKiosk("k3", "", "2468\\n").code == 0);  // from a script the second line is optional
    CHECK(fk::config::VerifyPin(pinHashIn("k3"), "2468"));
    // --pin-hash belongs to --write-config.
    CHECK(Cli("add-kiosk " + db + " --store s1 --id k4 --pin-hash '" + given + "'").code == 2);
}

TEST_CASE(
    "kiosk-server rebuild-rollups recomputes report counts emptied by hand; a missing --db is a "
    "usage error") {
    fk::test::TempDir dir;
    const std::string url = "sqlite:" + (dir / "s.db").string();
    fk::core::FakeClock clock(1'795'000'000'000);
    fk::core::Uuid7Generator ids(clock);
    fk::server::ReportQuery query{std::nullopt, fk::core::CivilDate{2026, 1, 1},
                                  fk::core::CivilDate{2026, 12, 31}};
    auto total = [&](fk::server::Backend& b) {
        std::int64_t n = 0;
        for (const auto& c : b.CountDays(query, true, false))
            n += c.count;
        return n;
    };
    {
        auto backend = fk::server::OpenBackend(url, {});
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
    CHECK(total(*fk::server::OpenBackend(url, {})) == 0);
    auto run = Cli("rebuild-rollups --db " + url);
    CHECK(run.code == 0);
    CHECK(run.out.find("report roll-ups rebuilt from 5 responses") != std::string::npos);
    CHECK(total(*fk::server::OpenBackend(url, {})) == 5);
    CHECK(Cli("rebuild-rollups").code == 2);
}

TEST_CASE(
    "kiosk-server CLI: add-user prints a one-time set-password link on its last line, "
    "reset-user a new one") {
    fk::test::TempDir dir;
    const std::string path = (dir / "s.db").string();
    const std::string db = "--db sqlite:" + path;
    REQUIRE(Cli("add-store " + db + " --id s1 --name One").code == 0);
    auto admin = Cli("add-user maria --role admin " + db + " --url https://ho.example.com/");
    REQUIRE(admin.code == 0);
    const std::string link = LastLine(admin.out);
    const std::string prefix = "https://ho.example.com/#set-password=fkl_";
    REQUIRE(link.rfind(prefix, 0) == 0);
    CHECK(link.size() == prefix.size() + 64);
    // Bad command lines: exit 2; a missing store or a taken name: 1.
    CHECK(Cli("add-user anil --role store_manager " + db).code == 2);  // no --store
    CHECK(Cli("add-user henrik --role head_office --store s1 " + db).code == 2);
    CHECK(Cli("add-user ravi --role boss " + db).code == 2);
    CHECK(Cli("add-user 'bad name' --role admin " + db).code == 2);
    CHECK(Cli("add-user anil --role store_manager --store s9 " + db).code == 1);
    CHECK(Cli("add-user maria --role admin " + db).code == 1);
    CHECK(Cli("add-user anil --role store_manager --store s1 " + db + " --url ftp://x").code == 2);
    auto anil = Cli("add-user anil --role store_manager --store s1 " + db);
    REQUIRE(anil.code == 0);
    CHECK(LastLine(anil.out).rfind("http://127.0.0.1:8080/#set-password=fkl_", 0) == 0);

    // The link sets the password through the real server; reset-user ends it and sends a new one.
    auto backend = fk::server::OpenBackend("sqlite:" + path);
    fk::core::SystemClock clock;
    fk::server::HttpServer server(*backend, clock, {});
    const int port = server.Start();
    httplib::Client client("127.0.0.1", port);
    auto setWith = [&](const std::string& line) {
        const std::string secret = line.substr(line.find('=') + 1);
        return client.Post("/api/v1/password",
                           "{\"link\":\"" + secret + "\",\"password\":\"a long password\"}",
                           "application/json");
    };
    CHECK(setWith(link)->status == 200);
    auto login = [&] {
        return client
            .Post("/api/v1/session", "{\"user\":\"maria\",\"password\":\"a long password\"}",
                  "application/json")
            ->status;
    };
    CHECK(login() == 200);
    auto reset = Cli("reset-user maria " + db);
    REQUIRE(reset.code == 0);
    CHECK(login() == 401);
    CHECK(setWith(LastLine(reset.out))->status == 200);
    CHECK(login() == 200);
    CHECK(Cli("reset-user nobody " + db).code == 1);
    server.Stop();
}

TEST_CASE("kiosk-server CLI: link-rep, list-rep-links and unlink-rep keep head office's links") {
    fk::test::TempDir dir;
    std::string db = "--db sqlite:" + (dir / "s.db").string();
    REQUIRE(Cli("add-store " + db + " --id s1 --name One").code == 0);
    REQUIRE(Cli("add-store " + db + " --id s2 --name Two").code == 0);
    CHECK(Cli("link-rep " + db + " --store s1 --rep r1 --person asha.k").code == 0);
    CHECK(Cli("link-rep " + db + " --store s2 --rep a7 --person asha.k").code == 0);
    CHECK(Cli("link-rep " + db + " --store nope --rep r1 --person asha.k").code == 1);
    CHECK(Cli("link-rep " + db + " --store s1 --rep r2 --person 'two words'").code == 2);
    CHECK(Cli("link-rep " + db + " --store s1 --rep r2 --person ''").code == 2);
    auto list = Cli("list-rep-links " + db);
    REQUIRE(list.code == 0);
    CHECK(list.out == "s1\tr1\tasha.k\ns2\ta7\tasha.k\n");
    CHECK(Cli("unlink-rep " + db + " --store s2 --rep a7").code == 0);
    CHECK(Cli("unlink-rep " + db + " --store s2 --rep a7").code == 1);
    CHECK(Cli("list-rep-links " + db).out == "s1\tr1\tasha.k\n");
}
