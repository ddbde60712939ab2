#pragma once
// A stand-in for kiosk-server's kiosk-facing routes, on 127.0.0.1 with an ephemeral port, for the
// sync engine's fault tests: batches (dedup by id, per-item rejection by rating), calls (dedup by
// response id), config with ETag, heartbeat. Faults are queued: each queued fault answers one
// request instead of the real route. The end-to-end tests against the real kiosk-server live with
// the server's tests. Thread-safe: routes run on httplib's threads, tests read under the same lock.

#include <httplib.h>

#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "core/Response.h"
#include "protocol/Calls.h"
#include "protocol/Wire.h"

namespace fk::test {

enum class Fault { Http500, Http503RetryAfter, Html200, TruncatedReceipt, Http401, Http413, Slow };

class FakeIngestServer {
  public:
    explicit FakeIngestServer(std::string token = "tok-k1");
    ~FakeIngestServer();

    std::string Url() const;
    void QueueFault(Fault fault, int times = 1);
    void RejectRating(int rating) {
        std::lock_guard l(m_mutex);
        m_rejectRating = rating;
    }
    void SetToken(const std::string& token) {
        std::lock_guard l(m_mutex);
        m_token = token;
    }
    void SetConfig(const protocol::KioskConfig& config, const std::string& etag);
    void SetMaxBatch(std::size_t max) {
        std::lock_guard l(m_mutex);
        m_maxBatch = max;
    }

    std::size_t UniqueCount() const;
    std::size_t StoredTotal()
        const;  // accepted rows, counting any accepted twice (must not happen)
    std::vector<std::int64_t> Seqs() const;
    int Requests(const std::string& route) const;
    std::vector<std::size_t> BatchSizes() const;
    std::optional<protocol::Heartbeat> LastHeartbeat() const;
    std::string LastIfNoneMatch() const;
    // Calls received (POST /api/v1/calls), each stored once by response id, in arrival order.
    std::vector<protocol::Call> Calls() const;
    // Off: /api/v1/calls answers 404 like a server from before calls.
    void SetCallsRoute(bool on) {
        std::lock_guard l(m_mutex);
        m_callsRoute = on;
    }

  private:
    bool Authorized(const httplib::Request& req, httplib::Response& res);
    bool TakeFault(httplib::Response& res);

    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;

    mutable std::mutex m_mutex;
    std::string m_token;
    std::deque<Fault> m_faults;
    std::optional<int> m_rejectRating;
    std::size_t m_maxBatch = 100000;
    std::map<std::string, core::Response> m_rows;  // by id
    std::set<std::int64_t> m_rejectedSeqs;
    std::size_t m_acceptedTotal = 0;
    std::map<std::string, int> m_requests;
    std::vector<std::size_t> m_batchSizes;
    std::optional<protocol::KioskConfig> m_config;
    std::string m_etag;
    std::string m_lastIfNoneMatch;
    std::optional<protocol::Heartbeat> m_heartbeat;
    std::vector<protocol::Call> m_calls;
    bool m_callsRoute = true;
};

}  // namespace fk::test
