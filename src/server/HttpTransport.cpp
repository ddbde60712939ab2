// The one file that includes the HTTP library (Boost.Beast/Asio); see HttpTransport.h.
#include "server/HttpTransport.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <zlib.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/Hex.h"
#include "protocol/Wire.h"

namespace fk::server::http {

std::string TrimOws(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return std::string(s);
}

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

bool IEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

std::string PercentDecode(std::string_view s, bool plusIsSpace) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && core::HexValue(s[i + 1]) >= 0 &&
            core::HexValue(s[i + 2]) >= 0) {
            out += static_cast<char>(core::HexValue(s[i + 1]) * 16 + core::HexValue(s[i + 2]));
            i += 2;
        } else if (plusIsSpace && s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

void ParseTarget(std::string_view target, Request& req) {
    auto q = target.find('?');
    req.path = PercentDecode(target.substr(0, q), false);
    if (q == std::string_view::npos)
        return;
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view item = query.substr(0, amp);
        if (!item.empty()) {
            auto eq = item.find('=');
            req.params.emplace(PercentDecode(item.substr(0, eq), true),
                               eq == std::string_view::npos
                                   ? std::string()
                                   : PercentDecode(item.substr(eq + 1), true));
        }
        if (amp == std::string_view::npos)
            break;
        query.remove_prefix(amp + 1);
    }
}

// Inflates gzip or zlib data, stopping at `limit` decoded bytes. 0: ok; 413: over the limit;
// 400: corrupt or truncated.
int Inflate(const std::string& in, std::size_t limit, std::string& out) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK)
        return 400;
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    char chunk[64 * 1024];
    int rc = Z_OK;
    int result = 0;
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef*>(chunk);
        zs.avail_out = sizeof chunk;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            result = 400;
            break;
        }
        std::size_t got = sizeof chunk - zs.avail_out;
        if (out.size() + got > limit) {
            result = 413;
            break;
        }
        out.append(chunk, got);
        if (rc == Z_OK && got == 0 && zs.avail_in == 0) {  // truncated input
            result = 400;
            break;
        }
    }
    inflateEnd(&zs);
    return result;
}

// A bounded FIFO served by a fixed set of threads. A job is called with true to run, or with
// false when the transport stops before a thread took it (the job then just lets go).
class WorkQueue {
  public:
    using Job = std::function<void(bool run)>;
    WorkQueue(std::size_t capacity, int threads) : m_capacity(capacity), m_threads(threads) {}
    void Start() {
        for (int i = 0; i < m_threads; ++i)
            m_pool.emplace_back([this] { Loop(); });
    }
    bool TryPush(Job job) {
        std::lock_guard lock(m_mutex);
        if (m_stop || m_jobs.size() >= m_capacity)
            return false;
        m_jobs.push_back(std::move(job));
        m_cv.notify_one();
        return true;
    }
    std::size_t Size() {
        std::lock_guard lock(m_mutex);
        return m_jobs.size();
    }
    int Busy() const { return m_busy.load(); }
    // Running jobs finish; waiting ones are called with false.
    void StopAndJoin() {
        std::deque<Job> left;
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
            left.swap(m_jobs);
            m_cv.notify_all();
        }
        for (auto& j : left)
            j(false);
        for (auto& t : m_pool)
            t.join();
        m_pool.clear();
    }

  private:
    void Loop() {
        for (;;) {
            Job job;
            {
                std::unique_lock lock(m_mutex);
                m_cv.wait(lock, [&] { return m_stop || !m_jobs.empty(); });
                if (m_stop)
                    return;
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
                ++m_busy;
            }
            job(true);
            --m_busy;
        }
    }
    std::size_t m_capacity;
    int m_threads;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Job> m_jobs;
    std::vector<std::thread> m_pool;
    std::atomic<int> m_busy{0};
    bool m_stop = false;
};

// Counts events and logs them at most once per interval (not once per request under load).
class RateLog {
  public:
    explicit RateLog(std::string what) : m_what(std::move(what)) {}
    void Note(const std::string& detail) {
        ++m_count;
        auto now = SteadyClock::now().time_since_epoch().count();
        auto last = m_last.load();
        if (now - last <
            std::chrono::duration_cast<SteadyClock::duration>(std::chrono::seconds(10)).count())
            return;
        if (!m_last.compare_exchange_strong(last, now))
            return;
        spdlog::warn("{}: {} since the last note (latest: {})", m_what, m_count.exchange(0),
                     detail);
    }

  private:
    std::string m_what;
    std::atomic<std::int64_t> m_count{0};
    std::atomic<SteadyClock::rep> m_last{0};
};

}  // namespace

std::string Request::get_header_value(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (IEquals(k, name))
            return v;
    return "";
}

bool Request::has_header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (IEquals(k, name))
            return true;
    return false;
}

void Response::set_header(const std::string& name, const std::string& value) {
    headers.emplace_back(name, value);
}

class SessionBase {
  public:
    virtual ~SessionBase() = default;
    virtual void CloseIfIdle() = 0;                         // event thread
    virtual void ForceClose() = 0;                          // event thread, or after it stopped
    virtual void PushEvent(const std::string& /*data*/) {}  // event thread; event streams only
};

struct Transport::Impl {
    TransportOptions options;
    Handler& handler;
    std::optional<asio::ssl::context> ssl;
    std::atomic<bool> running{false}, stopping{false};
    int port = -1;

    std::mutex sessionsMutex;
    std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;
    std::map<std::string, std::size_t> perAddress;
    std::atomic<int> busySessions{0};

    std::atomic<std::int64_t> refusedBusy{0}, refusedConnections{0}, droppedGone{0};
    RateLog busyLog{"requests refused with 503 (all workers busy, queue full)"};
    RateLog connLog{"connections refused (connection limit or per-address limit)"};
    RateLog goneLog{"requests dropped (client gone or waited too long in the queue)"};

    // Open event streams by topic (registered on the event thread, read by Publish there too).
    std::mutex streamsMutex;
    std::unordered_map<SessionBase*, std::pair<std::string, std::weak_ptr<SessionBase>>> streams;

    WorkQueue pool;
    WorkQueue lane;
    // Declared last: destroyed first, while everything its pending handlers touch still exists.
    asio::io_context io{1};
    tcp::acceptor acceptor{io};
    asio::steady_timer heartbeat{io};

    void Heartbeat() {
        heartbeat.expires_after(options.limits.streamHeartbeat);
        heartbeat.async_wait([this](beast::error_code ec) {
            if (ec)
                return;
            for (auto& s : Streams(nullptr))
                s->PushEvent(": keep-alive\n\n");
            Heartbeat();
        });
    }
    std::vector<std::shared_ptr<SessionBase>> Streams(const std::string* topic) {
        std::vector<std::shared_ptr<SessionBase>> out;
        std::lock_guard lock(streamsMutex);
        for (auto& [p, entry] : streams)
            if (topic == nullptr || entry.first == *topic)
                if (auto s = entry.second.lock())
                    out.push_back(std::move(s));
        return out;
    }

    Impl(TransportOptions o, Handler& h)
        : options(std::move(o)),
          handler(h),
          pool(options.limits.queueCapacity, options.limits.workers),
          lane(64, 1) {}

    void Accept();
    template <class Stream>
    void StartSession(tcp::socket socket, std::string address);

    bool Admit(const std::string& address) {
        std::lock_guard lock(sessionsMutex);
        if (sessions.size() >= options.limits.maxConnections)
            return false;
        auto& n = perAddress[address];
        if (n >= options.limits.maxConnectionsPerAddress) {
            if (n == 0)
                perAddress.erase(address);
            return false;
        }
        ++n;
        return true;
    }
    void Register(SessionBase* s, std::weak_ptr<SessionBase> w) {
        std::lock_guard lock(sessionsMutex);
        sessions.emplace(s, std::move(w));
    }
    void Unregister(SessionBase* s, const std::string& address) {
        std::lock_guard lock(sessionsMutex);
        sessions.erase(s);
        auto it = perAddress.find(address);
        if (it != perAddress.end() && --it->second == 0)
            perAddress.erase(it);
    }
    std::vector<std::shared_ptr<SessionBase>> Live() {
        std::vector<std::shared_ptr<SessionBase>> out;
        std::lock_guard lock(sessionsMutex);
        for (auto& [p, w] : sessions)
            if (auto s = w.lock())
                out.push_back(std::move(s));
        return out;
    }
};

namespace {

// Client gone: the peer closed its side (FIN) while its request waited for a worker.
bool PeerClosed(int fd) {
    char c;
    ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0;
}

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  public:
    Session(Transport::Impl& impl, Stream stream, std::string address)
        : m_impl(impl),
          m_stream(std::move(stream)),
          m_address(std::move(address)),
          m_buffer(impl.options.limits.maxHeadBytes + 16 * 1024) {}
    ~Session() override {
        SetBusy(false);
        m_impl.Unregister(this, m_address);
        if (m_streaming) {
            std::lock_guard lock(m_impl.streamsMutex);
            m_impl.streams.erase(this);
        }
    }

    void Start() {
        m_impl.Register(this, this->weak_from_this());
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            WaitRequest();
        } else {
            Lowest().expires_after(m_impl.options.limits.headDeadline);
            m_stream.async_handshake(asio::ssl::stream_base::server,
                                     [self = this->shared_from_this()](beast::error_code ec) {
                                         if (ec)
                                             return self->Close();
                                         self->WaitRequest();
                                     });
        }
    }

    void CloseIfIdle() override {
        if (!m_busy)
            Close();
    }
    void ForceClose() override { Close(); }

    void PushEvent(const std::string& data) override {
        if (m_closed || !m_streaming)
            return;
        if (m_backlog + data.size() > Limits().maxStreamBacklog)
            return Close();  // a client that does not read: let it reconnect
        m_backlog += data.size();
        m_pending.push_back(data);
        if (!m_writing)
            WriteNext();
    }

  private:
    beast::tcp_stream& Lowest() { return beast::get_lowest_layer(m_stream); }
    const TransportLimits& Limits() const { return m_impl.options.limits; }

    void Close() {
        SetBusy(false);
        if (m_closed)
            return;
        m_closed = true;
        beast::error_code ec;
        Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
        Lowest().close();
    }

    // Keep-alive: wait for the first byte of the next request without holding any thread; the
    // head deadline starts with that byte.
    void WaitRequest() {
        if (m_impl.stopping || m_closed)
            return Close();
        if (m_buffer.size() > 0)
            return ReadHead();
        Lowest().expires_after(Limits().idleTimeout);
        m_stream.async_read_some(m_buffer.prepare(512), [self = this->shared_from_this()](
                                                            beast::error_code ec, std::size_t n) {
            if (ec)
                return self->Close();
            self->m_buffer.commit(n);
            self->ReadHead();
        });
    }

    void ReadHead() {
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(Limits().maxHeadBytes));
        m_parser->body_limit(Limits().maxBodyBytes);
        Lowest().expires_after(Limits().headDeadline);
        bhttp::async_read_header(m_stream, m_buffer, *m_parser,
                                 [self = this->shared_from_this()](
                                     beast::error_code ec, std::size_t) { self->OnHead(ec); });
    }

    void RefuseEarly(int status, std::string_view code, const std::string& message,
                     const std::string& label) {
        Response res;
        SetError(res, status, code, message);
        Send(std::move(res), true, label);
    }

    void OnHead(beast::error_code ec) {
        if (ec == bhttp::error::header_limit) {
            return RefuseEarly(431, protocol::code::kHeadersTooLarge,
                               "the request line and headers are over " +
                                   std::to_string(Limits().maxHeadBytes) +
                                   " bytes; send fewer or shorter headers",
                               "other");
        }
        if (ec == bhttp::error::body_limit) {
            return RefuseEarly(
                413, protocol::code::kTooLarge,
                "the body is over " + std::to_string(Limits().maxBodyBytes) + " bytes", "other");
        }
        // Past the head deadline Beast has already closed the socket: nothing is answered.
        if (ec == beast::error::timeout)
            return Close();
        if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
            ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
            return Close();
        }
        if (ec)
            return RefuseEarly(400, protocol::code::kBadRequest, "the HTTP request is malformed",
                               "other");

        auto& msg = m_parser->get();
        m_request = Request{};
        m_request.method = std::string(msg.method_string());
        m_request.tls = !std::is_same_v<Stream, beast::tcp_stream>;
        m_request.remoteAddress = m_address;
        m_keepAlive = msg.keep_alive();
        const auto target = msg.target();
        if (target.size() > Limits().maxRequestTarget) {
            return RefuseEarly(414, protocol::code::kUriTooLong,
                               "the request target is over " +
                                   std::to_string(Limits().maxRequestTarget) + " bytes",
                               "other");
        }
        std::size_t count = 0;
        for (const auto& field : msg) {
            if (++count > Limits().maxHeaderCount) {
                return RefuseEarly(
                    431, protocol::code::kHeadersTooLarge,
                    "more than " + std::to_string(Limits().maxHeaderCount) + " headers; send fewer",
                    "other");
            }
            m_request.headers.emplace_back(std::string(field.name_string()),
                                           std::string(field.value()));
        }
        ParseTarget(std::string_view(target.data(), target.size()), m_request);
        m_plan = m_impl.handler.Inspect(m_request.method, m_request.path);
        if (!m_plan.found) {
            if (!m_plan.methodAllowed) {
                return Refuse(405, protocol::code::kMethodNotAllowed,
                              "wrong method for this endpoint; see docs/API.md");
            }
            return Refuse(404, protocol::code::kNotFound, "no such endpoint; see docs/API.md");
        }
        std::string encoding = m_request.get_header_value("Content-Encoding");
        for (auto& c : encoding)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!encoding.empty() && encoding != "identity") {
            if (!m_plan.compressedBody) {
                return Refuse(
                    415, protocol::code::kUnsupportedEncoding,
                    "this endpoint takes no Content-Encoding; send the body uncompressed");
            }
            if (encoding != "gzip" && encoding != "deflate") {
                return Refuse(415, protocol::code::kUnsupportedEncoding,
                              "Content-Encoding '" + encoding +
                                  "' is not supported; send gzip or an uncompressed body");
            }
            m_compressed = true;
        } else {
            m_compressed = false;
        }
        const bool hasBody = !m_parser->is_done();
        const auto length = m_parser->content_length();
        if (hasBody && ((length && *length > m_plan.maxBodyBytes) || m_plan.maxBodyBytes == 0)) {
            return Refuse(413, protocol::code::kTooLarge,
                          m_plan.maxBodyBytes == 0
                              ? std::string("this endpoint takes no body")
                              : "the body is over " + std::to_string(m_plan.maxBodyBytes) +
                                    " bytes; send fewer responses per batch and gzip them");
        }
        if (!hasBody)
            return Dispatch();
        m_parser->body_limit(m_plan.maxBodyBytes);
        m_bodyStart = SteadyClock::now();
        m_body.clear();
        if (IEquals(m_request.get_header_value("Expect"), "100-continue")) {
            m_continue.emplace(bhttp::status::continue_, msg.version());
            Lowest().expires_after(Limits().headDeadline);
            bhttp::async_write(m_stream, *m_continue,
                               [self = this->shared_from_this()](beast::error_code e, std::size_t) {
                                   if (e)
                                       return self->Close();
                                   self->ReadBody();
                               });
            return;
        }
        ReadBody();
    }

    // An error before the body was read to its end: the connection closes after the answer.
    void Refuse(int status, std::string_view code, const std::string& message) {
        Response res;
        SetError(res, status, code, message);
        Send(std::move(res), !m_parser->is_done(), m_plan.label.empty() ? "other" : m_plan.label);
    }

    void ReadBody() {
        m_chunk.resize(16 * 1024);
        auto& body = m_parser->get().body();
        body.data = m_chunk.data();
        body.size = m_chunk.size();
        // No byte for a whole grace period ends the request; the floor below catches trickles.
        Lowest().expires_after(Limits().bodyGrace);
        bhttp::async_read_some(m_stream, m_buffer, *m_parser,
                               [self = this->shared_from_this()](
                                   beast::error_code ec, std::size_t) { self->OnBody(ec); });
    }

    void OnBody(beast::error_code ec) {
        if (ec == bhttp::error::need_buffer)
            ec = {};
        if (ec == bhttp::error::body_limit) {
            return Refuse(413, protocol::code::kTooLarge,
                          "the body is over " + std::to_string(m_plan.maxBodyBytes) +
                              " bytes; send fewer responses per batch and gzip them");
        }
        if (ec == beast::error::timeout)
            return Close();  // no byte for a whole grace period; socket closed
        if (ec)
            return Close();
        m_body.append(m_chunk.data(), m_chunk.size() - m_parser->get().body().size);
        if (m_parser->is_done()) {
            m_chunk = std::string();
            return Dispatch();
        }
        const auto elapsed = SteadyClock::now() - m_bodyStart;
        if (elapsed > Limits().bodyGrace) {
            const double seconds =
                std::chrono::duration<double>(elapsed - Limits().bodyGrace).count();
            if (static_cast<double>(m_body.size()) <
                seconds * static_cast<double>(Limits().bodyRateFloorBytesPerS)) {
                return Refuse(408, protocol::code::kTimeout,
                              "the body arrives slower than " +
                                  std::to_string(Limits().bodyRateFloorBytesPerS) +
                                  " bytes/s; resend it over a better connection");
            }
        }
        ReadBody();
    }

    void Dispatch() {
        SetBusy(true);
        auto self = this->shared_from_this();
        const int fd = Lowest().socket().native_handle();
        auto queued = SteadyClock::now();
        Request request = std::move(m_request);
        request.body = std::move(m_body);
        m_body = std::string();
        const bool compressed = m_compressed;
        const std::size_t decodedLimit = Limits().maxDecodedBodyBytes;
        Transport::Impl& impl = m_impl;
        const std::string label = m_plan.label;
        auto job = [self, fd, queued, compressed, decodedLimit, &impl, label,
                    request = std::make_shared<Request>(std::move(request))](bool run) mutable {
            if (!run) {
                asio::post(self->Lowest().get_executor(), [self] { self->Close(); });
                return;
            }
            if (SteadyClock::now() - queued > impl.options.limits.maxQueueWait || PeerClosed(fd)) {
                ++impl.droppedGone;
                impl.goneLog.Note(request->method + " " + label);
                asio::post(self->Lowest().get_executor(), [self] { self->Close(); });
                return;
            }
            Response res;
            if (compressed) {
                std::string decoded;
                int rc = Inflate(request->body, decodedLimit, decoded);
                if (rc == 413) {
                    SetError(res, 413, protocol::code::kTooLarge,
                             "the decompressed body is over " + std::to_string(decodedLimit) +
                                 " bytes; send smaller batches");
                } else if (rc != 0) {
                    SetError(res, 400, protocol::code::kBadRequest,
                             "the body could not be read (truncated or corrupt gzip); resend it");
                } else {
                    request->body = std::move(decoded);
                }
            }
            if (res.body.empty()) {
                try {
                    impl.handler.Handle(*request, res);
                } catch (const std::exception& e) {
                    spdlog::error("{} {}: {}", request->method, label, e.what());
                    res = Response{};
                    res.set_header("Retry-After", "5");
                    SetError(res, 503, protocol::code::kServerError,
                             "the server failed; nothing from this request was stored, retry later "
                             "(details are in "
                             "the server's log)");
                }
            }
            asio::post(self->Lowest().get_executor(),
                       [self, res = std::move(res), label]() mutable {
                           self->Send(std::move(res), false, label);
                       });
        };
        WorkQueue& queue = m_plan.lane ? impl.lane : impl.pool;
        if (!queue.TryPush(std::move(job))) {
            ++impl.refusedBusy;
            impl.busyLog.Note(label);
            Response res;
            res.set_header("Retry-After", "5");
            SetError(
                res, 503, protocol::code::kBusy,
                "the server is busy; nothing from this request was stored, retry in a few seconds");
            Send(std::move(res), false, label);
        }
    }

    // Busy: a request is queued, running or being answered (Stop() waits for these; idle
    // connections are closed at once).
    void SetBusy(bool busy) {
        if (busy == m_busy)
            return;
        m_busy = busy;
        if (busy) {
            ++m_impl.busySessions;
        } else {
            --m_impl.busySessions;
        }
    }

    // The answer to an event-stream request: the head without a length, then events as they come.
    // A read stays pending only to notice the client going away.
    void StartStream(Response res, const std::string& topic) {
        m_streaming = true;
        SetBusy(false);  // Stop() closes streams at once, like idle connections
        std::string head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
            "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n";
        for (auto& [k, v] : res.headers)
            head += k + ": " + v + "\r\n";
        head += "\r\n";
        {
            std::lock_guard lock(m_impl.streamsMutex);
            m_impl.streams[this] = {topic, this->weak_from_this()};
        }
        Lowest().expires_never();
        m_pending.push_back(head + res.body);
        m_backlog = m_pending.back().size();
        WriteNext();
        m_stream.async_read_some(
            m_buffer.prepare(512),
            [self = this->shared_from_this()](beast::error_code, std::size_t) { self->Close(); });
    }

    void WriteNext() {
        if (m_closed || m_pending.empty()) {
            m_writing = false;
            return;
        }
        m_writing = true;
        auto data = std::make_shared<std::string>(std::move(m_pending.front()));
        m_pending.pop_front();
        Lowest().expires_after(std::chrono::seconds(30));
        asio::async_write(
            m_stream, asio::buffer(*data),
            [self = this->shared_from_this(), data](beast::error_code ec, std::size_t) {
                self->m_backlog -= std::min(self->m_backlog, data->size());
                if (ec)
                    return self->Close();
                self->Lowest().expires_never();
                self->WriteNext();
            });
    }

    void Send(Response res, bool close, const std::string& label) {
        if (m_closed)
            return;
        if (res.eventStream) {
            bool room = false;
            {
                std::lock_guard lock(m_impl.streamsMutex);
                room = m_impl.streams.size() < Limits().maxEventStreams;
            }
            if (room && !m_impl.stopping) {
                m_impl.handler.Count(label, res.status);
                std::string topic = *res.eventStream;
                return StartStream(std::move(res), topic);
            }
            res = Response{};
            res.set_header("Retry-After", "30");
            SetError(res, 503, protocol::code::kTooManyStreams,
                     "the server has as many live streams open as it allows; retry later");
        }
        m_impl.handler.Count(label, res.status);
        close = close || !m_keepAlive || m_impl.stopping;
        m_out.emplace(static_cast<bhttp::status>(res.status), 11);
        auto& out = *m_out;
        for (auto& [k, v] : res.headers)
            out.insert(k, v);
        if (!res.contentType.empty())
            out.set(bhttp::field::content_type, res.contentType);
        out.body() = std::move(res.body);
        out.keep_alive(!close);
        out.prepare_payload();
        SetBusy(true);  // not idle while writing
        Lowest().expires_after(std::chrono::seconds(30));
        bhttp::async_write(
            m_stream, out,
            [self = this->shared_from_this(), close](beast::error_code ec, std::size_t) {
                self->SetBusy(false);
                self->m_out.reset();
                if (ec || close)
                    return self->Close();
                // Memory for the head and body goes back after every request.
                self->m_parser.reset();
                self->m_request = Request{};
                if (self->m_buffer.size() == 0)
                    self->m_buffer.shrink_to_fit();
                self->WaitRequest();
            });
    }

    Transport::Impl& m_impl;
    Stream m_stream;
    std::string m_address;
    beast::flat_buffer m_buffer;
    std::optional<bhttp::request_parser<bhttp::buffer_body>> m_parser;
    std::optional<bhttp::response<bhttp::empty_body>> m_continue;
    std::optional<bhttp::response<bhttp::string_body>> m_out;
    Request m_request;
    RoutePlan m_plan;
    std::string m_chunk, m_body;
    SteadyClock::time_point m_bodyStart;
    bool m_keepAlive = true, m_compressed = false, m_busy = false, m_closed = false;
    bool m_streaming = false, m_writing = false;
    std::deque<std::string> m_pending;  // event stream: data not yet written
    std::size_t m_backlog = 0;
};

}  // namespace

void Transport::Impl::Accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open())
            return;
        if (ec) {
            // Out of descriptors and the like: note it and try again shortly, without spinning.
            connLog.Note(ec.message());
            auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(100));
            timer->async_wait([this, timer](beast::error_code) { Accept(); });
            return;
        }
        beast::error_code e2;
        auto remote = socket.remote_endpoint(e2);
        std::string address = e2 ? std::string("?") : remote.address().to_string();
        if (stopping || !Admit(address)) {
            ++refusedConnections;
            connLog.Note(address);
            socket.close(e2);
        } else {
            socket.set_option(tcp::no_delay(true), e2);
            if (ssl) {
                StartSession<beast::ssl_stream<beast::tcp_stream>>(std::move(socket), address);
            } else {
                StartSession<beast::tcp_stream>(std::move(socket), address);
            }
        }
        Accept();
    });
}

template <class Stream>
void Transport::Impl::StartSession(tcp::socket socket, std::string address) {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
        auto s = std::make_shared<Session<Stream>>(*this, beast::tcp_stream(std::move(socket)),
                                                   std::move(address));
        s->Start();
    } else {
        auto s = std::make_shared<Session<Stream>>(
            *this, Stream(beast::tcp_stream(std::move(socket)), *ssl), std::move(address));
        s->Start();
    }
}

Transport::Transport(TransportOptions options, Handler& handler)
    : m_impl(std::make_shared<Impl>(std::move(options), handler)) {
    auto& o = m_impl->options;
    if (o.tlsCert || o.tlsKey) {
        if (!o.tlsCert || !o.tlsKey)
            throw std::runtime_error("TLS needs both --tls-cert and --tls-key");
        m_impl->ssl.emplace(asio::ssl::context::tls_server);
        auto& ctx = *m_impl->ssl;
        ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1);
        beast::error_code ec1, ec2;
        ctx.use_certificate_chain_file(*o.tlsCert, ec1);
        ctx.use_private_key_file(*o.tlsKey, asio::ssl::context::pem, ec2);
        if (ec1 || ec2) {
            throw std::runtime_error("cannot load TLS certificate " + *o.tlsCert + " / key " +
                                     *o.tlsKey + "; check the paths and that they are PEM files");
        }
    }
}

Transport::~Transport() {
    Stop();
}

int Transport::Bind() {
    auto& impl = *m_impl;
    if (impl.port > 0)
        return impl.port;
    // 10,000 connections need as many descriptors: take the hard limit the system allows.
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
    }
    auto& o = impl.options;
    const std::string where = o.host + ":" + std::to_string(o.port);
    beast::error_code ec;
    auto address = asio::ip::make_address(o.host, ec);
    if (ec)
        throw std::runtime_error("cannot listen on " + where + ": " + o.host +
                                 " is not an IP address");
    tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
    impl.acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        impl.acceptor.set_option(asio::socket_base::reuse_address(true), ec);  // never SO_REUSEPORT
    if (!ec)
        impl.acceptor.bind(endpoint, ec);
    if (ec == asio::error::address_in_use) {
        impl.acceptor.close();
        throw std::runtime_error(
            "cannot listen on " + where +
            ": the port is already in use (is another kiosk-server running? stop it or choose "
            "another --listen port)");
    }
    if (!ec)
        impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        impl.acceptor.close();
        throw std::runtime_error("cannot listen on " + where + ": " + ec.message() +
                                 " (is it an address of this machine?)");
    }
    impl.port = impl.acceptor.local_endpoint().port();
    return impl.port;
}

void Transport::Run() {
    auto& impl = *m_impl;
    Bind();
    if (impl.stopping)
        return;
    impl.pool.Start();
    impl.lane.Start();
    impl.Accept();
    impl.Heartbeat();
    impl.running = true;
    impl.io.run();
    // Stopped: workers finish what they run; nothing new is answered.
    impl.pool.StopAndJoin();
    impl.lane.StopAndJoin();
    for (auto& s : impl.Live())
        s->ForceClose();
    impl.io.restart();
    impl.io.poll();
    impl.running = false;
}

bool Transport::Running() const {
    return m_impl->running;
}

void Transport::Stop() {
    auto& impl = *m_impl;
    if (impl.stopping.exchange(true))
        return;
    asio::post(impl.io, [&impl] {
        beast::error_code ec;
        impl.acceptor.close(ec);
        impl.heartbeat.cancel();
        for (auto& s : impl.Live())
            s->CloseIfIdle();
    });
    const auto deadline = SteadyClock::now() + impl.options.limits.stopGrace;
    while (impl.running && SteadyClock::now() < deadline &&
           (impl.busySessions > 0 || impl.pool.Size() > 0 || impl.pool.Busy() > 0)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    impl.io.stop();
}

int Transport::Port() const {
    return m_impl->port;
}

void Transport::Publish(const std::string& topic, const std::string& data) {
    // A raw pointer: the handler runs only while io runs, i.e. while Impl (its owner) exists; a
    // shared_ptr here would keep Impl alive through its own io's queue after a stop.
    Impl* impl = m_impl.get();
    asio::post(impl->io, [impl, topic, data] {
        for (auto& s : impl->Streams(&topic))
            s->PushEvent(data);
    });
}

Transport::Stats Transport::GetStats() const {
    auto& impl = *m_impl;
    Stats s;
    {
        std::lock_guard lock(impl.sessionsMutex);
        s.openConnections = static_cast<std::int64_t>(impl.sessions.size());
    }
    s.queued = static_cast<std::int64_t>(impl.pool.Size());
    s.refusedBusy = impl.refusedBusy;
    s.refusedConnections = impl.refusedConnections;
    s.droppedGone = impl.droppedGone;
    {
        std::lock_guard lock(impl.streamsMutex);
        s.eventStreams = static_cast<std::int64_t>(impl.streams.size());
    }
    return s;
}

void SetError(Response& res, int status, std::string_view code, const std::string& message) {
    res.status = status;
    res.set_content(protocol::EncodeError({std::string(code), message}), "application/json");
}

}  // namespace fk::server::http
