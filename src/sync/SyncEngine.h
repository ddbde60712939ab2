#pragma once
// The kiosk's side of sync protocol v1. It owns one thread, one HttpClient and its own
// ResponseStore connection on the kiosk's data dir; the UI never waits for it.
//
// Each pass: read the token file; send the calls for help waiting in the outbox (POST
// /api/v1/calls, before anything else: a customer is waiting), hand the ids the server confirmed
// to the UI (TakeConfirmedCalls); send closed pending responses in seq order in gzip batches of
// up to batchSize; mark accepted/duplicate rows sent and rejected rows rejected (kept, never
// retried, the queue goes on); pull the kiosk config with If-None-Match; send a heartbeat when
// due. Transport errors, timeouts, 5xx, 429 and a 200 that is not a receipt (captive portal) back
// off exponentially with jitter; 401/403 stop until the token file changes; 413 halves the batch,
// and a 413 for one response is a "needs staff" stop (a proxy limit too small) retried with
// backoff. Receipts and heartbeat answers carry the server's acked_seq/max_seq: rows the server
// lost (a restore from an older backup) are re-queued and sent again. A damaged store's lost seqs
// are reported once (a batch with a "lost" list) before the outbox. Every pass also checkpoints the
// WAL, so the UI's connection can run with auto-checkpoint off.
//
// Thread affinity: construct, Start, Stop and destroy on one thread (the UI thread); Status and
// Nudge from any thread. The callbacks run on the sync thread: onChange after every status change
// (the kiosk passes glfwPostEmptyEvent), onConfig with each new config from the server.
// Failure: the constructor and Start throw only for programming errors; everything the network,
// the server or the disk does becomes SyncStatus::lastError in words.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/Clock.h"
#include "core/Uuid.h"
#include "protocol/Wire.h"
#include "sync/Backoff.h"
#include "sync/HttpClient.h"
#include "sync/SyncStatus.h"

namespace fk::storage {
class ResponseStore;
}

namespace fk::sync {

struct SyncSettings {
    std::string serverUrl;  // base, e.g. "https://feedback.example.com"; empty: not configured
    std::string kioskId;
    std::filesystem::path tokenFile;
    std::filesystem::path dataDir;  // the kiosk's ResponseStore directory
    HttpOptions http;
    std::chrono::milliseconds interval{30'000};  // how often an idle kiosk looks again
    std::chrono::milliseconds heartbeatInterval{300'000};
    std::chrono::milliseconds configInterval{300'000};
    std::size_t batchSize = 500;
    // [help] confirm_within_s: a call sent later than this after the customer asked is "late"
    // (the screen has told them to ask at the counter).
    std::chrono::milliseconds callConfirmWithin{10'000};
    BackoffPolicy backoff;
    std::string version = "0.1.0";
    std::uint64_t seed = 0;  // 0: random
};

class SyncEngine {
  public:
    using ChangeFn = std::function<void()>;
    using ConfigFn = std::function<void(const protocol::KioskConfig&)>;

    SyncEngine(SyncSettings settings, const core::Clock& clock, ChangeFn onChange = {},
               ConfigFn onConfig = {});
    ~SyncEngine();
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    void Start();
    void Stop();   // finishes the request in flight (bounded by the HTTP timeouts), joins
    void Nudge();  // look again now (a response was just closed, staff pressed "sync now")
    SyncStatus Status() const;
    // The manager alert firing now, in words (nullopt: none). A change is sent at once with an
    // extra heartbeat (not only at the next scheduled one). Any thread (the UI thread evaluates
    // the rule).
    void SetAlert(std::optional<std::string> alert);
    // The survey definition version the kiosk now runs (applied between customers); the
    // heartbeat reports it, a change at once. Any thread.
    void SetRunningConfig(std::optional<std::int64_t> version);
    // Response ids of calls the server has confirmed (accepted or duplicate) since the last call.
    // Any thread (the UI thread, after onChange woke it).
    std::vector<core::Uuid> TakeConfirmedCalls();

    // One whole pass on the calling thread, for tools and tests; returns the status after it.
    // Not while the thread runs.
    SyncStatus RunOnce();

  private:
    enum class Outcome { Done, Retry, Stop };
    void Run();
    std::chrono::milliseconds Pass();
    Outcome SendPending(const std::string& token);
    Outcome SendLost(const std::string& token);
    Outcome SendCalls(const std::string& token);
    std::int64_t CatchUpServer(std::int64_t ackedSeq, std::optional<std::int64_t> maxSeq);
    Outcome FailNeedsStaff(const std::string& what);
    Outcome PullConfig(const std::string& token);
    Outcome SendHeartbeat(const std::string& token);
    Outcome FailTransient(const std::string& what,
                          std::optional<std::chrono::milliseconds> retryAfter);
    Outcome FailStop(const std::string& what);
    Outcome ClassifyHttp(const HttpResult& result, const std::string& what,
                         const HttpResponse** ok);
    void RefreshCounts();
    HttpRequest Request(const std::string& method, const std::string& path,
                        const std::string& token) const;
    HttpRequest BatchRequest(const protocol::Batch& batch, const std::string& token) const;
    Outcome FailUnreadableReceipt(const std::string& what, const protocol::DecodeError& error);
    void Update(const std::function<void(SyncStatus&)>& change);
    storage::ResponseStore& Store();

    SyncSettings m_settings;
    const core::Clock& m_clock;
    ChangeFn m_onChange;
    ConfigFn m_onConfig;

    // Sync-thread state.
    std::unique_ptr<HttpClient> m_http;
    std::unique_ptr<storage::ResponseStore> m_store;
    Backoff m_backoff;
    core::Uuid7Generator m_batchIds;
    std::mt19937_64 m_random;
    std::size_t m_batchSize;
    std::string m_configEtag;
    std::optional<std::int64_t> m_nextHeartbeatSteady;
    std::optional<std::int64_t> m_nextConfigSteady;
    std::optional<std::pair<std::int64_t, std::int64_t>>
        m_requeuedAtView;        // (acked, max) of the last re-queue
    std::string m_refusedToken;  // the token the server refused; retry when the file changes
    std::optional<core::UtcMs> m_purgedAt;  // the last retention pass (at most one an hour)

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_nudged = false;
    SyncStatus m_status;
    std::optional<std::string> m_alert;
    bool m_alertChanged = false;  // a heartbeat with the new alert is owed
    std::optional<std::int64_t> m_runningConfig;
    std::vector<core::Uuid> m_confirmedCalls;
    std::thread m_thread;
};

}  // namespace fk::sync
