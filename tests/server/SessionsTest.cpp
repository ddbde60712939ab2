// Web sessions (server/Sessions.h) on both backends, the trusted-proxy rule for Secure, and the
// settings file (server/ServerSettings.h).
#include <doctest/doctest.h>

#include <fstream>

#include "ServerTestEnv.h"
#include "config/ConfigError.h"
#include "server/ServerSettings.h"
#include "server/Sessions.h"
#include "server/Tokens.h"
#include "support/TempDir.h"

using namespace fk;

namespace {

// "fks_..." from a Set-Cookie header value.
std::string CookieId(const std::string& setCookie) {
    const std::string prefix = "fk_session=";
    REQUIRE(setCookie.rfind(prefix, 0) == 0);
    return setCookie.substr(prefix.size(), setCookie.find(';') - prefix.size());
}

httplib::Headers WithCookie(const std::string& id) {
    return {{"Cookie", "fk_session=" + id}};
}

std::string LoginCookie(test::ServerEnv& env, const std::string& token) {
    auto login = env.Post("/api/v1/session", "", token);
    REQUIRE(login);
    REQUIRE(login->status == 200);
    return login->get_header_value("Set-Cookie");
}

}  // namespace

FK_SERVER_TEST(
    "web session: the cookie is a random session id, not the token, and works for reads only") {
    const std::string setCookie = LoginCookie(env, env.managerS1);
    const std::string id = CookieId(setCookie);
    CHECK(id.rfind("fks_", 0) == 0);
    CHECK(id.size() == 68);
    CHECK(setCookie.find(env.managerS1) == std::string::npos);
    CHECK(setCookie.find("Max-Age=43200") != std::string::npos);
    CHECK(id != CookieId(LoginCookie(env, env.managerS1)));  // every login its own session
    CHECK(env.Get("/api/v1/reports/reps?store=s1", "", WithCookie(id))->status == 200);
    CHECK(env.Get("/api/v1/reports/reps?store=s2", "", WithCookie(id))->status == 403);
    // The token itself is no longer a cookie.
    CHECK(env.Get("/api/v1/session", "", WithCookie(env.managerS1))->status == 401);
    // A forged id of the right shape, and a malformed one.
    std::string forged = id;
    forged.back() = forged.back() == '0' ? '1' : '0';
    CHECK(env.Get("/api/v1/session", "", WithCookie(forged))->status == 401);
    CHECK(env.Get("/api/v1/session", "", WithCookie(std::string(5000, 'a')))->status == 401);
    // Nothing stored is the id itself: only its hash finds it.
    CHECK_FALSE(env.Backend().FindSession(id, env.Clock().NowUtcMs()));
    CHECK(env.Backend().FindSession(server::HashToken(id), env.Clock().NowUtcMs()));
}

FK_SERVER_TEST("web session: logout deletes it on the server, so replaying the cookie fails") {
    const std::string id = CookieId(LoginCookie(env, env.managerAll));
    const std::string other = CookieId(LoginCookie(env, env.managerAll));
    CHECK(env.Get("/api/v1/session", "", WithCookie(id))->status == 200);
    auto logout = env.Client().Delete("/api/v1/session", WithCookie(id));
    REQUIRE(logout);
    CHECK(logout->status == 200);
    CHECK(logout->get_header_value("Set-Cookie").find("fk_session=; Path=/; Max-Age=0") == 0);
    auto replay = env.Get("/api/v1/reports/stores", "", WithCookie(id));
    CHECK(replay->status == 401);
    CHECK(test::ErrorCode(replay) == "bad_token");
    CHECK(env.Get("/api/v1/session", "", WithCookie(other))->status ==
          200);  // only that session ended
}

FK_SERVER_TEST(
    "web session: the server enforces its expiry and purges expired sessions at the next login") {
    const std::string id = CookieId(LoginCookie(env, env.managerS1));
    env.Clock().Advance(std::int64_t{12 * 3600 - 1} * 1000);
    CHECK(env.Get("/api/v1/session", "", WithCookie(id))->status == 200);
    env.Clock().Advance(std::int64_t{1} * 1000);
    CHECK(env.Get("/api/v1/session", "", WithCookie(id))->status == 401);
    // The expired row is still there until a login purges it.
    const core::UtcMs before = env.Clock().NowUtcMs() - 1;
    CHECK(env.Backend().FindSession(server::HashToken(id), before));
    LoginCookie(env, env.managerS1);
    CHECK_FALSE(env.Backend().FindSession(server::HashToken(id), before));
}

FK_SERVER_TEST("web session: one token keeps at most 50 sessions, a login beyond ends its oldest") {
    std::vector<std::string> ids;
    for (int i = 0; i < server::Sessions::kMaxPerToken; ++i) {
        ids.push_back(CookieId(LoginCookie(env, env.managerS2)));
        env.Clock().Advance(1);
    }
    const std::string other = CookieId(LoginCookie(env, env.managerS1));
    CHECK(env.Get("/api/v1/session", "", WithCookie(ids.front()))->status == 200);
    const std::string newest = CookieId(LoginCookie(env, env.managerS2));  // the 51st
    CHECK(env.Get("/api/v1/session", "", WithCookie(ids.front()))->status == 401);
    CHECK(env.Get("/api/v1/session", "", WithCookie(ids[1]))->status == 200);
    CHECK(env.Get("/api/v1/session", "", WithCookie(ids.back()))->status == 200);
    CHECK(env.Get("/api/v1/session", "", WithCookie(newest))->status == 200);
    CHECK(env.Get("/api/v1/session", "", WithCookie(other))->status ==
          200);  // other tokens untouched
}

FK_SERVER_TEST("web session: revoking the manager token ends its sessions at once") {
    auto token =
        server::IssueManagerToken(env.Backend(), std::string("s1"), env.Clock().NowUtcMs());
    const std::string id = CookieId(LoginCookie(env, token.secret));
    const std::string otherToken = CookieId(LoginCookie(env, env.managerS1));
    CHECK(env.Get("/api/v1/reports/reps?store=s1", "", WithCookie(id))->status == 200);
    REQUIRE(env.Backend().RevokeToken(token.record.id, env.Clock().NowUtcMs()));
    CHECK(env.Get("/api/v1/reports/reps?store=s1", "", WithCookie(id))->status == 401);
    CHECK_FALSE(env.Backend().FindSession(server::HashToken(id), 0));  // deleted, not just hidden
    CHECK(env.Get("/api/v1/session", "", WithCookie(otherToken))->status == 200);
}

FK_SERVER_TEST(
    "web session: a configured lifetime, and X-Forwarded-Proto believed only from a trusted "
    "proxy") {
    auto serve = [&](std::vector<std::string> proxies) {
        server::ServerOptions options;
        options.sessionLifetimeS = 60;
        options.trustedProxies = std::move(proxies);
        auto server = std::make_unique<server::HttpServer>(env.Backend(), env.Clock(), options);
        server->Start();
        return server;
    };
    auto login = [&](server::HttpServer& server, const std::string& proto) {
        httplib::Client client("127.0.0.1", server.Port());
        httplib::Headers headers{{"Authorization", "Bearer " + env.managerS1}};
        if (!proto.empty())
            headers.emplace("X-Forwarded-Proto", proto);
        auto res = client.Post("/api/v1/session", headers, "", "application/json");
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return res->get_header_value("Set-Cookie");
    };
    auto untrusted = serve({"10.0.0.0/8", "::2"});
    const std::string plain = login(*untrusted, "https");
    CHECK(plain.find("Secure") == std::string::npos);
    CHECK(plain.find("Max-Age=60;") != std::string::npos);
    auto trusted = serve({"192.168.0.0/16", "127.0.0.0/8"});
    CHECK(login(*trusted, "https").find("; Secure") != std::string::npos);
    CHECK(login(*trusted, "http").find("Secure") == std::string::npos);
    CHECK(login(*trusted, "").find("Secure") == std::string::npos);
    CHECK(login(*trusted, "http, https").find("; Secure") !=
          std::string::npos);  // the nearest proxy's
    // The 60 s lifetime is the server's, whatever the browser keeps.
    const std::string id = CookieId(plain);
    CHECK(env.Get("/api/v1/session", "", WithCookie(id))->status == 200);
    env.Clock().Advance(std::int64_t{60} * 1000);
    CHECK(env.Get("/api/v1/session", "", WithCookie(id))->status == 401);
}

TEST_CASE("trusted proxies: addresses, CIDR ranges, IPv4-mapped peers, malformed entries refused") {
    server::TrustedProxies proxies(
        {"127.0.0.1", "10.1.0.0/16", "fd00::/8", "::1", "192.168.1.128/25"});
    CHECK(proxies.Contains("127.0.0.1"));
    CHECK(proxies.Contains("::ffff:127.0.0.1"));
    CHECK_FALSE(proxies.Contains("127.0.0.2"));
    CHECK(proxies.Contains("10.1.255.3"));
    CHECK_FALSE(proxies.Contains("10.2.0.1"));
    CHECK(proxies.Contains("fd12::5"));
    CHECK(proxies.Contains("::1"));
    CHECK_FALSE(proxies.Contains("fe80::1"));
    CHECK(proxies.Contains("192.168.1.200"));
    CHECK_FALSE(proxies.Contains("192.168.1.100"));
    CHECK_FALSE(proxies.Contains("not-an-address"));
    CHECK_FALSE(server::TrustedProxies().Contains("127.0.0.1"));
    for (const char* bad : {"localhost", "10.0.0.0/33", "::1/129", "1.2.3.4/", "1.2.3.4/x", ""}) {
        CAPTURE(bad);
        CHECK(server::TrustedProxies::Check(bad).has_value());
        CHECK_THROWS_AS(server::TrustedProxies({bad}), std::invalid_argument);
    }
    CHECK_FALSE(server::RequestIsSecure(false, proxies, "10.2.0.1", "https"));
    CHECK(server::RequestIsSecure(false, proxies, "10.1.0.1", "HTTPS"));
    CHECK(server::RequestIsSecure(true, server::TrustedProxies(), "8.8.8.8", ""));
}

TEST_CASE(
    "server settings file: every key read, unknown keys and bad values refused with file:line") {
    const auto settings = server::ParseServerSettings(R"(
[server]
listen = "0.0.0.0:8080"
trusted_proxies = ["127.0.0.1", "10.0.0.0/8"]

[database]
url = "postgresql://kiosk-server@db/feedback"
pool_size = 8

[web]
session_lifetime_s = 3600

[reports]
stale_after_s = 600
)",
                                                      "server.toml");
    CHECK(settings.listen == "0.0.0.0:8080");
    CHECK(settings.trustedProxies == std::vector<std::string>{"127.0.0.1", "10.0.0.0/8"});
    CHECK(settings.database == "postgresql://kiosk-server@db/feedback");
    CHECK(settings.poolSize == 8);
    CHECK(settings.sessionLifetimeS == 3600);
    CHECK(settings.staleAfterS == 600);
    CHECK_FALSE(settings.tlsCert);
    CHECK_FALSE(server::ParseServerSettings("", "empty.toml").listen);

    auto problems = [](const std::string& text) {
        try {
            server::ParseServerSettings(text, "s.toml");
        } catch (const config::ConfigError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    std::string what = problems("[server]\nlisten = \"0.0.0.0:8080\"\nlsten = 1\n");
    CHECK(what.find("s.toml:3: server.lsten: unknown key, did you mean \"listen\"?") !=
          std::string::npos);
    what = problems("[server]\nlisten = \"nonsense\"\n");
    CHECK(what.find("s.toml:2: server.listen:") != std::string::npos);
    CHECK(what.find("HOST:PORT") != std::string::npos);
    what = problems("[server]\ntrusted_proxies = [\n  \"127.0.0.1\",\n  \"localhost\",\n]\n");
    CHECK(what.find("s.toml:4: server.trusted_proxies: \"localhost\" is not an IP address") !=
          std::string::npos);
    what = problems("[database]\npool_size = 0\n");
    CHECK(what.find("s.toml:2: database.pool_size: 0 is out of range, use 1 to 256") !=
          std::string::npos);
    what = problems("[web]\nsession_lifetime_s = \"12h\"\n");
    CHECK(what.find("s.toml:2: web.session_lifetime_s: got a string") != std::string::npos);
    what = problems("[server]\ntls_cert = \"/c.pem\"\n");
    CHECK(what.find("tls_key") != std::string::npos);
    what = problems("[sessions]\nlifetime = 1\n");
    CHECK(what.find("s.toml:1: sessions: unknown key") != std::string::npos);
    what = problems("[server\n");
    CHECK(what.find("s.toml:1: TOML syntax error") != std::string::npos);
    CHECK_THROWS_AS(server::LoadServerSettings("/nonexistent/server.toml"), config::ConfigError);
}

TEST_CASE("server settings file [limits]: values at their limits read, one past them refused") {
    const auto settings = server::ParseServerSettings(R"(
[limits]
max_connections = 100000
max_connections_per_address = 100000
head_deadline_s = 10
idle_timeout_s = 1
max_body_bytes = 65536
max_decoded_body_bytes = 268435456
queue_size = 65536
workers = 256
)",
                                                      "server.toml");
    const auto& l = settings.limits;
    CHECK(l.maxConnections == 100000);
    CHECK(l.maxConnectionsPerAddress == 100000);
    CHECK(l.headDeadlineS == 10);
    CHECK(l.idleTimeoutS == 1);
    CHECK(l.maxBodyBytes == 65536);
    CHECK(l.maxDecodedBodyBytes == 268435456);
    CHECK(l.queueSize == 65536);
    CHECK(l.workers == 256);
    CHECK_FALSE(server::ParseServerSettings("", "empty.toml").limits.workers);

    auto problems = [](const std::string& text) {
        try {
            server::ParseServerSettings(text, "s.toml");
        } catch (const config::ConfigError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    const std::pair<const char*, const char*> refused[] = {
        {"max_connections = 100001",
         "s.toml:2: limits.max_connections: 100001 is out of range, "
         "use 1 to 100000"},
        {"max_connections_per_address = 0",
         "s.toml:2: limits.max_connections_per_address: 0 is out of range, use 1 to 100000"},
        {"head_deadline_s = 11",
         "s.toml:2: limits.head_deadline_s: 11 is out of range, use 1 to "
         "10 seconds"},
        {"idle_timeout_s = 301",
         "s.toml:2: limits.idle_timeout_s: 301 is out of range, use 1 to "
         "300"},
        {"max_body_bytes = 65535",
         "s.toml:2: limits.max_body_bytes: 65535 is out of range, use "
         "65536 to 67108864"},
        {"max_decoded_body_bytes = 268435457",
         "s.toml:2: limits.max_decoded_body_bytes: 268435457 is out of range, use 65536 to "
         "268435456"},
        {"queue_size = 65537",
         "s.toml:2: limits.queue_size: 65537 is out of range, use 1 to "
         "65536"},
        {"workers = 257", "s.toml:2: limits.workers: 257 is out of range, use 1 to 256"},
        {"workers = \"many\"", "s.toml:2: limits.workers: got a string"},
        {"worker = 4", "s.toml:2: limits.worker: unknown key, did you mean \"workers\"?"},
    };
    for (const auto& [line, expected] : refused) {
        CAPTURE(line);
        const std::string what = problems(std::string("[limits]\n") + line + "\n");
        CHECK(what.find(expected) != std::string::npos);
    }
    // Pairs that contradict each other.
    std::string what =
        problems("[limits]\nmax_connections = 100\nmax_connections_per_address = 101\n");
    CHECK(what.find("s.toml:3: limits.max_connections_per_address: is above max_connections "
                    "(100)") != std::string::npos);
    what = problems("[limits]\nmax_body_bytes = 1048576\nmax_decoded_body_bytes = 524288\n");
    CHECK(what.find("s.toml:3: limits.max_decoded_body_bytes: is below max_body_bytes") !=
          std::string::npos);
}
