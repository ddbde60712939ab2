#pragma once
// Manager mode's side of help calls (issue 16): the open calls of this kiosk's store and staff's
// answers to them, over the kiosk's own token (GET /api/v1/calls?store=S, POST
// /api/v1/calls/{id}/ack and .../close; the server lets a kiosk token list and answer the calls of
// its own store). One worker thread with its own HttpClient runs the requests in the order they
// were asked for; a refresh asked while one is queued is one refresh. The UI thread asks and reads
// snapshots and never waits for the network.
//
// Thread affinity: construct and destroy on one thread (the UI thread); Refresh, Acknowledge,
// Close and Snapshot from any thread. onChange runs on the worker thread after every snapshot
// change (the kiosk passes its loop's wake-up). Ownership: owns its thread and HttpClient; borrows
// the clock (it must outlive this object). Failure: nothing here throws for the network, the
// server or the token file; the last failure is Snapshot().error in words, the calls shown stay
// those of the last list that worked. The destructor finishes the request in flight (bounded by
// the HTTP timeouts) and drops the queued ones.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "core/Clock.h"
#include "core/Uuid.h"
#include "protocol/Calls.h"
#include "sync/HttpClient.h"

namespace fk::sync {

struct StaffCallsSettings {
    std::string serverUrl;  // base, as for SyncSettings
    std::string storeId;    // the kiosk's store: only its calls are listed
    std::filesystem::path tokenFile;
    HttpOptions http;
};

struct StaffCallsSnapshot {
    std::vector<protocol::CallRecord> calls;  // open and acknowledged, newest first
    // Every call (open or not) received within [periodFromUtc, periodToUtc), for the report;
    // empty until ReportPeriod was asked and answered.
    std::vector<protocol::CallRecord> periodCalls;
    core::UtcMs periodFromUtc = 0;
    core::UtcMs periodToUtc = 0;
    bool periodListed = false;
    std::optional<std::int64_t> listedAtSteadyMs;  // when the list last came back (none: never)
    std::string error;          // the last request's failure in words; empty: it worked
    bool busy = false;          // a request is queued or in flight
    std::uint64_t version = 0;  // grows with every change
};

class StaffCalls {
  public:
    using ChangeFn = std::function<void()>;

    StaffCalls(StaffCallsSettings settings, const core::Clock& clock, ChangeFn onChange = {});
    ~StaffCalls();
    StaffCalls(const StaffCalls&) = delete;
    StaffCalls& operator=(const StaffCalls&) = delete;

    // Fetch the store's open calls again.
    void Refresh();
    // Fetch every call of the store received within [fromUtc, toUtc) (at most the server's 5,000
    // newest), for manager mode's report of a period.
    void ReportPeriod(core::UtcMs fromUtc, core::UtcMs toUtc);
    // Someone is going to the customer; `by` is stored with the call (1..64 bytes).
    void Acknowledge(const core::Uuid& responseId, std::string by);
    // The call is over; the list is fetched again afterwards.
    void Close(const core::Uuid& responseId, std::string by, protocol::CallOutcome outcome);
    StaffCallsSnapshot Snapshot() const;

  private:
    struct RefreshJob {};
    struct PeriodJob {
        core::UtcMs fromUtc;
        core::UtcMs toUtc;
    };
    struct AckJob {
        core::Uuid id;
        std::string by;
    };
    struct CloseJob {
        core::Uuid id;
        std::string by;
        protocol::CallOutcome outcome;
    };
    using Job = std::variant<RefreshJob, PeriodJob, AckJob, CloseJob>;

    void Enqueue(Job job);
    void Run();
    void RunJob(const Job& job);
    void List(const std::string& token);
    void ListPeriod(const std::string& token, const PeriodJob& period);
    void Answer(const std::string& token, const core::Uuid& id, const std::string& path,
                const std::string& body);
    void Finish(const std::function<void(StaffCallsSnapshot&)>& change);

    StaffCallsSettings m_settings;
    const core::Clock& m_clock;
    ChangeFn m_onChange;
    HttpClient m_http;  // worker thread only

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    std::optional<PeriodJob> m_period;  // the last period asked for: listed again after answers
    bool m_stop = false;
    StaffCallsSnapshot m_snapshot;
    std::thread m_thread;
};

}  // namespace fk::sync
