#pragma once
// A blocking HTTP(S) client over libcurl (curl.h stays in HttpClient.cpp). One HttpClient per
// thread: it owns one curl easy handle and reuses its connection. Send never throws for network
// trouble: a transport failure is a TransportError value; an HTTP status, any status, is a
// response. Whether a response means success is the caller's call (protocol payload errors are a
// third kind of failure, decided above this layer).

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace fk::sync {

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased; last value wins
    std::string body;

    std::optional<std::string> Header(const std::string& lowerName) const;
};

enum class TransportErrorKind {
    Timeout,
    ConnectFailed,
    ResolveFailed,
    Tls,
    ConnectionLost,
    BadUrl,
    Other
};
std::string to_string(TransportErrorKind kind);

struct TransportError {
    TransportErrorKind kind = TransportErrorKind::Other;
    std::string message;  // curl's words plus the URL
};
std::string to_string(const TransportError& error);

using HttpResult = std::variant<HttpResponse, TransportError>;

// Every timeout this client uses is set from here, in one function in the .cpp.
struct HttpOptions {
    std::chrono::milliseconds connectTimeout{5000};
    std::chrono::milliseconds totalTimeout{30000};
    // Abort when fewer than lowSpeedBytes per second flow for lowSpeedTime (a stalled peer).
    long lowSpeedBytes = 1;
    std::chrono::seconds lowSpeedTime{15};
    // A reply body larger than this (after decompression) is a TransportError, not a response:
    // a hostile or broken server cannot make the kiosk buffer without end.
    std::size_t maxResponseBytes = 16u << 20;
    bool verifyTls = true;
    std::optional<std::filesystem::path> caFile;
    std::string userAgent = "feedback-kiosk";
};

class HttpClient {
  public:
    explicit HttpClient(HttpOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    HttpResult Send(const HttpRequest& request);
    const HttpOptions& Options() const { return m_options; }

  private:
    void ApplyOptions();
    HttpOptions m_options;
    void* m_curl = nullptr;  // CURL*
};

}  // namespace fk::sync
