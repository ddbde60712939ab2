#pragma once
// The kiosk-server's HTTP API (docs/API.md): protocol v1 ingest, kiosk config/heartbeat/status,
// reports, health and metrics, with bearer-token rules. The route handlers here know no HTTP
// library: HttpTransport (the one file that does) reads and limits requests on its event thread
// and runs handlers on a bounded worker pool; parsing and validation happen there, and only the
// database write takes the backend's writer lock.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Alerts.h"
#include "core/Clock.h"
#include "server/Backend.h"
#include "server/CallDispatcher.h"
#include "server/HttpTransport.h"

namespace fk::server {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 0;                        // 0: any free port (tests); see Bind()
    std::optional<std::string> tlsCert;  // both set: HTTPS
    std::optional<std::string> tlsKey;
    std::size_t maxBodyBytes = 4 * 1024 * 1024;          // on the wire (413 beyond)
    std::size_t maxDecodedBodyBytes = 16 * 1024 * 1024;  // after gzip (413 beyond)
    std::size_t maxBatchResponses = 1000;
    int maxInFlightPerKiosk = 2;  // concurrent batch posts from one kiosk beyond this: 429
    int threads = 32;             // workers for requests (idle connections cost none)
    // Connection, head, queue and time limits (HttpTransport.h); maxBodyBytes,
    // maxDecodedBodyBytes and threads above take precedence over the same fields there.
    http::TransportLimits limits;
    // Fleet view: a kiosk with no heartbeat or batch for this long is flagged stale.
    std::int64_t staleAfterS = 3600;
    // Web sessions last this long after login (server-enforced; server/Sessions.h).
    std::int64_t sessionLifetimeS = 12 * 3600;
    // The access log of per-rep views and exports keeps this many days ([web]
    // access_log_keep_days).
    std::int64_t accessLogKeepDays = 365;
    // Raw responses older than this many days are deleted (server/Privacy.h; their roll-ups stay)
    // on the server and, told in the heartbeat answer, on the kiosks ([retention] responses_days).
    std::int64_t keepResponsesDays = 400;
    // A per-rep figure seen above store level (every store at once, or by an admin, head office
    // or an all-stores token) needs at least this many responses: the report's min_n is raised
    // to it ([reports] min_group_size).
    std::int64_t minGroupSize = 5;
    // The staff notice's "whom to ask" and "who runs this" ([privacy] contact, organisation).
    std::string privacyContact;
    std::string organisation;
    // Peers (addresses or CIDR ranges) whose X-Forwarded-Proto: https makes the session cookie
    // Secure; the header from anyone else is ignored. Bad entries: the constructor throws.
    std::vector<std::string> trustedProxies;
    // Help calls (issue 16): further calls of a kiosk within this window of its open call are
    // folded into it ([calls] burst_window_s); a call nobody acknowledged for escalateAfterS is
    // sent again as an escalation (0: never; [calls] escalate_after_s).
    std::int64_t callBurstWindowS = 120;
    std::int64_t escalateAfterS = 300;
    std::optional<SmtpSettings> smtp;  // [smtp]: e-mail every call, escalation and alert
    bool dispatchCalls = true;         // run the outbox sender thread (CallDispatcher)
    // Store-level alerts (issue 18): this rule over every till of a store, evaluated after each
    // batch that stored a response inside its window ([alerts] store_* in the settings file).
    bool storeAlerts = true;
    core::AlertRule storeAlertRule;
};

class HttpServer {
  public:
    // The backend and clock must outlive the server. Throws std::runtime_error when the TLS
    // certificate or key cannot be loaded or a trusted proxy entry is malformed.
    HttpServer(Backend& backend, const core::Clock& clock, ServerOptions options);
    ~HttpServer();  // stops and joins
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds the listening socket; returns the port. Throws std::runtime_error if it cannot bind.
    int Bind();
    // Serves until Stop() (binds first if needed). Blocking.
    void Serve();
    // Bind() and Serve() on a background thread; returns the port once listening.
    int Start();
    void Stop();
    int Port() const;
    std::string BaseUrl() const;  // "http://127.0.0.1:PORT" (https when TLS)

    // Every route the server answers, in its table's order (the access test walks them all).
    struct RouteInfo {
        std::string method;
        std::string pattern;  // the path's regular expression
        std::string label;    // server/Access.h's rule key and /metrics label
    };
    std::vector<RouteInfo> RouteTable() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace fk::server
