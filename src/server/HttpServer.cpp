#include "server/HttpServer.h"

#include <httplib.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

#include "core/TimeFormat.h"
#include "protocol/Wire.h"
#include "server/Reports.h"
#include "server/Tokens.h"
#include "server/WebAssets.h"

namespace fk::server {

namespace {

const char* kJson = "application/json";

void SendError(httplib::Response& res, int status, std::string_view code, const std::string& message) {
    res.status = status;
    res.set_content(protocol::EncodeError({std::string(code), message}), kJson);
}

std::string RouteLabel(const std::string& path) {
    static const std::regex kiosk(R"(/api/v1/kiosks/[^/]+/(config|heartbeat|status))");
    std::smatch m;
    if (path == "/api/v1/batches") return "batches";
    if (std::regex_match(path, m, kiosk)) return m[1].str();
    static const std::regex report(R"(/api/v1/reports/(\w+)(\.csv)?)");
    if (std::regex_match(path, m, report)) return "reports_" + m[1].str() + (m[2].matched ? "_csv" : "");
    if (path == "/api/v1/session") return "session";
    if (FindWebAsset(path)) return "web";
    if (path == "/healthz") return "healthz";
    if (path == "/metrics") return "metrics";
    return "other";
}

std::string Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

bool EtagMatches(const std::string& ifNoneMatch, const std::string& etag) {
    std::size_t start = 0;
    while (start <= ifNoneMatch.size()) {
        std::size_t comma = ifNoneMatch.find(',', start);
        std::string item = Trim(std::string_view(ifNoneMatch).substr(start, comma - start));
        if (item.rfind("W/", 0) == 0) item = item.substr(2);
        if (item == "*" || item == etag) return true;
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return false;
}

bool IsJsonContentType(const httplib::Request& req) {
    std::string type = req.get_header_value("Content-Type");
    auto semi = type.find(';');
    type = Trim(type.substr(0, semi));
    for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return type == kJson;
}

constexpr const char* kSessionCookie = "fk_session";

// The value of one cookie from the Cookie header, or "".
std::string CookieValue(const httplib::Request& req, std::string_view name) {
    const std::string header = req.get_header_value("Cookie");
    std::size_t start = 0;
    while (start < header.size()) {
        std::size_t end = header.find(';', start);
        if (end == std::string::npos) end = header.size();
        std::string item = Trim(std::string_view(header).substr(start, end - start));
        if (item.size() > name.size() && item.compare(0, name.size(), name) == 0 && item[name.size()] == '=') {
            return item.substr(name.size() + 1);
        }
        start = end + 1;
    }
    return "";
}

}  // namespace

struct HttpServer::Impl {
    Backend& backend;
    const core::Clock& clock;
    ServerOptions options;
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
    int port = -1;

    // Metrics.
    std::mutex metricsMutex;
    std::map<std::pair<std::string, int>, std::int64_t> requests;
    std::atomic<std::int64_t> batches{0}, accepted{0}, duplicates{0}, rejected{0}, heartbeats{0};
    std::atomic<std::int64_t> ingestMicros{0};
    // Concurrent batch posts per kiosk (429 guard).
    std::mutex inFlightMutex;
    std::map<std::string, int> inFlight;

    Impl(Backend& b, const core::Clock& c, ServerOptions o) : backend(b), clock(c), options(std::move(o)) {
        if (options.tlsCert || options.tlsKey) {
            if (!options.tlsCert || !options.tlsKey) {
                throw std::runtime_error("TLS needs both --tls-cert and --tls-key");
            }
            auto ssl = std::make_unique<httplib::SSLServer>(options.tlsCert->c_str(), options.tlsKey->c_str());
            if (!ssl->is_valid()) {
                throw std::runtime_error("cannot load TLS certificate " + *options.tlsCert + " / key " +
                                         *options.tlsKey + "; check the paths and that they are PEM files");
            }
            server = std::move(ssl);
        } else {
            server = std::make_unique<httplib::Server>();
        }
        int threads = options.threads;
        server->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
        // cpp-httplib's defaults cost a delayed ACK (~40 ms) per response and reconnect every 5 requests.
        server->set_tcp_nodelay(true);
        server->set_keep_alive_max_count(100000);
        server->set_keep_alive_timeout(30);
        server->set_read_timeout(30);
        server->set_payload_max_length(options.maxBodyBytes);
        Routes();
    }

    // allowCookie: read-only (GET) routes also take the web page's session cookie. Writes never
    // do, so a cross-site form cannot act with it (and SameSite=Strict keeps it home anyway).
    std::optional<TokenRecord> Authenticate(const httplib::Request& req, httplib::Response& res,
                                            bool allowCookie = false) {
        std::string header = req.get_header_value("Authorization");
        if (header.empty() && allowCookie) {
            std::string cookie = CookieValue(req, kSessionCookie);
            if (!cookie.empty()) {
                auto token = backend.FindToken(HashToken(cookie));
                if (token) return token;
                SendError(res, 401, "bad_token", "the session has expired or its token was revoked; log in again");
                return std::nullopt;
            }
        }
        if (header.empty()) {
            res.set_header("WWW-Authenticate", "Bearer");
            SendError(res, 401, "missing_token",
                      "no bearer token; send the header 'Authorization: Bearer <token>' with the token printed by "
                      "kiosk-server add-kiosk or add-manager");
            return std::nullopt;
        }
        constexpr std::string_view kPrefix = "Bearer ";
        if (header.size() <= kPrefix.size() || strncasecmp(header.c_str(), kPrefix.data(), kPrefix.size()) != 0) {
            res.set_header("WWW-Authenticate", "Bearer");
            SendError(res, 401, "bad_token", "the Authorization header must be 'Bearer <token>'");
            return std::nullopt;
        }
        auto token = backend.FindToken(HashToken(Trim(header.substr(kPrefix.size()))));
        if (!token) {
            res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            SendError(res, 401, "bad_token",
                      "the token is unknown or revoked; issue a new one with kiosk-server add-kiosk/add-manager");
            return std::nullopt;
        }
        return token;
    }

    // A kiosk token acting as kioskId (the path's or the batch's).
    bool RequireKiosk(const TokenRecord& token, const std::string& kioskId, httplib::Response& res) {
        if (token.kind != TokenKind::Kiosk) {
            SendError(res, 403, "wrong_token_kind",
                      "a manager token cannot act as a kiosk; use the kiosk's own token (add-kiosk)");
            return false;
        }
        if (token.kioskId != kioskId) {
            SendError(res, 403, "wrong_kiosk",
                      "this token belongs to kiosk " + token.kioskId.value_or("?") + ", not " + kioskId +
                          "; a kiosk may only act as itself");
            return false;
        }
        return true;
    }

    bool RequireJsonBody(const httplib::Request& req, httplib::Response& res) {
        if (!IsJsonContentType(req)) {
            std::string got = req.get_header_value("Content-Type");
            SendError(res, 415, "unsupported_media_type",
                      "Content-Type is '" + (got.empty() ? std::string("(none)") : got) +
                          "'; send application/json (optionally with Content-Encoding: gzip)");
            return false;
        }
        // cpp-httplib decodes gzip, deflate and br and passes any other encoding through as is.
        std::string encoding = Trim(req.get_header_value("Content-Encoding"));
        for (auto& c : encoding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!encoding.empty() && encoding != "identity" && encoding != "gzip" && encoding != "deflate" &&
            encoding != "br") {
            SendError(res, 415, "unsupported_encoding",
                      "Content-Encoding '" + encoding + "' is not supported; send gzip or an uncompressed body");
            return false;
        }
        return true;
    }

    // Reads the (already gunzipped) body in chunks, stopping at maxDecodedBodyBytes so a small
    // gzip bomb cannot make the server inflate gigabytes into memory.
    bool ReadBody(const httplib::ContentReader& reader, std::string& body, httplib::Response& res) {
        bool tooLarge = false;
        bool ok = reader([&](const char* data, std::size_t size) {
            if (body.size() + size > options.maxDecodedBodyBytes) {
                tooLarge = true;
                return false;
            }
            body.append(data, size);
            return true;
        });
        if (tooLarge) {
            SendError(res, 413, "too_large",
                      "the decompressed body is over " + std::to_string(options.maxDecodedBodyBytes) +
                          " bytes; send smaller batches");
            return false;
        }
        if (!ok && res.status == 413) {  // cpp-httplib's own check of the wire size
            SendError(res, 413, "too_large",
                      "the body is over " + std::to_string(options.maxBodyBytes) +
                          " bytes; send fewer responses per batch (at most " +
                          std::to_string(options.maxBatchResponses) + ") and gzip them");
            return false;
        }
        if (!ok && res.status == 415) {
            SendError(res, 415, "unsupported_encoding",
                      "Content-Encoding not supported; send gzip, deflate or an uncompressed body");
            return false;
        }
        if (!ok) {
            SendError(res, 400, "bad_request", "the body could not be read (truncated or corrupt gzip); resend it");
            return false;
        }
        return true;
    }

    void Batches(const httplib::Request& req, httplib::Response& res, const std::string& body) {
        auto token = Authenticate(req, res);
        if (!token) return;
        if (token->kind != TokenKind::Kiosk) {
            SendError(res, 403, "wrong_token_kind",
                      "a manager token cannot post batches; kiosks post with their own token (add-kiosk)");
            return;
        }
        if (!RequireJsonBody(req, res)) return;
        auto decoded = protocol::DecodeBatch(body, options.maxBatchResponses);
        if (!decoded) {
            SendError(res, 400, decoded.Error().code, to_string(decoded.Error()));
            return;
        }
        const protocol::Batch& batch = *decoded;
        if (!RequireKiosk(*token, batch.kioskId, res)) return;
        auto kiosk = backend.FindKiosk(batch.kioskId);
        if (!kiosk) {
            SendError(res, 403, "unknown_kiosk", "kiosk " + batch.kioskId + " is not registered; run add-kiosk");
            return;
        }
        {
            std::lock_guard lock(inFlightMutex);
            int& n = inFlight[kiosk->id];
            if (n >= options.maxInFlightPerKiosk) {
                res.set_header("Retry-After", "1");
                SendError(res, 429, "too_many_requests",
                          "this kiosk already has " + std::to_string(n) +
                              " batches in flight; wait for their receipts, then retry");
                return;
            }
            ++n;
        }
        struct Release {
            Impl& self;
            const std::string& id;
            ~Release() {
                std::lock_guard lock(self.inFlightMutex);
                if (--self.inFlight[id] == 0) self.inFlight.erase(id);
            }
        } release{*this, kiosk->id};
        auto start = std::chrono::steady_clock::now();
        IngestCounts counts;
        protocol::Receipt receipt = Ingest(backend, *kiosk, batch, clock.NowUtcMs(), &counts);
        ingestMicros += std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start)
                            .count();
        ++batches;
        accepted += counts.accepted;
        duplicates += counts.duplicate;
        rejected += counts.rejected;
        res.set_content(protocol::EncodeReceipt(receipt), kJson);
    }

    void Config(const httplib::Request& req, httplib::Response& res) {
        auto token = Authenticate(req, res);
        if (!token) return;
        std::string kioskId = req.matches[1].str();
        if (!RequireKiosk(*token, kioskId, res)) return;
        auto config = backend.FindConfig(token->storeId.value_or(""), kioskId);
        if (!config) {
            SendError(res, 404, "no_config",
                      "no config is set for store " + token->storeId.value_or("?") +
                          "; run kiosk-server set-config --store " + token->storeId.value_or("S") + " --file F");
            return;
        }
        res.set_header("ETag", config->etag);
        res.set_header("Cache-Control", "no-cache");
        std::string inm = req.get_header_value("If-None-Match");
        if (!inm.empty() && EtagMatches(inm, config->etag)) {
            res.status = 304;
            return;
        }
        res.set_content(config->body, kJson);
    }

    void Heartbeat(const httplib::Request& req, httplib::Response& res, const std::string& body) {
        auto token = Authenticate(req, res);
        if (!token) return;
        std::string kioskId = req.matches[1].str();
        if (!RequireKiosk(*token, kioskId, res)) return;
        if (!RequireJsonBody(req, res)) return;
        auto hb = protocol::DecodeHeartbeat(body);
        if (!hb) {
            SendError(res, 400, hb.Error().code, to_string(hb.Error()));
            return;
        }
        core::UtcMs now = clock.NowUtcMs();
        backend.RecordHeartbeat(kioskId, *hb, now);
        ++heartbeats;
        const SeqMarks marks = KioskSeqMarks(backend, kioskId, now);
        res.set_content(protocol::EncodeHeartbeatAck({now, marks.ackedSeq, marks.maxSeq}), kJson);
    }

    void Status(const httplib::Request& req, httplib::Response& res) {
        auto token = Authenticate(req, res, true);
        if (!token) return;
        std::string kioskId = req.matches[1].str();
        if (token->kind == TokenKind::Kiosk && !RequireKiosk(*token, kioskId, res)) return;
        auto status = backend.Status(kioskId);
        if (token->kind == TokenKind::Manager && token->storeId && (!status || status->storeId != *token->storeId)) {
            // Same answer whether the kiosk exists elsewhere or not: no probing other stores.
            SendError(res, 403, "wrong_store",
                      "kiosk " + kioskId + " is not in store " + *token->storeId + ", the only store this token reads");
            return;
        }
        if (!status) {
            SendError(res, 404, "unknown_kiosk", "no kiosk " + kioskId + "; check the id (add-kiosk registers kiosks)");
            return;
        }
        res.set_content(protocol::EncodeKioskStatus(*status), kJson);
    }

    void Reports(const httplib::Request& req, httplib::Response& res) {
        const std::string what = req.matches[1].str();
        const bool csv = req.matches[2].matched;
        auto token = Authenticate(req, res, true);
        if (!token) return;
        if (token->kind != TokenKind::Manager) {
            SendError(res, 403, "wrong_token_kind", "reports need a manager token (add-manager), not a kiosk token");
            return;
        }
        QueryParams params;
        for (const auto& [k, v] : req.params) params[k] = v;
        std::optional<std::string> store;
        if (auto it = params.find("store"); it != params.end()) store = it->second;
        // Overview and fleet list every store the token reads; the others need one store from a
        // one-store token.
        const bool listing = what == "stores" || what == "fleet";
        if (token->storeId) {
            if (!store && !listing) {
                SendError(res, 400, "missing_parameter", "add ?store=" + *token->storeId + " (this token's store)");
                return;
            }
            if (store && *store != *token->storeId) {
                SendError(res, 403, "wrong_store",
                          "this token reads store " + *token->storeId + " only, not " + *store);
                return;
            }
            store = token->storeId;
        }
        const core::UtcMs now = clock.NowUtcMs();
        // The fleet has no period: no need to look up the store's zone.
        const int tz = what == "fleet" ? 0 : backend.LatestTzOffset(store).value_or(0);
        ParseResult parsed = ParseReportParams(params, now, tz);
        if (!parsed.request) {
            SendError(res, 400, parsed.error->code, parsed.error->message);
            return;
        }
        ReportRequest& request = *parsed.request;
        request.storeId = store;
        if (store && !backend.StoreExists(*store)) {
            SendError(res, 404, "unknown_store", "no store " + *store);
            return;
        }
        const core::UtcMs staleMs = options.staleAfterS * 1000;
        std::string body;
        if (what == "stores") {
            std::vector<StoreRecord> stores;
            for (auto& s : backend.ListStores())
                if (!store || s.id == *store) stores.push_back(std::move(s));
            auto overview = LoadStoresOverview(backend, request, stores, now, staleMs);
            body = csv ? StoresCsv(overview) : StoresJson(request, overview);
        } else if (what == "fleet") {
            auto fleet = LoadFleet(backend, store, now, staleMs);
            body = csv ? FleetCsv(fleet, now) : FleetJson(fleet, now, staleMs);
        } else if (what == "reps" || what == "reasons" || what == "trend" || what == "heatmap") {
            const unsigned part = what == "trend" ? kTrendPart : what == "heatmap" ? kHeatPart : kRepPart;
            auto data = LoadDashboard(backend, request, part);
            const StoreDirectory directory = LoadDirectory(backend, store);
            if (what == "reps") body = csv ? RepsCsv(data, directory) : RepsJson(request, data, directory);
            if (what == "reasons") body = csv ? ReasonsCsv(data) : ReasonsJson(request, data, directory);
            if (what == "trend") body = csv ? TrendCsv(data) : TrendJson(request, data);
            if (what == "heatmap") body = csv ? HeatmapCsv(data) : HeatmapJson(request, data);
        } else {
            SendError(res, 404, "not_found",
                      "no report " + what + "; there are stores, reps, reasons, trend, heatmap and fleet (docs/API.md)");
            return;
        }
        res.set_header("Cache-Control", "no-store");
        if (csv) {
            std::string file = what + (store ? "-" + *store : std::string()) + "-" +
                               core::FormatIsoDate(request.from) + "-" + core::FormatIsoDate(request.to) + ".csv";
            // Store ids are free text: keep the file name to safe characters.
            for (auto& c : file)
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') c = '_';
            res.set_header("Content-Disposition", "attachment; filename=\"" + file + "\"");
            res.set_content(body, "text/csv; charset=utf-8");
        } else {
            res.set_content(body, kJson);
        }
    }

    // The web page's session: POST with a bearer manager token sets the HttpOnly cookie; GET says
    // who is logged in; DELETE logs out. Only the page's own script can send the Authorization
    // header (no CORS), so a cross-site form cannot log anyone in.
    std::string SessionCookie(const std::string& value, int maxAgeS) const {
        return std::string(kSessionCookie) + "=" + value + "; Path=/; Max-Age=" + std::to_string(maxAgeS) +
               "; HttpOnly; SameSite=Strict" + (options.tlsCert ? "; Secure" : "");
    }

    void Session(const httplib::Request& req, httplib::Response& res) {
        if (req.method == "DELETE") {
            res.set_header("Set-Cookie", SessionCookie("", 0));
            res.set_content("{\"logged_in\":false}", kJson);
            return;
        }
        const bool login = req.method == "POST";
        auto token = login ? Authenticate(req, res) : Authenticate(req, res, true);
        if (!token) return;
        if (token->kind != TokenKind::Manager) {
            SendError(res, 403, "wrong_token_kind",
                      "the dashboard needs a manager token (kiosk-server add-manager), not a kiosk token");
            return;
        }
        if (login) {
            std::string header = req.get_header_value("Authorization");
            res.set_header("Set-Cookie", SessionCookie(Trim(header.substr(7)), 12 * 3600));
        }
        res.set_header("Cache-Control", "no-store");
        res.set_content(std::string("{\"logged_in\":true,\"store\":") +
                            (token->storeId ? "\"" + *token->storeId + "\"" : std::string("null")) + "}",
                        kJson);
    }

    std::string Metrics() {
        std::string out;
        out += "# HELP fk_http_requests_total HTTP requests by route and status.\n";
        out += "# TYPE fk_http_requests_total counter\n";
        {
            std::lock_guard lock(metricsMutex);
            for (const auto& [key, n] : requests) {
                out += "fk_http_requests_total{route=\"" + key.first + "\",status=\"" + std::to_string(key.second) +
                       "\"} " + std::to_string(n) + "\n";
            }
        }
        out += "# HELP fk_batches_total Batches ingested.\n# TYPE fk_batches_total counter\n";
        out += "fk_batches_total " + std::to_string(batches.load()) + "\n";
        out += "# HELP fk_ingest_items_total Batch items by result.\n# TYPE fk_ingest_items_total counter\n";
        out += "fk_ingest_items_total{status=\"accepted\"} " + std::to_string(accepted.load()) + "\n";
        out += "fk_ingest_items_total{status=\"duplicate\"} " + std::to_string(duplicates.load()) + "\n";
        out += "fk_ingest_items_total{status=\"rejected\"} " + std::to_string(rejected.load()) + "\n";
        out += "# HELP fk_ingest_seconds_total Time spent storing batches.\n# TYPE fk_ingest_seconds_total counter\n";
        out += "fk_ingest_seconds_total " + std::to_string(static_cast<double>(ingestMicros.load()) / 1e6) + "\n";
        out += "# HELP fk_heartbeats_total Heartbeats received.\n# TYPE fk_heartbeats_total counter\n";
        out += "fk_heartbeats_total " + std::to_string(heartbeats.load()) + "\n";
        return out;
    }

    template <typename F>
    httplib::Server::HandlerWithContentReader GuardedWithBody(F f) {
        return [this, f](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
            // Read first, whatever the outcome, so no unread body is left on a kept-alive connection.
            std::string body;
            if (!ReadBody(reader, body, res)) return;
            Guarded([&](const httplib::Request& q, httplib::Response& r) { f(q, r, body); })(req, res);
        };
    }

    template <typename F>
    httplib::Server::Handler Guarded(F f) {
        return [this, f](const httplib::Request& req, httplib::Response& res) {
            try {
                f(req, res);
            } catch (const BackendError& e) {
                res.set_header("Retry-After", "5");
                SendError(res, 503, "storage_unavailable",
                          std::string("the database failed; nothing from this request was stored, retry later (") +
                              e.what() + ")");
            } catch (const std::exception& e) {
                res.set_header("Retry-After", "5");
                SendError(res, 503, "storage_unavailable",
                          std::string("the server failed; nothing from this request was stored, retry later (") +
                              e.what() + ")");
            }
        };
    }

    void Routes() {
        auto& s = *server;
        s.Post("/api/v1/batches",
               GuardedWithBody([this](const auto& q, auto& r, const std::string& body) { Batches(q, r, body); }));
        s.Get(R"(/api/v1/kiosks/([^/]+)/config)", Guarded([this](const auto& q, auto& r) { Config(q, r); }));
        s.Post(R"(/api/v1/kiosks/([^/]+)/heartbeat)",
               GuardedWithBody([this](const auto& q, auto& r, const std::string& body) { Heartbeat(q, r, body); }));
        s.Get(R"(/api/v1/kiosks/([^/]+)/status)", Guarded([this](const auto& q, auto& r) { Status(q, r); }));
        s.Get(R"(/api/v1/reports/(\w+?)(\.csv)?)", Guarded([this](const auto& q, auto& r) { Reports(q, r); }));
        s.Get("/api/v1/session", Guarded([this](const auto& q, auto& r) { Session(q, r); }));
        s.Post("/api/v1/session", Guarded([this](const auto& q, auto& r) { Session(q, r); }));
        s.Delete("/api/v1/session", Guarded([this](const auto& q, auto& r) { Session(q, r); }));
        // The head-office page (web/, embedded at build time). Static and public: the data
        // behind it needs the session.
        s.Get(R"(/|/[\w.-]+\.(js|css|html|svg))", [](const httplib::Request& req, httplib::Response& res) {
            auto asset = FindWebAsset(req.path == "/" ? "/index.html" : req.path);
            if (!asset) {
                SendError(res, 404, "not_found", "no such file");
                return;
            }
            res.set_header("Cache-Control", "no-cache");
            res.set_header("X-Content-Type-Options", "nosniff");
            res.set_header("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'");
            res.set_header("Referrer-Policy", "no-referrer");
            res.set_content(std::string(asset->body), std::string(asset->contentType));
        });
        s.Get("/healthz", Guarded([this](const httplib::Request&, httplib::Response& r) {
                  backend.FindKiosk("");  // touches the database: a broken one answers 503
                  r.set_content("{\"status\":\"ok\"}", kJson);
              }));
        s.Get("/metrics", Guarded([this](const httplib::Request&, httplib::Response& r) {
                  r.set_content(Metrics(), "text/plain; version=0.0.4");
              }));
        // Statuses cpp-httplib sets itself (404 no route, 413 body over the limit, 415 unknown
        // Content-Encoding, 400 unparsable request) get the same JSON error shape.
        s.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            switch (res.status) {
                case 404: SendError(res, 404, "not_found", "no such endpoint; see docs/API.md"); break;
                case 405: SendError(res, 405, "method_not_allowed", "wrong method for this endpoint; see docs/API.md"); break;
                case 413:
                    SendError(res, 413, "too_large",
                              "the body is over " + std::to_string(options.maxBodyBytes) +
                                  " bytes; send fewer responses per batch (at most " +
                                  std::to_string(options.maxBatchResponses) + ") and gzip them");
                    break;
                case 415:
                    SendError(res, 415, "unsupported_encoding",
                              "Content-Encoding not supported; send gzip, deflate or an uncompressed body");
                    break;
                case 400: SendError(res, 400, "bad_request", "the HTTP request is malformed or its body truncated"); break;
                default: SendError(res, res.status, "error", "request failed with HTTP " + std::to_string(res.status));
            }
            return httplib::Server::HandlerResponse::Handled;
        }));
        s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
            std::lock_guard lock(metricsMutex);
            ++requests[{RouteLabel(req.path), res.status}];
        });
    }
};

HttpServer::HttpServer(Backend& backend, const core::Clock& clock, ServerOptions options)
    : m_impl(std::make_unique<Impl>(backend, clock, std::move(options))) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::Bind() {
    if (m_impl->port > 0) return m_impl->port;
    auto& o = m_impl->options;
    int port = -1;
    if (o.port == 0) {
        port = m_impl->server->bind_to_any_port(o.host);
    } else if (m_impl->server->bind_to_port(o.host, o.port)) {
        port = o.port;
    }
    if (port <= 0) {
        throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                                 " (in use, or not an address of this machine)");
    }
    m_impl->port = port;
    return port;
}

void HttpServer::Serve() {
    Bind();
    m_impl->server->listen_after_bind();
}

int HttpServer::Start() {
    int port = Bind();
    m_impl->thread = std::thread([this] { m_impl->server->listen_after_bind(); });
    for (int i = 0; i < 5000 && !m_impl->server->is_running(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!m_impl->server->is_running()) throw std::runtime_error("the HTTP server did not start listening");
    return port;
}

void HttpServer::Stop() {
    if (!m_impl) return;
    m_impl->server->stop();
    if (m_impl->thread.joinable()) m_impl->thread.join();
}

int HttpServer::Port() const { return m_impl->port; }

std::string HttpServer::BaseUrl() const {
    bool tls = m_impl->options.tlsCert.has_value();
    return std::string(tls ? "https://" : "http://") + m_impl->options.host + ":" + std::to_string(m_impl->port);
}

}  // namespace fk::server
