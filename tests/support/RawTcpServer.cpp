#include "support/RawTcpServer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace fk::test {

RawTcpServer::RawTcpServer(Handler handler) : m_handler(std::move(handler)) {
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listenFd < 0)
        throw std::runtime_error("RawTcpServer: socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(m_listenFd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(m_listenFd, 16) != 0) {
        ::close(m_listenFd);
        throw std::runtime_error("RawTcpServer: bind/listen on 127.0.0.1 failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] { Run(); });
}

RawTcpServer::~RawTcpServer() {
    m_stop = true;
    m_thread.join();
    ::close(m_listenFd);
}

std::string RawTcpServer::Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
}

void RawTcpServer::Write(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n <= 0)
            return;
        done += static_cast<std::size_t>(n);
    }
}

void RawTcpServer::Reset(int fd) {
    linger lin{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof lin);
}

void RawTcpServer::Run() {
    while (!m_stop) {
        pollfd pfd{m_listenFd, POLLIN, 0};
        if (::poll(&pfd, 1, 50) <= 0)
            continue;
        int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        // Read the request head (and whatever body arrived with it) before answering.
        std::string request;
        char buffer[8192];
        for (;;) {
            pollfd rfd{fd, POLLIN, 0};
            if (::poll(&rfd, 1, 200) <= 0)
                break;
            ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            request.append(buffer, static_cast<std::size_t>(n));
            auto headEnd = request.find("\r\n\r\n");
            if (headEnd == std::string::npos)
                continue;
            auto lengthPos = request.find("Content-Length: ");
            if (lengthPos == std::string::npos || lengthPos > headEnd)
                break;
            std::size_t length = std::stoul(request.substr(lengthPos + 16));
            if (request.size() >= headEnd + 4 + length)
                break;
        }
        m_handler(fd, request);
        ::close(fd);
    }
}

}  // namespace fk::test
