#include "ServerTestEnv.h"

#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <zlib.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/TimeFormat.h"
#include "server/Passwords.h"
#include "server/Tokens.h"
#include "support/PgSchema.h"

namespace fk::test {

std::unique_ptr<ServerEnv> ServerEnv::Sqlite() {
    std::unique_ptr<ServerEnv> env(new ServerEnv());
    env->m_dir = std::make_unique<TempDir>("fk-server");
    std::string url = "sqlite:" + (env->m_dir->Path() / "server.db").string();
    env->Setup(server::OpenBackend(url), url);
    return env;
}

std::unique_ptr<ServerEnv> ServerEnv::Postgres() {
    auto schema = PgSchema::Create();
    if (!schema)
        return nullptr;
    std::unique_ptr<ServerEnv> env(new ServerEnv());
    env->m_pg = std::move(schema);
    std::string url = env->m_pg->Url();
    env->Setup(server::OpenBackend(url), url);
    return env;
}

void ServerEnv::Setup(std::unique_ptr<server::Backend> backend, std::string url) {
    m_url = std::move(url);
    m_backend = std::move(backend);
    m_ids = std::make_unique<core::Uuid7Generator>(m_clock);
    core::UtcMs now = m_clock.NowUtcMs();
    m_backend->AddStore("s1", "Store One", now);
    m_backend->AddStore("s2", "Store Two", now);
    const char* stores[] = {"", "s1", "s1", "s2"};
    for (int i = 1; i <= 3; ++i) {
        std::string id = "k" + std::to_string(i);
        m_backend->AddKiosk(id, stores[i], now);
        kioskToken[i] = server::IssueKioskToken(*m_backend, {id, stores[i]}, now).secret;
    }
    managerS1 = server::IssueManagerToken(*m_backend, "s1", now).secret;
    managerS2 = server::IssueManagerToken(*m_backend, "s2", now).secret;
    managerAll = server::IssueManagerToken(*m_backend, std::nullopt, now).secret;
    server::ServerOptions options;
    options.maxBodyBytes = 256 * 1024;
    options.maxBatchResponses = 500;
    m_server = std::make_unique<server::HttpServer>(*m_backend, m_clock, options);
    int port = m_server->Start();
    m_client = std::make_unique<httplib::Client>("127.0.0.1", port);
    m_client->set_read_timeout(10);
}

ServerEnv::~ServerEnv() {
    m_client.reset();
    if (m_server)
        m_server->Stop();
    m_server.reset();
    m_backend.reset();
}

core::Response ServerEnv::MakeResponse(std::int64_t seq, int rating,
                                       std::optional<std::string> rep) {
    core::Response r;
    r.id = m_ids->Next();
    r.seq = seq;
    r.createdAtMs = *core::ParseRfc3339("2026-11-22T10:15:30.123Z") + seq * 1000;
    r.closedAtMs = r.createdAtMs + 5000;
    r.tzOffsetMin = 330;
    r.scale = 4;
    r.rating = rating;
    r.repId = std::move(rep);
    r.language = "hi";
    return r;
}

protocol::Batch ServerEnv::MakeBatch(const std::string& kioskId,
                                     std::vector<core::Response> responses) {
    protocol::Batch b;
    b.kioskId = kioskId;
    b.batchId = m_ids->Next();
    b.responses = std::move(responses);
    return b;
}

httplib::Result ServerEnv::Post(const std::string& path, const std::string& body,
                                const std::string& token, const std::string& contentType) {
    httplib::Headers headers;
    if (!token.empty())
        headers.emplace("Authorization", "Bearer " + token);
    return m_client->Post(path.c_str(), headers, body, contentType.c_str());
}

httplib::Result ServerEnv::PostBatch(const protocol::Batch& batch, const std::string& token) {
    return Post("/api/v1/batches", protocol::EncodeBatch(batch), token);
}

httplib::Result ServerEnv::Get(const std::string& path, const std::string& token,
                               httplib::Headers extra) {
    if (!token.empty())
        extra.emplace("Authorization", "Bearer " + token);
    return m_client->Get(path.c_str(), extra);
}

void AddUserWithPassword(ServerEnv& env, const std::string& name, server::Role role,
                         const std::vector<std::string>& stores, const std::string& password) {
    const core::UtcMs now = env.Clock().NowUtcMs();
    env.Backend().Users().Add(server::UserRecord{name, role, stores}, now);
    const std::string secret = server::NewLinkSecret();
    REQUIRE(env.Backend().Users().SetLink(name, server::HashToken(secret),
                                          now + server::kLinkLifetimeMs, false, now));
    auto set = env.Post("/api/v1/password",
                        nlohmann::json{{"link", secret}, {"password", password}}.dump(), "");
    REQUIRE(set);
    REQUIRE(set->status == 200);
}

std::string LoginUser(ServerEnv& env, const std::string& name, const std::string& password) {
    auto login = env.Post("/api/v1/session",
                          nlohmann::json{{"user", name}, {"password", password}}.dump(), "");
    REQUIRE(login);
    REQUIRE(login->status == 200);
    const std::string cookie = login->get_header_value("Set-Cookie");
    const std::string prefix = "fk_session=";
    REQUIRE(cookie.rfind(prefix, 0) == 0);
    return cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
}

httplib::Headers SessionCookie(const std::string& id) {
    return {{"Cookie", "fk_session=" + id}};
}

std::string ErrorCode(const httplib::Result& res) {
    if (!res)
        return "(transport error " + httplib::to_string(res.error()) + ")";
    auto body = protocol::DecodeErrorBody(res->body);
    return body ? body->code : "";
}

std::string Gzip(const std::string& data) {
    z_stream zs{};
    REQUIRE(deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&zs, data.size()) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

}  // namespace fk::test
