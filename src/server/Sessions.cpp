#include "server/Sessions.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <stdexcept>
#include <variant>

#include "core/Uuid.h"
#include "server/HttpTransport.h"
#include "server/Tokens.h"

namespace fk::server {

namespace {

constexpr std::string_view kIdPrefix = "fks_";
constexpr std::string_view kUserIdPrefix = "fku_";
constexpr std::size_t kIdBytes = 32;
constexpr std::size_t kIdLength = kIdPrefix.size() + kIdBytes * 2;

bool WellFormed(std::string_view id, std::string_view prefix = kIdPrefix) {
    if (id.size() != kIdLength || id.substr(0, prefix.size()) != prefix)
        return false;
    for (char c : id.substr(kIdPrefix.size())) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

// Parses an address; an IPv4-mapped IPv6 address becomes IPv4.
std::optional<TrustedProxies::Range> ParseAddress(const std::string& text) {
    TrustedProxies::Range r;
    if (inet_pton(AF_INET, text.c_str(), r.bytes) == 1) {
        r.family = AF_INET;
        r.prefix = 32;
        return r;
    }
    if (inet_pton(AF_INET6, text.c_str(), r.bytes) == 1) {
        static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (std::memcmp(r.bytes, kMapped, sizeof kMapped) == 0) {
            std::memmove(r.bytes, r.bytes + 12, 4);
            std::memset(r.bytes + 4, 0, 12);
            r.family = AF_INET;
            r.prefix = 32;
            return r;
        }
        r.family = AF_INET6;
        r.prefix = 128;
        return r;
    }
    return std::nullopt;
}

std::variant<TrustedProxies::Range, std::string> ParseEntry(const std::string& entry) {
    const std::string fix =
        "write an IP address or a CIDR range, e.g. \"127.0.0.1\", \"10.0.0.0/8\" or \"::1\"";
    const auto slash = entry.find('/');
    auto address = ParseAddress(entry.substr(0, slash));
    if (!address)
        return "\"" + entry + "\" is not an IP address; " + fix;
    if (slash != std::string::npos) {
        const std::string bits = entry.substr(slash + 1);
        const int max = address->family == AF_INET ? 32 : 128;
        int prefix = -1;
        if (!bits.empty() && bits.size() <= 3 && std::all_of(bits.begin(), bits.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c));
            })) {
            prefix = std::stoi(bits);
        }
        if (prefix < 0 || prefix > max) {
            return "\"" + entry + "\" has a bad prefix length (0 to " + std::to_string(max) +
                   "); " + fix;
        }
        address->prefix = prefix;
    }
    return *address;
}

bool InRange(const TrustedProxies::Range& range, const TrustedProxies::Range& address) {
    if (range.family != address.family)
        return false;
    const int full = range.prefix / 8;
    if (std::memcmp(range.bytes, address.bytes, static_cast<std::size_t>(full)) != 0)
        return false;
    const int rest = range.prefix % 8;
    if (rest == 0)
        return true;
    const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
    return (range.bytes[full] & mask) == (address.bytes[full] & mask);
}

std::string NewId(std::string_view prefix) {
    std::array<unsigned char, kIdBytes> random{};
    core::FillRandom(random.data(), random.size());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(prefix);
    for (unsigned char b : random) {
        id += kHex[b >> 4];
        id += kHex[b & 0xf];
    }
    return id;
}

}  // namespace

Sessions::Sessions(Backend& backend, const core::Clock& clock, std::int64_t lifetimeS)
    : m_backend(backend), m_clock(clock), m_lifetimeS(lifetimeS) {}

Sessions::Created Sessions::Create(const TokenRecord& token) {
    Created created;
    created.id = NewId(kIdPrefix);
    const core::UtcMs now = m_clock.NowUtcMs();
    created.expiresAt = now + m_lifetimeS * 1000;
    // Logins are rare next to requests: purging here keeps the table to live sessions without a
    // background thread (and works the same whichever server process took the login).
    m_backend.PurgeSessions(now);
    m_backend.AddSession(HashToken(created.id), token.id, now, created.expiresAt, kMaxPerToken);
    return created;
}

std::optional<TokenRecord> Sessions::Find(std::string_view id) {
    if (!WellFormed(id))
        return std::nullopt;
    return m_backend.FindSession(HashToken(id), m_clock.NowUtcMs());
}

Sessions::Created Sessions::CreateForUser(const std::string& userName) {
    Created created;
    created.id = NewId(kUserIdPrefix);
    const core::UtcMs now = m_clock.NowUtcMs();
    created.expiresAt = now + m_lifetimeS * 1000;
    m_backend.Users().AddSession(HashToken(created.id), userName, now, created.expiresAt);
    return created;
}

bool Sessions::IsUserSession(std::string_view id) {
    return WellFormed(id, kUserIdPrefix);
}

std::optional<UserRecord> Sessions::FindUser(std::string_view id) {
    if (!WellFormed(id, kUserIdPrefix))
        return std::nullopt;
    return m_backend.Users().FindSession(HashToken(id), m_clock.NowUtcMs());
}

void Sessions::End(std::string_view id) {
    if (WellFormed(id))
        m_backend.DeleteSession(HashToken(id));
    else if (WellFormed(id, kUserIdPrefix))
        m_backend.Users().EndSession(HashToken(id));
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
    for (const auto& entry : entries) {
        auto parsed = ParseEntry(entry);
        if (auto* problem = std::get_if<std::string>(&parsed))
            throw std::invalid_argument(*problem);
        m_ranges.push_back(std::get<Range>(parsed));
    }
}

std::optional<std::string> TrustedProxies::Check(const std::string& entry) {
    auto parsed = ParseEntry(entry);
    if (auto* problem = std::get_if<std::string>(&parsed))
        return *problem;
    return std::nullopt;
}

bool TrustedProxies::Contains(std::string_view peer) const {
    auto address = ParseAddress(std::string(peer));
    if (!address)
        return false;
    for (const auto& range : m_ranges) {
        if (InRange(range, *address))
            return true;
    }
    return false;
}

bool RequestIsSecure(bool serverTls, const TrustedProxies& proxies, std::string_view peer,
                     std::string_view forwardedProto) {
    if (serverTls)
        return true;
    if (forwardedProto.empty() || !proxies.Contains(peer))
        return false;
    const auto comma = forwardedProto.rfind(',');
    std::string last = http::TrimOws(
        comma == std::string_view::npos ? forwardedProto : forwardedProto.substr(comma + 1));
    for (auto& c : last)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return last == "https";
}

std::string SessionCookieHeader(std::string_view value, std::int64_t maxAgeS, bool secure) {
    return std::string(kSessionCookieName) + "=" + std::string(value) +
           "; Path=/; Max-Age=" + std::to_string(maxAgeS) + "; HttpOnly; SameSite=Strict" +
           (secure ? "; Secure" : "");
}

}  // namespace fk::server
