#include "server/ServiceWatchdog.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

namespace fk::server {

namespace {

using Clock = std::chrono::steady_clock;

int MsLeft(Clock::time_point until) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits until fd is readable (POLLIN) or writable (POLLOUT) before until.
bool WaitFd(int fd, short events, Clock::time_point until) {
    for (;;) {
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, MsLeft(until));
        if (n > 0)
            return true;
        if (n == 0 || errno != EINTR)
            return false;
    }
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0)
            ::close(fd);
    }
};

// A non-blocking TCP connection to host:port (numeric) before until, or -1 with why.
int Connect(const ProbeTarget& target, Clock::time_point until, std::string& why) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (const int rc =
            ::getaddrinfo(target.host.c_str(), std::to_string(target.port).c_str(), &hints, &found);
        rc != 0) {
        why = "address " + target.host + ": " + ::gai_strerror(rc);
        return -1;
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(found, ::freeaddrinfo);
    const int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                            found->ai_protocol);
    if (fd < 0) {
        why = std::string("socket: ") + std::strerror(errno);
        return -1;
    }
    if (::connect(fd, found->ai_addr, found->ai_addrlen) != 0 && errno != EINPROGRESS) {
        why = std::string("connect: ") + std::strerror(errno);
        ::close(fd);
        return -1;
    }
    if (!WaitFd(fd, POLLOUT, until)) {
        why = "connect: no answer in time (accept loop stuck or backlog full)";
        ::close(fd);
        return -1;
    }
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) {
        why = std::string("connect: ") + std::strerror(error);
        ::close(fd);
        return -1;
    }
    return fd;
}

// Plain or TLS reads and writes on a non-blocking socket, each bounded by until.
class Channel {
  public:
    Channel(int fd, SSL* ssl) : m_fd(fd), m_ssl(ssl) {}

    bool Handshake(Clock::time_point until) {
        return !m_ssl || Retry([&] { return ::SSL_connect(m_ssl); }, until);
    }
    bool WriteAll(const std::string& data, Clock::time_point until) {
        std::size_t done = 0;
        while (done < data.size()) {
            const char* at = data.data() + done;
            const int len = static_cast<int>(data.size() - done);
            long n = 0;
            if (m_ssl) {
                int wrote = 0;
                if (!Retry([&] { return wrote = ::SSL_write(m_ssl, at, len); }, until))
                    return false;
                n = wrote;
            } else {
                n = ::send(m_fd, at, static_cast<std::size_t>(len), MSG_NOSIGNAL);
                if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                    if (!WaitFd(m_fd, POLLOUT, until))
                        return false;
                    continue;
                }
                if (n <= 0)
                    return false;
            }
            done += static_cast<std::size_t>(n);
        }
        return true;
    }
    // Some bytes (> 0), or 0 at the end of the stream / on error / at the deadline.
    long Read(char* buf, int size, Clock::time_point until) {
        if (m_ssl) {
            int got = 0;
            if (!Retry([&] { return got = ::SSL_read(m_ssl, buf, size); }, until))
                return 0;
            return got;
        }
        for (;;) {
            const long n = ::recv(m_fd, buf, static_cast<std::size_t>(size), 0);
            if (n >= 0)
                return n;
            if ((errno != EAGAIN && errno != EINTR) || !WaitFd(m_fd, POLLIN, until))
                return 0;
        }
    }

  private:
    // Repeats an SSL call while it wants the socket readable or writable, until it succeeds.
    template <class Call>
    bool Retry(Call call, Clock::time_point until) {
        for (;;) {
            const int rc = call();
            if (rc > 0)
                return true;
            const int err = ::SSL_get_error(m_ssl, rc);
            short events = 0;
            if (err == SSL_ERROR_WANT_READ)
                events = POLLIN;
            else if (err == SSL_ERROR_WANT_WRITE)
                events = POLLOUT;
            else
                return false;
            if (!WaitFd(m_fd, events, until))
                return false;
        }
    }
    int m_fd;
    SSL* m_ssl;
};

void Notify(const char* message) {
    sd_notify(0, message);
}

}  // namespace

ProbeTarget ProbeTargetFor(const std::string& listenHost, int port, bool tls) {
    ProbeTarget t;
    t.port = port;
    t.tls = tls;
    if (listenHost == "0.0.0.0" || listenHost.empty())
        t.host = "127.0.0.1";
    else if (listenHost == "::")
        t.host = "::1";
    else
        t.host = listenHost;
    return t;
}

std::optional<int> ProbeHttp(const ProbeTarget& target, const std::string& path,
                             std::chrono::milliseconds deadline, std::string& why) {
    const auto until = Clock::now() + deadline;
    Fd fd;
    fd.fd = Connect(target, until, why);
    if (fd.fd < 0)
        return std::nullopt;
    std::unique_ptr<SSL_CTX, decltype(&::SSL_CTX_free)> ctx(nullptr, ::SSL_CTX_free);
    std::unique_ptr<SSL, decltype(&::SSL_free)> ssl(nullptr, ::SSL_free);
    if (target.tls) {
        ctx.reset(::SSL_CTX_new(::TLS_client_method()));
        if (ctx)
            ssl.reset(::SSL_new(ctx.get()));
        if (!ssl || ::SSL_set_fd(ssl.get(), fd.fd) != 1) {
            why = "TLS client set-up failed";
            return std::nullopt;
        }
    }
    Channel channel(fd.fd, ssl.get());
    if (!channel.Handshake(until)) {
        why = "TLS handshake: no answer in time or refused";
        return std::nullopt;
    }
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: " + target.host +
        "\r\nUser-Agent: kiosk-server-watchdog\r\nConnection: close\r\n\r\n";
    if (!channel.WriteAll(request, until)) {
        why = "sending GET " + path + " failed or took too long";
        return std::nullopt;
    }
    std::string head;
    char buf[1024];
    while (head.find("\r\n") == std::string::npos && head.size() < 4096) {
        const long n = channel.Read(buf, sizeof buf, until);
        if (n <= 0) {
            why = "GET " + path + ": no answer within " + std::to_string(deadline.count()) + " ms";
            return std::nullopt;
        }
        head.append(buf, static_cast<std::size_t>(n));
    }
    // "HTTP/1.1 200 OK"
    if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12) {
        why = "GET " + path + ": not an HTTP answer";
        return std::nullopt;
    }
    return std::atoi(head.c_str() + 9);
}

ServiceWatchdog::ServiceWatchdog(ProbeTarget target) : m_target(std::move(target)) {}

ServiceWatchdog::~ServiceWatchdog() {
    Stop();
}

void ServiceWatchdog::Start() {
    const char* notifySocket = std::getenv("NOTIFY_SOCKET");
    if (!notifySocket || !*notifySocket || m_thread.joinable())
        return;
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0)
        m_interval = std::chrono::milliseconds(static_cast<std::int64_t>(usec / 3000));
    if (m_interval.count() > 0) {
        spdlog::info("watchdog: telling systemd the server is alive every {} ms after it answers",
                     m_interval.count());
    }
    m_thread = std::thread([this] { Run(); });
}

void ServiceWatchdog::Stop() {
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    Notify("STOPPING=1");
    m_wake.notify_all();
    m_thread.join();  // a probe under way ends by its deadline
}

bool ServiceWatchdog::ServerAnswers(std::chrono::milliseconds deadline) {
    for (const char* path : {"/", "/healthz"}) {
        std::string why;
        if (!ProbeHttp(m_target, path, deadline, why)) {
            spdlog::warn("watchdog: {}; not telling systemd the server is alive", why);
            return false;
        }
    }
    return true;
}

void ServiceWatchdog::Run() {
    // A TLS write to a peer that just closed would raise SIGPIPE; on this thread it stays blocked.
    sigset_t sigpipe;
    sigemptyset(&sigpipe);
    sigaddset(&sigpipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigpipe, nullptr);
    bool ready = false;
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        // Until ready, ask once a second; then once per ping interval, both answers due within it.
        const auto every = ready ? m_interval : std::chrono::milliseconds(1000);
        const auto started = Clock::now();
        lock.unlock();
        if (ServerAnswers(every / 2)) {
            Notify(ready ? "WATCHDOG=1" : "READY=1\nSTATUS=serving, answers its own requests");
            ready = true;
        }
        lock.lock();
        if (ready && m_interval.count() == 0)
            return;  // readiness told; no watchdog to feed
        m_wake.wait_until(lock, started + every, [this] { return m_stop; });
    }
}

}  // namespace fk::server
