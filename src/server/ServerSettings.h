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
    std::optional<std::int64_t> staleAfterS;                 // [reports] stale_after_s
    std::optional<std::int64_t> callBurstWindowS;            // [calls] burst_window_s
    std::optional<std::int64_t> escalateAfterS;              // [calls] escalate_after_s
    // [smtp] url, from, to, username, password, starttls ("required" | "try" | "none"), ca_file.
    std::optional<SmtpSettings> smtp;
};

// Throw config::ConfigError (every problem, each with file:line) when the file is missing,
// unreadable, not TOML or has unknown keys or bad values.
ServerSettings LoadServerSettings(const std::filesystem::path& file);
ServerSettings ParseServerSettings(std::string_view text, std::string_view fileName);

// "HOST:PORT" (IPv6 as [ADDR]:PORT) into host and port 0..65535; false when malformed.
bool ParseListen(const std::string& listen, std::string& host, int& port);

}  // namespace fk::server
