// Transport-level behaviour of HttpServer that does not depend on the backend (run on SQLite).
#include <doctest/doctest.h>

#include <httplib.h>
#include "support/Skip.h"

#include <cstdlib>

#include "ServerTestEnv.h"
#include "core/Clock.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/HttpServer.h"
#include "server/Tokens.h"
#include "support/TempDir.h"

using namespace fk;

namespace {

struct Fixture {
    test::TempDir dir{"fk-httpserver"};
    std::unique_ptr<server::Backend> backend = server::OpenBackend((dir / "s.db").string());
    core::SystemClock clock;
    std::string token;
    Fixture() {
        backend->AddStore("s1", "S", 0);
        backend->AddKiosk("k1", "s1", 0);
        token = server::IssueKioskToken(*backend, {"k1", "s1"}, 0).secret;
    }
};

}  // namespace

TEST_CASE("HTTPS: the server loads a PEM certificate and serves over TLS") {
    Fixture f;
    std::string cert = (f.dir / "cert.pem").string();
    std::string key = (f.dir / "key.pem").string();
    std::string cmd =
        "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 -keyout " + key +
        " -out " + cert + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        fk::test::Skip("the openssl command could not make a test certificate");
        return;
    }
    server::ServerOptions options;
    options.tlsCert = cert;
    options.tlsKey = key;
    server::HttpServer server(*f.backend, f.clock, options);
    int port = server.Start();
    CHECK(server.BaseUrl().rfind("https://", 0) == 0);
    httplib::SSLClient client("127.0.0.1", port);
    client.set_ca_cert_path(cert.c_str());
    client.enable_server_certificate_verification(true);
    auto res = client.Get("/api/v1/kiosks/k1/status", {{"Authorization", "Bearer " + f.token}});
    REQUIRE_MESSAGE(res, httplib::to_string(res.error()));
    CHECK(res->status == 200);
    // Plain HTTP to the TLS port does not get an answer.
    httplib::Client plain("127.0.0.1", port);
    plain.set_read_timeout(2);
    auto none = plain.Get("/healthz");
    CHECK((!none || none->status != 200));

    server::ServerOptions bad;
    bad.tlsCert = (f.dir / "missing.pem").string();
    bad.tlsKey = key;
    CHECK_THROWS_AS(server::HttpServer(*f.backend, f.clock, bad), std::runtime_error);
    bad.tlsKey.reset();
    CHECK_THROWS_AS(server::HttpServer(*f.backend, f.clock, bad), std::runtime_error);
}

TEST_CASE(
    "batches beyond a kiosk's in-flight limit get 429 with Retry-After, and nothing is stored") {
    Fixture f;
    server::ServerOptions options;
    options.maxInFlightPerKiosk = 0;  // every batch is one too many
    server::HttpServer server(*f.backend, f.clock, options);
    httplib::Client client("127.0.0.1", server.Start());
    core::Uuid7Generator ids(f.clock);
    protocol::Batch batch;
    batch.kioskId = "k1";
    batch.batchId = ids.Next();
    core::Response r;
    r.id = ids.Next();
    r.seq = 1;
    r.createdAtMs = f.clock.NowUtcMs();
    r.closedAtMs = r.createdAtMs;
    batch.responses.push_back(r);
    auto res = client.Post("/api/v1/batches", {{"Authorization", "Bearer " + f.token}},
                           protocol::EncodeBatch(batch), "application/json");
    REQUIRE(res);
    CHECK(res->status == 429);
    CHECK(res->get_header_value("Retry-After") == "1");
    CHECK(protocol::DecodeErrorBody(res->body)->code == "too_many_requests");
    CHECK(f.backend->CountResponses() == 0);
}

TEST_CASE("an unknown Content-Encoding is refused with 415 unsupported_encoding") {
    Fixture f;
    server::HttpServer server(*f.backend, f.clock, {});
    httplib::Client client("127.0.0.1", server.Start());
    auto res =
        client.Post("/api/v1/batches",
                    {{"Authorization", "Bearer " + f.token}, {"Content-Encoding", "zstd-nonsense"}},
                    "{}", "application/json");
    REQUIRE(res);
    CHECK(res->status == 415);
    CHECK(protocol::DecodeErrorBody(res->body)->code == "unsupported_encoding");
}

TEST_CASE("a database URL that is neither a path, sqlite: nor postgresql:// is refused in words") {
    CHECK_THROWS_WITH_AS(server::OpenBackend("mysql://x/y"), doctest::Contains("postgresql://"),
                         server::BackendError);
    CHECK_THROWS_AS(server::OpenBackend("sqlite:"), server::BackendError);
    CHECK_THROWS_AS(server::OpenBackend("postgresql://127.0.0.1:1/none?connect_timeout=2"),
                    server::BackendError);
}

TEST_CASE(
    "a gzip bomb is cut off at the decoded-size limit with 413, and the server keeps serving") {
    Fixture f;
    server::ServerOptions options;
    options.maxDecodedBodyBytes = 1024 * 1024;
    server::HttpServer server(*f.backend, f.clock, options);
    httplib::Client client("127.0.0.1", server.Start());
    std::string bomb = test::Gzip(std::string(20 * 1024 * 1024, ' '));
    CHECK(bomb.size() < 100 * 1024);
    auto res = client.Post("/api/v1/batches",
                           {{"Authorization", "Bearer " + f.token}, {"Content-Encoding", "gzip"}},
                           bomb, "application/json");
    REQUIRE(res);
    CHECK(res->status == 413);
    CHECK(protocol::DecodeErrorBody(res->body)->code == "too_large");
    httplib::Client again("127.0.0.1", server.Port());
    auto health = again.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
}

TEST_CASE("a corrupt gzip body is 400, and a kept-alive connection stays usable after errors") {
    Fixture f;
    server::HttpServer server(*f.backend, f.clock, {});
    httplib::Client client("127.0.0.1", server.Start());
    client.set_keep_alive(true);
    std::string gz = test::Gzip(std::string(10000, '{'));
    gz[gz.size() / 2] ^= 0x55;
    gz.resize(gz.size() - 4);
    auto corrupt = client.Post(
        "/api/v1/batches", {{"Authorization", "Bearer " + f.token}, {"Content-Encoding", "gzip"}},
        gz, "application/json");
    REQUIRE(corrupt);
    CHECK(corrupt->status == 400);
    auto denied = client.Post("/api/v1/batches", {{"Authorization", "Bearer nope"}},
                              std::string(5000, 'x'), "application/json");
    REQUIRE(denied);
    CHECK(denied->status == 401);
    protocol::Heartbeat hb{0, std::nullopt, f.clock.NowUtcMs(), "t", std::nullopt, std::nullopt};
    auto ok = client.Post("/api/v1/kiosks/k1/heartbeat", {{"Authorization", "Bearer " + f.token}},
                          protocol::EncodeHeartbeat(hb), "application/json");
    REQUIRE(ok);
    CHECK(ok->status == 200);
}
