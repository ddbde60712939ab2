// kiosk-two-servers: several servers, one database (issue 21). Two real kiosk-server processes
// (each started with its own --config settings file) on one PostgreSQL schema, behind a real
// HAProxy on 127.0.0.1 running a config made from the shipped packaging/haproxy/kiosk-server.cfg
// (local ports, a self-signed certificate on its TLS bind, no privileges or syslog). A real kiosk
// (prove_kiosk: the real ResponseStore + SyncEngine) syncs through HAProxy while a second kiosk
// streams big batches; with server 2 drained for a moment through HAProxy's admin socket, server 1
// is SIGKILLed while a batch is provably in flight on it. Then the
// database must hold exactly both kiosks' responses, each once. A web login made on one server
// must work on the other (and a logout on one end it on both); a login through the TLS bind gets
// a Secure cookie, one through the plain bind does not, even with a forged X-Forwarded-Proto.
// Exit 0 on success, 1 on a failure, 2 on usage errors, 77 (ctest skip) without PostgreSQL
// (FK_TEST_PG_URL) or haproxy, unless FK_REQUIRE_PG=1 / FK_REQUIRE_HAPROXY=1 make that a failure.
// Usage: kiosk-two-servers [--pg-url URL] [--haproxy PATH] [--keep]

#include <arpa/inet.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "core/Clock.h"
#include "core/Uuid.h"
#include "protocol/Calls.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/Tokens.h"
#include "storage/ResponseStore.h"
#include "support/ChildProcess.h"
#include "support/FreePort.h"

namespace fs = std::filesystem;
using namespace fk;

namespace {

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void Note(const std::string& line) {
    std::cerr << "kiosk-two-servers: " << line << std::endl;
}

void Expect(bool ok, const std::string& what) {
    if (!ok)
        throw Failure(what);
    Note("ok: " + what);
}

std::int64_t SteadyMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// A program's path in the usual places (posix_spawn does not search PATH), or "".
std::string FindProgram(const std::string& name) {
    for (const char* dir :
         {"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"}) {
        const fs::path p = fs::path(dir) / name;
        if (::access(p.c_str(), X_OK) == 0)
            return p.string();
    }
    return "";
}

class PgSchema {
  public:
    PgSchema(std::string base, std::string name)
        : m_base(std::move(base)), m_name(std::move(name)) {
        Exec("CREATE SCHEMA " + m_name);
    }
    ~PgSchema() {
        try {
            Exec("DROP SCHEMA IF EXISTS " + m_name + " CASCADE");
        } catch (const std::exception& e) {
            Note(e.what());
        }
    }
    std::string Url() const {
        return m_base + (m_base.find('?') == std::string::npos ? "?" : "&") +
               "options=-csearch_path%3D" + m_name;
    }

  private:
    void Exec(const std::string& sql) {
        PGconn* c = PQconnectdb(m_base.c_str());
        std::string problem;
        if (PQstatus(c) != CONNECTION_OK) {
            problem = "cannot connect to " + m_base + ": " + PQerrorMessage(c);
        } else {
            PQclear(PQexec(c, "SET client_min_messages TO warning"));
            PGresult* r = PQexec(c, sql.c_str());
            if (PQresultStatus(r) != PGRES_COMMAND_OK)
                problem = sql + ": " + PQresultErrorMessage(r);
            PQclear(r);
        }
        PQfinish(c);
        if (!problem.empty())
            throw std::runtime_error(problem);
    }
    std::string m_base;
    std::string m_name;
};

class Server {
  public:
    Server(fs::path config) : m_config(std::move(config)) {}
    int Start() {
        m_child = std::make_unique<test::Child>(
            FK_KIOSK_SERVER, std::vector<std::string>{"serve", "--config", m_config.string()},
            true);
        if (!m_child->WaitForLine("kiosk-server: serving", 20000)) {
            throw std::runtime_error("kiosk-server did not start: " + m_child->Output());
        }
        std::smatch match;
        const std::string out = m_child->Output();
        if (!std::regex_search(out, match, std::regex(R"(on 127\.0\.0\.1:(\d+))"))) {
            throw std::runtime_error("kiosk-server did not say its port: " + out);
        }
        m_port = std::stoi(match[1]);
        return m_port;
    }
    void Kill() {
        if (!m_child)
            return;
        m_child->Kill(SIGKILL);
        m_child->Wait();
        m_child.reset();
    }
    void Drain() {
        if (m_child)
            m_child->Drain();
    }
    int Port() const { return m_port; }

  private:
    fs::path m_config;
    int m_port = 0;
    std::unique_ptr<test::Child> m_child;
};

// The shipped config, made local: no privileges, chroot, daemon or syslog, the admin socket in
// the test's directory, a maxconn an
// unprivileged file limit allows; the TLS bind on tlsPort with a test certificate, the port-80
// bind on plainPort without its redirect to TLS (the kiosk syncs over plain HTTP here); the
// servers' addresses replaced by ours. Everything else (timeouts, retries, health checks,
// headers) as shipped.
std::string LocalHaproxyConfig(const fs::path& shipped, int plainPort, int tlsPort,
                               const fs::path& pem, const std::vector<int>& serverPorts,
                               const fs::path& pidFile, const fs::path& adminSocket) {
    std::ifstream in(shipped);
    if (!in)
        throw std::runtime_error("cannot read " + shipped.string());
    std::string out, section;
    std::size_t serverIndex = 0;
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::string first;
        words >> first;
        if (!line.empty() && line[0] != ' ' && line[0] != '#')
            section = first;
        if (section == "global" && (first == "log" || first == "chroot" || first == "user" ||
                                    first == "group" || first == "daemon")) {
            continue;
        }
        if (section == "global" && first == "stats") {
            out += "    stats socket " + adminSocket.string() + " mode 600 level admin\n";
            continue;
        }
        if (section == "global" && first == "maxconn") {  // within an unprivileged file limit
            out += "    maxconn 1000\n";
            continue;
        }
        if (section == "global" && first == "global") {
            out += line + "\n    pidfile " + pidFile.string() + "\n";
            continue;
        }
        if (section == "frontend" && first == "bind") {
            const bool tls = line.find(" ssl ") != std::string::npos;
            out += tls ? "    bind 127.0.0.1:" + std::to_string(tlsPort) + " ssl crt " +
                             pem.string() + " alpn http/1.1\n"
                       : "    bind 127.0.0.1:" + std::to_string(plainPort) + "\n";
            continue;
        }
        if (section == "frontend" && first == "http-request" &&
            line.find("redirect") != std::string::npos)
            continue;
        if (section == "backend" &&
            first == "default-server") {  // a restarted server rejoins in 0.4 s
            out += std::regex_replace(line, std::regex(R"(inter \S+)"), "inter 200ms") + "\n";
            continue;
        }
        if (section == "backend" && first == "server") {
            if (serverIndex >= serverPorts.size())
                throw std::runtime_error("the shipped config has more servers than expected");
            std::string name, address;
            words >> name >> address;
            std::string rest;
            std::getline(words, rest);
            out += "    server " + name +
                   " 127.0.0.1:" + std::to_string(serverPorts[serverIndex++]) + rest + "\n";
            continue;
        }
        out += line + "\n";
    }
    if (serverIndex != serverPorts.size())
        throw std::runtime_error("the shipped config lists no two servers");
    return out;
}

std::string CookieOf(const httplib::Result& res) {
    if (!res || res->status != 200)
        return "";
    const std::string header = res->get_header_value("Set-Cookie");
    const std::string prefix = "fk_session=";
    if (header.rfind(prefix, 0) != 0)
        return "";
    return header.substr(prefix.size(), header.find(';') - prefix.size());
}

int StatusOf(int port, const std::string& path, const httplib::Headers& headers) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2);
    client.set_read_timeout(5);
    auto res = client.Get(path, headers);
    return res ? res->status : -1;
}

// One command on HAProxy's admin socket (the runtime API); its answer.
std::string HaproxyCommand(const fs::path& socketPath, const std::string& command) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (fd < 0 || socketPath.string().size() >= sizeof addr.sun_path)
        throw std::runtime_error("cannot open a socket for HAProxy's admin socket");
    std::strcpy(addr.sun_path, socketPath.c_str());
    std::string answer;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        const std::string line = command + "\n";
        if (::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size())) {
            char buf[4096];
            for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
                answer.append(buf, static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    return answer;
}

// Whether HAProxy sends requests to server `name` of the backend (operational state 2, running).
bool HaproxyServerRunning(const fs::path& socketPath, const std::string& name) {
    std::istringstream lines(HaproxyCommand(socketPath, "show servers state kiosk_servers"));
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string beId, beName, srvId, srvName, addr, opState;
        if (fields >> beId >> beName >> srvId >> srvName >> addr >> opState && srvName == name)
            return opState == "2";
    }
    return false;
}

// Reads a server-sent event stream on a plain socket, as a dashboard would.
class EventStream {
  public:
    EventStream(int port, const std::string& path, const std::string& token) {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (m_fd < 0 || ::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
            throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
        const std::string request = "GET " + path +
                                    " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
                                    "Authorization: Bearer " +
                                    token + "\r\n\r\n";
        if (::write(m_fd, request.data(), request.size()) != static_cast<ssize_t>(request.size()))
            throw std::runtime_error("cannot send the stream request");
    }
    ~EventStream() { ::close(m_fd); }
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;
    // True once needle has arrived (within ms).
    bool WaitFor(const std::string& needle, int ms) {
        const std::int64_t until = SteadyMs() + ms;
        while (m_seen.find(needle) == std::string::npos && SteadyMs() < until) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            char buf[4096];
            const ssize_t n = ::read(m_fd, buf, sizeof buf);
            if (n <= 0)
                break;
            m_seen.append(buf, static_cast<std::size_t>(n));
        }
        return m_seen.find(needle) != std::string::npos;
    }

  private:
    int m_fd = -1;
    std::string m_seen;
};

struct Options {
    std::string pgUrl, haproxy;
    bool keep = false;
};

int Run(const Options& options, const std::string& pgUrl, const std::string& haproxy) {
    const std::int64_t started = SteadyMs();
    std::random_device entropy;
    std::mt19937_64 random(entropy());
    const fs::path dir =
        fs::temp_directory_path() / ("fk-two-servers-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    struct Cleanup {
        fs::path dir;
        bool keep;
        ~Cleanup() {
            if (!keep)
                fs::remove_all(dir);
        }
    } cleanup{dir, options.keep};

    PgSchema schema(
        pgUrl, "fk_two_" + std::to_string(::getpid()) + "_" + std::to_string(random() % 100000));
    const std::string db = schema.Url();
    auto backend = server::OpenBackend(db);  // the schema exists before either server starts
    core::SystemClock clock;
    backend->AddStore("s1", "Store One", clock.NowUtcMs());
    backend->AddKiosk("k1", "s1", clock.NowUtcMs());
    const auto kioskToken = server::IssueKioskToken(*backend, {"k1", "s1"}, clock.NowUtcMs());
    backend->AddKiosk("k2", "s1", clock.NowUtcMs());
    const auto kiosk2Token = server::IssueKioskToken(*backend, {"k2", "s1"}, clock.NowUtcMs());
    const auto manager = server::IssueManagerToken(*backend, std::string("s1"), clock.NowUtcMs());
    const fs::path tokenFile = dir / "token";
    std::ofstream(tokenFile) << kioskToken.secret << "\n";
    ::chmod(tokenFile.c_str(), 0600);

    // Each server from its own settings file (serve --config), HAProxy's address trusted.
    std::vector<std::unique_ptr<Server>> servers;
    std::vector<int> ports;
    for (int i = 1; i <= 2; ++i) {
        const fs::path config = dir / ("server" + std::to_string(i) + ".toml");
        std::ofstream(config) << "[server]\nlisten = \"127.0.0.1:" << test::FreeLoopbackPort()
                              << "\"\ntrusted_proxies = [\"127.0.0.1\"]\n\n"
                              << "[database]\nurl = \"" << db
                              << "\"\npool_size = 4\n\n[web]\nsession_lifetime_s = 600\n";
        servers.push_back(std::make_unique<Server>(config));
        ports.push_back(servers.back()->Start());
    }
    Note("servers on 127.0.0.1:" + std::to_string(ports[0]) + " and :" + std::to_string(ports[1]));

    const int lbPort = test::FreeLoopbackPort();
    const int tlsPort = test::FreeLoopbackPort();
    const fs::path cfg = dir / "haproxy.cfg";
    const fs::path pidFile = dir / "haproxy.pid";
    const fs::path adminSocket = dir / "haproxy.sock";
    const fs::path pem = dir / "lb.pem";
    {
        const std::string opensslPath = FindProgram("openssl");
        if (opensslPath.empty())
            throw Failure(
                "no openssl (scripts/setup-deps installs it) for the TLS bind's certificate");
        test::Child openssl(
            opensslPath,
            {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days",
             "1", "-keyout", (dir / "lb.key").string(), "-out", (dir / "lb.crt").string()},
            true);
        const int status = openssl.Wait();
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            throw Failure("openssl could not make a test certificate: " + openssl.ReadToEnd());
        }
        std::ofstream(pem) << std::ifstream(dir / "lb.crt").rdbuf()
                           << std::ifstream(dir / "lb.key").rdbuf();
    }
    std::ofstream(cfg) << LocalHaproxyConfig(FK_HAPROXY_CFG, lbPort, tlsPort, pem, ports, pidFile,
                                             adminSocket);
    {
        test::Child check(haproxy, {"-c", "-f", cfg.string()}, true);
        const int status = check.Wait();
        const std::string out = check.ReadToEnd();
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw Failure("haproxy -c refused the config: " + out);
    }
    test::Child lb(haproxy, {"-db", "-f", cfg.string()}, true);
    bool up = false;
    for (int i = 0; i < 100 && !up; ++i) {
        up = StatusOf(lbPort, "/healthz", {}) == 200;
        if (!up)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    Expect(up, "HAProxy (pid " + std::to_string(lb.Pid()) + ") on 127.0.0.1:" +
                   std::to_string(lbPort) + " answers /healthz from the servers");

    // Web sessions are the database's: a login on server 1 works on server 2 and through HAProxy.
    const httplib::Headers bearer{{"Authorization", "Bearer " + manager.secret}};
    httplib::Client one("127.0.0.1", ports[0]);
    const std::string session =
        CookieOf(one.Post("/api/v1/session", bearer, "", "application/json"));
    Expect(session.rfind("fks_", 0) == 0,
           "a web login on server 1 sets a session cookie (not the token)");
    const httplib::Headers cookie{{"Cookie", "fk_session=" + session}};
    Expect(StatusOf(ports[1], "/api/v1/reports/reps?store=s1", cookie) == 200,
           "the session made on server 1 reads reports on server 2");
    Expect(StatusOf(lbPort, "/api/v1/session", cookie) == 200 &&
               StatusOf(lbPort, "/api/v1/session", cookie) == 200,
           "and through HAProxy (both servers in turn)");
    httplib::Client lbClient("127.0.0.1", lbPort);
    auto viaLb = lbClient.Post("/api/v1/session", bearer, "", "application/json");
    Expect(viaLb && viaLb->status == 200 &&
               viaLb->get_header_value("Set-Cookie").find("Secure") == std::string::npos,
           "a login through HAProxy's plain-HTTP bind (X-Forwarded-Proto: http) gets no Secure "
           "cookie");
    auto forged = lbClient.Post(
        "/api/v1/session",
        {{"Authorization", "Bearer " + manager.secret}, {"X-Forwarded-Proto", "https"}}, "",
        "application/json");
    Expect(forged && forged->status == 200 &&
               forged->get_header_value("Set-Cookie").find("Secure") == std::string::npos,
           "a client's own X-Forwarded-Proto: https is overwritten by HAProxy (no Secure over "
           "plain HTTP)");
    httplib::SSLClient tlsClient("127.0.0.1", tlsPort);
    tlsClient.enable_server_certificate_verification(false);  // the test's self-signed certificate
    auto viaTls = tlsClient.Post("/api/v1/session", bearer, "", "application/json");
    Expect(viaTls && viaTls->status == 200 &&
               viaTls->get_header_value("Set-Cookie").find("; Secure") != std::string::npos,
           "a login through HAProxy's TLS bind gets a Secure cookie (X-Forwarded-Proto: https from "
           "a trusted proxy)");
    const std::string second = CookieOf(viaLb);
    httplib::Client two("127.0.0.1", ports[1]);
    auto logout = two.Delete("/api/v1/session", {{"Cookie", "fk_session=" + second}});
    Expect(logout && logout->status == 200 &&
               StatusOf(ports[0], "/api/v1/session", {{"Cookie", "fk_session=" + second}}) == 401,
           "a logout on server 2 ends the session on server 1 too");

    // Live help calls: a dashboard streaming from server 1 sees a call posted to server 2 at once
    // (PostgreSQL LISTEN/NOTIFY between the servers).
    {
        EventStream stream(ports[0], "/api/v1/calls/stream?store=s1", manager.secret);
        Expect(stream.WaitFor("event: snapshot", 5000),
               "a dashboard's call stream on server 1 starts with its snapshot");
        core::Uuid7Generator callIds(clock);
        protocol::Call call;
        call.responseId = callIds.Next();
        call.askedAt = clock.NowUtcMs();
        call.scale = 4;
        call.rating = 1;
        call.language = "en";
        httplib::Client two2("127.0.0.1", ports[1]);
        const std::int64_t posted = SteadyMs();
        auto res = two2.Post("/api/v1/calls", {{"Authorization", "Bearer " + kiosk2Token.secret}},
                             protocol::EncodeCallsRequest({1, "k2", {call}}), "application/json");
        Expect(res && res->status == 200 && res->body.find("accepted") != std::string::npos,
               "a help call posted to server 2 is accepted");
        const bool arrived = stream.WaitFor(call.responseId.ToString(), 2000);
        Expect(arrived, "and reaches the stream on server 1 within 2 s (" +
                            std::to_string(SteadyMs() - posted) + " ms)");
        // Closed again, so the kiosks' calls below are not folded into it.
        auto closed = two2.Post("/api/v1/calls/" + call.responseId.ToString() + "/close",
                                {{"Authorization", "Bearer " + manager.secret}},
                                R"({"by":"test","outcome":"other"})", "application/json");
        Expect(closed && closed->status == 200, "the call is closed on server 2");
        Expect(stream.WaitFor("event: update", 2000),
               "and the update reaches the stream on server 1");
    }

    // The kiosk syncs through HAProxy; server 1 is SIGKILLed while batches stream.
    const std::int64_t target = 400;
    const fs::path dataDir = dir / "kiosk";
    test::Child kiosk(FK_PROVE_KIOSK,
                      {dataDir.string(), "http://127.0.0.1:" + std::to_string(lbPort),
                       tokenFile.string(), "k1", std::to_string(target), std::to_string(random())});
    std::string kioskOut;
    auto pump = [&](int ms) {
        const std::int64_t until = SteadyMs() + ms;
        while (SteadyMs() < until) {
            for (auto& s : servers)
                s->Drain();
            lb.Drain();
            if (kiosk.WaitForLine("DRAINED", 20))
                return true;
        }
        return false;
    };
    // A second kiosk (k2) posts big batches through HAProxy back to back, as a kiosk would:
    // resending a batch (same ids) until it gets a receipt. Over 16 KiB, HAProxy cannot replay
    // them itself, so a batch cut by the kill shows here as a failed request.
    std::atomic<bool> stop{false};
    std::atomic<int> cut{0};
    std::atomic<std::int64_t> postStarted{0};    // steady ms the outstanding post began, 0: none
    std::atomic<std::int64_t> inFlightSince{0};  // steady ms its first part was sent, 0: none
    std::atomic<std::int64_t> k2Seq{0};
    std::thread load([&] {
        core::Uuid7Generator ids(clock);
        httplib::Client client("127.0.0.1", lbPort);
        client.set_connection_timeout(2);
        client.set_read_timeout(10);
        const httplib::Headers headers{{"Authorization", "Bearer " + kiosk2Token.secret}};
        std::int64_t seq = 0;
        while (!stop) {
            protocol::Batch batch;
            batch.kioskId = "k2";
            batch.batchId = ids.Next();
            for (int i = 0; i < 250; ++i) {
                core::Response r;
                r.id = ids.Next();
                r.seq = ++seq;
                r.createdAtMs = clock.NowUtcMs() - 60'000 + i;
                r.closedAtMs = r.createdAtMs + 4000;
                r.scale = 4;
                r.rating = 1 + i % 4;
                r.repId = "r" + std::to_string(i % 7);
                r.language = "en";
                batch.responses.push_back(r);
            }
            const std::string body = protocol::EncodeBatch(batch);
            // The body goes in two parts with a pause between, so the request is provably at a
            // server when it is killed; the first part is more than HAProxy's 16 KiB buffer holds.
            const std::size_t firstPart = 20 * 1024;
            if (body.size() <= firstPart + 1024)
                throw std::runtime_error("k2's batch is too small to outgrow HAProxy's buffer");
            auto provider = [&](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                if (offset == 0) {
                    sink.write(body.data(), firstPart);
                    inFlightSince = SteadyMs();
                    std::this_thread::sleep_for(std::chrono::milliseconds(60));
                    return true;
                }
                sink.write(body.data() + offset, body.size() - offset);
                return true;
            };
            for (;;) {
                postStarted = SteadyMs();
                auto res = client.Post("/api/v1/batches", headers, body.size(), provider,
                                       "application/json");
                inFlightSince = 0;
                postStarted = 0;
                if (res && res->status == 200)
                    break;
                ++cut;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            k2Seq = seq;
        }
    });
    struct Join {
        std::atomic<bool>& stop;
        std::thread& t;
        ~Join() {
            stop = true;
            if (t.joinable())
                t.join();
        }
    } join{stop, load};

    // Kill server 1 once the kiosk is mid-stream.
    std::int64_t acked = 0;
    for (int i = 0; i < 400 && acked < target / 4; ++i) {
        pump(25);
        auto status = backend->Status("k1");
        acked = status ? status->ackedSeq : 0;
    }
    Expect(acked >= target / 4 && acked < target, "the kiosk is mid-stream (" +
                                                      std::to_string(acked) + " of " +
                                                      std::to_string(target) + " acknowledged)");
    int kills = 0;
    // Server 2 is drained for a moment (as an operator would), so the next batch goes to server 1;
    // server 1 is killed while that batch is provably in flight there, and server 2 takes traffic
    // again at once. Without the drain, HAProxy's round robin can keep k2 on server 2 for a run.
    for (; kills < 5 && cut == 0; ++kills) {
        if (kills > 0) {
            servers[0]->Start();
            for (int i = 0; i < 100 && !HaproxyServerRunning(adminSocket, "app1"); ++i)
                pump(50);
        }
        Expect(HaproxyServerRunning(adminSocket, "app1"), "HAProxy sends requests to server 1");
        const int before = cut;
        HaproxyCommand(adminSocket, "set server kiosk_servers/app2 state drain");
        const std::int64_t drainedAt = SteadyMs();
        bool onServer1 = false;
        for (int i = 0; i < 20000 && !onServer1; ++i) {
            const std::int64_t began = postStarted;
            const std::int64_t since = inFlightSince;
            onServer1 = began > drainedAt && since != 0 && SteadyMs() - since >= 3;
            if (!onServer1)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        servers[0]->Kill();
        HaproxyCommand(adminSocket, "set server kiosk_servers/app2 state ready");
        pump(300);
        Note("server 1 SIGKILLed (kill " + std::to_string(kills + 1) +
             (onServer1 ? "" : ", no batch seen in flight") +
             "), k2 batches cut: " + std::to_string(cut - before));
    }
    Expect(cut > 0,
           "a batch was cut by a SIGKILL of its server (" + std::to_string(kills) + " kills)");
    const bool drained = pump(25000);
    kiosk.Kill(SIGKILL);
    kiosk.Wait();
    kioskOut = kiosk.ReadToEnd();
    Expect(drained, "the kiosk drained through HAProxy to the surviving server");

    // Every committed row on the server, once, with its seq.
    std::vector<core::Response> local;
    {
        auto store = storage::ResponseStore::Open(dataDir, clock);
        store->ForEach([&](const core::Response& r) {
            local.push_back(r);
            return true;
        });
        Expect(store->PendingCount() == 0 && store->OpenCount() == 0 && store->RejectedCount() == 0,
               "the kiosk's store is settled (nothing pending, open or rejected)");
    }
    Expect(static_cast<std::int64_t>(local.size()) == target,
           "the kiosk wrote " + std::to_string(target) + " rows");
    std::vector<std::string> ids;
    for (const auto& r : local)
        ids.push_back(r.id.ToString());
    std::vector<server::StoredRow> rows;
    {
        auto tx = backend->BeginIngest();
        rows = tx->FindByIds(ids);
    }
    std::map<std::string, std::int64_t> onServer;
    for (const auto& row : rows)
        onServer[row.response.id.ToString()] = row.response.seq;
    std::int64_t lost = 0, moved = 0;
    for (const auto& r : local) {
        auto it = onServer.find(r.id.ToString());
        if (it == onServer.end())
            ++lost;
        else if (it->second != r.seq)
            ++moved;
    }
    auto status = backend->Status("k1");
    Expect(lost == 0 && moved == 0, "nothing lost: all " + std::to_string(local.size()) +
                                        " rows on the server with their seq");
    Expect(status && status->responses == target,
           "nothing doubled: the server holds " + std::to_string(status ? status->responses : -1) +
               " rows for the kiosk");
    Expect(status->ackedSeq == target && status->gaps.empty() && status->rejected == 0,
           "acked seq " + std::to_string(status->ackedSeq) + ", no gaps, no rejections");
    stop = true;
    load.join();
    auto status2 = backend->Status("k2");
    Expect(status2 && status2->responses == k2Seq && status2->ackedSeq == k2Seq &&
               status2->gaps.empty() && status2->rejected == 0,
           "k2's " + std::to_string(k2Seq.load()) +
               " rows, resent after the cut, are each stored once (server holds " +
               std::to_string(status2 ? status2->responses : -1) + ")");
    Expect(backend->CountResponses() == target + k2Seq, "and no stray rows");

    // The session made on the dead server still works on the live one, through HAProxy too.
    Expect(StatusOf(ports[1], "/api/v1/reports/reps?store=s1", cookie) == 200 &&
               StatusOf(lbPort, "/api/v1/reports/reps?store=s1", cookie) == 200,
           "the login made on the killed server still works on the other one");
    lb.Kill(SIGTERM);
    lb.Wait();
    Note("passed in " + std::to_string(SteadyMs() - started) + " ms");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--pg-url" && i + 1 < argc) {
            options.pgUrl = argv[++i];
        } else if (arg == "--haproxy" && i + 1 < argc) {
            options.haproxy = argv[++i];
        } else if (arg == "--keep") {
            options.keep = true;
        } else {
            std::cerr << "usage: kiosk-two-servers [--pg-url URL] [--haproxy PATH] [--keep]\n";
            return 2;
        }
    }
    auto required = [](const char* name) {
        const char* v = std::getenv(name);
        return v != nullptr && std::string(v) == "1";
    };
    std::string pgUrl = options.pgUrl;
    if (pgUrl.empty() && std::getenv("FK_TEST_PG_URL") != nullptr)
        pgUrl = std::getenv("FK_TEST_PG_URL");
    if (pgUrl.empty()) {
        Note("no PostgreSQL: give --pg-url or set FK_TEST_PG_URL (scripts/test starts a cluster)");
        return required("FK_REQUIRE_PG") ? 1 : 77;
    }
    const std::string haproxy = options.haproxy.empty() ? FindProgram("haproxy") : options.haproxy;
    if (haproxy.empty()) {
        Note("no haproxy (apt-get install haproxy; scripts/setup-deps installs it)");
        return required("FK_REQUIRE_HAPROXY") ? 1 : 77;
    }
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return Run(options, pgUrl, haproxy);
    } catch (const Failure& e) {
        Note(std::string("FAILED: ") + e.what());
        return 1;
    } catch (const std::exception& e) {
        Note(std::string("FAILED (harness): ") + e.what());
        return 1;
    }
}
