#include "sync/SyncEngine.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "protocol/Calls.h"
#include "storage/ResponseStore.h"
#include "sync/Gzip.h"
#include "sync/Leavers.h"
#include "sync/ServerReply.h"
#include "sync/TokenFile.h"

namespace fk::sync {

namespace {

using std::chrono::milliseconds;

constexpr const char* kConfigCacheFile = "server-config.json";
constexpr const char* kEtagCacheFile = "server-config.etag";

bool IsJson(const HttpResponse& response) {
    auto type = response.Header("content-type");
    return type && type->rfind("application/json", 0) == 0;
}

std::optional<std::string> ReadSmallFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

// Write to a temporary name and rename: a crash leaves the old file or the new one, never half.
void WriteFileAtomically(const std::filesystem::path& path, const std::string& content) {
    auto temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out.flush())
            return;
    }
    std::error_code ignored;
    std::filesystem::rename(temporary, path, ignored);
}

// What a receipt says of a refused item, kept with the row so staff can see why.
std::string RejectionReason(const std::optional<protocol::ErrorBody>& error) {
    return error ? error->code + ": " + error->message : "rejected";
}

}  // namespace

std::string to_string(SyncPhase phase) {
    switch (phase) {
        case SyncPhase::NotConfigured:
            return "not_configured";
        case SyncPhase::Idle:
            return "idle";
        case SyncPhase::Sending:
            return "sending";
        case SyncPhase::Retrying:
            return "retrying";
        case SyncPhase::Stopped:
            return "stopped";
    }
    return "unknown";
}

std::string DescribeRecovery(const SyncStatus& status) {
    std::string out;
    if (status.salvaged > 0 || status.lost > 0) {
        out = "damaged store set aside: " + std::to_string(status.salvaged) +
              " responses salvaged, " + std::to_string(status.lost) + " lost";
        if (status.lostUnreported > 0) {
            out +=
                " (" + std::to_string(status.lostUnreported) + " not yet reported to the server)";
        } else if (status.lost > 0) {
            out += " (reported to the server)";
        }
    }
    if (status.resentAfterServerLoss > 0) {
        if (!out.empty())
            out += "; ";
        out += std::to_string(status.resentAfterServerLoss) +
               " responses sent again after the server lost them";
    }
    return out;
}

bool ConfigStale(const SyncStatus& status, core::UtcMs now) {
    constexpr core::UtcMs kHour = 3600'000;
    return status.phase != SyncPhase::NotConfigured && status.configCheckedAt &&
           now - *status.configCheckedAt > kHour;
}

std::string DescribeCalls(const SyncStatus& status) {
    if (status.pendingCalls <= 0)
        return {};
    return std::to_string(status.pendingCalls) + (status.pendingCalls == 1
                                                      ? " call for help waiting to send"
                                                      : " calls for help waiting to send");
}

SyncEngine::SyncEngine(SyncSettings settings, const core::Clock& clock, ChangeFn onChange,
                       ConfigFn onConfig)
    : m_settings(std::move(settings)),
      m_clock(clock),
      m_onChange(std::move(onChange)),
      m_onConfig(std::move(onConfig)),
      m_backoff(m_settings.backoff),
      m_batchIds(clock),
      m_random(m_settings.seed != 0 ? m_settings.seed : std::random_device{}()),
      m_batchSize(m_settings.batchSize) {
    m_status.tlsVerificationOff = !m_settings.http.verifyTls;
    m_status.phase = m_settings.serverUrl.empty() ? SyncPhase::NotConfigured : SyncPhase::Idle;
}

SyncEngine::~SyncEngine() {
    Stop();
}

void SyncEngine::Start() {
    if (m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = false;
    }
    m_thread = std::thread([this] { Run(); });
}

void SyncEngine::Stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void SyncEngine::Nudge() {
    {
        std::lock_guard lock(m_mutex);
        m_nudged = true;
    }
    m_wake.notify_all();
}

SyncStatus SyncEngine::Status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

SyncStatus SyncEngine::RunOnce() {
    Pass();
    return Status();
}

void SyncEngine::Update(const std::function<void(SyncStatus&)>& change) {
    {
        std::lock_guard lock(m_mutex);
        change(m_status);
    }
    if (m_onChange)
        m_onChange();
}

storage::ResponseStore& SyncEngine::Store() {
    if (!m_store)
        m_store = storage::ResponseStore::Open(m_settings.dataDir, m_clock);
    return *m_store;
}

void SyncEngine::Run() {
    for (;;) {
        milliseconds wait = Pass();
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, wait, [this] { return m_stop || m_nudged; });
        if (m_stop)
            return;
        m_nudged = false;
    }
}

std::chrono::milliseconds SyncEngine::Pass() {
    // Cached config first: a kiosk restarted offline still shows the roster it last received.
    if (m_configEtag.empty() && m_onConfig) {
        auto cached = ReadSmallFile(m_settings.dataDir / kConfigCacheFile);
        auto etag = ReadSmallFile(m_settings.dataDir / kEtagCacheFile);
        if (cached && etag) {
            auto config = protocol::DecodeKioskConfig(*cached);
            if (config) {
                m_configEtag = *etag;
                m_onConfig(*config);
            }
        }
    }
    try {
        RefreshCounts();
        // The UI's connection leaves checkpoints to this thread, keeping the WAL bounded without
        // putting a database-file fsync on a customer's tap.
        Store().Checkpoint();
        Store().KeepSeqMark();
    } catch (const std::exception& e) {
        Update([&](SyncStatus& s) {
            s.lastError = std::string("cannot read the local store: ") + e.what();
        });
        return m_settings.interval;
    }
    if (m_settings.serverUrl.empty())
        return m_settings.interval;

    auto tokenOrError = ReadTokenFile(m_settings.tokenFile);
    if (auto* error = std::get_if<TokenFileError>(&tokenOrError)) {
        Update([&](SyncStatus& s) {
            s.phase = SyncPhase::Stopped;
            s.lastError = error->message;
        });
        return m_settings.interval;
    }
    const std::string token = std::get<std::string>(tokenOrError);
    if (!m_refusedToken.empty() && token == m_refusedToken)
        return m_settings.interval;
    m_refusedToken.clear();
    if (!m_http)
        m_http = std::make_unique<HttpClient>(m_settings.http);

    Outcome outcome = Outcome::Done;
    try {
        outcome = SendCalls(token);
        if (outcome == Outcome::Done)
            outcome = SendPending(token);
    } catch (const std::exception& e) {
        // The store refused a write (a full disk while marking rows sent): nothing is lost, the
        // server answers "duplicate" when the rows go again. Back off instead of ending the thread.
        outcome =
            FailTransient(std::string("cannot update the local store: ") + e.what(), std::nullopt);
    }
    const std::int64_t now = m_clock.SteadyMs();
    if (outcome == Outcome::Done && (!m_nextConfigSteady || now >= *m_nextConfigSteady)) {
        outcome = PullConfig(token);
        if (outcome == Outcome::Done)
            m_nextConfigSteady = now + m_settings.configInterval.count();
    }
    bool alertChanged = false;
    {
        std::lock_guard lock(m_mutex);
        alertChanged = std::exchange(m_alertChanged, false);
    }
    if (outcome == Outcome::Done &&
        (alertChanged || !m_nextHeartbeatSteady || now >= *m_nextHeartbeatSteady)) {
        outcome = SendHeartbeat(token);
        if (outcome == Outcome::Done)
            m_nextHeartbeatSteady = now + m_settings.heartbeatInterval.count();
    }
    if (outcome != Outcome::Done && alertChanged) {
        std::lock_guard lock(m_mutex);
        m_alertChanged = true;  // still owed: the next successful pass sends it
    }

    if (outcome == Outcome::Stop) {
        m_refusedToken = token;
        return m_settings.interval;
    }
    if (outcome == Outcome::Retry) {
        milliseconds delay;
        {
            std::lock_guard lock(m_mutex);
            delay = m_status.nextAttemptAt ? milliseconds(std::max<std::int64_t>(
                                                 0, *m_status.nextAttemptAt - m_clock.NowUtcMs()))
                                           : m_settings.interval;
        }
        return delay;
    }
    m_backoff.Reset();
    Update([&](SyncStatus& s) {
        s.phase = SyncPhase::Idle;
        s.lastError.clear();
        s.nextAttemptAt.reset();
    });
    return m_settings.interval;
}

void SyncEngine::RefreshCounts() {
    auto& store = Store();
    const std::int64_t pending = store.PendingCount();
    const auto oldest = store.OldestPendingCreatedAt();
    const std::int64_t rejected = store.RejectedCount();
    const storage::SalvageCounts salvage = store.Salvage();
    const std::int64_t calls = store.PendingCallCount();
    Update([&](SyncStatus& s) {
        s.pendingCalls = calls;
        s.pending = pending;
        s.oldestPendingCreatedAt = oldest;
        s.rejected = rejected;
        s.salvaged = salvage.salvaged;
        s.lost = salvage.lost;
        s.lostUnreported = salvage.lostUnreported;
    });
}

// Batches (responses and lost reports alike) go as gzip-compressed JSON.
HttpRequest SyncEngine::BatchRequest(const protocol::Batch& batch, const std::string& token) const {
    HttpRequest request = Request("POST", "/api/v1/batches", token);
    request.headers.emplace_back("Content-Type", "application/json");
    request.headers.emplace_back("Content-Encoding", "gzip");
    request.body = GzipCompress(protocol::EncodeBatch(batch));
    return request;
}

// Nothing was marked, so resending is safe: the server ignores what it already has.
SyncEngine::Outcome SyncEngine::FailUnreadableReceipt(const std::string& what,
                                                      const protocol::DecodeError& error) {
    return FailTransient(what + " could not be read (" + to_string(error) +
                             "); will resend, the server ignores "
                             "duplicates",
                         std::nullopt);
}

HttpRequest SyncEngine::Request(const std::string& method, const std::string& path,
                                const std::string& token) const {
    HttpRequest request;
    request.method = method;
    request.url = JoinUrl(m_settings.serverUrl, path);
    request.headers.emplace_back("Authorization", "Bearer " + token);
    request.headers.emplace_back("Accept", "application/json");
    return request;
}

SyncEngine::Outcome SyncEngine::FailTransient(const std::string& what,
                                              std::optional<milliseconds> retryAfter) {
    milliseconds delay = m_backoff.NextDelay(m_random, retryAfter);
    const core::UtcMs next = m_clock.NowUtcMs() + delay.count();
    Update([&](SyncStatus& s) {
        s.phase = SyncPhase::Retrying;
        s.lastError = what;
        s.nextAttemptAt = next;
    });
    return Outcome::Retry;
}

SyncEngine::Outcome SyncEngine::FailNeedsStaff(const std::string& what) {
    milliseconds delay = std::max(m_backoff.NextDelay(m_random, std::nullopt), m_settings.interval);
    const core::UtcMs next = m_clock.NowUtcMs() + delay.count();
    Update([&](SyncStatus& s) {
        s.phase = SyncPhase::Stopped;
        s.lastError = what;
        s.nextAttemptAt = next;
    });
    return Outcome::Retry;
}

SyncEngine::Outcome SyncEngine::FailStop(const std::string& what) {
    Update([&](SyncStatus& s) {
        s.phase = SyncPhase::Stopped;
        s.lastError = what;
        s.nextAttemptAt.reset();
    });
    return Outcome::Stop;
}

// Sorts an HTTP result into success (ok set) or the failure it is. Success needs a 2xx whose body
// is JSON: a captive portal answers 200 with HTML.
SyncEngine::Outcome SyncEngine::ClassifyHttp(const HttpResult& result, const std::string& what,
                                             const HttpResponse** ok) {
    *ok = nullptr;
    if (auto* error = std::get_if<TransportError>(&result)) {
        return FailTransient("cannot reach the server (" + what + "): " + to_string(*error),
                             std::nullopt);
    }
    const auto& response = std::get<HttpResponse>(result);
    const std::string status = std::to_string(response.status);
    if (response.status == 401 || response.status == 403) {
        return FailStop(
            "the server refused this kiosk (" + what + ", HTTP " + status + ": " +
            DescribeBody(response) +
            "); check kiosk id and token file, or issue a new token with `kiosk-server add-kiosk`");
    }
    if (response.status == 429 || response.status >= 500) {
        std::optional<milliseconds> retryAfter;
        if (auto header = response.Header("retry-after"))
            retryAfter = ParseRetryAfter(*header);
        return FailTransient("server busy or failing (" + what + ", HTTP " + status + ": " +
                                 DescribeBody(response) + ")",
                             retryAfter);
    }
    if (response.status == 304) {
        *ok = &response;
        return Outcome::Done;
    }
    if (response.status < 200 || response.status >= 300) {
        return FailTransient("server refused the request (" + what + ", HTTP " + status + ": " +
                                 DescribeBody(response) + ")",
                             std::nullopt);
    }
    if (!IsJson(response)) {
        return FailTransient("the answer to " + what + " was not from the feedback server (HTTP " +
                                 status + ", " +
                                 response.Header("content-type").value_or("no type") +
                                 "); a captive portal or proxy may be in the way",
                             std::nullopt);
    }
    *ok = &response;
    return Outcome::Done;
}

// The server's view of this kiosk, from a receipt or heartbeat answer: rows it lost (a restore
// from an older backup) go into the outbox again. An old server sends no max_seq: then only the
// acked_seq test applies.
std::int64_t SyncEngine::CatchUpServer(std::int64_t ackedSeq, std::optional<std::int64_t> maxSeq) {
    auto& store = Store();
    // Once per view: if resending did not move the server's marks, it cannot take those rows
    // (an old server that does not count a rejected seq, say), and resending again would loop.
    const std::pair<std::int64_t, std::int64_t> view{ackedSeq, maxSeq.value_or(-1)};
    std::int64_t requeued = 0;
    if (m_requeuedAtView != view) {
        requeued = store.RequeueForServer(
            ackedSeq, maxSeq.value_or(std::numeric_limits<std::int64_t>::max()));
        if (requeued > 0)
            m_requeuedAtView = view;
    }
    if (maxSeq)
        store.KeepSeqMark(*maxSeq);
    if (requeued > 0)
        RefreshCounts();
    const core::UtcMs now = m_clock.NowUtcMs();
    Update([&](SyncStatus& s) {
        s.resentAfterServerLoss += requeued;
        s.serverViewAt = now;
    });
    return requeued;
}

// A damaged store's lost seqs, once, before the outbox: as batches with no responses and a
// "lost" list, bounded like any batch.
SyncEngine::Outcome SyncEngine::SendLost(const std::string& token) {
    auto& store = Store();
    for (;;) {
        auto ranges = store.UnreportedLost(protocol::kMaxLostRanges);
        if (ranges.empty())
            return Outcome::Done;
        protocol::Batch batch;
        batch.kioskId = m_settings.kioskId;
        batch.batchId = m_batchIds.Next();
        std::vector<std::int64_t> done;
        std::int64_t seqs = 0;
        for (const auto& r : ranges) {
            // A range longer than a batch allows is cut; the rest goes as its own row next time.
            const std::int64_t room = protocol::kMaxLostSeqs - seqs;
            if (room <= 0)
                break;
            const std::int64_t to = std::min(r.to, r.from + room - 1);
            batch.lost.push_back(protocol::LostRange{r.from, to, r.reason});
            seqs += to - r.from + 1;
            if (to < r.to)
                store.SplitLost(r.from, to + 1);
            done.push_back(r.from);
        }
        HttpRequest request = BatchRequest(batch, token);
        HttpResult result = m_http->Send(request);
        if (auto* response = std::get_if<HttpResponse>(&result);
            response && response->status >= 400 && response->status < 500 &&
            response->status != 401 && response->status != 403 && response->status != 408 &&
            response->status != 429) {
            // A server from before lost reports refuses a batch with no responses: it has no gap
            // report to explain, so there is nothing more to tell it.
            store.MarkLostReported(done);
            RefreshCounts();
            continue;
        }
        const HttpResponse* ok = nullptr;
        Outcome outcome = ClassifyHttp(result, "reporting lost responses", &ok);
        if (outcome != Outcome::Done)
            return outcome;
        auto receipt = protocol::DecodeReceipt(ok->body);
        if (!receipt) {
            return FailUnreadableReceipt("the server's receipt", receipt.Error());
        }
        store.MarkLostReported(done);
        RefreshCounts();
        CatchUpServer(receipt->ackedSeq, receipt->maxSeq);
    }
}

std::vector<core::Uuid> SyncEngine::TakeConfirmedCalls() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_confirmedCalls, {});
}

// The calls outbox, oldest first, up to the protocol's limit per request. A server from before
// calls (404/405) cannot take them: they wait (the batches still go) until it is updated. A call
// the server refuses (per item, or 400/413 for the request) is kept as rejected, never resent.
SyncEngine::Outcome SyncEngine::SendCalls(const std::string& token) {
    auto& store = Store();
    for (;;) {
        const auto pending = store.PendingCalls(protocol::kMaxCallsPerRequest);
        if (pending.empty())
            return Outcome::Done;
        protocol::CallsRequest body;
        body.kioskId = m_settings.kioskId;
        const core::UtcMs now = m_clock.NowUtcMs();
        for (const auto& p : pending) {
            protocol::Call call;
            call.responseId = p.response.id;
            call.askedAt = p.askedAtMs;
            call.tzOffsetMin = p.response.tzOffsetMin;
            call.scale = p.response.scale;
            call.rating = p.response.rating;
            call.repId = p.response.repId;
            call.reason = p.response.reason;
            call.language = p.response.language;
            call.misuse = p.response.misuse;
            call.late = now - p.askedAtMs > m_settings.callConfirmWithin.count();
            body.calls.push_back(std::move(call));
        }
        Update([](SyncStatus& s) { s.phase = SyncPhase::Sending; });
        HttpRequest request = Request("POST", "/api/v1/calls", token);
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = protocol::EncodeCallsRequest(body);
        HttpResult result = m_http->Send(request);
        if (auto* response = std::get_if<HttpResponse>(&result);
            response && (response->status == 404 || response->status == 405)) {
            Update([&](SyncStatus& s) {
                s.lastError = "the server does not take calls for help (HTTP " +
                              std::to_string(response->status) +
                              "); update kiosk-server. Calls wait on the kiosk; feedback still "
                              "goes";
            });
            return Outcome::Done;
        }
        if (auto* response = std::get_if<HttpResponse>(&result);
            response && (response->status == 400 || response->status == 413)) {
            // The server cannot take these calls as they are: like a rejected response they are
            // kept with the reason and never block what comes after them.
            const std::string reason =
                "HTTP " + std::to_string(response->status) + ": " + DescribeBody(*response);
            for (const auto& call : body.calls)
                store.MarkCallRejected(call.responseId, reason);
            continue;
        }
        const HttpResponse* ok = nullptr;
        Outcome outcome = ClassifyHttp(
            result, "sending " + std::to_string(body.calls.size()) + " call(s) for help", &ok);
        if (outcome != Outcome::Done)
            return outcome;
        auto receipt = protocol::DecodeCallsReceipt(ok->body);
        if (!receipt) {
            return FailUnreadableReceipt("the server's answer to a call", receipt.Error());
        }
        std::vector<core::Uuid> confirmed;
        std::size_t settled = 0;
        for (const auto& item : receipt->results) {
            const auto it = std::find_if(body.calls.begin(), body.calls.end(), [&](const auto& c) {
                return c.responseId == item.responseId;
            });
            if (it == body.calls.end())
                continue;
            ++settled;
            if (item.status == protocol::ItemStatus::Rejected) {
                store.MarkCallRejected(item.responseId, RejectionReason(item.error));
            } else {
                store.MarkCallSent(item.responseId, it->late);
                confirmed.push_back(item.responseId);
            }
        }
        const std::int64_t left = store.PendingCallCount();
        {
            std::lock_guard lock(m_mutex);
            m_confirmedCalls.insert(m_confirmedCalls.end(), confirmed.begin(), confirmed.end());
            // Bounded: nobody takes them in tools and tests that only run passes.
            if (m_confirmedCalls.size() > 1000)
                m_confirmedCalls.erase(m_confirmedCalls.begin(), m_confirmedCalls.end() - 1000);
        }
        Update([&](SyncStatus& s) {
            s.pendingCalls = left;
            if (!confirmed.empty())
                s.lastCallSentAt = now;
        });
        if (settled == 0) {
            return FailTransient("the server's answer named none of the " +
                                     std::to_string(body.calls.size()) + " calls sent",
                                 std::nullopt);
        }
    }
}

SyncEngine::Outcome SyncEngine::SendPending(const std::string& token) {
    auto& store = Store();
    if (Outcome lost = SendLost(token); lost != Outcome::Done)
        return lost;
    for (;;) {
        protocol::Batch batch;
        batch.kioskId = m_settings.kioskId;
        batch.responses = store.NextPending(m_batchSize).responses;
        if (batch.responses.empty())
            return Outcome::Done;
        batch.batchId = m_batchIds.Next();

        Update([](SyncStatus& s) { s.phase = SyncPhase::Sending; });
        HttpRequest request = BatchRequest(batch, token);
        HttpResult result = m_http->Send(request);

        if (auto* response = std::get_if<HttpResponse>(&result);
            response && response->status == 413) {
            if (m_batchSize > 1) {
                m_batchSize = std::max<std::size_t>(1, m_batchSize / 2);
                continue;
            }
            // One response is far below the server's own limit, so a proxy in between (or the
            // server's config) is set too small. Nothing is marked: staff fix the limit, and the
            // engine keeps trying now and then until the response goes.
            return FailNeedsStaff(
                "the server or a proxy in front of it refuses even one response as too large "
                "(HTTP 413, seq " +
                std::to_string(batch.responses.front().seq) + ", " +
                std::to_string(request.body.size()) +
                " bytes); raise the request size limit (nginx: client_max_body_size, "
                "HAProxy: tune.bufsize) to at least 1 MB; the kiosk retries by itself");
        }
        const HttpResponse* ok = nullptr;
        Outcome outcome = ClassifyHttp(
            result, "sending " + std::to_string(batch.responses.size()) + " responses", &ok);
        if (outcome != Outcome::Done)
            return outcome;

        auto receipt = protocol::DecodeReceipt(ok->body);
        if (!receipt) {
            return FailUnreadableReceipt("the server's receipt", receipt.Error());
        }
        std::vector<core::Uuid> sent;
        std::size_t rejected = 0;
        for (const auto& item : receipt->results) {
            bool ours = false;
            for (const auto& r : batch.responses) {
                if (r.id == item.id) {
                    ours = true;
                    break;
                }
            }
            if (!ours)
                continue;
            if (item.status == protocol::ItemStatus::Rejected) {
                store.MarkRejected(item.id, RejectionReason(item.error));
                ++rejected;
            } else {
                sent.push_back(item.id);
            }
        }
        store.MarkSent(sent);
        const core::UtcMs now = m_clock.NowUtcMs();
        const std::int64_t acked = receipt->ackedSeq;
        Update([&](SyncStatus& s) {
            s.serverAckedSeq = acked;
            s.lastSuccessAt = now;
        });
        RefreshCounts();
        CatchUpServer(acked, receipt->maxSeq);
        if (sent.size() + rejected == 0) {
            return FailTransient("the server's receipt named none of the " +
                                     std::to_string(batch.responses.size()) + " responses sent",
                                 std::nullopt);
        }
        m_batchSize = m_settings.batchSize;
    }
}

SyncEngine::Outcome SyncEngine::PullConfig(const std::string& token) {
    HttpRequest request = Request("GET", "/api/v1/kiosks/" + m_settings.kioskId + "/config", token);
    if (!m_configEtag.empty())
        request.headers.emplace_back("If-None-Match", m_configEtag);
    HttpResult result = m_http->Send(request);
    // No config on the server for this kiosk yet: the local config stays in force.
    if (auto* response = std::get_if<HttpResponse>(&result); response && response->status == 404) {
        return Outcome::Done;
    }
    const HttpResponse* ok = nullptr;
    Outcome outcome = ClassifyHttp(result, "fetching the kiosk config", &ok);
    if (outcome != Outcome::Done)
        return outcome;
    if (ok->status == 304) {
        const core::UtcMs now = m_clock.NowUtcMs();
        Update([&](SyncStatus& s) { s.configCheckedAt = now; });
        return Outcome::Done;
    }
    auto config = protocol::DecodeKioskConfig(ok->body);
    if (!config) {
        return FailTransient(
            "the kiosk config from the server could not be read: " + to_string(config.Error()),
            std::nullopt);
    }
    // Leavers first: when the UI shows the new roster, no row here names the old id any more.
    ApplyLeavers(Store(), config->leavers);
    m_configEtag = ok->Header("etag").value_or("");
    if (!m_configEtag.empty()) {
        WriteFileAtomically(m_settings.dataDir / kConfigCacheFile, ok->body);
        WriteFileAtomically(m_settings.dataDir / kEtagCacheFile, m_configEtag);
    }
    if (m_onConfig)
        m_onConfig(*config);
    const core::UtcMs now = m_clock.NowUtcMs();
    Update([&](SyncStatus& s) {
        ++s.configGeneration;
        s.lastSuccessAt = now;
        s.configCheckedAt = now;
    });
    return Outcome::Done;
}

void SyncEngine::SetAlert(std::optional<std::string> alert) {
    {
        std::lock_guard lock(m_mutex);
        if (m_alert == alert)
            return;
        m_alert = std::move(alert);
        m_alertChanged = true;
        m_nudged = true;
    }
    m_wake.notify_all();
}

void SyncEngine::SetRunningConfig(std::optional<std::int64_t> version) {
    {
        std::lock_guard lock(m_mutex);
        if (m_runningConfig == version)
            return;
        m_runningConfig = version;
        m_status.configVersion = version;
        m_alertChanged = true;  // the extra heartbeat tells head office at once
        m_nudged = true;
    }
    m_wake.notify_all();
}

SyncEngine::Outcome SyncEngine::SendHeartbeat(const std::string& token) {
    protocol::Heartbeat heartbeat;
    {
        std::lock_guard lock(m_mutex);
        heartbeat.pending = m_status.pending;
        if (m_status.oldestPendingCreatedAt) {
            heartbeat.oldestPendingAgeMs = m_clock.NowUtcMs() - *m_status.oldestPendingCreatedAt;
        }
        if (!m_status.lastError.empty())
            heartbeat.lastError = m_status.lastError;
        heartbeat.alert = m_alert;
        heartbeat.configVersion = m_runningConfig;
    }
    heartbeat.clock = m_clock.NowUtcMs();
    heartbeat.version = m_settings.version;
    HttpRequest request =
        Request("POST", "/api/v1/kiosks/" + m_settings.kioskId + "/heartbeat", token);
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = protocol::EncodeHeartbeat(heartbeat);
    HttpResult result = m_http->Send(request);
    const HttpResponse* ok = nullptr;
    Outcome outcome = ClassifyHttp(result, "sending the heartbeat", &ok);
    if (outcome == Outcome::Done) {
        // An idle kiosk learns here that the server was restored: what it lost goes again now
        // (before lastSuccessAt moves, so nobody reads "in contact, nothing pending" in between).
        auto ack = protocol::DecodeHeartbeatAck(ok->body);
        if (ack && ack->ackedSeq && CatchUpServer(*ack->ackedSeq, ack->maxSeq) > 0) {
            outcome = SendPending(token);
        }
        const core::UtcMs now = m_clock.NowUtcMs();
        if (ack && ack->keepDays && (!m_purgedAt || now - *m_purgedAt >= 3'600'000)) {
            // Retention (issue 20 item 4): the chain's age, told by the server; only rows the
            // server acknowledged go.
            m_purgedAt = now;
            Store().PurgeSynced(now - *ack->keepDays * 86'400'000);
        }
        Update([&](SyncStatus& s) {
            s.lastSuccessAt = now;
            if (ack) {
                s.storeAlert = ack->storeAlert;
                s.storeAlertAsOf = now;
            }
        });
    }
    return outcome;
}

}  // namespace fk::sync
