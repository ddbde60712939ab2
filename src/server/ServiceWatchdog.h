#pragma once
// kiosk-server's side of systemd supervision (Type=notify and WatchdogSec in
// kiosk-server.service). A thread of its own asks the server real HTTP questions on its own
// listening socket, as a client would: GET / (answered from memory by the worker pool) and
// GET /healthz (the health lane, which touches the database). READY=1 goes out after the first
// pair of answers, WATCHDOG=1 after each later pair, so the pings stop when the accept loop, the
// event thread, the health lane or every worker is stuck, and systemd restarts the service after
// WatchdogSec ("Watchdog timeout" in the journal). Any status is an answer: a database that is
// down gives a quick 503, which a restart would not mend. No answer within a third of WatchdogSec
// (the ping interval) skips that ping and logs why.
// Without NOTIFY_SOCKET (not under systemd, most tests) Start() does nothing.
// Threads: Start() and Stop() from one thread (serve's); the probing runs on the watchdog's own.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace fk::server {

// Where the server listens, as its own client reaches it: a wildcard address (0.0.0.0, ::) is
// asked on loopback.
struct ProbeTarget {
    std::string host;
    int port = 0;
    bool tls = false;  // TLS without certificate checks: the peer is this process's own socket
};
ProbeTarget ProbeTargetFor(const std::string& listenHost, int port, bool tls);

// GET path on target with "Connection: close"; the answer's status code, or nullopt (and why)
// when no status line arrived within deadline.
std::optional<int> ProbeHttp(const ProbeTarget& target, const std::string& path,
                             std::chrono::milliseconds deadline, std::string& why);

class ServiceWatchdog {
  public:
    explicit ServiceWatchdog(ProbeTarget target);
    ~ServiceWatchdog();  // Stop()
    ServiceWatchdog(const ServiceWatchdog&) = delete;
    ServiceWatchdog& operator=(const ServiceWatchdog&) = delete;

    // Starts the probing thread when systemd listens (NOTIFY_SOCKET); call once the socket is
    // bound (answers may wait until serving starts).
    void Start();
    // STOPPING=1 and joins the thread. Idempotent.
    void Stop();

  private:
    void Run();
    // Both probes answered within the interval.
    bool ServerAnswers(std::chrono::milliseconds deadline);

    ProbeTarget m_target;
    std::chrono::milliseconds m_interval{0};  // between pings: WatchdogSec / 3; 0: no watchdog
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
};

}  // namespace fk::server
