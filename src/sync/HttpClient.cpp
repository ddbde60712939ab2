#include "sync/HttpClient.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

namespace fk::sync {

namespace {

void GlobalInitOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct BodySink {
    std::string* body;
    std::size_t max;
    bool tooLarge = false;
};

std::size_t WriteBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<BodySink*>(user);
    if (sink->body->size() + size * count > sink->max) {
        sink->tooLarge = true;
        return 0;  // curl stops with CURLE_WRITE_ERROR
    }
    sink->body->append(data, size * count);
    return size * count;
}

std::size_t WriteHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* headers = static_cast<std::map<std::string, std::string>*>(user);
    std::string line(data, size * count);
    auto colon = line.find(':');
    if (line.rfind("HTTP/", 0) == 0) {
        headers->clear();  // a new response (after 100-continue or a redirect)
    } else if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string value = line.substr(colon + 1);
        auto notSpace = [](unsigned char c) { return !std::isspace(c); };
        value.erase(value.begin(), std::find_if(value.begin(), value.end(), notSpace));
        value.erase(std::find_if(value.rbegin(), value.rend(), notSpace).base(), value.end());
        (*headers)[name] = value;
    }
    return size * count;
}

TransportErrorKind Classify(CURLcode code) {
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            return TransportErrorKind::Timeout;
        case CURLE_COULDNT_CONNECT:
            return TransportErrorKind::ConnectFailed;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return TransportErrorKind::ResolveFailed;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
            return TransportErrorKind::Tls;
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
            return TransportErrorKind::ConnectionLost;
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
            return TransportErrorKind::BadUrl;
        default:
            return TransportErrorKind::Other;
    }
}

}  // namespace

std::optional<std::string> HttpResponse::Header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    if (it == headers.end())
        return std::nullopt;
    return it->second;
}

std::string to_string(TransportErrorKind kind) {
    switch (kind) {
        case TransportErrorKind::Timeout:
            return "timeout";
        case TransportErrorKind::ConnectFailed:
            return "connect_failed";
        case TransportErrorKind::ResolveFailed:
            return "resolve_failed";
        case TransportErrorKind::Tls:
            return "tls";
        case TransportErrorKind::ConnectionLost:
            return "connection_lost";
        case TransportErrorKind::BadUrl:
            return "bad_url";
        case TransportErrorKind::Other:
            return "other";
    }
    return "other";
}

std::string to_string(const TransportError& error) {
    return to_string(error.kind) + ": " + error.message;
}

HttpClient::HttpClient(HttpOptions options) : m_options(std::move(options)) {
    GlobalInitOnce();
    m_curl = curl_easy_init();
    if (m_curl == nullptr)
        throw std::runtime_error("curl_easy_init failed (out of memory?)");
}

HttpClient::~HttpClient() {
    curl_easy_cleanup(static_cast<CURL*>(m_curl));
}

void HttpClient::ApplyOptions() {
    CURL* curl = static_cast<CURL*>(m_curl);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(m_options.connectTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.totalTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, m_options.lowSpeedBytes);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(m_options.lowSpeedTime.count()));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, m_options.verifyTls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, m_options.verifyTls ? 2L : 0L);
    if (m_options.caFile)
        curl_easy_setopt(curl, CURLOPT_CAINFO, m_options.caFile->c_str());
    curl_easy_setopt(curl, CURLOPT_USERAGENT, m_options.userAgent.c_str());
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    // Let curl decode gzip/deflate replies; the body handed back is always plain.
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
}

HttpResult HttpClient::Send(const HttpRequest& request) {
    CURL* curl = static_cast<CURL*>(m_curl);
    curl_easy_reset(curl);
    ApplyOptions();

    HttpResponse response;
    curl_slist* headerList = nullptr;
    for (const auto& [name, value] : request.headers) {
        headerList = curl_slist_append(headerList, (name + ": " + value).c_str());
    }
    // No "Expect: 100-continue" round trip on large bodies.
    headerList = curl_slist_append(headerList, "Expect:");

    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headerList);
    if (request.method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
    BodySink sink{&response.body, m_options.maxResponseBytes};
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, WriteHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
    char errorBuffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);

    CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headerList);
    if (code != CURLE_OK && sink.tooLarge) {
        return TransportError{TransportErrorKind::Other,
                              request.method + " " + request.url + ": the reply is larger than " +
                                  std::to_string(m_options.maxResponseBytes) +
                                  " bytes; the kiosk stopped reading it"};
    }
    if (code != CURLE_OK) {
        std::string detail = errorBuffer[0] != '\0' ? errorBuffer : curl_easy_strerror(code);
        return TransportError{Classify(code), request.method + " " + request.url + ": " + detail};
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace fk::sync
