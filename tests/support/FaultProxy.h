#pragma once
// A TCP proxy on 127.0.0.1 (ephemeral port) between a client and a server whose port may change
// (a restarted server). With faults on, each new connection draws one fate from a seeded random
// source: pass through, refuse (close at once), lose the answer (forward the request, reset
// before any reply: the server did the work, the client never hears), cut the answer half way,
// or stall past the client's timeout. One thread per connection; stops and joins in the
// destructor.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace fk::test {

enum class ProxyFate { Pass, Refuse, LoseAnswer, CutAnswer, Stall };

class FaultProxy {
  public:
    explicit FaultProxy(std::uint64_t seed);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int Port() const { return m_port; }
    void SetUpstreamPort(int port) { m_upstream = port; }
    // Percentage (0..100) of connections that get a fault fate.
    void SetFaultPercent(int percent) { m_faultPercent = percent; }
    int Connections() const { return m_connections; }
    int Faults() const { return m_faults; }

  private:
    void Accept();
    void Serve(int clientFd, ProxyFate fate);
    ProxyFate Draw();

    int m_listenFd = -1;
    int m_port = 0;
    std::atomic<int> m_upstream{0};
    std::atomic<int> m_faultPercent{0};
    std::atomic<int> m_connections{0};
    std::atomic<int> m_faults{0};
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::mt19937_64 m_random;
    std::vector<std::thread> m_workers;
    std::thread m_acceptor;
};

}  // namespace fk::test
