#include "support/FaultProxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace fk::test {

namespace {

int ConnectLoopback(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void ResetAndClose(int fd) {
    linger lin{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof lin);
    ::close(fd);
}

bool SendAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

FaultProxy::FaultProxy(std::uint64_t seed) : m_random(seed) {
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (m_listenFd < 0 ||
        ::bind(m_listenFd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(m_listenFd, 64) != 0) {
        throw std::runtime_error("FaultProxy: cannot listen on 127.0.0.1");
    }
    socklen_t len = sizeof addr;
    ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_acceptor = std::thread([this] { Accept(); });
}

FaultProxy::~FaultProxy() {
    m_stop = true;
    m_acceptor.join();
    for (auto& worker : m_workers)
        worker.join();
    ::close(m_listenFd);
}

ProxyFate FaultProxy::Draw() {
    std::lock_guard lock(m_mutex);
    if (static_cast<int>(m_random() % 100) >= m_faultPercent)
        return ProxyFate::Pass;
    switch (m_random() % 4) {
        case 0:
            return ProxyFate::Refuse;
        case 1:
            return ProxyFate::LoseAnswer;
        case 2:
            return ProxyFate::CutAnswer;
        default:
            return ProxyFate::Stall;
    }
}

void FaultProxy::Accept() {
    while (!m_stop) {
        pollfd pfd{m_listenFd, POLLIN, 0};
        if (::poll(&pfd, 1, 50) <= 0)
            continue;
        int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        ++m_connections;
        ProxyFate fate = Draw();
        if (fate != ProxyFate::Pass)
            ++m_faults;
        m_workers.emplace_back([this, fd, fate] { Serve(fd, fate); });
    }
}

void FaultProxy::Serve(int clientFd, ProxyFate fate) {
    if (fate == ProxyFate::Refuse) {
        ResetAndClose(clientFd);
        return;
    }
    int upstreamFd = ConnectLoopback(m_upstream);
    if (upstreamFd < 0) {  // the server is down: the client sees a refused/reset connection
        ResetAndClose(clientFd);
        return;
    }
    std::size_t answered = 0;
    bool requestSeen = false;
    char buffer[16384];
    pollfd fds[2] = {{clientFd, POLLIN, 0}, {upstreamFd, POLLIN, 0}};
    while (!m_stop) {
        int ready = ::poll(fds, 2, 100);
        if (ready < 0)
            break;
        if (ready == 0)
            continue;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::recv(clientFd, buffer, sizeof buffer, 0);
            if (n <= 0 || !SendAll(upstreamFd, buffer, static_cast<std::size_t>(n)))
                break;
            requestSeen = true;
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::recv(upstreamFd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            if (fate == ProxyFate::LoseAnswer && requestSeen) {
                ResetAndClose(clientFd);
                clientFd = -1;
                break;
            }
            if (fate == ProxyFate::Stall) {
                // Hold the answer until the client gives up (its timeout), then drop it.
                for (int i = 0; i < 40 && !m_stop; ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                ResetAndClose(clientFd);
                clientFd = -1;
                break;
            }
            std::size_t size = static_cast<std::size_t>(n);
            if (fate == ProxyFate::CutAnswer) {
                std::size_t keep = answered == 0 ? size / 2 : 0;
                SendAll(clientFd, buffer, keep);
                ResetAndClose(clientFd);
                clientFd = -1;
                break;
            }
            if (!SendAll(clientFd, buffer, size))
                break;
            answered += size;
        }
    }
    if (clientFd >= 0)
        ::close(clientFd);
    ::close(upstreamFd);
}

}  // namespace fk::test
