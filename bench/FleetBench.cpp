// kiosk-bench fleet (issue 13): a real kiosk-server process on a fresh SQLite file and a simulated
// fleet of N kiosks, each on its own keep-alive connection (like libcurl), sending a heartbeat or
// a 20-response batch every --interval seconds; ten kiosks share one source address, as a store
// behind NAT does (127.1.x.y). Figures: p50/p99 of answered requests, kiosks served (every request
// answered 200), timeouts, 503s, requests/s, server RSS and threads, against the same run's
// /healthz round trip on the idle server. Then the attack cases, each on a fresh server: 200 slow
// clients, two gzip bombs without a token, and the 413 desync; time to answer /healthz and an
// honest batch during each, peak RSS. --compare BIN runs everything on a second server binary
// too (the "before" build), side by side in one run. With --pg URL the server runs on PostgreSQL
// instead: every run gets a fresh schema of its own (seeded, then dropped), metrics start with
// "pg_".
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <utility>  // before Boost.Asio 1.74: its awaitable.hpp uses std::exchange unincluded

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <utility>  // before Boost 1.74 Asio: awaitable.hpp uses std::exchange without it

#include "Bench.h"
#include "PgSchema.h"
#include "core/Clock.h"
#include "core/Uuid.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/Tokens.h"

extern char** environ;

namespace {

using namespace fk;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

struct ProcStats {
    double rssMiB = 0, peakMiB = 0;
    int threads = 0;
};

ProcStats ReadProc(pid_t pid) {
    ProcStats s;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    while (in >> key) {
        if (key == "VmRSS:")
            in >> s.rssMiB, s.rssMiB /= 1024;
        if (key == "VmHWM:")
            in >> s.peakMiB, s.peakMiB /= 1024;
        if (key == "Threads:")
            in >> s.threads;
        in.ignore(1 << 20, '\n');
    }
    return s;
}

// A kiosk-server process on 127.0.0.1 (port chosen by the kernel, read from its first line).
class Server {
  public:
    Server(const std::string& binary, std::string dbArg, const std::filesystem::path& log,
           const std::string& settingsFile = "") {
        std::vector<std::string> args{binary, "serve", "--db", dbArg, "--listen", "127.0.0.1:0"};
        if (!settingsFile.empty()) {
            args.emplace_back("--config");
            args.push_back(settingsFile);
        }
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        if (posix_spawn(&m_pid, binary.c_str(), &fa, nullptr, argv.data(), environ) != 0) {
            throw std::runtime_error("cannot start " + binary);
        }
        posix_spawn_file_actions_destroy(&fa);
        for (int i = 0; i < 1000 && m_port == 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            std::ifstream in(log);
            std::string line;
            while (std::getline(in, line)) {
                auto at = line.find("serving");
                auto colon = line.rfind(':');
                if (at != std::string::npos && colon != std::string::npos)
                    m_port = std::atoi(line.c_str() + colon + 1);
            }
        }
        if (m_port == 0)
            throw std::runtime_error(binary + " did not start; see " + log.string());
    }
    ~Server() {
        if (m_pid <= 0)
            return;  // kill(0, ...) would signal our own process group
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
    }
    int Port() const { return m_port; }
    pid_t Pid() const { return m_pid; }
    // SIGTERM; milliseconds until the process is gone.
    double Terminate() {
        auto start = Clock::now();
        kill(m_pid, SIGTERM);
        for (int i = 0; i < 3000; ++i) {
            if (waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
                m_pid = 0;
                return Ms(Clock::now() - start);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return Ms(Clock::now() - start);
    }

  private:
    pid_t m_pid = 0;
    int m_port = 0;
};

std::string Gzip(const std::string& data, int level = Z_DEFAULT_COMPRESSION) {
    z_stream zs{};
    deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
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

// A gzip member of `decoded` zero bytes, built in pieces (no gigabyte in memory).
std::string GzipZeros(std::size_t decoded) {
    z_stream zs{};
    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    std::string zeros(1 << 20, '\0'), out, buf(1 << 16, '\0');
    for (std::size_t done = 0; done < decoded; done += zeros.size()) {
        zs.next_in = reinterpret_cast<Bytef*>(zeros.data());
        zs.avail_in = static_cast<uInt>(zeros.size());
        int flush = done + zeros.size() >= decoded ? Z_FINISH : Z_NO_FLUSH;
        do {
            zs.next_out = reinterpret_cast<Bytef*>(buf.data());
            zs.avail_out = static_cast<uInt>(buf.size());
            deflate(&zs, flush);
            out.append(buf.data(), buf.size() - zs.avail_out);
        } while (zs.avail_out == 0);
    }
    deflateEnd(&zs);
    return out;
}

struct Fleet {
    std::vector<std::string> ids, tokens;
};

// One database with `n` kiosks (s<i/10> stores): a SQLite file copied for every run, or a fresh
// PostgreSQL schema.
Fleet Seed(const std::string& url, int n) {
    auto backend = server::OpenBackend(url);
    Fleet f;
    for (int i = 0; i < n; ++i) {
        std::string store = "s" + std::to_string(i / 10);
        if (i % 10 == 0)
            backend->AddStore(store, store, 0);
        std::string id = "k" + std::to_string(i);
        backend->AddKiosk(id, store, 0);
        f.ids.push_back(id);
        f.tokens.push_back(server::IssueKioskToken(*backend, {id, store}, 0).secret);
    }
    return f;
}

tcp::endpoint SourceFor(int kiosk) {
    const unsigned group = static_cast<unsigned>(kiosk / 10);
    return tcp::endpoint(
        asio::ip::address_v4((127u << 24) | (1u << 16) | ((group / 250) << 8) | (group % 250 + 1)),
        0);
}

struct Results {
    std::vector<double> latencies;
    std::int64_t ok = 0, busy = 0, failed = 0, timeouts = 0, served = 0;
    double seconds = 0;
};

class KioskSim : public std::enable_shared_from_this<KioskSim> {
  public:
    KioskSim(asio::io_context& io, int index, const Fleet& fleet, int port, Clock::time_point first,
             std::chrono::milliseconds interval, Clock::time_point end, Results& results)
        : m_io(io),
          m_index(index),
          m_fleet(fleet),
          m_port(port),
          m_next(first),
          m_interval(interval),
          m_end(end),
          m_results(results),
          m_stream(io),
          m_timer(io),
          m_ids(m_clock) {}

    void Start() { Schedule(); }
    bool Clean() const { return m_ok > 0 && m_bad == 0; }

  private:
    void Schedule() {
        if (m_next >= m_end) {
            beast::error_code ec;
            m_stream.socket().close(ec);
            return;
        }
        m_timer.expires_at(m_next);
        m_timer.async_wait([self = shared_from_this()](beast::error_code) { self->Fire(); });
    }

    void Fire() {
        m_next += m_interval;
        BuildRequest();
        m_sent = Clock::now();
        m_stream.expires_after(std::chrono::seconds(10));
        if (!m_connected) {
            beast::error_code ec;
            m_stream.socket().open(tcp::v4(), ec);
            m_stream.socket().bind(SourceFor(m_index), ec);
            m_stream.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(),
                                                 static_cast<unsigned short>(m_port)),
                                   [self = shared_from_this()](beast::error_code e) {
                                       if (e)
                                           return self->Fail(e);
                                       self->m_connected = true;
                                       self->m_stream.socket().set_option(tcp::no_delay(true));
                                       self->Write();
                                   });
            return;
        }
        Write();
    }

    void BuildRequest() {
        const std::string& id = m_fleet.ids[static_cast<std::size_t>(m_index)];
        m_req = {};
        m_req.version(11);
        m_req.method(bhttp::verb::post);
        m_req.set(bhttp::field::host, "127.0.0.1");
        m_req.set(bhttp::field::authorization,
                  "Bearer " + m_fleet.tokens[static_cast<std::size_t>(m_index)]);
        m_req.set(bhttp::field::content_type, "application/json");
        if (m_count++ % 2 == 0) {
            protocol::Heartbeat hb;
            hb.clock = m_clock.NowUtcMs();
            hb.version = "0.1.0";
            m_req.target("/api/v1/kiosks/" + id + "/heartbeat");
            m_req.body() = protocol::EncodeHeartbeat(hb);
        } else {
            protocol::Batch b;
            b.kioskId = id;
            b.batchId = m_ids.Next();
            for (int i = 0; i < 20; ++i) {
                core::Response r;
                r.id = m_ids.Next();
                r.seq = ++m_seq;
                r.createdAtMs = m_clock.NowUtcMs() - 60000;
                r.closedAtMs = r.createdAtMs + 4000;
                r.tzOffsetMin = 330;
                r.rating = 1 + static_cast<int>(m_seq % 4);
                r.repId = "r" + std::to_string(m_seq % 12);
                if (r.rating <= 2)
                    r.reason = "wait_time";
                r.language = "hi";
                b.responses.push_back(r);
            }
            m_req.target("/api/v1/batches");
            m_req.set(bhttp::field::content_encoding, "gzip");
            m_req.body() = Gzip(protocol::EncodeBatch(b));
        }
        m_req.keep_alive(true);
        m_req.prepare_payload();
    }

    void Write() {
        bhttp::async_write(
            m_stream, m_req, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec)
                    return self->Fail(ec);
                self->m_res = {};
                bhttp::async_read(
                    self->m_stream, self->m_buf, self->m_res,
                    [self](beast::error_code e, std::size_t) { self->OnResponse(e); });
            });
    }

    void OnResponse(beast::error_code ec) {
        if (ec)
            return Fail(ec);
        const int status = static_cast<int>(m_res.result_int());
        if (status == 200) {
            ++m_results.ok;
            ++m_ok;
            m_results.latencies.push_back(Ms(Clock::now() - m_sent));
        } else {
            ++m_bad;
            ++(status == 503 ? m_results.busy : m_results.failed);
        }
        if (!m_res.keep_alive())
            Close();
        Schedule();
    }

    void Fail(beast::error_code ec) {
        ++m_bad;
        ++(ec == beast::error::timeout ? m_results.timeouts : m_results.failed);
        Close();
        Schedule();
    }

    void Close() {
        beast::error_code ec;
        m_stream.socket().close(ec);
        m_buf.clear();
        m_connected = false;
    }

    asio::io_context& m_io;
    int m_index;
    const Fleet& m_fleet;
    int m_port;
    Clock::time_point m_next;
    std::chrono::milliseconds m_interval;
    Clock::time_point m_end;
    Results& m_results;
    beast::tcp_stream m_stream;
    asio::steady_timer m_timer;
    core::SystemClock m_clock;
    core::Uuid7Generator m_ids;
    bhttp::request<bhttp::string_body> m_req;
    bhttp::response<bhttp::string_body> m_res;
    beast::flat_buffer m_buf;
    Clock::time_point m_sent;
    bool m_connected = false;
    std::int64_t m_seq = 0, m_count = 0, m_ok = 0, m_bad = 0;
};

// Raw blocking HTTP on a fresh connection: status (0: no answer) and milliseconds.
struct Answer {
    int status = 0;
    double ms = 0;
    bool closed = false;  // the server closed the connection after answering
};

int Connect(int port, int timeoutS) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{timeoutS, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool SendAll(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Reads one response (head + Content-Length body) from fd.
Answer ReadAnswer(int fd, Clock::time_point start) {
    Answer a;
    std::string in;
    char buf[65536];
    std::size_t need = std::string::npos;
    for (;;) {
        auto end = in.find("\r\n\r\n");
        if (end != std::string::npos && need == std::string::npos) {
            a.status = std::atoi(in.c_str() + 9);
            std::string head = in.substr(0, end);
            for (auto& c : head)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            auto cl = head.find("content-length:");
            need = end + 4 +
                   (cl == std::string::npos
                        ? 0
                        : static_cast<std::size_t>(std::atoll(head.c_str() + cl + 15)));
            a.closed = head.find("connection: close") != std::string::npos;
        }
        if (need != std::string::npos && in.size() >= need)
            break;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            if (need == std::string::npos)
                a.status = 0;
            a.closed = true;
            break;
        }
        in.append(buf, static_cast<std::size_t>(n));
    }
    a.ms = Ms(Clock::now() - start);
    return a;
}

Answer Request(int port, const std::string& raw, int timeoutS = 60) {
    auto start = Clock::now();
    int fd = Connect(port, timeoutS);
    if (fd < 0)
        return {0, Ms(Clock::now() - start), true};
    Answer a;
    if (SendAll(fd, raw))
        a = ReadAnswer(fd, start);
    ::close(fd);
    a.ms = Ms(Clock::now() - start);
    return a;
}

// Milliseconds to a 200, or the client's whole wait (at least 60 s) when there was none, so a
// missing answer never looks fast.
double Answered(const Answer& a) {
    return a.status == 200 ? a.ms : std::max(a.ms, 60000.0);
}

std::string Healthz() {
    return "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
}

std::string HonestBatch(const Fleet& fleet, std::int64_t seq) {
    core::SystemClock clock;
    core::Uuid7Generator ids(clock);
    protocol::Batch b;
    b.kioskId = fleet.ids[0];
    b.batchId = ids.Next();
    for (int i = 0; i < 20; ++i) {
        core::Response r;
        r.id = ids.Next();
        r.seq = seq + i;
        r.createdAtMs = clock.NowUtcMs() - 60000;
        r.closedAtMs = r.createdAtMs + 4000;
        r.rating = 3;
        r.language = "en";
        b.responses.push_back(r);
    }
    std::string body = protocol::EncodeBatch(b);
    return "POST /api/v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: "
           "close\r\nAuthorization: Bearer " +
           fleet.tokens[0] +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

// The fleet of n kiosks against 127.0.0.1:port for `seconds`; with pid, a fresh connection's
// /healthz every half second and the process's peak RSS and threads meanwhile.
Results RunLoad(int port, pid_t pid, const Fleet& fleet, int n, std::chrono::seconds seconds,
                std::chrono::milliseconds interval, std::vector<double>* loaded, ProcStats* peak) {
    Results results;
    asio::io_context io;
    auto start = Clock::now() + std::chrono::milliseconds(200);
    auto end = start + seconds;
    std::vector<std::shared_ptr<KioskSim>> kiosks;
    for (int i = 0; i < n; ++i) {
        auto first = start + interval * i / n;
        kiosks.push_back(
            std::make_shared<KioskSim>(io, i, fleet, port, first, interval, end, results));
        kiosks.back()->Start();
    }
    std::atomic<bool> done{false};
    std::thread probe([&] {
        while (!done && pid > 0) {
            loaded->push_back(Request(port, Healthz(), 30).ms);
            auto s = ReadProc(pid);
            peak->rssMiB = std::max(peak->rssMiB, s.rssMiB);
            peak->threads = std::max(peak->threads, s.threads);
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    });
    io.run();
    done = true;
    probe.join();
    results.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (auto& k : kiosks)
        results.served += k->Clean() ? 1 : 0;
    return results;
}

// Debian's nginx on 127.0.0.1 answering every request with a fixed `return 200` on keep-alive
// connections: an HTTP server that is not ours under the same fleet, the floor of loopback HTTP on
// this machine in this minute. A child process with its own nginx.conf in dir, stopped at the end.
class Nginx {
  public:
    // The nginx binary, or "" when it is not installed.
    static std::string Find() {
        for (const char* path : {"/usr/sbin/nginx", "/usr/bin/nginx"}) {
            if (::access(path, X_OK) == 0)
                return path;
        }
        return "";
    }

    Nginx(const std::string& binary, const std::filesystem::path& dir) {
        {
            int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            socklen_t len = sizeof addr;
            ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
            m_port = ntohs(addr.sin_port);
            ::close(fd);
        }
        std::filesystem::create_directories(dir / "tmp");
        const std::string d = dir.string();
        std::ofstream(dir / "nginx.conf")
            << "daemon off;\nworker_processes auto;\nworker_rlimit_nofile 20000;\npid " << d
            << "/nginx.pid;\nerror_log " << d
            << "/error.log warn;\nevents { worker_connections 16000; }\n"
               "http {\n  access_log off;\n  client_body_temp_path "
            << d
            << "/tmp;\n  keepalive_timeout 30s;\n  keepalive_requests 1000000;\n"
               "  client_max_body_size 4m;\n  server {\n    listen 127.0.0.1:"
            << m_port
            << " backlog=4096;\n    location / { default_type application/json; return 200 "
               "'{}'; }\n  }\n}\n";
        std::vector<std::string> args{binary,           "-p", d, "-e", d + "/error.log", "-c",
                                      d + "/nginx.conf"};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, (dir / "stderr.log").c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int spawned = posix_spawn(&m_pid, binary.c_str(), &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        if (spawned != 0) {
            m_pid = 0;
            throw std::runtime_error("cannot start " + binary);
        }
        for (int i = 0; i < 500; ++i) {
            if (Request(m_port, Healthz(), 2).status == 200)
                return;
            if (waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
                m_pid = 0;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        throw std::runtime_error("nginx did not answer; see " + d + "/error.log and " + d +
                                 "/stderr.log");
    }
    ~Nginx() {
        if (m_pid <= 0)
            return;
        kill(m_pid, SIGTERM);  // nginx: fast shutdown of master and workers
        waitpid(m_pid, nullptr, 0);
    }
    int Port() const { return m_port; }

  private:
    pid_t m_pid = 0;
    int m_port = 0;
};

// A connection to port from a given local address (127.x.y.z), or -1.
int ConnectFrom(int port, std::uint32_t source, int timeoutS) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{timeoutS, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(source);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}
// A fleet for a baseline that reads and ignores the body and the token (nginx, the HTTP layers).
Fleet StubFleet(int n, const std::string& token) {
    Fleet fleet;
    for (int i = 0; i < n; ++i) {
        fleet.ids.push_back("k" + std::to_string(i));
        fleet.tokens.push_back(token);
    }
    return fleet;
}

// The served-fleet figures every baseline reports, under `prefix` (sorts r.latencies).
void AddServed(bench::Report& report, const std::string& prefix, Results& r) {
    report.Add(prefix + "p50_ms", r.latencies.empty() ? 0 : bench::Percentile(r.latencies, 50),
               "ms");
    report.Add(prefix + "p99_ms", r.latencies.empty() ? 0 : bench::Percentile(r.latencies, 99),
               "ms");
    report.Add(prefix + "served_kiosks", static_cast<double>(r.served), "kiosks");
    report.Add(prefix + "timeouts", static_cast<double>(r.timeouts), "requests");
    report.Add(prefix + "answered_per_s", static_cast<double>(r.ok) / r.seconds, "requests/s");
}

int RunFleet(const bench::Args& args, bench::Report& report) {
    // Every simulated kiosk and idle connection is a descriptor here (and one in the server).
    rlimit lim{};
    getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    std::cerr << "fleet: open files limit " << lim.rlim_cur << " (raised to the hard limit)\n";
    std::vector<std::pair<std::string, std::string>> servers{
        {"", args.Value("--server", FK_KIOSK_SERVER_BINARY)}};
    if (std::string cmp = args.Value("--compare", ""); !cmp.empty())
        servers.push_back({"compare_", cmp});
    std::vector<int> sizes;
    {
        std::stringstream list(args.Value("--kiosks", "100,1000,5000"));
        for (std::string item; std::getline(list, item, ',');) {
            if (std::stoi(item) > 0)
                sizes.push_back(std::stoi(item));  // --kiosks 0: no fleet (e.g. with --idle)
        }
    }
    const int idleConnections = static_cast<int>(args.Int("--idle", 0));
    const auto seconds = std::chrono::seconds(args.Int("--seconds", 20));
    const auto interval = std::chrono::milliseconds(args.Int("--interval-ms", 5000));
    const bool attacks = !args.Flag("--no-attacks");
    bench::BenchDir dir(args.Value("--data-dir", ""), "fleet");
    const std::string pg = args.Value("--pg", "");
    // A server.toml for every server started (e.g. to measure a chain's own settings).
    const std::string settingsFile = args.Value("--server-config", "");
    report.SetBackend(pg.empty() ? "sqlite" : "postgresql");
    const auto seed = dir.Path() / "seed.db";
    const int maxN = sizes.empty() ? 10 : *std::max_element(sizes.begin(), sizes.end());
    Fleet sqliteFleet;
    if (pg.empty()) {
        std::cerr << "fleet: seeding " << maxN << " kiosks\n";
        sqliteFleet = Seed("sqlite:" + seed.string(), std::max(maxN, 10));
    }
    // A fresh database holding at least n kiosks: a copy of the seed file, or a new schema.
    struct Db {
        std::unique_ptr<bench::PgSchema> schema;
        std::string url;
        Fleet fleet;
    };
    auto fresh = [&](const std::string& name, int n) {
        Db d;
        if (pg.empty()) {
            auto db = dir.Path() / (name + ".db");
            std::filesystem::remove(db);
            std::filesystem::copy_file(seed, db);
            d.url = "sqlite:" + db.string();
            d.fleet = sqliteFleet;
        } else {
            d.schema = std::make_unique<bench::PgSchema>(pg, "", "fk_bench_fleet_" + name + "_");
            d.url = d.schema->Url();
            std::cerr << "fleet: seeding " << n << " kiosks in " << d.schema->Name() << "\n";
            d.fleet = Seed(d.url, std::max(n, 10));
        }
        return d;
    };

    // The same fleet against Debian's nginx answering `return 200`: not our code, same machine,
    // same minute.
    if (!args.Flag("--no-nginx") && !sizes.empty()) {
        const std::string nginxBinary = Nginx::Find();
        if (nginxBinary.empty()) {
            std::cerr << "fleet: nginx is not installed (apt-get install nginx-light): no "
                         "independent baseline in this run\n";
        } else {
            Nginx nginx(nginxBinary, dir.Path() / "nginx");
            std::cerr << "fleet: baseline " << nginxBinary << " on 127.0.0.1:" << nginx.Port()
                      << "\n";
            for (int n : sizes) {
                const Fleet fleet = StubFleet(n, "fk1_nginx");
                std::vector<double> unused;
                ProcStats none;
                Results r = RunLoad(nginx.Port(), 0, fleet, n, seconds, interval, &unused, &none);
                AddServed(report, "nginx_n" + std::to_string(n) + "_", r);
            }
        }
    }

    // --http-layers: the HTTP layer alone (a constant 200 after reading the body) under the same
    // fleet: GNU libmicrohttpd against kiosk-server's own transport (bench/HttpLayerBaseline.cpp).
    if (args.Flag("--http-layers") && !sizes.empty()) {
        for (const auto& [name, binary] : std::vector<std::pair<std::string, std::string>>{
                 {"mhd_", FK_HTTP_MHD_BINARY}, {"transport_", FK_HTTP_TRANSPORT_BINARY}}) {
            std::cerr << "fleet: HTTP layer " << binary << "\n";
            for (int n : sizes) {
                const Fleet fleet = StubFleet(n, "fk1_layer");
                Server srv(binary, "none", dir.Path() / (name + "layer.log"));
                std::vector<double> loaded;
                ProcStats peak;
                Results r =
                    RunLoad(srv.Port(), srv.Pid(), fleet, n, seconds, interval, &loaded, &peak);
                const std::string m = name + "n" + std::to_string(n) + "_";
                AddServed(report, m, r);
                report.Add(m + "rss_mib", peak.rssMiB, "MiB");
                report.Add(m + "threads", static_cast<double>(peak.threads), "threads");
            }
        }
    }

    for (auto [prefix, binary] : servers) {
        if (!pg.empty())
            prefix = "pg_" + prefix;
        std::cerr << "fleet: server " << binary << "\n";
        for (int n : sizes) {
            Db db = fresh("run", n);
            const Fleet& fleet = db.fleet;
            Server srv(binary, db.url, dir.Path() / "server.log", settingsFile);
            // Baseline: the same server's /healthz round trip while idle.
            std::vector<double> idle;
            for (int i = 0; i < 20; ++i)
                idle.push_back(Request(srv.Port(), Healthz()).ms);
            const double idleP50 = bench::Percentile(idle, 50);
            ProcStats peak;
            std::vector<double> loaded;
            Results results =
                RunLoad(srv.Port(), srv.Pid(), fleet, n, seconds, interval, &loaded, &peak);
            const std::string m = prefix + "n" + std::to_string(n) + "_";
            const double p50 =
                results.latencies.empty() ? 0 : bench::Percentile(results.latencies, 50);
            const double p99 =
                results.latencies.empty() ? 0 : bench::Percentile(results.latencies, 99);
            report.Add(m + "idle_healthz_p50_ms", idleP50, "ms");
            report.AddRatio(m + "p50_ms", p50, "ms", m + "idle_healthz_p50_ms", idleP50);
            report.AddRatio(m + "p99_ms", p99, "ms", m + "idle_healthz_p50_ms", idleP50);
            report.Add(m + "served_kiosks", static_cast<double>(results.served), "kiosks");
            report.Add(m + "timeouts", static_cast<double>(results.timeouts), "requests");
            report.Add(m + "busy_503", static_cast<double>(results.busy), "requests");
            report.Add(m + "other_failures", static_cast<double>(results.failed), "requests");
            report.Add(m + "answered_per_s", static_cast<double>(results.ok) / results.seconds,
                       "requests/s");
            report.Add(m + "offered_per_s",
                       static_cast<double>(n) * 1000.0 / static_cast<double>(interval.count()),
                       "requests/s");
            report.Add(m + "loaded_healthz_max_ms",
                       loaded.empty() ? 0 : *std::max_element(loaded.begin(), loaded.end()), "ms");
            report.Add(m + "server_rss_mib", peak.rssMiB, "MiB");
            report.Add(m + "server_threads", peak.threads, "threads");
            report.Add(m + "sigterm_stop_ms", srv.Terminate(), "ms");
        }
        if (idleConnections > 0) {
            // N idle keep-alive connections (each has made one request), 100 per source address
            // (127.2.x.y; the server allows 256 per address); then /healthz and an honest batch
            // on fresh connections, the server's RSS and threads while they are all open.
            Db db = fresh("idle", 10);
            const Fleet& fleet = db.fleet;
            Server srv(binary, db.url, dir.Path() / "server.log", settingsFile);
            const ProcStats before = ReadProc(srv.Pid());
            std::vector<double> healthIdle, batchIdle;
            std::int64_t seq = 1;
            for (int i = 0; i < 20; ++i)
                healthIdle.push_back(Request(srv.Port(), Healthz()).ms);
            for (int i = 0; i < 5; ++i, seq += 20)
                batchIdle.push_back(Answered(Request(srv.Port(), HonestBatch(fleet, seq))));
            if (static_cast<rlim_t>(idleConnections) + 100 > lim.rlim_cur) {
                std::cerr << "fleet: --idle " << idleConnections << " needs more open files than "
                          << lim.rlim_cur << " (the hard limit); raise it (ulimit -Hn)\n";
            }
            std::vector<int> fds;
            int answered = 0;
            auto openStart = Clock::now();
            for (int i = 0; i < idleConnections; ++i) {
                const unsigned group = static_cast<unsigned>(i / 100);
                int fd = ConnectFrom(
                    srv.Port(),
                    (127u << 24) | (2u << 16) | ((group / 250) << 8) | (group % 250 + 1), 10);
                if (fd < 0)
                    continue;
                fds.push_back(fd);
                if (SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") &&
                    ReadAnswer(fd, Clock::now()).status == 200)
                    ++answered;
            }
            const double openMs = Ms(Clock::now() - openStart);
            std::vector<double> health, batch;
            for (int i = 0; i < 20; ++i)
                health.push_back(Answered(Request(srv.Port(), Healthz(), 10)));
            for (int i = 0; i < 5; ++i, seq += 20)
                batch.push_back(Answered(Request(srv.Port(), HonestBatch(fleet, seq), 10)));
            const ProcStats during = ReadProc(srv.Pid());
            int open = 0;  // still open: no EOF from the server
            for (int fd : fds) {
                char c;
                if (::recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK) < 0 && errno == EAGAIN)
                    ++open;
            }
            for (int fd : fds)
                ::close(fd);
            const std::string m = prefix + "idle" + std::to_string(idleConnections) + "_";
            report.Add(m + "connected", static_cast<double>(fds.size()), "connections");
            report.Add(m + "answered_first_request", answered, "connections");
            report.Add(m + "still_open", open, "connections");
            report.Add(m + "open_all_ms", openMs, "ms");
            report.Add(m + "healthz_before_p50_ms", bench::Percentile(healthIdle, 50), "ms");
            report.AddRatio(m + "healthz_p50_ms", bench::Percentile(health, 50), "ms",
                            m + "healthz_before_p50_ms", bench::Percentile(healthIdle, 50));
            report.Add(m + "healthz_max_ms", *std::max_element(health.begin(), health.end()), "ms");
            report.Add(m + "batch_before_p50_ms", bench::Percentile(batchIdle, 50), "ms");
            report.AddRatio(m + "batch_p50_ms", bench::Percentile(batch, 50), "ms",
                            m + "batch_before_p50_ms", bench::Percentile(batchIdle, 50));
            report.Add(m + "batch_max_ms", *std::max_element(batch.begin(), batch.end()), "ms");
            report.Add(m + "server_rss_before_mib", before.rssMiB, "MiB");
            report.AddRatio(m + "server_rss_mib", during.rssMiB, "MiB", m + "server_rss_before_mib",
                            before.rssMiB);
            report.Add(m + "server_threads_before", before.threads, "threads");
            report.Add(m + "server_threads", during.threads, "threads");
        }
        if (!attacks)
            continue;

        // Slow clients: 200 connections, one header line every 2 s.
        {
            Db db = fresh("slow", 10);
            const Fleet& fleet = db.fleet;
            Server srv(binary, db.url, dir.Path() / "server.log", settingsFile);
            const double idleRss = ReadProc(srv.Pid()).rssMiB;
            std::vector<int> fds;
            for (int i = 0; i < 200; ++i) {
                int fd = Connect(srv.Port(), 5);
                if (fd >= 0 && SendAll(fd, "POST /api/v1/batches HTTP/1.1\r\nHost: x\r\n"))
                    fds.push_back(fd);
            }
            std::atomic<bool> stop{false};
            std::thread trickle([&] {
                for (int line = 0; !stop; ++line) {
                    for (int fd : fds)
                        SendAll(fd, "X-Slow-" + std::to_string(line) + ": 1\r\n");
                    for (int i = 0; i < 20 && !stop; ++i)
                        std::this_thread::sleep_for(std::chrono::milliseconds(100));
                }
            });
            std::this_thread::sleep_for(std::chrono::seconds(3));
            auto health = Request(srv.Port(), Healthz());
            auto batch = Request(srv.Port(), HonestBatch(fleet, 1));
            stop = true;
            trickle.join();
            for (int fd : fds)
                ::close(fd);
            report.Add(prefix + "slow200_healthz_ms", Answered(health), "ms");
            report.Add(prefix + "slow200_batch_ms", Answered(batch), "ms");
            report.Add(prefix + "slow200_rss_growth_mib", ReadProc(srv.Pid()).peakMiB - idleRss,
                       "MiB");
        }
        // Gzip bombs: two 1 GiB-decoded bodies to /api/v1/session without a token, at once.
        {
            Db db = fresh("bomb", 10);
            const Fleet& fleet = db.fleet;
            Server srv(binary, db.url, dir.Path() / "server.log", settingsFile);
            const double idleRss = ReadProc(srv.Pid()).rssMiB;
            const std::string bomb = GzipZeros(std::size_t{1} << 30);
            const std::string raw =
                "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                "Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " +
                std::to_string(bomb.size()) + "\r\n\r\n" + bomb;
            Answer a1, a2;
            std::thread t1([&] { a1 = Request(srv.Port(), raw); });
            std::thread t2([&] { a2 = Request(srv.Port(), raw); });
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            auto health = Request(srv.Port(), Healthz());
            auto batch = Request(srv.Port(), HonestBatch(fleet, 1));
            t1.join();
            t2.join();
            report.Add(prefix + "bomb_answer_ms",
                       std::max(a1.status ? a1.ms : 60000.0, a2.status ? a2.ms : 60000.0), "ms");
            report.Add(prefix + "bomb_status", a1.status, "status");
            report.Add(prefix + "bomb_healthz_ms", Answered(health), "ms");
            report.Add(prefix + "bomb_batch_ms", Answered(batch), "ms");
            report.Add(prefix + "bomb_rss_growth_mib", ReadProc(srv.Pid()).peakMiB - idleRss,
                       "MiB");
        }
        // Desync: a 413 before the body was read must not leave the body to be parsed as the
        // next request on the same connection.
        {
            Db db = fresh("desync", 10);
            const Fleet& fleet = db.fleet;
            Server srv(binary, db.url, dir.Path() / "server.log", settingsFile);
            int fd = Connect(srv.Port(), 10);
            const std::string inner = "GET /nonexistent-smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
            std::string body = inner + std::string(64 * 1024 - inner.size(), 'x');
            auto start = Clock::now();
            SendAll(fd, "POST /api/v1/batches HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                            fleet.tokens[0] +
                            "\r\nContent-Type: application/json\r\nContent-Length: " +
                            std::to_string(5 << 20) + "\r\n\r\n" + body);
            Answer first = ReadAnswer(fd, start);
            int desync = 0;
            if (!first.closed) {
                Answer next;
                if (SendAll(fd, Healthz()))
                    next = ReadAnswer(fd, Clock::now());
                desync = next.status != 200 && next.status != 0 ? 1 : 0;
            }
            ::close(fd);
            report.Add(prefix + "desync_first_status", first.status, "status");
            report.Add(prefix + "desync_next_request_misparsed", desync, "bool");
        }
    }
    return 0;
}

}  // namespace

FK_BENCH_SUITE(
    "fleet",
    "kiosk-server under a simulated fleet of keep-alive kiosks and hostile clients (issue 13) "
    "[--kiosks 100,1000,5000 (0: none) --seconds 20 --interval-ms 5000 --server BIN --compare BIN "
    "--no-attacks --no-nginx --http-layers --idle N --pg URL --server-config TOML]",
    RunFleet);
