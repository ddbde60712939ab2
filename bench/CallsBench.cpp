// kiosk-bench calls: how fast a help call reaches a webhook. A real HttpServer (in process, real
// transport and outbox sender, SQLite in a scratch directory) with one webhook pointing at a sink
// on 127.0.0.1; a kiosk client POSTs /api/v1/calls over keep-alive HTTP --calls times and the time
// from the start of the POST until the sink has the signed JSON is measured (p50/p99). Baseline in
// the same run, same server, same client: the plain batch round trip (POST /api/v1/batches of one
// response until its receipt). This is the server part of "tap -> webhook"; the kiosk adds its own
// tap -> durable -> send (kiosk-bench store). Calls from one kiosk are 121 s apart on the server's
// clock (a fake clock) so none is folded as a burst.
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "Bench.h"
#include "core/Clock.h"
#include "core/Uuid.h"
#include "protocol/Calls.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/HttpServer.h"
#include "server/Tokens.h"

namespace {

using namespace fk;
using SteadyClock = std::chrono::steady_clock;

int RunCalls(const bench::Args& args, bench::Report& report) {
    const long long n = args.Int("--calls", 200);
    bench::BenchDir dir(args.Value("--data-dir", ""), "calls");
    report.SetBackend("sqlite");
    auto backend = server::OpenBackend("sqlite:" + (dir.Path() / "server.db").string());
    core::FakeClock clock(1'795'000'000'000);
    backend->AddStore("s1", "One", clock.NowUtcMs());
    backend->AddKiosk("k1", "s1", clock.NowUtcMs());
    const std::string token =
        server::IssueKioskToken(*backend, server::KioskRecord{"k1", "s1"}, clock.NowUtcMs()).secret;

    std::mutex mutex;
    std::condition_variable arrived;
    std::string lastBody;
    SteadyClock::time_point lastAt;
    httplib::Server sink;
    sink.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
        {
            std::lock_guard lock(mutex);
            lastBody = req.body;
            lastAt = SteadyClock::now();
        }
        arrived.notify_all();
        res.set_content("ok", "text/plain");
    });
    const int sinkPort = sink.bind_to_any_port("127.0.0.1");
    std::thread sinkThread([&] { sink.listen_after_bind(); });
    backend->Calls().AddWebhook(
        {"wh_bench", std::string("s1"), "http://127.0.0.1:" + std::to_string(sinkPort) + "/hook",
         "secret"},
        clock.NowUtcMs());

    server::ServerOptions options;
    options.escalateAfterS = 0;
    server::HttpServer server(*backend, clock, options);
    const int port = server.Start();
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    httplib::Headers auth{{"Authorization", "Bearer " + token}};
    core::SystemClock wall;
    core::Uuid7Generator ids(wall);

    std::vector<double> callMs, batchMs;
    for (long long i = 0; i < n + 10; ++i) {  // the first 10 warm up
        protocol::Call call;
        call.responseId = ids.Next();
        call.askedAt = wall.NowUtcMs();
        const std::string id = call.responseId.ToString();
        const auto start = SteadyClock::now();
        auto res = client.Post("/api/v1/calls", auth,
                               protocol::EncodeCallsRequest({1, "k1", {call}}), "application/json");
        if (!res || res->status != 200)
            throw std::runtime_error("POST /api/v1/calls failed");
        std::unique_lock lock(mutex);
        if (!arrived.wait_for(lock, std::chrono::seconds(10),
                              [&] { return lastBody.find(id) != std::string::npos; }))
            throw std::runtime_error("the webhook did not receive call " + id + " within 10 s");
        const double ms = std::chrono::duration<double, std::milli>(lastAt - start).count();
        lock.unlock();
        clock.Advance(121'000);

        core::Response r;
        r.id = ids.Next();
        r.seq = i + 1;
        r.createdAtMs = wall.NowUtcMs();
        r.closedAtMs = r.createdAtMs + 1000;
        r.language = "en";
        protocol::Batch batch{1, "k1", ids.Next(), {r}, {}};
        const auto bstart = SteadyClock::now();
        auto bres =
            client.Post("/api/v1/batches", auth, protocol::EncodeBatch(batch), "application/json");
        if (!bres || bres->status != 200)
            throw std::runtime_error("POST /api/v1/batches failed");
        const double bms =
            std::chrono::duration<double, std::milli>(SteadyClock::now() - bstart).count();
        if (i >= 10) {
            callMs.push_back(ms);
            batchMs.push_back(bms);
        }
    }
    server.Stop();
    sink.stop();
    sinkThread.join();
    std::vector<double> b50 = batchMs, c50 = callMs;
    const double batchP50 = bench::Percentile(b50, 50), batchP99 = bench::Percentile(batchMs, 99);
    const double callP50 = bench::Percentile(c50, 50), callP99 = bench::Percentile(callMs, 99);
    report.AddRatio("call_to_webhook_p50_ms", callP50, "ms", "batch_round_trip_p50_ms", batchP50);
    report.AddRatio("call_to_webhook_p99_ms", callP99, "ms", "batch_round_trip_p99_ms", batchP99);
    return 0;
}

FK_BENCH_SUITE("calls",
               "POST /api/v1/calls -> signed webhook received, p50/p99, against the plain batch "
               "round trip in the same run. --calls N (200), --data-dir DIR",
               RunCalls);

}  // namespace
