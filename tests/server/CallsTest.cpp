#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "protocol/Calls.h"
#include "server/ServerSettings.h"
#include "server/ServerTestEnv.h"
#include "support/CsvReader.h"

using namespace fk;
using fk::test::ErrorCode;

namespace {

protocol::Call MakeCall(int rating = 1) {
    static core::SystemClock clock;
    static core::Uuid7Generator ids(clock);
    protocol::Call c;
    c.responseId = ids.Next();
    c.askedAt = 1'795'000'000'000;
    c.tzOffsetMin = 330;
    c.scale = 4;
    c.rating = rating;
    c.reason = "wait_time";
    c.language = "hi";
    return c;
}

std::string Body(const std::string& kiosk, const std::vector<protocol::Call>& calls) {
    return protocol::EncodeCallsRequest({1, kiosk, calls});
}

protocol::CallsReceipt PostOk(test::ServerEnv& env, const std::string& kiosk,
                              const std::vector<protocol::Call>& calls, const std::string& token) {
    auto res = env.Post("/api/v1/calls", Body(kiosk, calls), token);
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    auto receipt = protocol::DecodeCallsReceipt(res->body);
    REQUIRE(receipt.Ok());
    REQUIRE(receipt->results.size() == calls.size());
    return *receipt;
}

protocol::CallList List(test::ServerEnv& env, const std::string& query, const std::string& token) {
    auto res = env.Get("/api/v1/calls" + query, token);
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    auto list = protocol::DecodeCallList(res->body);
    REQUIRE(list.Ok());
    return *list;
}

}  // namespace

FK_SERVER_TEST(
    "help calls: a resend is a duplicate, a burst is one flagged call, bad calls are "
    "refused with a reason") {
    env.Backend().Calls().AddWebhook({"wh_s1", std::string("s1"), "http://127.0.0.1:9/x", "k"},
                                     env.Clock().NowUtcMs());
    env.Backend().Calls().AddWebhook({"wh_s2", std::string("s2"), "http://127.0.0.1:9/y", "k"},
                                     env.Clock().NowUtcMs());
    auto c1 = MakeCall();
    auto r = PostOk(env, "k1", {c1}, env.kioskToken[1]);
    CHECK(r.results[0].status == protocol::ItemStatus::Accepted);
    CHECK(PostOk(env, "k1", {c1}, env.kioskToken[1]).results[0].status ==
          protocol::ItemStatus::Duplicate);
    // One outbox row per destination: the store's webhook only, once however often it is sent.
    auto deliveries = env.Backend().Calls().Deliveries("call:" + c1.responseId.ToString());
    REQUIRE(deliveries.size() == 1);
    CHECK(deliveries[0].destination == "webhook:wh_s1");

    // A child pressing "yes" on survey after survey: folded into the open call, not announced.
    auto c2 = MakeCall();
    auto c3 = MakeCall();
    auto folded = PostOk(env, "k1", {c2, c3}, env.kioskToken[1]);
    CHECK(folded.results[0].status == protocol::ItemStatus::Accepted);
    CHECK(env.Backend().Calls().Deliveries("call:" + c2.responseId.ToString()).empty());
    auto open = List(env, "?store=s1", env.managerS1);
    REQUIRE(open.calls.size() == 1);
    CHECK(open.calls[0].call.responseId == c1.responseId);
    CHECK(open.calls[0].repeats == 2);
    auto stored2 = env.Backend().Calls().Find(c2.responseId.ToString());
    REQUIRE(stored2);
    CHECK(stored2->call.misuse == "call_burst");

    // Another kiosk is another customer; after the window the same kiosk calls anew.
    auto c4 = MakeCall();
    PostOk(env, "k2", {c4}, env.kioskToken[2]);
    env.Clock().Advance(121'000);
    auto c5 = MakeCall();
    c5.late = true;
    PostOk(env, "k1", {c5}, env.kioskToken[1]);
    open = List(env, "?store=s1", env.managerS1);
    REQUIRE(open.calls.size() == 3);
    CHECK(open.calls[0].call.responseId == c5.responseId);  // newest first
    CHECK(open.calls[0].call.late);
    CHECK(open.calls[0].receivedAt == env.Clock().NowUtcMs());

    auto bad = MakeCall(9);
    auto rejected = PostOk(env, "k1", {bad}, env.kioskToken[1]);
    CHECK(rejected.results[0].status == protocol::ItemStatus::Rejected);
    CHECK(rejected.results[0].error->code == "rating_out_of_scale");
    CHECK_FALSE(env.Backend().Calls().Find(bad.responseId.ToString()));

    std::vector<protocol::Call> many;
    for (int i = 0; i < 51; ++i)
        many.push_back(MakeCall());
    auto tooMany = env.Post("/api/v1/calls", Body("k1", many), env.kioskToken[1]);
    CHECK(tooMany->status == 400);
    CHECK(ErrorCode(tooMany) == "too_many_items");
    many.pop_back();
    auto fifty = env.Post("/api/v1/calls", Body("k1", many), env.kioskToken[1]);
    CHECK(fifty->status == 200);
    CHECK(ErrorCode(env.Post("/api/v1/calls", Body("k2", {MakeCall()}), env.kioskToken[1])) ==
          "wrong_kiosk");
    CHECK(ErrorCode(env.Post("/api/v1/calls", Body("k1", {MakeCall()}), env.managerAll)) ==
          "wrong_token_kind");
    CHECK(env.Post("/api/v1/calls", std::string(70 * 1024, ' '), env.kioskToken[1])->status == 413);
    CHECK(ErrorCode(env.Post("/api/v1/calls", "{\"protocol\":1}", env.kioskToken[1])) ==
          "missing_field");
}

FK_SERVER_TEST("help calls: staff list, acknowledge and close within their store's scope") {
    auto c1 = MakeCall();
    PostOk(env, "k1", {c1}, env.kioskToken[1]);
    auto c3 = MakeCall();
    PostOk(env, "k3", {c3}, env.kioskToken[3]);
    const std::string id = c1.responseId.ToString();

    CHECK(List(env, "", env.managerAll).calls.size() == 2);
    CHECK(List(env, "?store=s1", env.managerAll).calls.size() == 1);
    CHECK(List(env, "", env.managerS1).calls.size() == 1);  // its store without ?store=
    CHECK(List(env, "?store=s1", env.kioskToken[2]).calls.size() == 1);  // manager mode on k2
    CHECK(ErrorCode(env.Get("/api/v1/calls?store=s1", env.managerS2)) == "wrong_store");
    CHECK(ErrorCode(env.Get("/api/v1/calls?store=s1", env.kioskToken[3])) == "wrong_store");
    CHECK(ErrorCode(env.Get("/api/v1/calls?store=nope", env.managerAll)) == "unknown_store");
    CHECK(ErrorCode(env.Get("/api/v1/calls?status=maybe", env.managerAll)) == "invalid_parameter");
    CHECK(ErrorCode(env.Get("/api/v1/calls?from=2026-01-01", env.managerAll)) ==
          "missing_parameter");

    // The other store's staff cannot touch it, and cannot tell it exists.
    auto other = env.Post("/api/v1/calls/" + id + "/ack", R"({"by": "Mallory"})", env.managerS2);
    CHECK(other->status == 404);
    CHECK(ErrorCode(other) == "unknown_call");
    CHECK(ErrorCode(env.Post("/api/v1/calls/" + id + "/ack", R"({"by": ""})", env.managerS1)) ==
          "invalid_value");

    auto ack = env.Post("/api/v1/calls/" + id + "/ack", R"({"by": "Asha"})", env.kioskToken[2]);
    REQUIRE(ack->status == 200);
    auto acked = protocol::DecodeCallRecord(ack->body);
    REQUIRE(acked.Ok());
    CHECK(acked->status == protocol::CallStatus::Acknowledged);
    CHECK(acked->ackedBy == "Asha");
    env.Clock().Advance(5000);
    auto again = protocol::DecodeCallRecord(
        env.Post("/api/v1/calls/" + id + "/ack", R"({"by": "Ravi"})", env.managerS1)->body);
    CHECK(again->ackedBy == "Asha");  // the first acknowledgement wins
    CHECK(again->ackedAt == acked->ackedAt);

    auto close = env.Post(
        "/api/v1/calls/" + id + "/close",
        R"({"by": "Ravi", "outcome": "refund_or_replacement", "note": "new cup"})", env.managerS1);
    REQUIRE(close->status == 200);
    auto closed = protocol::DecodeCallRecord(close->body);
    CHECK(closed->status == protocol::CallStatus::Closed);
    CHECK(closed->outcome == protocol::CallOutcome::RefundOrReplacement);
    CHECK(closed->note == "new cup");
    CHECK(closed->ackedBy == "Asha");
    CHECK(ErrorCode(env.Post("/api/v1/calls/" + id + "/close", R"({"by": "x", "outcome": "y"})",
                             env.managerS1)) == "invalid_value");
    CHECK(ErrorCode(env.Post(
              "/api/v1/calls/" + id + "/close",
              R"({"by": "x", "outcome": "other", "note": ")" + std::string(501, 'n') + "\"}",
              env.managerS1)) == "invalid_value");

    CHECK(List(env, "?store=s1", env.managerS1).calls.empty());
    auto all = List(env, "?store=s1&status=all", env.managerS1);
    REQUIRE(all.calls.size() == 1);
    CHECK(all.calls[0].closedBy == "Ravi");

    auto csv = env.Get("/api/v1/calls.csv?store=s1&status=all", env.managerS1);
    REQUIRE(csv->status == 200);
    CHECK(csv->get_header_value("Content-Type").find("text/csv") == 0);
    const auto table = test::ParseCsv(csv->body);
    REQUIRE(table);
    CHECK(test::HasRow(*table, {"response_id", "store_id", "kiosk_id"}));
    CHECK(test::HasRow(*table, {id, "s1"}));
    CHECK(test::HasRow(*table, {"refund_or_replacement"}, test::CellsAt::Anywhere));
    // A date range that holds no call.
    CHECK(List(env, "?store=s1&status=all&from=2020-01-01&to=2020-01-31", env.managerS1)
              .calls.empty());
}

namespace {

// A raw client of one event stream: the test reads it as a browser would.
class StreamClient {
  public:
    StreamClient(int port, const std::string& target, const std::string& token) {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        std::string req = "GET " + target +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                          "Authorization: Bearer " +
                          token + "\r\n\r\n";
        REQUIRE(::send(m_fd, req.data(), req.size(), 0) == static_cast<ssize_t>(req.size()));
    }
    ~StreamClient() { ::close(m_fd); }
    // Reads until text appears (true) or timeoutMs passes (false).
    bool WaitFor(const std::string& text, int timeoutMs) {
        auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (m_data.find(text) == std::string::npos) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            end - std::chrono::steady_clock::now())
                            .count();
            if (left <= 0)
                return false;
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) <= 0)
                continue;
            char buf[4096];
            ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                return false;
            m_data.append(buf, static_cast<std::size_t>(n));
        }
        return true;
    }
    const std::string& Data() const { return m_data; }

  private:
    int m_fd = -1;
    std::string m_data;
};

}  // namespace

FK_SERVER_TEST("help calls: live streams show calls and updates, and hold no worker thread") {
    env.Backend().Calls().AddWebhook({"wh_s1", std::string("s1"), "http://127.0.0.1:9/x", "k"},
                                     env.Clock().NowUtcMs());
    const int port = env.Server().Port();
    auto early = MakeCall();
    PostOk(env, "k1", {early}, env.kioskToken[1]);
    StreamClient s1(port, "/api/v1/calls/stream?store=s1", env.managerS1);
    REQUIRE(s1.WaitFor("event: snapshot", 3000));
    CHECK(s1.WaitFor(early.responseId.ToString(), 3000));
    CHECK(s1.Data().find("text/event-stream") != std::string::npos);
    StreamClient s2(port, "/api/v1/calls/stream?store=s2", env.managerAll);
    REQUIRE(s2.WaitFor("event: snapshot", 3000));
    StreamClient refused(port, "/api/v1/calls/stream?store=s1", env.managerS2);
    CHECK(refused.WaitFor("wrong_store", 3000));

    // More open streams than there are workers (32): requests are still answered.
    std::vector<std::unique_ptr<StreamClient>> many;
    for (int i = 0; i < 40; ++i) {
        many.push_back(std::make_unique<StreamClient>(port, "/api/v1/calls/stream?store=s1",
                                                      env.kioskToken[1]));
    }
    for (auto& s : many)
        REQUIRE(s->WaitFor("event: snapshot", 5000));

    auto call = MakeCall();
    const auto start = std::chrono::steady_clock::now();
    PostOk(env, "k2", {call}, env.kioskToken[2]);
    REQUIRE(
        s1.WaitFor("event: call\ndata: {\"response_id\":\"" + call.responseId.ToString(), 2000));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    for (auto& s : many)
        CHECK(s->WaitFor(call.responseId.ToString(), 2000));
    CHECK(env.Post("/api/v1/calls/" + call.responseId.ToString() + "/ack", R"({"by": "Asha"})",
                   env.managerS1)
              ->status == 200);
    CHECK(s1.WaitFor("event: update", 2000));
    CHECK(s1.WaitFor("\"acked_by\":\"Asha\"", 2000));
    // The other store's stream saw none of it.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    StreamClient(port, "/api/v1/calls/stream?store=s2", env.managerAll).WaitFor("snapshot", 1000);
    CHECK(s2.Data().find(call.responseId.ToString()) == std::string::npos);

    // Never acknowledged: an escalation after escalate_after_s (300 s), on the stream and in the
    // outbox; a kiosk's alert rule that starts firing goes the same way.
    env.Clock().Advance(121'000);
    auto waiting = MakeCall();
    PostOk(env, "k1", {waiting}, env.kioskToken[1]);
    env.Clock().Advance(301'000);
    CHECK(s1.WaitFor(
        "event: escalation\ndata: {\"event\":\"escalation\",\"call\":{\"response_id\":\"" +
            waiting.responseId.ToString(),
        4000));
    auto escalated =
        env.Backend().Calls().Deliveries("escalation:" + waiting.responseId.ToString());
    REQUIRE(escalated.size() == 1);
    CHECK(escalated[0].destination == "webhook:wh_s1");
    auto hb = env.Post("/api/v1/kiosks/k1/heartbeat",
                       R"({"pending": 0, "clock": "2026-11-22T10:15:30.123Z", "version": "1",
                           "alert": "5 of 7 responses negative in the last 15 min"})",
                       env.kioskToken[1]);
    CHECK(hb->status == 200);
    CHECK(s1.WaitFor("event: alert", 2000));
    CHECK(s1.WaitFor("5 of 7 responses negative", 2000));
    const std::string alertKey = "alert:k1:" + std::to_string(env.Clock().NowUtcMs());
    CHECK(env.Backend().Calls().Deliveries(alertKey).size() == 1);
    // The same alert still firing at the next heartbeat is not announced again.
    env.Clock().Advance(1000);
    CHECK(env.Post("/api/v1/kiosks/k1/heartbeat",
                   R"({"pending": 0, "clock": "2026-11-22T10:15:31.123Z", "version": "1",
                       "alert": "5 of 7 responses negative in the last 15 min"})",
                   env.kioskToken[1])
              ->status == 200);
    CHECK(env.Backend()
              .Calls()
              .Deliveries("alert:k1:" + std::to_string(env.Clock().NowUtcMs()))
              .empty());

    // The call report (core::SummarizeCalls): 4 unhappy customers, 3 calls.
    std::vector<core::Response> negative;
    for (int seq = 1; seq <= 4; ++seq)
        negative.push_back(env.MakeResponse(seq, 1));
    CHECK(env.PostBatch(env.MakeBatch("k1", negative), env.kioskToken[1])->status == 200);
    auto report =
        env.Get("/api/v1/reports/calls?store=s1&from=2026-11-01&to=2026-11-30", env.managerS1);
    REQUIRE(report->status == 200);
    auto rj = nlohmann::json::parse(report->body);
    CHECK(rj["total"]["calls"] == 3);
    CHECK(rj["total"]["unhappy"] == 4);
    CHECK(rj["total"]["asked_pct"].get<double>() == doctest::Approx(75.0));
    CHECK(rj["total"]["acknowledged"] == 1);
    CHECK(rj["total"]["overdue"] == 2);
    CHECK(rj["stores"][0]["store"] == "s1");
    auto reportCsv =
        env.Get("/api/v1/reports/calls.csv?store=s1&from=2026-11-01&to=2026-11-30", env.managerS1);
    const auto reportTable = test::ParseCsv(reportCsv->body);
    REQUIRE(reportTable);
    CHECK(test::HasRow(*reportTable, {"group", "store", "rep_id", "calls", "unhappy"}));

    auto metrics = env.Get("/metrics", "");
    auto at = metrics->body.find("\nfk_event_streams ");
    REQUIRE(at != std::string::npos);
    CHECK(std::stoi(metrics->body.substr(at + 18)) >= 42);
}

// Issue 20 item 5: a rep row of the calls report below min_n (and, above store level, below
// [reports] min_group_size, default 5) shows its number of calls and nothing about how they went.
FK_SERVER_TEST("help calls report: per-rep rows below min_n are withheld, counts only") {
    std::vector<protocol::Call> calls;
    for (int i = 0; i < 4; ++i) {
        auto c = MakeCall();
        c.repId = i < 3 ? "r1" : "r2";
        calls.push_back(c);
        PostOk(env, "k1", {c}, env.kioskToken[1]);
        env.Clock().Advance(121'000);  // past the burst window: not folded into the first
    }
    for (const auto& c : calls) {
        REQUIRE(env.Post("/api/v1/calls/" + c.responseId.ToString() + "/ack", R"({"by": "Asha"})",
                         env.managerS1)
                    ->status == 200);
    }
    const std::string range = "from=2026-11-01&to=2026-11-30";
    auto rowOf = [](const nlohmann::json& j, const std::string& rep) {
        for (const auto& r : j["reps"])
            if (r["rep_id"] == rep)
                return r;
        FAIL("no row for " << rep);
        return nlohmann::json();
    };
    auto one = env.Get("/api/v1/reports/calls?store=s1&min_n=3&" + range, env.managerS1);
    REQUIRE(one->status == 200);
    const auto j = nlohmann::json::parse(one->body);
    CHECK(j["min_n"] == 3);
    CHECK(rowOf(j, "r1")["withheld"] == false);
    CHECK(rowOf(j, "r1")["calls"] == 3);
    CHECK(rowOf(j, "r1")["acknowledged"] == 3);
    const auto r2 = rowOf(j, "r2");
    CHECK(r2["withheld"] == true);
    CHECK(r2["calls"] == 1);
    for (const char* key : {"unhappy", "asked_pct", "acknowledged", "ack_p50_s", "ack_p90_s",
                            "closed", "helped", "helped_pct", "overdue"}) {
        CAPTURE(key);
        CHECK(r2[key].is_null());
    }
    CHECK(j["total"]["calls"] == 4);  // the store's figures are never withheld
    CHECK(j["total"]["acknowledged"] == 4);

    auto csv = env.Get("/api/v1/reports/calls.csv?store=s1&min_n=3&" + range, env.managerS1);
    REQUIRE(csv->status == 200);
    const auto table = test::ParseCsv(csv->body);
    REQUIRE(table);
    CHECK(test::HasRow(*table, {"rep", "", "r2", "1", "", "", "", "", "", "", "", "", "", "no"}));
    CHECK(test::HasRow(*table, {"rep", "", "r1", "3"}));
    CHECK(test::HasRow(*table, {"total", "", "", "4"}));

    // Every store at once: at least min_group_size (5), whatever is asked.
    auto all = env.Get("/api/v1/reports/calls?min_n=1&" + range, env.managerAll);
    REQUIRE(all->status == 200);
    const auto aj = nlohmann::json::parse(all->body);
    CHECK(aj["min_n"] == 5);
    CHECK(rowOf(aj, "r1")["withheld"] == true);
    CHECK(rowOf(aj, "r1")["calls"] == 3);
    CHECK(rowOf(aj, "r1")["acknowledged"].is_null());
}

TEST_CASE("server settings: [calls] and [smtp] are read, and half an [smtp] is refused") {
    const auto s = server::ParseServerSettings(R"(
[calls]
burst_window_s = 60
escalate_after_s = 0
[smtp]
url = "smtp://mail.example.com:587"
from = "kiosk@example.com"
to = ["a@example.com", "b@example.com"]
starttls = "try"
ca_file = "/etc/ssl/ca.pem"
)",
                                               "s.toml");
    CHECK(s.callBurstWindowS == 60);
    CHECK(s.escalateAfterS == 0);
    REQUIRE(s.smtp);
    CHECK(s.smtp->to.size() == 2);
    CHECK(s.smtp->starttls == server::SmtpSettings::Tls::Try);
    CHECK(s.smtp->caFile == "/etc/ssl/ca.pem");
    CHECK_FALSE(server::ParseServerSettings("", "e.toml").smtp);
    auto problems = [](const std::string& text) {
        try {
            server::ParseServerSettings(text, "s.toml");
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(problems("[smtp]\nurl = \"smtp://x:25\"\n").find("from") != std::string::npos);
    CHECK(
        problems("[smtp]\nurl = \"http://x\"\nfrom = \"a@b\"\nto = [\"c@d\"]\n").find("smtp.url") !=
        std::string::npos);
    CHECK(problems("[smtp]\nurl = \"smtp://x\"\nfrom = \"a@b\"\nto = [\"c@d\"]\nstarttls = "
                   "\"maybe\"\n")
              .find("starttls") != std::string::npos);
    CHECK(problems("[calls]\nburst_window_s = 99999\n").find("calls.burst_window_s") !=
          std::string::npos);
    // The packaged example file loads.
    CHECK_NOTHROW(server::LoadServerSettings(FK_SOURCE_DIR "/packaging/etc/server.toml"));
}
