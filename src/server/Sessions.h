#pragma once
// Web dashboard sessions. A login with a manager token gets an opaque random session id (32
// bytes from the kernel CSPRNG) as its cookie; the database keeps only the id's SHA-256, the
// token it came from and an expiry the server enforces. Logout deletes it, revoking the token
// ends it, and every server process on the same database sees the same sessions, so servers
// behind a load balancer are interchangeable. Thread-safe (the backend is).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Clock.h"
#include "server/Backend.h"

namespace fk::server {

class Sessions {
  public:
    // Live sessions one token may have; a login beyond that ends the token's oldest session (a
    // leaked or scripted token cannot fill the table).
    static constexpr int kMaxPerToken = 50;

    // backend and clock must outlive this. lifetimeS: how long a session lasts after login.
    Sessions(Backend& backend, const core::Clock& clock, std::int64_t lifetimeS);

    struct Created {
        std::string id;  // the cookie value: "fks_" + 64 hex digits; never stored
        core::UtcMs expiresAt = 0;
    };
    // Starts a session for token (already authenticated), purges expired sessions and ends the
    // token's oldest beyond kMaxPerToken. Throws BackendError.
    Created Create(const TokenRecord& token);
    // The session's token; nullopt when the id is malformed, unknown, expired or its token
    // revoked. A malformed id costs no database round trip. Throws BackendError.
    std::optional<TokenRecord> Find(std::string_view id);
    // A person's session (server/UserStore.h): the cookie value starts "fku_", so a request
    // needs one lookup whichever kind it carries. Ends the user's oldest beyond
    // UserStore::kMaxSessionsPerUser.
    Created CreateForUser(const std::string& userName);
    static bool IsUserSession(std::string_view id);
    // The session's user; nullopt when malformed, unknown, expired or the user is disabled.
    std::optional<UserRecord> FindUser(std::string_view id);
    // Logout: deletes the session (an unknown or malformed id is a no-op). Throws BackendError.
    void End(std::string_view id);
    std::int64_t LifetimeS() const { return m_lifetimeS; }

  private:
    Backend& m_backend;
    const core::Clock& m_clock;
    std::int64_t m_lifetimeS;
};

// Peer addresses whose X-Forwarded-Proto header is believed: IPv4/IPv6 addresses and CIDR
// ranges ("127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"). Immutable after construction.
class TrustedProxies {
  public:
    TrustedProxies() = default;
    // Throws std::invalid_argument naming the bad entry and the accepted forms.
    explicit TrustedProxies(const std::vector<std::string>& entries);
    // Checks one entry; the problem ("what is wrong, how to write it") or nullopt when fine.
    static std::optional<std::string> Check(const std::string& entry);
    // peer: the socket's remote address as text (an IPv4-mapped IPv6 address counts as IPv4).
    bool Contains(std::string_view peer) const;
    bool Empty() const { return m_ranges.empty(); }

    struct Range {
        int family = 0;  // AF_INET or AF_INET6
        unsigned char bytes[16] = {};
        int prefix = 0;
    };

  private:
    std::vector<Range> m_ranges;
};

// Whether the browser reached us over TLS: the server itself speaks TLS, or a trusted proxy
// (peer in proxies) said X-Forwarded-Proto: https (the last value of a list: the one the nearest
// proxy added). The header from any other peer is ignored.
bool RequestIsSecure(bool serverTls, const TrustedProxies& proxies, std::string_view peer,
                     std::string_view forwardedProto);

// The Set-Cookie value for the session cookie (empty value with maxAgeS 0: logout).
std::string SessionCookieHeader(std::string_view value, std::int64_t maxAgeS, bool secure);

constexpr std::string_view kSessionCookieName = "fk_session";

}  // namespace fk::server
