#pragma once
// A real kiosk-server on 127.0.0.1 (ephemeral port) over a fresh SQLite file or a fresh
// PostgreSQL schema, with stores s1/s2, kiosks k1,k2 (s1) and k3 (s2), and their tokens.

#include <httplib.h>

#include <memory>
#include <optional>
#include <string>

#include "core/Clock.h"
#include "core/Response.h"
#include "core/Uuid.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/HttpServer.h"
#include "support/PgSchema.h"
#include "support/TempDir.h"

namespace fk::test {

class ServerEnv {
  public:
    // nullptr (with a doctest MESSAGE) when PostgreSQL is unavailable and not required; a FAIL
    // when FK_REQUIRE_PG=1.
    static std::unique_ptr<ServerEnv> Sqlite();
    static std::unique_ptr<ServerEnv> Postgres();
    ~ServerEnv();

    server::Backend& Backend() { return *m_backend; }
    core::FakeClock& Clock() { return m_clock; }
    httplib::Client& Client() { return *m_client; }
    server::HttpServer& Server() { return *m_server; }
    std::string Url() const { return m_url; }

    std::string kioskToken[4];  // [1] k1, [2] k2, [3] k3
    std::string managerS1, managerS2, managerAll;

    core::Response MakeResponse(std::int64_t seq, int rating = 4,
                                std::optional<std::string> rep = "r1");
    protocol::Batch MakeBatch(const std::string& kioskId, std::vector<core::Response> responses);
    httplib::Result Post(const std::string& path, const std::string& body, const std::string& token,
                         const std::string& contentType = "application/json");
    httplib::Result PostBatch(const protocol::Batch& batch, const std::string& token);
    httplib::Result Get(const std::string& path, const std::string& token,
                        httplib::Headers extra = {});

  private:
    ServerEnv() = default;
    void Setup(std::unique_ptr<server::Backend> backend, std::string url);

    std::unique_ptr<TempDir> m_dir;
    std::unique_ptr<PgSchema> m_pg;
    std::string m_url;
    core::FakeClock m_clock{1'795'000'000'000};
    std::unique_ptr<core::Uuid7Generator> m_ids;
    std::unique_ptr<server::Backend> m_backend;
    std::unique_ptr<server::HttpServer> m_server;
    std::unique_ptr<httplib::Client> m_client;
};

// A person's account (server/UserStore.h) with this password, set through the one-time link
// endpoint as a person would; then their session cookie id from a name + password login.
void AddUserWithPassword(ServerEnv& env, const std::string& name, server::Role role,
                         const std::vector<std::string>& stores, const std::string& password);
std::string LoginUser(ServerEnv& env, const std::string& name, const std::string& password);
// The Cookie header of a session id.
httplib::Headers SessionCookie(const std::string& id);

// "code" of a JSON error body, or "" if the body is not one.
std::string ErrorCode(const httplib::Result& res);
std::string Gzip(const std::string& data);

}  // namespace fk::test

// Defines the same test body once for SQLite and once for PostgreSQL.
#define FK_SERVER_TEST_IMPL(fn, name)               \
    static void fn(fk::test::ServerEnv& env);       \
    TEST_CASE("sqlite / " name) {                   \
        auto env = fk::test::ServerEnv::Sqlite();   \
        fn(*env);                                   \
    }                                               \
    TEST_CASE("postgres / " name) {                 \
        auto env = fk::test::ServerEnv::Postgres(); \
        if (env)                                    \
            fn(*env);                               \
    }                                               \
    static void fn([[maybe_unused]] fk::test::ServerEnv& env)
#define FK_SERVER_TEST(name) FK_SERVER_TEST_IMPL(DOCTEST_ANONYMOUS(FK_SERVER_TEST_), name)
