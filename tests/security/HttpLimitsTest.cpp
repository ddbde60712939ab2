// Issue 13: every limit of kiosk-server's HTTP layer, each tested at the limit over raw sockets on
// 127.0.0.1 (the server alone, no proxy). Limits are set small so each case takes about a second
// at most; the full-size cases are in `kiosk-bench fleet`.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <future>
#include <thread>

#include "core/Clock.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/HttpServer.h"
#include "server/Tokens.h"
#include "support/TempDir.h"

using namespace fk;
using Steady = std::chrono::steady_clock;

namespace {

struct Answer {
    int status = 0;    // 0: the connection closed without an answer
    std::string head;  // lower-cased
    std::string body;
    bool closed = false;  // the server said Connection: close or closed the socket
};

class Conn {
  public:
    explicit Conn(int port, const char* source = "127.0.0.1") {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{5, 0};
        setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in src{};
        src.sin_family = AF_INET;
        inet_pton(AF_INET, source, &src.sin_addr);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&src), sizeof src);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_ok = ::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~Conn() { ::close(m_fd); }
    bool Send(std::string_view data) {
        while (!data.empty()) {
            ssize_t n = ::send(m_fd, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    Answer Read() {
        Answer a;
        std::size_t need = std::string::npos;
        for (;;) {
            auto end = m_in.find("\r\n\r\n");
            if (end != std::string::npos && need == std::string::npos) {
                a.status = std::atoi(m_in.c_str() + 9);
                a.head = m_in.substr(0, end);
                for (auto& c : a.head)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                auto cl = a.head.find("content-length:");
                need = end + 4 + (cl == std::string::npos ? 0 : std::stoul(a.head.substr(cl + 15)));
                a.closed = a.head.find("connection: close") != std::string::npos;
            }
            if (need != std::string::npos && m_in.size() >= need) {
                a.body = m_in.substr(end + 4, need - end - 4);
                m_in.erase(0, need);
                return a;
            }
            char buf[65536];
            ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0) {
                a.closed = true;
                if (need == std::string::npos)
                    a.status = 0;
                return a;
            }
            m_in.append(buf, static_cast<std::size_t>(n));
        }
    }
    // True when the server closed the connection (EOF) within the receive timeout.
    bool ClosedByServer() {
        char c;
        return ::recv(m_fd, &c, 1, 0) == 0;
    }
    bool Ok() const { return m_ok; }

  private:
    int m_fd = -1;
    bool m_ok = false;
    std::string m_in;
};

std::string Gzip(const std::string& data) {
    z_stream zs{};
    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, data.size()) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

std::string ErrorCode(const Answer& a) {
    auto e = protocol::DecodeErrorBody(a.body);
    return e ? e->code : "(not an error body: " + a.body.substr(0, 80) + ")";
}

struct Limited {
    test::TempDir dir{"fk-httplimits"};
    std::string dbPath = (dir / "s.db").string();
    std::unique_ptr<server::Backend> backend = server::OpenBackend(dbPath);
    core::SystemClock clock;
    std::string token;
    std::unique_ptr<server::HttpServer> server;
    int port = 0;

    explicit Limited(const std::function<void(server::ServerOptions&)>& tweak = {}) {
        backend->AddStore("s1", "S", 0);
        backend->AddKiosk("k1", "s1", 0);
        token = server::IssueKioskToken(*backend, {"k1", "s1"}, 0).secret;
        server::ServerOptions o;
        o.maxBodyBytes = 64 * 1024;
        o.maxDecodedBodyBytes = 256 * 1024;
        o.limits.headDeadline = std::chrono::milliseconds(1000);
        o.limits.bodyGrace = std::chrono::milliseconds(1000);
        o.limits.bodyRateFloorBytesPerS = 1000;
        o.limits.maxRequestTarget = 1024;
        o.limits.maxHeadBytes = 4096;
        o.limits.maxHeaderCount = 16;
        if (tweak)
            tweak(o);
        server = std::make_unique<server::HttpServer>(*backend, clock, o);
        port = server->Start();
    }
    std::string Heartbeat() const {
        protocol::Heartbeat hb{0, std::nullopt, clock.NowUtcMs(), "t", std::nullopt, std::nullopt};
        std::string body = protocol::EncodeHeartbeat(hb);
        return "POST /api/v1/kiosks/k1/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
               token + "\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body;
    }
};

const std::string kHealthz = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

double Since(Steady::time_point t) {
    return std::chrono::duration<double>(Steady::now() - t).count();
}

}  // namespace

TEST_CASE(
    "security: a request head must be complete within the head deadline, however it trickles in") {
    Limited f;
    {  // Inside the deadline: served.
        Conn c(f.port);
        c.Send("GET /healthz HTTP/1.1\r\n");
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        c.Send("Host: x\r\n");
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        c.Send("\r\n");
        CHECK(c.Read().status == 200);
    }
    // One header line every 300 ms (each read is quick; the whole head is not): the connection is
    // closed at 1 s, without an answer.
    Conn c(f.port);
    auto start = Steady::now();
    c.Send("GET /healthz HTTP/1.1\r\n");
    std::atomic<bool> stop{false};
    std::thread trickle([&] {
        for (int i = 0; i < 10 && !stop; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            if (!c.Send("X-Slow: 1\r\n"))
                break;
        }
    });
    Answer a = c.Read();
    const double closedAfter = Since(start);
    stop = true;
    trickle.join();
    CHECK(a.status == 0);
    CHECK(a.closed);
    CHECK(closedAfter > 0.9);
    CHECK(closedAfter < 2.0);
}

TEST_CASE("security: a body slower than the rate floor is cut with 408 after the grace period") {
    Limited f;
    Conn c(f.port);
    auto start = Steady::now();
    c.Send(
        "POST /api/v1/kiosks/k1/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Type: "
        "application/json\r\nAuthorization: "
        "Bearer " +
        f.token + "\r\nContent-Length: 60000\r\n\r\n");
    std::atomic<bool> stop{false};
    std::thread trickle([&] {  // 50 bytes/s, under the 1000 bytes/s floor
        for (int i = 0; i < 40 && !stop; ++i) {
            if (!c.Send(std::string(10, ' ')))
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    });
    Answer a = c.Read();
    stop = true;
    trickle.join();
    CHECK(a.status == 408);
    CHECK(a.closed);
    CHECK(Since(start) < 3.0);
}

TEST_CASE("security: request target, header count and head size limits answer 414/431 and close") {
    Limited f;
    {
        std::string path = "/api/v1/reports/x";
        std::string target = path + "?p=" + std::string(1024 - path.size() - 3, 'a');
        REQUIRE(target.size() == 1024);
        Conn c(f.port);
        c.Send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        CHECK(c.Read().status == 401);  // at the limit: the route answers (no token)
        Conn d(f.port);
        d.Send("GET " + target + "a HTTP/1.1\r\nHost: x\r\n\r\n");
        Answer a = d.Read();
        CHECK(a.status == 414);
        CHECK(a.closed);
    }
    {
        std::string fifteen;
        for (int i = 0; i < 15; ++i)
            fifteen += "X-H" + std::to_string(i) + ": 1\r\n";
        Conn c(f.port);
        c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n" + fifteen + "\r\n");  // 16 headers
        CHECK(c.Read().status == 200);
        Conn d(f.port);
        d.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-One-More: 1\r\n" + fifteen + "\r\n");
        Answer a = d.Read();
        CHECK(a.status == 431);
        CHECK(a.closed);
    }
    {
        Conn c(f.port);
        c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'b') + "\r\n\r\n");
        Answer a = c.Read();
        CHECK(a.status == 431);
        CHECK(a.closed);
    }
}

TEST_CASE(
    "security: body limits hold for Content-Length and chunked bodies alike, and an early 413 "
    "closes") {
    Limited f;
    const std::string head =
        "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
    {  // The session takes at most 64 KiB; a larger Content-Length is refused before any body byte.
        Conn c(f.port);
        c.Send(head + "Content-Length: 65537\r\n\r\n");
        Answer a = c.Read();
        CHECK(a.status == 413);
        CHECK(a.closed);
    }
    {  // Chunked: refused once the decoded size passes the limit, and the connection closes.
        Conn c(f.port);
        c.Send(head + "Transfer-Encoding: chunked\r\n\r\n");
        std::string chunk = "4000\r\n" + std::string(0x4000, 'x') + "\r\n";
        for (int i = 0; i < 5; ++i)
            c.Send(chunk);
        Answer a = c.Read();
        CHECK(a.status == 413);
        CHECK(a.closed);
    }
    {  // GET routes take no body at all.
        Conn c(f.port);
        c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
        Answer a = c.Read();
        CHECK(a.status == 413);
        CHECK(a.closed);
    }
    {  // Desync: the unread body of a refused batch is never parsed as the next request.
        Conn c(f.port);
        std::string smuggled = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
        c.Send(
            "POST /api/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: "
            "application/json\r\nAuthorization: Bearer " +
            f.token + "\r\nContent-Length: 70000\r\n\r\n" + smuggled);
        Answer a = c.Read();
        CHECK(a.status == 413);
        CHECK(a.closed);
        CHECK(c.ClosedByServer());
    }
}

TEST_CASE(
    "security: Content-Encoding only on batches and heartbeat, refused before reading, gzip capped "
    "decoded") {
    Limited f;
    {
        Conn c(f.port);
        std::string bomb = Gzip(std::string(8 << 20, '\0'));
        c.Send(
            "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: "
            "application/json\r\nContent-Encoding: gzip\r\n"
            "Content-Length: " +
            std::to_string(bomb.size()) + "\r\n\r\n");
        Answer a = c.Read();  // without sending the body: answered from the head alone
        CHECK(a.status == 415);
        CHECK(ErrorCode(a) == "unsupported_encoding");
        CHECK(a.closed);
    }
    {  // 256 KiB decoded is the limit on the heartbeat too.
        std::string json =
            "{\"pending\":0,\"clock\":1,\"version\":\"" + std::string(256 * 1024, 'v') + "\"}";
        std::string gz = Gzip(json);
        REQUIRE(gz.size() < 64 * 1024);
        Conn c(f.port);
        c.Send("POST /api/v1/kiosks/k1/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
               f.token +
               "\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " +
               std::to_string(gz.size()) + "\r\n\r\n" + gz);
        Answer a = c.Read();
        CHECK(a.status == 413);
        CHECK(ErrorCode(a) == "too_large");
        // The body was read whole: the connection stays usable.
        CHECK_FALSE(a.closed);
        c.Send(f.Heartbeat());
        CHECK(c.Read().status == 200);
    }
}

TEST_CASE("security: per-address connection limit, other addresses still served") {
    Limited f([](server::ServerOptions& o) { o.limits.maxConnectionsPerAddress = 4; });
    std::vector<std::unique_ptr<Conn>> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(std::make_unique<Conn>(f.port));
        held.back()->Send(kHealthz);
        CHECK(held.back()->Read().status == 200);  // kept alive, idle
    }
    Conn fifth(f.port);
    fifth.Send(kHealthz);
    CHECK(fifth.Read().status == 0);  // closed at accept
    Conn other(f.port, "127.0.0.2");
    REQUIRE(other.Ok());
    other.Send(kHealthz);
    CHECK(other.Read().status == 200);
}

TEST_CASE(
    "security: a full queue answers 503 with Retry-After at once, and /healthz has its own lane") {
    Limited f([](server::ServerOptions& o) {
        o.threads = 1;
        o.limits.queueCapacity = 1;
    });
    // Hold SQLite's write lock so the one worker blocks inside a heartbeat.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(f.dbPath.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    Conn busy(f.port), queued(f.port, "127.0.0.2"), refused(f.port, "127.0.0.3"),
        health(f.port, "127.0.0.4");
    busy.Send(f.Heartbeat());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    queued.Send(f.Heartbeat());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto start = Steady::now();
    refused.Send(f.Heartbeat());
    Answer a = refused.Read();
    CHECK(a.status == 503);
    CHECK(a.head.find("retry-after:") != std::string::npos);
    CHECK(ErrorCode(a) == "busy");
    CHECK(Since(start) < 0.5);
    start = Steady::now();
    health.Send(kHealthz);
    CHECK(health.Read().status == 200);
    CHECK(Since(start) < 0.5);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    CHECK(busy.Read().status == 200);
    CHECK(queued.Read().status == 200);
}

TEST_CASE(
    "security: /metrics labels come from fixed route templates, unknown paths do not add series") {
    Limited f;
    for (int i = 0; i < 5; ++i) {
        Conn c(f.port);
        c.Send("GET /api/v1/reports/made_up_" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        CHECK(c.Read().status == 401);
        Conn d(f.port);
        d.Send("GET /nowhere/" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        CHECK(d.Read().status == 404);
    }
    Conn m(f.port);
    m.Send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    Answer a = m.Read();
    CHECK(a.body.find("made_up") == std::string::npos);
    CHECK(a.body.find("route=\"reports_other\",status=\"401\"} 5") != std::string::npos);
    CHECK(a.body.find("route=\"other\",status=\"404\"} 5") != std::string::npos);
}

TEST_CASE("security: stopping takes under 2 s with idle, half-sent and in-flight clients") {
    Limited f;
    Conn idle(f.port), half(f.port, "127.0.0.2");
    idle.Send(kHealthz);
    CHECK(idle.Read().status == 200);
    half.Send(
        "POST /api/v1/kiosks/k1/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto start = Steady::now();
    f.server->Stop();
    CHECK(Since(start) < 2.0);
    CHECK(idle.ClosedByServer());
}

TEST_CASE("security: a second server on a port in use fails to start and says so") {
    Limited f;
    core::SystemClock clock;
    server::ServerOptions o;
    o.port = f.port;
    server::HttpServer second(*f.backend, clock, o);
    CHECK_THROWS_WITH_AS(second.Bind(), doctest::Contains("already in use"), std::runtime_error);
}
