#include "sync/StaffCalls.h"

#include <algorithm>

#include "core/Calendar.h"
#include "core/TimeFormat.h"
#include "sync/ServerReply.h"
#include "sync/TokenFile.h"

namespace fk::sync {

namespace {

std::string Words(const HttpResult& result, const std::string& what) {
    if (const auto* error = std::get_if<TransportError>(&result))
        return what + ": the server cannot be reached (" + to_string(*error) + ")";
    const auto& response = std::get<HttpResponse>(result);
    return what + ": HTTP " + std::to_string(response.status) + " (" + DescribeBody(response) + ")";
}

const HttpResponse* Ok(const HttpResult& result) {
    const auto* response = std::get_if<HttpResponse>(&result);
    return response && response->status == 200 ? response : nullptr;
}

}  // namespace

StaffCalls::StaffCalls(StaffCallsSettings settings, const core::Clock& clock, ChangeFn onChange)
    : m_settings(std::move(settings)),
      m_clock(clock),
      m_onChange(std::move(onChange)),
      m_http(m_settings.http) {
    m_thread = std::thread([this] { Run(); });
}

StaffCalls::~StaffCalls() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void StaffCalls::Refresh() {
    Enqueue(RefreshJob{});
}

void StaffCalls::ReportPeriod(core::UtcMs fromUtc, core::UtcMs toUtc) {
    Enqueue(PeriodJob{fromUtc, toUtc});
}

void StaffCalls::Acknowledge(const core::Uuid& responseId, std::string by) {
    Enqueue(AckJob{responseId, std::move(by)});
}

void StaffCalls::Close(const core::Uuid& responseId, std::string by,
                       protocol::CallOutcome outcome) {
    Enqueue(CloseJob{responseId, std::move(by), outcome});
}

StaffCallsSnapshot StaffCalls::Snapshot() const {
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

void StaffCalls::Enqueue(Job job) {
    {
        std::lock_guard lock(m_mutex);
        // A refresh or period asked while one of its kind waits replaces it.
        for (auto& queued : m_jobs) {
            if (queued.index() == job.index() && (std::holds_alternative<RefreshJob>(job) ||
                                                  std::holds_alternative<PeriodJob>(job))) {
                queued = std::move(job);
                return;
            }
        }
        // Bounded: a staff member tapping faster than the server answers cannot grow it.
        if (m_jobs.size() >= 64)
            return;
        m_jobs.push_back(std::move(job));
        m_snapshot.busy = true;
        ++m_snapshot.version;
    }
    m_wake.notify_all();
    if (m_onChange)
        m_onChange();
}

void StaffCalls::Run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
            if (m_stop)
                return;
            job = m_jobs.front();
            m_jobs.pop_front();
        }
        RunJob(job);
    }
}

void StaffCalls::RunJob(const Job& job) {
    if (m_settings.serverUrl.empty() || m_settings.storeId.empty()) {
        Finish([](StaffCallsSnapshot& s) {
            s.error = "this kiosk has no server or store configured, so it cannot see help calls";
        });
        return;
    }
    auto token = ReadTokenFile(m_settings.tokenFile);
    if (const auto* problem = std::get_if<TokenFileError>(&token)) {
        Finish([&](StaffCallsSnapshot& s) { s.error = problem->message; });
        return;
    }
    const std::string& secret = std::get<std::string>(token);
    if (std::holds_alternative<RefreshJob>(job)) {
        List(secret);
    } else if (const auto* period = std::get_if<PeriodJob>(&job)) {
        {
            std::lock_guard lock(m_mutex);
            m_period = *period;
        }
        ListPeriod(secret, *period);
    } else if (const auto* ack = std::get_if<AckJob>(&job)) {
        Answer(secret, ack->id, "/ack", protocol::EncodeCallAck({ack->by}));
    } else if (const auto* close = std::get_if<CloseJob>(&job)) {
        Answer(secret, close->id, "/close",
               protocol::EncodeCallClose({close->by, close->outcome, std::nullopt}));
    }
}

void StaffCalls::List(const std::string& token) {
    HttpRequest request;
    request.url =
        JoinUrl(m_settings.serverUrl, "/api/v1/calls?store=" + m_settings.storeId + "&status=open");
    request.headers = {{"Authorization", "Bearer " + token}, {"Accept", "application/json"}};
    const HttpResult result = m_http.Send(request);
    const HttpResponse* ok = Ok(result);
    if (!ok) {
        Finish([&](StaffCallsSnapshot& s) { s.error = Words(result, "listing the help calls"); });
        return;
    }
    auto list = protocol::DecodeCallList(ok->body);
    if (!list) {
        Finish([&](StaffCallsSnapshot& s) {
            s.error = "listing the help calls: the server's answer is not a call list (" +
                      protocol::to_string(list.Error()) + ")";
        });
        return;
    }
    const std::int64_t now = m_clock.SteadyMs();
    Finish([&](StaffCallsSnapshot& s) {
        s.calls = list->calls;
        s.listedAtSteadyMs = now;
        s.error.clear();
    });
}

void StaffCalls::ListPeriod(const std::string& token, const PeriodJob& period) {
    // The server's from/to are UTC dates of received_at: ask for the UTC days the local period
    // touches, then keep what falls inside it.
    auto utcDate = [](core::UtcMs at) {
        return core::FormatIsoDate(core::CivilFromDays(core::FloorDiv(at, core::kMsPerDay)));
    };
    HttpRequest request;
    request.url = JoinUrl(m_settings.serverUrl, "/api/v1/calls?store=" + m_settings.storeId +
                                                    "&status=all&from=" + utcDate(period.fromUtc) +
                                                    "&to=" + utcDate(period.toUtc - 1));
    request.headers = {{"Authorization", "Bearer " + token}, {"Accept", "application/json"}};
    const HttpResult result = m_http.Send(request);
    const HttpResponse* ok = Ok(result);
    auto list = ok ? protocol::DecodeCallList(ok->body)
                   : protocol::Result<protocol::CallList>(protocol::DecodeError{});
    if (!ok || !list) {
        Finish([&](StaffCallsSnapshot& s) {
            s.error = ok ? "listing the period's help calls: the server's answer is not a call list"
                         : Words(result, "listing the period's help calls");
        });
        return;
    }
    std::vector<protocol::CallRecord> inside;
    for (const auto& record : list->calls) {
        if (record.receivedAt >= period.fromUtc && record.receivedAt < period.toUtc)
            inside.push_back(record);
    }
    Finish([&](StaffCallsSnapshot& s) {
        s.periodCalls = std::move(inside);
        s.periodFromUtc = period.fromUtc;
        s.periodToUtc = period.toUtc;
        s.periodListed = true;
        s.error.clear();
    });
}

void StaffCalls::Answer(const std::string& token, const core::Uuid& id, const std::string& path,
                        const std::string& body) {
    HttpRequest request;
    request.method = "POST";
    request.url = JoinUrl(m_settings.serverUrl, "/api/v1/calls/" + id.ToString() + path);
    request.headers = {{"Authorization", "Bearer " + token},
                       {"Accept", "application/json"},
                       {"Content-Type", "application/json"}};
    request.body = body;
    const HttpResult result = m_http.Send(request);
    const std::string what = path == "/ack" ? "acknowledging the call" : "closing the call";
    const HttpResponse* ok = Ok(result);
    if (!ok) {
        Finish([&](StaffCallsSnapshot& s) { s.error = Words(result, what); });
        return;
    }
    auto record = protocol::DecodeCallRecord(ok->body);
    if (!record) {
        Finish([&](StaffCallsSnapshot& s) {
            s.error = what + ": the server's answer is not a call (" +
                      protocol::to_string(record.Error()) + ")";
        });
        return;
    }
    // The answer is the call as the server now holds it: shown at once, before the next list.
    Finish([&](StaffCallsSnapshot& s) {
        auto it = std::find_if(s.calls.begin(), s.calls.end(), [&](const auto& c) {
            return c.call.responseId == record->call.responseId;
        });
        if (record->status == protocol::CallStatus::Closed) {
            if (it != s.calls.end())
                s.calls.erase(it);
        } else if (it != s.calls.end()) {
            *it = *record;
        }
        s.error.clear();
    });
    List(token);
    std::optional<PeriodJob> period;
    {
        std::lock_guard lock(m_mutex);
        period = m_period;
    }
    if (period)
        ListPeriod(token, *period);
}

void StaffCalls::Finish(const std::function<void(StaffCallsSnapshot&)>& change) {
    {
        std::lock_guard lock(m_mutex);
        change(m_snapshot);
        m_snapshot.busy = !m_jobs.empty();
        ++m_snapshot.version;
    }
    if (m_onChange)
        m_onChange();
}

}  // namespace fk::sync
