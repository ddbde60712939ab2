// libFuzzer target over the kiosk-server's request handling: the real HttpServer (cpp-httplib's
// request parser, our routes, auth, decoding, ingest and reports) over a real SQLite backend on
// 127.0.0.1, one connection per input. The server's handler cannot be called without a socket
// (httplib keeps its request processing private), so each input is sent over loopback, the write
// side is shut down, and the answer is read to the end.
//
// Input: byte 0 chooses the mode. Even: the rest is sent as raw bytes (pipelined requests,
// broken request lines, chunked bodies, anything). Odd: a request is built so the fuzzer reaches
// the handlers: bits 1-2 pick the token (none, kiosk k1, manager of s1, manager of all stores),
// bits 4-6 the method; the rest is "PATH\nHEADER LINES...\n\nBODY", and Host, Authorization and a
// correct Content-Length are added (unless the input sets its own length or transfer encoding).
// Properties: the server always answers a built request; no answer is ever a 5xx (the database
// is healthy, so a 5xx means a handler threw); every error answer is the JSON error shape.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "FuzzCheck.h"
#include "core/Clock.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/HttpServer.h"
#include "server/Tokens.h"

namespace {

struct Env {
    fk::core::FakeClock clock{1'795'000'000'000};
    std::unique_ptr<fk::server::Backend> backend;
    std::unique_ptr<fk::server::HttpServer> server;
    int port = 0;
    std::string tokens[4];  // "", kiosk k1, manager s1, manager all

    Env() {
        backend = fk::server::OpenBackend((fk::fuzz::ScratchDir() / "server.db").string());
        const auto now = clock.NowUtcMs();
        backend->AddStore("s1", "Store \"1\"", now);
        backend->AddStore("s2", "Store 2", now);
        backend->AddKiosk("k1", "s1", now);
        backend->AddKiosk("k2", "s1", now);
        backend->AddKiosk("k3", "s2", now);
        tokens[1] = fk::server::IssueKioskToken(*backend, {"k1", "s1"}, now).secret;
        tokens[2] = fk::server::IssueManagerToken(*backend, std::string("s1"), now).secret;
        tokens[3] = fk::server::IssueManagerToken(*backend, std::nullopt, now).secret;
        fk::protocol::KioskConfig config;
        config.roster = {{"r1", "Asha", true}, {"r2", "=cmd|' /C calc'!A0", true}};
        config.locales = {"en", "hi"};
        config.question = {{"en", "How was your visit?"}};
        backend->SetConfig("s1", "", {fk::protocol::EncodeKioskConfig(config), "\"c1\""}, now);
        fk::server::ServerOptions options;
        options.threads = 4;
        options.maxBodyBytes = 256 * 1024;
        options.maxDecodedBodyBytes = 1024 * 1024;
        server = std::make_unique<fk::server::HttpServer>(*backend, clock, options);
        port = server->Start();
    }
};

Env& TheEnv() {
    static Env* env = new Env();  // never destroyed: server threads may outlive static destructors
    return *env;
}

std::string Lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return out;
}

int g_recvErrno = 0;  // errno of the last failed recv (ECONNRESET: the server reset)

// Sends request and returns everything the server sent before closing. With halfClose the write
// side is shut down at once, so an incomplete request ends; otherwise the request must be
// complete and say "Connection: close". (cpp-httplib drops a response body when it sees the
// client's half-close before writing it, so a half-closed exchange cannot check bodies.)
std::string Exchange(int port, std::string_view request, bool halfClose) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        fk::fuzz::Fail(__FILE__, __LINE__, "socket", "");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{15, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        fk::fuzz::Fail(__FILE__, __LINE__, "connect to the server", "");
    }
    std::size_t sent = 0;
    while (sent < request.size()) {
        const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;  // the server may close early (413, 400): fine
        sent += static_cast<std::size_t>(n);
    }
    if (halfClose)
        ::shutdown(fd, SHUT_WR);
    g_recvErrno = 0;
    std::string answer;
    char buffer[16384];
    while (true) {
        // A complete request gets one answer: stop once its head and Content-Length body are in
        // (httplib keeps a connection open after a 400 for a bad request line, whatever it said).
        if (!halfClose) {
            const std::size_t headEnd = answer.find("\r\n\r\n");
            if (headEnd != std::string::npos) {
                const std::string head = Lower(answer.substr(0, headEnd));
                const std::size_t at = head.find("\r\ncontent-length: ");
                const bool noBody =
                    request.starts_with("HEAD ") || head.starts_with("http/1.1 304");
                if (noBody || (at != std::string::npos &&
                               answer.size() >= headEnd + 4 + std::stoul(head.substr(at + 18)))) {
                    break;
                }
            }
        }
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EAGAIN) {
            fk::fuzz::Fail(__FILE__, __LINE__, "the server answers within 15 s",
                           std::string(request.substr(0, 300)));
        }
        if (n < 0)
            g_recvErrno = errno;
        if (n <= 0)
            break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return answer;
}

bool HasControlBytes(std::string_view text) {
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f)
            return true;
    }
    return false;
}

// Sets ownLength when the request line or a header is malformed (httplib may then wait for more
// instead of answering) or when the input brings its own Content-Length or
// Transfer-Encoding (then the request may be incomplete): such requests are half-closed.
std::string BuildRequest(std::uint8_t mode, std::string_view rest, const Env& env,
                         bool& ownLength) {
    static const char* methods[] = {"GET",  "POST",    "PUT",   "DELETE",
                                    "HEAD", "OPTIONS", "PATCH", "POST"};
    const std::size_t pathEnd = rest.find('\n');
    std::string_view path = rest.substr(0, pathEnd);
    std::string_view headers =
        pathEnd == std::string_view::npos ? std::string_view() : rest.substr(pathEnd + 1);
    std::string_view body;
    if (const std::size_t blank = headers.find("\n\n"); blank != std::string_view::npos) {
        body = headers.substr(blank + 2);
        headers = headers.substr(0, blank + 1);
    }
    std::string request = std::string(methods[(mode >> 4) & 7]) + " " +
                          std::string(path.empty() ? "/" : path) +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (const std::string& token = env.tokens[(mode >> 1) & 3]; !token.empty()) {
        request += "Authorization: Bearer " + token + "\r\n";
    }
    ownLength = HasControlBytes(path) || path.find(' ') != std::string_view::npos;
    std::size_t start = 0;
    while (start < headers.size()) {
        std::size_t end = headers.find('\n', start);
        if (end == std::string_view::npos)
            end = headers.size();
        const std::string_view line = headers.substr(start, end - start);
        if (line.empty() || line == "\r") {  // would end the head early: one request only here
            start = end + 1;
            continue;
        }
        const std::string lower = Lower(line);
        if (lower.starts_with("content-length") || lower.starts_with("transfer-encoding"))
            ownLength = true;
        if (line.find(':') == std::string_view::npos || HasControlBytes(line))
            ownLength = true;
        request.append(line);
        request += "\r\n";
        start = end + 1;
    }
    if (!ownLength)
        request += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n";
    request += "\r\n";
    request.append(body);
    return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    Env& env = TheEnv();
    const std::uint8_t mode = data[0];
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const bool built = (mode & 1) != 0;
    bool ownLength = false;
    const std::string request =
        built ? BuildRequest(mode, rest, env, ownLength) : std::string(rest);
    const bool complete = built && !ownLength;
    const std::string answer = Exchange(env.port, request, !complete);
    const std::string shown = request.substr(0, 600) + "\n  => " + answer.substr(0, 600);
    if (answer.empty()) {
        // Raw bytes that are no request at all may be dropped; a built request is always answered
        // unless it is malformed enough for httplib to close without a word.
        return 0;
    }
    FK_FUZZ_CHECK(answer.starts_with("HTTP/1.1 ") && answer.size() >= 12, shown);
    const int status = std::atoi(answer.substr(9, 3).c_str());
    FK_FUZZ_CHECK(status >= 100 && status < 500, shown);
    // For a complete built request, the error answer has the documented shape.
    if (complete && status >= 400) {
        const std::size_t headerEnd = answer.find("\r\n\r\n");
        FK_FUZZ_CHECK(headerEnd != std::string::npos, shown);
        const std::string lowerHead = Lower(answer.substr(0, headerEnd));
        const std::size_t lengthAt = lowerHead.find("\r\ncontent-length: ");
        if (lengthAt != std::string::npos &&
            lowerHead.find("content-type: application/json") != std::string::npos) {
            const std::size_t length = std::stoul(lowerHead.substr(lengthAt + 18));
            const std::string body = answer.substr(headerEnd + 4, length);
            if (request.starts_with("HEAD "))
                return 0;  // headers only, by definition
            FK_FUZZ_CHECK(body.size() == length,
                          shown + "\n  (recv errno " + std::to_string(g_recvErrno) + ")");
            auto error = fk::protocol::DecodeErrorBody(body);
            FK_FUZZ_CHECK(error.Ok() && !error->code.empty() && !error->message.empty(), shown);
        }
    }
    return 0;
}
