#include <doctest/doctest.h>
#include <httplib.h>

#include <thread>

#include "support/RawTcpServer.h"
#include "sync/Gzip.h"
#include "sync/HttpClient.h"

using namespace fk::sync;
using fk::test::RawTcpServer;
using namespace std::chrono_literals;

namespace {

// A real cpp-httplib server on 127.0.0.1 with an ephemeral port, stopped on destruction.
class LocalServer {
  public:
    LocalServer() {
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running())
            std::this_thread::sleep_for(1ms);
    }
    ~LocalServer() {
        m_server.stop();
        m_thread.join();
    }
    httplib::Server& Server() { return m_server; }
    std::string Url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(m_port) + path;
    }

  private:
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
};

HttpResponse Ok(const HttpResult& result) {
    if (auto* error = std::get_if<TransportError>(&result))
        FAIL("transport error: " << to_string(*error));
    return std::get<HttpResponse>(result);
}

TransportError Failed(const HttpResult& result) {
    if (std::holds_alternative<HttpResponse>(result))
        FAIL("expected a transport error");
    return std::get<TransportError>(result);
}

}  // namespace

TEST_CASE("http client posts a gzip body with headers and reads status, headers and body") {
    LocalServer server;
    std::string seenBody, seenAuth, seenEncoding;
    server.Server().Post("/echo", [&](const httplib::Request& req, httplib::Response& res) {
        seenBody = req.body;  // cpp-httplib inflates Content-Encoding: gzip itself
        seenAuth = req.get_header_value("Authorization");
        seenEncoding = req.get_header_value("Content-Encoding");
        res.set_header("Retry-After", "7");
        res.status = 201;
        res.set_content(R"({"ok":true})", "application/json");
    });
    HttpClient client;
    std::string body = R"({"protocol":1})";
    HttpRequest request{"POST",
                        server.Url("/echo"),
                        {{"Authorization", "Bearer abc"},
                         {"Content-Type", "application/json"},
                         {"Content-Encoding", "gzip"}},
                        GzipCompress(body)};
    const auto& response = Ok(client.Send(request));
    CHECK(response.status == 201);
    CHECK(response.body == R"({"ok":true})");
    CHECK(response.Header("retry-after") == "7");
    CHECK(response.Header("content-type") == "application/json");
    CHECK(seenBody == body);
    CHECK(seenAuth == "Bearer abc");
    CHECK(seenEncoding == "gzip");
}

TEST_CASE("http client returns 5xx and HTML 200 as responses for the caller to judge") {
    LocalServer server;
    server.Server().Get("/boom", [](const httplib::Request&, httplib::Response& res) {
        res.status = 500;
        res.set_content("oops", "text/plain");
    });
    server.Server().Get("/portal", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("<html>Sign in to Wi-Fi</html>", "text/html");
    });
    HttpClient client;
    CHECK(Ok(client.Send({"GET", server.Url("/boom"), {}, {}})).status == 500);
    const auto& portal = Ok(client.Send({"GET", server.Url("/portal"), {}, {}}));
    CHECK(portal.status == 200);
    CHECK(portal.Header("content-type") == "text/html");
}

TEST_CASE("http client times out on a server slower than its total timeout") {
    LocalServer server;
    server.Server().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(1500ms);
        res.set_content("late", "text/plain");
    });
    HttpOptions options;
    options.totalTimeout = 300ms;
    HttpClient client(options);
    const auto& error = Failed(client.Send({"GET", server.Url("/slow"), {}, {}}));
    CHECK(error.kind == TransportErrorKind::Timeout);
    CHECK(error.message.find("/slow") != std::string::npos);
}

TEST_CASE("http client reports a refused connection") {
    int port;
    {
        RawTcpServer closed([](int, const std::string&) {});
        port = closed.Port();
    }
    HttpClient client;
    const auto& error =
        Failed(client.Send({"GET", "http://127.0.0.1:" + std::to_string(port) + "/", {}, {}}));
    CHECK_MESSAGE(error.kind == TransportErrorKind::ConnectFailed, error.message);
}

TEST_CASE("http client reports a connection reset mid-body and a truncated body as lost") {
    RawTcpServer reset([](int fd, const std::string&) {
        RawTcpServer::Write(fd,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            "100\r\n\r\n{\"res");
        RawTcpServer::Reset(fd);
    });
    HttpClient client;
    CHECK(Failed(client.Send({"GET", reset.Url(), {}, {}})).kind ==
          TransportErrorKind::ConnectionLost);

    RawTcpServer truncated([](int fd, const std::string&) {
        RawTcpServer::Write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"results\":[");
    });
    CHECK(Failed(client.Send({"GET", truncated.Url(), {}, {}})).kind ==
          TransportErrorKind::ConnectionLost);

    RawTcpServer silent([](int, const std::string&) {});
    CHECK(Failed(client.Send({"GET", silent.Url(), {}, {}})).kind ==
          TransportErrorKind::ConnectionLost);
}

TEST_CASE("http client refuses a malformed url and an unsupported scheme") {
    HttpClient client;
    CHECK(Failed(client.Send({"GET", "ftp://127.0.0.1/x", {}, {}})).kind ==
          TransportErrorKind::BadUrl);
}

TEST_CASE("http client reads a reply of exactly its limit and stops at one byte more") {
    LocalServer server;
    server.Server().Get("/exact", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(4096, 'a'), "text/plain");
    });
    server.Server().Get("/over", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(4097, 'a'), "text/plain");
    });
    HttpOptions options;
    options.maxResponseBytes = 4096;
    HttpClient client(options);
    CHECK(Ok(client.Send({"GET", server.Url("/exact"), {}, ""})).body.size() == 4096);
    const TransportError error = Failed(client.Send({"GET", server.Url("/over"), {}, ""}));
    CHECK(error.message.find("larger than 4096 bytes") != std::string::npos);
    // The client is still usable after it stopped reading.
    CHECK(Ok(client.Send({"GET", server.Url("/exact"), {}, ""})).status == 200);
}
