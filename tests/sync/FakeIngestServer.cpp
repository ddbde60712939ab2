#include "FakeIngestServer.h"

#include <algorithm>
#include <chrono>

namespace fk::test {

using namespace std::chrono_literals;

FakeIngestServer::FakeIngestServer(std::string token) : m_token(std::move(token)) {
    m_server.Post("/api/v1/batches", [this](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(m_mutex);
        ++m_requests["batches"];
        if (!Authorized(req, res))
            return;
        bool truncate = !m_faults.empty() && m_faults.front() == Fault::TruncatedReceipt;
        if (truncate) {
            m_faults.pop_front();
        } else if (TakeFault(res)) {
            return;
        }
        auto batch = protocol::DecodeBatch(req.body, m_maxBatch);
        if (!batch) {
            res.status = batch.Error().code == protocol::code::kTooManyItems ? 413 : 400;
            res.set_content(protocol::EncodeError({batch.Error().code, to_string(batch.Error())}),
                            "application/json");
            return;
        }
        m_batchSizes.push_back(batch->responses.size());
        protocol::Receipt receipt;
        for (const auto& r : batch->responses) {
            protocol::ItemResult item{r.id, protocol::ItemStatus::Accepted, std::nullopt};
            auto key = r.id.ToString();
            if (m_rejectRating && r.rating == *m_rejectRating) {
                item.status = protocol::ItemStatus::Rejected;
                item.error = protocol::ErrorBody{"invalid_item", "rating refused by test"};
            } else if (m_rows.count(key) != 0) {
                item.status = protocol::ItemStatus::Duplicate;
            } else {
                m_rows[key] = r;
                ++m_acceptedTotal;
            }
            receipt.results.push_back(item);
        }
        std::int64_t acked = 0;
        // Like kiosk-server: a rejected item's seq counts as dealt with.
        for (const auto& r : batch->responses) {
            if (m_rejectRating && r.rating == *m_rejectRating)
                m_rejectedSeqs.insert(r.seq);
        }
        std::set<std::int64_t> seqs = m_rejectedSeqs;
        for (const auto& [id, row] : m_rows)
            seqs.insert(row.seq);
        while (seqs.count(acked + 1) != 0)
            ++acked;
        receipt.ackedSeq = acked;
        receipt.serverTime = 1'795'000'000'000;
        std::string body = protocol::EncodeReceipt(receipt);
        // The rows are stored; the receipt is cut on the way back.
        if (truncate)
            body.resize(body.size() / 2);
        res.set_content(body, "application/json");
    });
    m_server.Post("/api/v1/calls", [this](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(m_mutex);
        ++m_requests["calls"];
        if (!m_callsRoute) {
            res.status = 404;
            res.set_content(protocol::EncodeError({"not_found", "no such endpoint"}),
                            "application/json");
            return;
        }
        if (!Authorized(req, res) || TakeFault(res))
            return;
        auto request = protocol::DecodeCallsRequest(req.body);
        if (!request) {
            res.status = 400;
            res.set_content(
                protocol::EncodeError({request.Error().code, to_string(request.Error())}),
                "application/json");
            return;
        }
        protocol::CallsReceipt receipt;
        for (const auto& call : request->calls) {
            const bool known = std::any_of(m_calls.begin(), m_calls.end(), [&](const auto& c) {
                return c.responseId == call.responseId;
            });
            if (!known)
                m_calls.push_back(call);
            receipt.results.push_back(
                {call.responseId,
                 known ? protocol::ItemStatus::Duplicate : protocol::ItemStatus::Accepted,
                 std::nullopt});
        }
        receipt.serverTime = 1'795'000'000'000;
        res.set_content(protocol::EncodeCallsReceipt(receipt), "application/json");
    });
    m_server.Get(R"(/api/v1/kiosks/([^/]+)/config)", [this](const httplib::Request& req,
                                                            httplib::Response& res) {
        std::lock_guard lock(m_mutex);
        ++m_requests["config"];
        if (!Authorized(req, res) || TakeFault(res))
            return;
        m_lastIfNoneMatch = req.get_header_value("If-None-Match");
        if (!m_config) {
            res.status = 404;
            res.set_content(protocol::EncodeError({"not_found", "no config"}), "application/json");
            return;
        }
        if (!m_etag.empty() && m_lastIfNoneMatch == m_etag) {
            res.status = 304;
            return;
        }
        res.set_header("ETag", m_etag);
        res.set_content(protocol::EncodeKioskConfig(*m_config), "application/json");
    });
    m_server.Post(R"(/api/v1/kiosks/([^/]+)/heartbeat)",
                  [this](const httplib::Request& req, httplib::Response& res) {
                      std::lock_guard lock(m_mutex);
                      ++m_requests["heartbeat"];
                      if (!Authorized(req, res) || TakeFault(res))
                          return;
                      auto heartbeat = protocol::DecodeHeartbeat(req.body);
                      if (heartbeat)
                          m_heartbeat = *heartbeat;
                      res.set_content("{}", "application/json");
                  });
    m_port = m_server.bind_to_any_port("127.0.0.1");
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    while (!m_server.is_running())
        std::this_thread::sleep_for(1ms);
}

FakeIngestServer::~FakeIngestServer() {
    m_server.stop();
    m_thread.join();
}

std::string FakeIngestServer::Url() const {
    return "http://127.0.0.1:" + std::to_string(m_port);
}

void FakeIngestServer::QueueFault(Fault fault, int times) {
    std::lock_guard lock(m_mutex);
    for (int i = 0; i < times; ++i)
        m_faults.push_back(fault);
}

void FakeIngestServer::SetConfig(const protocol::KioskConfig& config, const std::string& etag) {
    std::lock_guard lock(m_mutex);
    m_config = config;
    m_etag = etag;
}

bool FakeIngestServer::Authorized(const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") == "Bearer " + m_token)
        return true;
    res.status = 401;
    res.set_content(protocol::EncodeError({"unauthorized", "bad token"}), "application/json");
    return false;
}

bool FakeIngestServer::TakeFault(httplib::Response& res) {
    if (m_faults.empty())
        return false;
    Fault fault = m_faults.front();
    m_faults.pop_front();
    switch (fault) {
        case Fault::Http500:
            res.status = 500;
            res.set_content(protocol::EncodeError({"internal", "database on fire"}),
                            "application/json");
            break;
        case Fault::Http503RetryAfter:
            res.status = 503;
            res.set_header("Retry-After", "120");
            res.set_content(protocol::EncodeError({"unavailable", "maintenance"}),
                            "application/json");
            break;
        case Fault::Html200:
            res.set_content("<html><body>Welcome to Store Wi-Fi. Accept the terms.</body></html>",
                            "text/html");
            break;
        case Fault::TruncatedReceipt:  // only meaningful for batches, handled there
            return false;
        case Fault::Http401:
            res.status = 401;
            res.set_content(protocol::EncodeError({"unauthorized", "token revoked"}),
                            "application/json");
            break;
        case Fault::Http413:
            res.status = 413;
            res.set_content(protocol::EncodeError({"too_large", "batch too large"}),
                            "application/json");
            break;
        case Fault::Slow:
            m_mutex.unlock();
            std::this_thread::sleep_for(1500ms);
            m_mutex.lock();
            res.set_content("{}", "application/json");
            break;
    }
    return true;
}

std::size_t FakeIngestServer::UniqueCount() const {
    std::lock_guard lock(m_mutex);
    return m_rows.size();
}
std::size_t FakeIngestServer::StoredTotal() const {
    std::lock_guard lock(m_mutex);
    return m_acceptedTotal;
}
std::vector<std::int64_t> FakeIngestServer::Seqs() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::int64_t> seqs;
    for (const auto& [id, row] : m_rows)
        seqs.push_back(row.seq);
    std::sort(seqs.begin(), seqs.end());
    return seqs;
}
int FakeIngestServer::Requests(const std::string& route) const {
    std::lock_guard lock(m_mutex);
    auto it = m_requests.find(route);
    return it == m_requests.end() ? 0 : it->second;
}
std::vector<std::size_t> FakeIngestServer::BatchSizes() const {
    std::lock_guard lock(m_mutex);
    return m_batchSizes;
}
std::optional<protocol::Heartbeat> FakeIngestServer::LastHeartbeat() const {
    std::lock_guard lock(m_mutex);
    return m_heartbeat;
}
std::vector<protocol::Call> FakeIngestServer::Calls() const {
    std::lock_guard lock(m_mutex);
    return m_calls;
}
std::string FakeIngestServer::LastIfNoneMatch() const {
    std::lock_guard lock(m_mutex);
    return m_lastIfNoneMatch;
}

}  // namespace fk::test
