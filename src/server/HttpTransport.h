#pragma once
// The HTTP/1.1 connection layer of kiosk-server: the only code that knows the HTTP library
// (Boost.Beast on Boost.Asio; docs/ARCHITECTURE.md says why). Route handling (HttpServer.cpp)
// sees only the plain Request/Response below.
//
// Threads: one event thread owns every socket (accept, TLS handshake, reading heads and bodies,
// writing answers), so an idle keep-alive connection costs no thread. A request whose head and
// body are complete is queued for a fixed pool of workers (bounded queue: full -> 503 with
// Retry-After at once); "lane" requests (health, metrics) have their own thread and queue, so
// they are never stuck behind slow writes. Handler methods are called on worker threads,
// concurrently; Inspect() on the event thread (it must not block).
//
// Limits (TransportLimits) hold without a reverse proxy; every violation gets a JSON error and
// `Connection: close` when the body was not read to its end, so no unread byte is ever parsed as
// the next request.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fk::server::http {

// A header value without HTTP's optional white space (spaces, tabs) at either end.
std::string TrimOws(std::string_view s);

struct Match {
    std::string value;
    bool matched = false;
    const std::string& str() const { return value; }
};

// One request as the route handlers see it. Header names compare case-insensitively.
struct Request {
    std::string method;
    std::string path;                                // percent-decoded, without the query
    std::multimap<std::string, std::string> params;  // query, percent-decoded
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // decoded (gunzipped) when the route allows Content-Encoding
    std::string remoteAddress;
    bool tls = false;
    std::vector<Match> matches;  // [0] whole path, then the route pattern's groups
    std::string routeLabel;      // the matched route's label (server/Access.h rules)

    std::string get_header_value(const std::string& name) const;
    bool has_header(const std::string& name) const;
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string contentType;
    // Set: a server-sent event stream of this topic. The transport answers 200
    // text/event-stream with `body` as the first events and keeps the connection; its event thread
    // owns it from then on (no worker waits on it) and writes what Transport::Publish sends to
    // the topic, plus a comment line every streamHeartbeat.
    std::optional<std::string> eventStream;

    void set_header(const std::string& name, const std::string& value);
    void set_content(std::string content, std::string type) {
        body = std::move(content);
        contentType = std::move(type);
    }
};

// The one JSON error answer every route and the transport itself sends: `{"error": code,
// "message": ...}` (protocol::EncodeError) with `status`. `message` says what is wrong and how to
// fix it; never internals.
void SetError(Response& res, int status, std::string_view code, const std::string& message);

// What a route allows, decided from the request head before any body byte is read.
struct RoutePlan {
    bool found = false;  // false: 404 (or 405 with methodAllowed false)
    bool methodAllowed = true;
    std::size_t maxBodyBytes = 0;  // on the wire, Content-Length and chunked alike (413 beyond)
    bool compressedBody = false;   // Content-Encoding gzip/deflate allowed (415 elsewhere)
    bool lane = false;             // health/metrics: served by their own thread
    std::string label;             // metrics label from a fixed set of route templates
};

class Handler {
  public:
    virtual ~Handler() = default;
    // Event thread; must be quick and must not block.
    virtual RoutePlan Inspect(const std::string& method, const std::string& path) = 0;
    // Worker threads, concurrently. The request is the handler's to change (it fills matches).
    // Exceptions become a 503 without details (logged).
    virtual void Handle(Request& request, Response& response) = 0;
    // Any thread: a finished request (also the ones the transport refused itself).
    virtual void Count(const std::string& label, int status) = 0;
};

struct TransportLimits {
    std::chrono::milliseconds headDeadline{10'000};  // whole request head, from its first byte
    std::chrono::milliseconds idleTimeout{30'000};   // keep-alive wait for the next request
    std::size_t bodyRateFloorBytesPerS = 4096;       // after the grace below, slower bodies: 408
    std::chrono::milliseconds bodyGrace{10'000};
    std::size_t maxRequestTarget = 8 * 1024;             // 414 beyond
    std::size_t maxHeadBytes = 16 * 1024;                // request line + headers; 431 beyond
    std::size_t maxHeaderCount = 64;                     // 431 beyond
    std::size_t maxBodyBytes = 4 * 1024 * 1024;          // the largest body any route takes
    std::size_t maxDecodedBodyBytes = 16 * 1024 * 1024;  // after gzip (413 beyond)
    // Beyond: accepted and closed at once. 10,000 kiosks' keep-alive connections plus headroom:
    // at 10,000 open, /healthz and a new kiosk are still let in (kiosk-bench fleet --idle).
    std::size_t maxConnections = 16'384;
    std::size_t maxConnectionsPerAddress = 256;
    std::size_t queueCapacity = 512;                 // waiting requests; beyond: 503 + Retry-After
    std::chrono::milliseconds maxQueueWait{20'000};  // older queued requests are dropped
    int workers = 32;
    std::chrono::milliseconds stopGrace{1'500};  // Stop(): in-flight requests get this long
    std::size_t maxEventStreams = 1000;          // open SSE streams; beyond: 503 too_many_streams
    std::chrono::milliseconds streamHeartbeat{15'000};  // ": keep-alive" comment on idle streams
    std::size_t maxStreamBacklog = 256 * 1024;  // unsent bytes of a slow stream: closed beyond
};

struct TransportOptions {
    std::string host = "127.0.0.1";
    int port = 0;  // 0: any free port
    std::optional<std::string> tlsCert;
    std::optional<std::string> tlsKey;
    TransportLimits limits;
};

class Transport {
  public:
    // The handler must outlive the transport. Throws std::runtime_error when the TLS files
    // cannot be loaded.
    Transport(TransportOptions options, Handler& handler);
    ~Transport();  // Stop()
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    // Binds and listens (backlog: the system maximum; SO_REUSEADDR, never SO_REUSEPORT, so a
    // second server on the same port fails here). Raises RLIMIT_NOFILE's soft limit to the hard
    // one. Returns the port. Throws std::runtime_error with the reason.
    int Bind();
    // Serves until Stop() (binds first if needed). Blocking; call from one thread.
    void Run();
    bool Running() const;
    // From any thread: stops accepting, closes idle connections, lets in-flight requests finish
    // for up to stopGrace, then closes everything; Run() returns. Idempotent.
    void Stop();
    int Port() const;
    // From any thread: sends data (whole "data: ...\n\n" events) to every open event stream of
    // the topic. Returns at once; the event thread writes.
    void Publish(const std::string& topic, const std::string& data);

    // Figures for /metrics.
    struct Stats {
        std::int64_t openConnections = 0;
        std::int64_t queued = 0;
        std::int64_t refusedBusy = 0;         // 503 queue full
        std::int64_t refusedConnections = 0;  // over maxConnections / per address
        std::int64_t droppedGone = 0;   // client gone or waited too long before a worker took it
        std::int64_t eventStreams = 0;  // open SSE streams
    };
    Stats GetStats() const;

    struct Impl;  // HttpTransport.cpp only (public so its connection classes can name it)

  private:
    std::shared_ptr<Impl> m_impl;
};

}  // namespace fk::server::http
