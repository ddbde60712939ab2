#pragma once
// The server's settings file (`kiosk-server serve --config /etc/kiosk-server/server.toml`; the
// documented example is packaging/etc/server.toml). Every key is optional; command-line options
// override the file. Unknown keys, wrong types and bad values are refused with file:line and how
// to fix them. Plain values; thread-safe to copy and read.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/CallDispatcher.h"

namespace fk::server {

struct ServerSettings {
    std::optional<std::string> listen;                       // [server] listen = "HOST:PORT"
    std::optional<std::string> tlsCert;                      // [server] tls_cert
    std::optional<std::string> tlsKey;                       // [server] tls_key
    std::optional<std::vector<std::string>> trustedProxies;  // [server] trusted_proxies
    std::optional<std::string> database;                     // [database] url
    std::optional<int> poolSize;                             // [database] pool_size
    std::optional<std::int64_t> sessionLifetimeS;            // [web] session_lifetime_s
    std::optional<std::int64_t> accessLogKeepDays;           // [web] access_log_keep_days
    std::optional<std::int64_t> staleAfterS;                 // [reports] stale_after_s
    std::optional<std::int64_t> minGroupSize;                // [reports] min_group_size
    std::optional<std::int64_t> keepResponsesDays;           // [retention] responses_days
    std::optional<std::string> privacyContact;               // [privacy] contact
    std::optional<std::string> organisation;                 // [privacy] organisation
    std::optional<std::int64_t> callBurstWindowS;            // [calls] burst_window_s
    std::optional<std::int64_t> escalateAfterS;              // [calls] escalate_after_s
    // [alerts]: the store-level rule over every till (issue 18): store = false turns it off.
    std::optional<bool> storeAlerts;                // [alerts] store
    std::optional<std::int64_t> storeNegativePct;   // [alerts] store_negative_pct
    std::optional<std::int64_t> storeWindowMin;     // [alerts] store_window_min
    std::optional<std::int64_t> storeMinResponses;  // [alerts] store_min_responses
    // [smtp] url, from, to, username, password, starttls ("required" | "try" | "none"), ca_file.
    std::optional<SmtpSettings> smtp;
    // [limits]: what one server process lets the network make it hold (HttpTransport.h's
    // TransportLimits; the defaults there when unset).
    struct Limits {
        std::optional<std::int64_t> maxConnections;            // max_connections
        std::optional<std::int64_t> maxConnectionsPerAddress;  // max_connections_per_address
        std::optional<std::int64_t> headDeadlineS;             // head_deadline_s
        std::optional<std::int64_t> idleTimeoutS;              // idle_timeout_s
        std::optional<std::int64_t> maxBodyBytes;              // max_body_bytes
        std::optional<std::int64_t> maxDecodedBodyBytes;       // max_decoded_body_bytes
        std::optional<std::int64_t> queueSize;                 // queue_size
        std::optional<std::int64_t> workers;                   // workers
    } limits;
};

// The [limits] ranges: the settings file refuses values outside them.
struct LimitRanges {
    static constexpr std::int64_t kMaxConnections = 100'000;
    static constexpr std::int64_t kMaxHeadDeadlineS = 10;  // issue 13: at most 10 s for a head
    static constexpr std::int64_t kMaxIdleTimeoutS = 300;
    static constexpr std::int64_t kMinBodyBytes = 64 * 1024;
    static constexpr std::int64_t kMaxBodyBytes = 64 * 1024 * 1024;
    static constexpr std::int64_t kMaxDecodedBodyBytes = 256 * 1024 * 1024;
    static constexpr std::int64_t kMaxQueueSize = 65'536;
    static constexpr std::int64_t kMaxWorkers = 256;
};

// Throw config::ConfigError (every problem, each with file:line) when the file is missing,
// unreadable, not TOML or has unknown keys or bad values.
ServerSettings LoadServerSettings(const std::filesystem::path& file);
ServerSettings ParseServerSettings(std::string_view text, std::string_view fileName);

// "HOST:PORT" (IPv6 as [ADDR]:PORT) into host and port 0..65535; false when malformed.
bool ParseListen(const std::string& listen, std::string& host, int& port);

}  // namespace fk::server
