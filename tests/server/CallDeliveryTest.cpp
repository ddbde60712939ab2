// The help-call outbox against real processes: a kiosk-server child, a webhook sink and an SMTP
// sink (python3-aiosmtpd, STARTTLS with a throwaway certificate) on 127.0.0.1. The server is
// killed with SIGKILL after storing a call and failing to deliver it; after a restart the call
// reaches each sink exactly once, signed.
#include <doctest/doctest.h>

#include <httplib.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/Clock.h"
#include "core/Uuid.h"
#include "protocol/Calls.h"
#include "server/Backend.h"
#include "support/ChildProcess.h"
#include "support/FreePort.h"
#include "support/Paths.h"
#include "support/Skip.h"
#include "support/TempDir.h"

namespace {

constexpr const char* kPython = "/usr/bin/python3";

std::string Run(const std::string& cmd, int* code = nullptr) {
    FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    std::array<char, 4096> buf{};
    while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe))
        out.append(buf.data(), n);
    int status = pclose(pipe);
    if (code != nullptr)
        *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

std::string LastLine(std::string t) {
    while (!t.empty() && t.back() == '\n')
        t.pop_back();
    auto nl = t.rfind('\n');
    return nl == std::string::npos ? t : t.substr(nl + 1);
}

// Independent of the server's code: OpenSSL's HMAC over the body with the printed secret.
std::string Hmac(const std::string& key, const std::string& body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
    char hex[3];
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        std::snprintf(hex, sizeof hex, "%02x", mac[i]);
        out += hex;
    }
    return out;
}

struct Hook {
    std::string body, signature, delivery;
    std::chrono::steady_clock::time_point at;
};

class WebhookSink {
  public:
    explicit WebhookSink(int port) {
        m_server.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard lock(m_mutex);
            m_hooks.push_back({req.body, req.get_header_value("X-Kiosk-Signature"),
                               req.get_header_value("X-Kiosk-Delivery"),
                               std::chrono::steady_clock::now()});
            res.set_content("ok", "text/plain");
        });
        m_thread = std::thread([this, port] { m_server.listen("127.0.0.1", port); });
        for (int i = 0; i < 500 && !m_server.is_running(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        REQUIRE(m_server.is_running());
    }
    ~WebhookSink() {
        m_server.stop();
        m_thread.join();
    }
    std::vector<Hook> Hooks() {
        std::lock_guard lock(m_mutex);
        return m_hooks;
    }
    int CountWith(const std::string& text) {
        int n = 0;
        for (const auto& h : Hooks())
            n += h.body.find(text) != std::string::npos ? 1 : 0;
        return n;
    }

  private:
    httplib::Server m_server;
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<Hook> m_hooks;
};

int Count(const std::string& haystack, const std::string& needle) {
    int n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

std::unique_ptr<fk::test::Child> StartServer(const std::string& db, const std::string& config,
                                             int& port) {
    auto child = std::make_unique<fk::test::Child>(
        fk::test::BuildDir() / "kiosk-server",
        std::vector<std::string>{"serve", "--db", db, "--listen", "127.0.0.1:0", "--config",
                                 config},
        true);
    REQUIRE(child->WaitForLine("kiosk-server: serving", 10000));
    const std::string& out = child->Output();
    auto at = out.find("kiosk-server: serving");
    auto colon = out.find(':', out.find(" on ", at) + 4);
    port = std::atoi(out.c_str() + colon + 1);
    REQUIRE(port > 0);
    return child;
}

template <typename F>
bool WaitUntil(F f, int ms) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < end) {
        if (f())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return f();
}

}  // namespace

TEST_CASE(
    "help call outbox: killed after storing, a restarted server delivers the call once to "
    "a signed webhook and by e-mail over STARTTLS") {
    int hasSmtp = 1;
    Run(std::string(kPython) + " -c 'import aiosmtpd'", &hasSmtp);
    if (hasSmtp != 0) {
        if (const char* req = std::getenv("FK_REQUIRE_SMTP"); req && std::string(req) == "1")
            FAIL("python3-aiosmtpd is missing (FK_REQUIRE_SMTP=1); run scripts/setup-deps");
        fk::test::Skip("python3-aiosmtpd is not installed (scripts/setup-deps installs it)");
        return;
    }
    fk::test::TempDir dir;
    const std::string db = "sqlite:" + (dir / "server.db").string();
    const std::string cli = (fk::test::BuildDir() / "kiosk-server").string();
    int code = 0;
    Run(cli + " add-store --db " + db + " --id s1 --name One", &code);
    REQUIRE(code == 0);
    const std::string kioskToken =
        LastLine(Run(cli + " add-kiosk --db " + db + " --store s1 --id k1 2>/dev/null", &code));
    REQUIRE(code == 0);
    const int hookPort = fk::test::FreeLoopbackPort();
    const int smtpPort = fk::test::FreeLoopbackPort();
    const std::string hookOut = Run(
        cli + " add-webhook --db " + db +
            " --store s1 --url http://127.0.0.1:" + std::to_string(hookPort) + "/hook 2>/dev/null",
        &code);
    REQUIRE(code == 0);
    const std::string secret = LastLine(hookOut);
    CHECK(secret.rfind("whsec_", 0) == 0);
    CHECK(secret.size() == 70);
    int bad = 0;
    Run(cli + " add-webhook --db " + db + " --store s1 --url ftp://x", &bad);
    CHECK(bad == 2);

    const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
    Run("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext "
        "subjectAltName=IP:127.0.0.1 -keyout " +
            key + " -out " + cert,
        &code);
    REQUIRE(code == 0);
    const std::string config = (dir / "server.toml").string();
    std::ofstream(config) << "[calls]\nburst_window_s = 0\nescalate_after_s = 0\n[smtp]\n"
                             "url = \"smtp://127.0.0.1:"
                          << smtpPort
                          << "\"\nfrom = \"kiosk@example.com\"\nto = [\"manager@example.com\"]\n"
                             "starttls = \"required\"\nca_file = \""
                          << cert << "\"\n";

    // Both sinks are down: the call is stored, its deliveries fail and wait for a retry.
    int port = 0;
    auto server = StartServer(db, config, port);
    static fk::core::SystemClock clock;
    static fk::core::Uuid7Generator ids(clock);
    fk::protocol::Call call;
    call.responseId = ids.Next();
    call.askedAt = clock.NowUtcMs();
    call.rating = 1;
    call.language = "hi";
    const std::string id = call.responseId.ToString();
    httplib::Client client("127.0.0.1", port);
    httplib::Headers auth{{"Authorization", "Bearer " + kioskToken}};
    auto res = client.Post("/api/v1/calls", auth,
                           fk::protocol::EncodeCallsRequest({1, "k1", {call}}), "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    auto backend = fk::server::OpenBackend(db);
    CHECK(WaitUntil(
        [&] {
            auto d = backend->Calls().Deliveries("call:" + id);
            return d.size() == 2 && d[0].attempts >= 1 && d[1].attempts >= 1;
        },
        5000));
    server->Kill(SIGKILL);
    server->Wait();
    for (const auto& d : backend->Calls().Deliveries("call:" + id))
        CHECK_FALSE(d.delivered);

    WebhookSink sink(hookPort);
    fk::test::Child smtp(
        kPython,
        {"-u", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(smtpPort), "--tlscert",
         cert, "--tlskey", key},
        true);
    REQUIRE(WaitUntil(
        [&] {
            int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_port = htons(static_cast<std::uint16_t>(smtpPort));
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
            ::close(fd);
            return ok;
        },
        10000));
    server = StartServer(db, config, port);
    CHECK(WaitUntil([&] { return sink.CountWith(id) == 1; }, 8000));
    CHECK(WaitUntil(
        [&] {
            smtp.Drain();
            return smtp.Output().find(id) != std::string::npos;
        },
        8000));
    // Nothing is sent twice: not by a retry, not for a resend of the call.
    httplib::Client client2("127.0.0.1", port);
    auto again =
        client2.Post("/api/v1/calls", auth, fk::protocol::EncodeCallsRequest({1, "k1", {call}}),
                     "application/json");
    REQUIRE(again);
    CHECK(again->body.find("duplicate") != std::string::npos);
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    smtp.Drain();
    CHECK(sink.CountWith(id) == 1);
    CHECK(Count(smtp.Output(), "Subject: [Feedback Kiosk] Help call at store s1") == 1);
    // aiosmtpd with a certificate refuses MAIL before STARTTLS: a delivered message went over TLS.
    for (const auto& d : backend->Calls().Deliveries("call:" + id))
        CHECK(d.delivered);
    auto hooks = sink.Hooks();
    REQUIRE(hooks.size() == 1);
    CHECK(hooks[0].signature == "sha256=" + Hmac(secret, hooks[0].body));
    CHECK(hooks[0].signature != "sha256=" + Hmac(secret + "x", hooks[0].body));
    CHECK_FALSE(hooks[0].delivery.empty());
    CHECK(hooks[0].body.find("\"event\":\"call\"") != std::string::npos);

    // Live: a new call reaches the webhook well within 2 s of its POST.
    fk::protocol::Call live = call;
    live.responseId = ids.Next();
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(client2
                .Post("/api/v1/calls", auth, fk::protocol::EncodeCallsRequest({1, "k1", {live}}),
                      "application/json")
                ->status == 200);
    REQUIRE(WaitUntil([&] { return sink.CountWith(live.responseId.ToString()) == 1; }, 2000));
    for (const auto& h : sink.Hooks()) {
        if (h.body.find(live.responseId.ToString()) != std::string::npos) {
            auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(h.at - start).count();
            MESSAGE("POST /api/v1/calls -> webhook received: " << ms << " ms");
            CHECK(ms < 2000);
        }
    }
    server->Kill(SIGTERM);
    server->Wait();
}
