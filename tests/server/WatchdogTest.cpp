// kiosk-server under a fake systemd: a real `kiosk-server serve` whose NOTIFY_SOCKET is a datagram
// socket of this test. It must say READY=1, then WATCHDOG=1 only while it answers its own
// requests: with its one worker held by logins that wait on a database write lock another process
// holds, the pings stop and the log says why; they come back when the lock goes.
#include <doctest/doctest.h>

#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "support/ChildProcess.h"
#include "support/Paths.h"
#include "support/TempDir.h"

namespace {

// The unit's side of sd_notify: a bound AF_UNIX datagram socket.
class NotifySocket {
  public:
    explicit NotifySocket(const std::filesystem::path& path) {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_fd >= 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const std::string p = path.string();
        REQUIRE(p.size() < sizeof addr.sun_path);
        p.copy(addr.sun_path, p.size());
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~NotifySocket() { ::close(m_fd); }
    // The next message, or "" when none came within timeoutMs.
    std::string Next(int timeoutMs) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) <= 0)
            return "";
        char buf[4096];
        const auto n = ::recv(m_fd, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
    }
    // Messages already waiting.
    std::vector<std::string> Drain() {
        std::vector<std::string> out;
        for (std::string m = Next(0); !m.empty(); m = Next(0))
            out.push_back(m);
        return out;
    }

  private:
    int m_fd = -1;
};

// Waits (up to timeoutMs) for the next message starting with prefix, skipping others.
bool WaitFor(NotifySocket& socket, const std::string& prefix, int timeoutMs) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < until) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (socket.Next(static_cast<int>(left.count())).rfind(prefix, 0) == 0)
            return true;
    }
    return false;
}

std::size_t Count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

// Waits until the child's output holds at least n copies of what.
bool WaitForCount(fk::test::Child& child, const std::string& what, std::size_t n, int timeoutMs) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (Count(child.Output(), what) < n) {
        if (std::chrono::steady_clock::now() >= until)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        child.Drain();
    }
    return true;
}

}  // namespace

TEST_CASE("kiosk-server tells systemd it is ready, then alive only while it answers its requests") {
    fk::test::TempDir dir;
    NotifySocket notify(dir / "notify");
    const std::string db = (dir / "server.db").string();
    std::ofstream(dir / "server.toml") << "[limits]\nworkers = 1\n";
    ::setenv("NOTIFY_SOCKET", (dir / "notify").c_str(), 1);
    ::setenv("WATCHDOG_USEC", "3000000", 1);  // pings every second, each answer due in 0.5 s
    fk::test::Child server(fk::test::BuildDir() / "kiosk-server",
                           {"serve", "--config", (dir / "server.toml").string(), "--db",
                            "sqlite:" + db, "--listen", "127.0.0.1:0"},
                           true);
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    REQUIRE(server.WaitForLine("kiosk-server: serving", 30'000));
    const std::string& out = server.Output();
    const int port = std::atoi(out.c_str() + out.find("127.0.0.1:") + 10);
    REQUIRE(port > 0);

    REQUIRE_MESSAGE(WaitFor(notify, "READY=1", 30'000), server.Output());
    for (int i = 0; i < 3; ++i)
        REQUIRE_MESSAGE(WaitFor(notify, "WATCHDOG=1", 30'000), server.Output());

    // Another process holds the database's write lock; every failed login writes a row, so each
    // waits out SQLite's busy timeout (5 s) on the server's only worker. Two logins always in
    // flight keep it stuck: the watchdog's GET / queues behind them.
    sqlite3* locker = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &locker) == SQLITE_OK);
    REQUIRE(sqlite3_exec(locker, "BEGIN IMMEDIATE; CREATE TABLE watchdog_test_lock(x);", nullptr,
                         nullptr, nullptr) == SQLITE_OK);
    std::atomic<bool> stopLogins{false};
    std::vector<std::thread> logins;
    for (int i = 0; i < 2; ++i) {
        logins.emplace_back([&] {
            httplib::Client client("127.0.0.1", port);
            client.set_read_timeout(30, 0);
            while (!stopLogins)
                client.Post("/api/v1/session", R"({"user": "nobody", "password": "wrong"})",
                            "application/json");
        });
    }
    // Counted from here: a probe slowed by a loaded machine may have missed a ping before.
    server.Drain();
    const std::size_t missedBefore = Count(server.Output(), "not telling systemd");
    REQUIRE_MESSAGE(WaitForCount(server, "not telling systemd", missedBefore + 1, 60'000),
                    server.Output());
    notify.Drain();  // a ping whose answers came before the workers stuck may still be on its way
    REQUIRE_MESSAGE(WaitForCount(server, "not telling systemd", missedBefore + 3, 60'000),
                    server.Output());
    int pingsWhileStuck = 0;
    for (const std::string& m : notify.Drain())
        pingsWhileStuck += m.rfind("WATCHDOG=1", 0) == 0 ? 1 : 0;
    CHECK(pingsWhileStuck == 0);
    CHECK(server.Output().find("GET /: no answer within 500 ms") != std::string::npos);

    stopLogins = true;
    sqlite3_exec(locker, "ROLLBACK;", nullptr, nullptr, nullptr);
    sqlite3_close(locker);
    for (auto& t : logins)
        t.join();
    CHECK_MESSAGE(WaitFor(notify, "WATCHDOG=1", 60'000), server.Output());

    server.Kill(SIGTERM);
    CHECK(WaitFor(notify, "STOPPING=1", 30'000));
    const int status = server.Wait();
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("kiosk-server without NOTIFY_SOCKET starts no watchdog") {
    fk::test::TempDir dir;
    ::unsetenv("NOTIFY_SOCKET");
    fk::test::Child server(
        fk::test::BuildDir() / "kiosk-server",
        {"serve", "--db", "sqlite:" + (dir / "s.db").string(), "--listen", "127.0.0.1:0"}, true);
    REQUIRE(server.WaitForLine("kiosk-server: serving", 30'000));
    server.Kill(SIGTERM);
    server.Wait();
    server.ReadToEnd();
    CHECK(server.Output().find("watchdog") == std::string::npos);
}
