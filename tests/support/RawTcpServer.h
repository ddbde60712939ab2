#pragma once
// A loopback TCP server for fault injection: it accepts connections on 127.0.0.1 (ephemeral port)
// and hands each accepted socket to the handler on the server's own thread, one at a time. The
// handler writes whatever broken HTTP it likes; the socket is closed when it returns (or reset,
// with Reset()). Stops and joins in the destructor.

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace fk::test {

class RawTcpServer {
  public:
    using Handler = std::function<void(int fd, const std::string& request)>;
    explicit RawTcpServer(Handler handler);
    ~RawTcpServer();
    RawTcpServer(const RawTcpServer&) = delete;
    RawTcpServer& operator=(const RawTcpServer&) = delete;

    int Port() const { return m_port; }
    std::string Url(const std::string& path = "/") const;

    static void Write(int fd, const std::string& data);
    // Closes with an RST instead of a FIN (SO_LINGER 0): "connection reset by peer".
    static void Reset(int fd);

  private:
    void Run();
    Handler m_handler;
    int m_listenFd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

}  // namespace fk::test
