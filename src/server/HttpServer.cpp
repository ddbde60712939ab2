#include "server/HttpServer.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "core/Calendar.h"
#include "core/CallStats.h"
#include "core/Csv.h"
#include "core/Rating.h"
#include "core/TimeFormat.h"
#include "protocol/Calls.h"
#include "protocol/Wire.h"
#include "server/Access.h"
#include "server/HttpTransport.h"
#include "server/Limits.h"
#include "server/LoginLimiter.h"
#include "server/Passwords.h"
#include "server/Reports.h"
#include "server/Sessions.h"
#include "server/SurveyScreens.h"
#include "server/Tokens.h"
#include "server/WebAssets.h"

namespace fk::server {

namespace {

namespace code = protocol::code;
using http::Request;
using http::Response;

const char* kJson = "application/json";

// Routes answer errors through the transport's one JSON error writer.
constexpr auto& SendError = http::SetError;

bool EtagMatches(const std::string& ifNoneMatch, const std::string& etag) {
    std::size_t start = 0;
    while (start <= ifNoneMatch.size()) {
        std::size_t comma = ifNoneMatch.find(',', start);
        std::string item =
            http::TrimOws(std::string_view(ifNoneMatch).substr(start, comma - start));
        if (item.rfind("W/", 0) == 0)
            item = item.substr(2);
        if (item == "*" || item == etag)
            return true;
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return false;
}

bool IsJsonContentType(const Request& req) {
    std::string type = req.get_header_value("Content-Type");
    auto semi = type.find(';');
    type = http::TrimOws(type.substr(0, semi));
    for (auto& c : type)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return type == kJson;
}

// The value of one cookie from the Cookie header, or "".
std::string CookieValue(const Request& req, std::string_view name) {
    const std::string header = req.get_header_value("Cookie");
    std::size_t start = 0;
    while (start < header.size()) {
        std::size_t end = header.find(';', start);
        if (end == std::string::npos)
            end = header.size();
        std::string item = http::TrimOws(std::string_view(header).substr(start, end - start));
        if (item.size() > name.size() && item.compare(0, name.size(), name) == 0 &&
            item[name.size()] == '=') {
            return item.substr(name.size() + 1);
        }
        start = end + 1;
    }
    return "";
}

}  // namespace

struct HttpServer::Impl : http::Handler {
    Backend& backend;
    const core::Clock& clock;
    ServerOptions options;
    std::unique_ptr<http::Transport> transport;
    std::thread thread;

    // Metrics.
    std::mutex metricsMutex;
    std::map<std::pair<std::string, int>, std::int64_t> requests;
    std::atomic<std::int64_t> batches{0}, accepted{0}, duplicates{0}, rejected{0}, heartbeats{0};
    std::atomic<std::int64_t> ingestMicros{0};
    // Concurrent batch posts per kiosk (429 guard). Per process on purpose: a kiosk's retries
    // through another server behind a load balancer are still safe (ingest is idempotent).
    std::mutex inFlightMutex;
    std::map<std::string, int> inFlight;
    Sessions sessions;
    LoginLimiter loginLimiter;
    TrustedProxies trustedProxies;
    std::unique_ptr<CallDispatcher> dispatcher;
    std::unique_ptr<EventBus> bus;  // other servers' call events (PostgreSQL); null: this one only
    std::atomic<std::int64_t> callsAccepted{0}, callsFolded{0};

    // The route table: what each route takes (checked by the transport before the body is read)
    // and its handler. Labels for /metrics come from here only.
    struct Route {
        std::string method;
        std::regex pattern;
        std::string label;
        std::string patternText;
        std::size_t maxBodyBytes = 0;
        bool compressedBody = false;
        bool lane = false;
        std::function<void(const Request&, Response&)> handler;
    };
    std::vector<Route> routes;

    Impl(Backend& b, const core::Clock& c, ServerOptions o)
        : backend(b),
          clock(c),
          options(std::move(o)),
          sessions(b, c, options.sessionLifetimeS),
          loginLimiter(b.Users()) {
        try {
            trustedProxies = TrustedProxies(options.trustedProxies);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(std::string("trusted proxy: ") + e.what());
        }
        Routes();
        http::TransportOptions t;
        t.host = options.host;
        t.port = options.port;
        t.tlsCert = options.tlsCert;
        t.tlsKey = options.tlsKey;
        t.limits = options.limits;
        t.limits.maxBodyBytes = options.maxBodyBytes;
        t.limits.maxDecodedBodyBytes = options.maxDecodedBodyBytes;
        t.limits.workers = options.threads;
        transport = std::make_unique<http::Transport>(t, *this);
        bus = backend.OpenEventBus();
        if (bus) {
            bus->Start([this](const std::string& storeId, const std::string& event,
                              const std::string& json) { PublishHere(storeId, event, json); });
        }
        if (options.dispatchCalls) {
            DispatchOptions d;
            d.smtp = options.smtp;
            d.escalateAfterS = options.escalateAfterS;
            dispatcher = std::make_unique<CallDispatcher>(
                backend, clock, d, [this](const std::string& storeId, const std::string& body) {
                    Publish(storeId, "escalation", body);
                });
            dispatcher->Start();
        }
    }

    // Live dashboards of the store (GET /api/v1/calls/stream), on every server of the database:
    // through the bus, which brings the event back to this server's streams too.
    void Publish(const std::string& storeId, std::string_view event, const std::string& json) {
        if (bus && bus->Publish(storeId, event, json))
            return;
        PublishHere(storeId, event, json);
    }
    void PublishHere(const std::string& storeId, std::string_view event, const std::string& json) {
        transport->Publish("calls:" + storeId,
                           "event: " + std::string(event) + "\ndata: " + json + "\n\n");
    }

    // Event thread: which route, and what it takes, from the request line alone.
    http::RoutePlan Inspect(const std::string& method, const std::string& path) override {
        http::RoutePlan plan;
        plan.label = "other";
        for (const auto& r : routes) {
            std::smatch m;
            if (!std::regex_match(path, m, r.pattern))
                continue;
            if (r.method != method) {
                plan.methodAllowed = false;
                continue;
            }
            plan.found = true;
            plan.methodAllowed = true;
            plan.maxBodyBytes = r.maxBodyBytes;
            plan.compressedBody = r.compressedBody;
            plan.lane = r.lane;
            plan.label = r.label;
            if (r.label == "reports") {
                // A fixed set of labels: unknown report names do not grow /metrics.
                static const std::regex known("stores|reps|reasons|trend|heatmap|fleet|calls");
                plan.label = std::regex_match(m[1].str(), known)
                                 ? "reports_" + m[1].str() + (m[2].matched ? "_csv" : "")
                                 : "reports_other";
            }
            return plan;
        }
        return plan;
    }

    void Handle(Request& req, Response& response) override {
        for (const auto& r : routes) {
            std::smatch m;
            if (r.method != req.method || !std::regex_match(req.path, m, r.pattern))
                continue;
            req.matches.clear();
            for (const auto& g : m)
                req.matches.push_back({g.str(), g.matched});
            req.routeLabel = r.label;
            if (Decide(r.label, Caller{}, false) == Decision::Unknown) {
                // A route without a rule in Access.cpp: nobody may (the access test fails on it).
                SendError(response, 403, code::kForbidden, "this endpoint is not open to anyone");
                return;
            }
            r.handler(req, response);
            return;
        }
        SendError(response, 404, code::kNotFound, "no such endpoint; see docs/API.md");
    }

    void Count(const std::string& label, int status) override {
        std::lock_guard lock(metricsMutex);
        ++requests[{label, status}];
    }

    // allowCookie: read-only (GET) routes also take the web page's session cookie. Writes never
    // do, so a cross-site form cannot act with it (and SameSite=Strict keeps it home anyway).
    // Every caller is checked against the rule table (server/Access.h) for the request's route.
    std::optional<TokenRecord> Authenticate(const Request& req, Response& res,
                                            bool allowCookie = false) {
        auto token = Identify(req, res, allowCookie);
        if (!token)
            return std::nullopt;
        Caller caller;
        caller.kind = token->role                       ? CallerKind::User
                      : token->kind == TokenKind::Kiosk ? CallerKind::KioskToken
                                                        : CallerKind::ManagerToken;
        if (token->role)
            caller.role = *token->role;
        if (!Permit(req, res, caller))
            return std::nullopt;
        if (token->role && !ScopeUser(req, res, *token))
            return std::nullopt;
        return token;
    }

    static bool IsExport(const Request& req) {
        return req.path.size() > 4 && req.path.compare(req.path.size() - 4, 4, ".csv") == 0;
    }

    bool Permit(const Request& req, Response& res, const Caller& caller) {
        const bool exporting = IsExport(req);
        switch (Decide(req.routeLabel, caller, exporting)) {
            case Decision::Public:
            case Decision::Allow:
                return true;
            case Decision::Deny:
                if (caller.kind == CallerKind::User) {
                    SendError(res, 403, code::kForbidden,
                              "the role " + to_string(caller.role) + " may not " +
                                  (exporting ? "download this" : "use this") +
                                  "; an admin can change your role");
                } else {
                    SendError(res, 403, code::kWrongTokenKind,
                              caller.kind == CallerKind::KioskToken
                                  ? "a kiosk token cannot use this endpoint (see docs/API.md)"
                                  : "a manager token cannot use this endpoint (see docs/API.md)");
                }
                return false;
            case Decision::Unknown:
                break;
        }
        SendError(res, 403, code::kForbidden, "this endpoint is not open to anyone");
        return false;
    }

    // A store-scoped person acts on one of their stores: the one asked for (?store=) or their
    // only one. A kiosk's status is checked against all of theirs by its handler.
    bool ScopeUser(const Request& req, Response& res, TokenRecord& token) {
        if (token.userStores.empty())
            return true;  // admin, head_office: every store
        std::string list;
        for (const auto& s : token.userStores)
            list += (list.empty() ? "" : ", ") + s;
        if (auto wanted = Param(req, "store")) {
            if (std::find(token.userStores.begin(), token.userStores.end(), *wanted) ==
                token.userStores.end()) {
                SendError(res, 403, code::kWrongStore,
                          "you see store " + list + " only, not " + wanted->substr(0, 64));
                return false;
            }
            token.storeId = *wanted;
        } else if (token.userStores.size() == 1) {
            token.storeId = token.userStores.front();
        } else if (req.routeLabel != "status" && req.routeLabel != "password_change" &&
                   req.routeLabel != "session" && !IsListing(req)) {
            SendError(res, 400, code::kMissingParameter,
                      "add ?store=ID, one of your stores: " + list);
            return false;
        }
        return true;
    }

    // The stores overview and the fleet list every store the caller reads (a person's several
    // stores: filtered by the handler).
    static bool IsListing(const Request& req) {
        if (req.routeLabel != "reports" || req.matches.size() < 2)
            return false;
        return req.matches[1].str() == "stores" || req.matches[1].str() == "fleet";
    }

    static bool InUserStores(const TokenRecord& token, const std::string& storeId) {
        return token.userStores.empty() ||
               std::find(token.userStores.begin(), token.userStores.end(), storeId) !=
                   token.userStores.end();
    }

    static TokenRecord AsToken(const UserRecord& user) {
        TokenRecord t;
        t.id = "user:" + user.name;
        t.kind = TokenKind::Manager;
        t.userName = user.name;
        t.role = user.role;
        if (RoleIsStoreScoped(user.role))
            t.userStores = user.stores;
        return t;
    }

    // Who the request is: a bearer token, a token's web session or a person's web session.
    std::optional<TokenRecord> Identify(const Request& req, Response& res, bool allowCookie) {
        std::string header = req.get_header_value("Authorization");
        if (header.empty() && allowCookie) {
            std::string cookie = CookieValue(req, kSessionCookieName);
            if (Sessions::IsUserSession(cookie)) {
                if (auto user = sessions.FindUser(cookie)) {
                    if (RoleIsStoreScoped(user->role) && user->stores.empty()) {
                        SendError(res, 403, code::kForbidden,
                                  "no store is given to you yet; an admin can add one");
                        return std::nullopt;
                    }
                    return AsToken(*user);
                }
                SendError(res, 401, code::kBadToken,
                          "the session has expired or was ended; log in again");
                return std::nullopt;
            }
            if (!cookie.empty()) {
                auto token = sessions.Find(cookie);
                if (token)
                    return token;
                SendError(res, 401, code::kBadToken,
                          "the session has expired or its token was revoked; log in again");
                return std::nullopt;
            }
        }
        if (header.empty()) {
            res.set_header("WWW-Authenticate", "Bearer");
            SendError(res, 401, code::kMissingToken,
                      "no bearer token; send the header 'Authorization: Bearer <token>' with the "
                      "token printed by "
                      "kiosk-server add-kiosk or add-manager");
            return std::nullopt;
        }
        constexpr std::string_view kPrefix = "Bearer ";
        if (header.size() <= kPrefix.size() ||
            strncasecmp(header.c_str(), kPrefix.data(), kPrefix.size()) != 0) {
            res.set_header("WWW-Authenticate", "Bearer");
            SendError(res, 401, code::kBadToken,
                      "the Authorization header must be 'Bearer <token>'");
            return std::nullopt;
        }
        auto token = backend.FindToken(HashToken(http::TrimOws(header.substr(kPrefix.size()))));
        if (!token) {
            res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            SendError(res, 401, code::kBadToken,
                      "the token is unknown or revoked; issue a new one with kiosk-server "
                      "add-kiosk/add-manager");
            return std::nullopt;
        }
        return token;
    }

    // A kiosk token acting as kioskId (the path's or the batch's).
    bool RequireKiosk(const TokenRecord& token, const std::string& kioskId, Response& res) {
        if (token.kind != TokenKind::Kiosk) {
            SendError(
                res, 403, code::kWrongTokenKind,
                "a manager token cannot act as a kiosk; use the kiosk's own token (add-kiosk)");
            return false;
        }
        if (token.kioskId != kioskId) {
            SendError(res, 403, code::kWrongKiosk,
                      "this token belongs to kiosk " + token.kioskId.value_or("?") + ", not " +
                          kioskId + "; a kiosk may only act as itself");
            return false;
        }
        return true;
    }

    bool RequireJsonBody(const Request& req, Response& res) {
        if (!IsJsonContentType(req)) {
            std::string got = req.get_header_value("Content-Type");
            SendError(res, 415, code::kUnsupportedMediaType,
                      "Content-Type is '" + (got.empty() ? std::string("(none)") : got) +
                          "'; send application/json (optionally with Content-Encoding: gzip)");
            return false;
        }
        // The transport already refused other encodings and inflated gzip/deflate.
        std::string encoding = http::TrimOws(req.get_header_value("Content-Encoding"));
        for (auto& c : encoding)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!encoding.empty() && encoding != "identity" && encoding != "gzip" &&
            encoding != "deflate") {
            SendError(res, 415, code::kUnsupportedEncoding,
                      "Content-Encoding '" + encoding +
                          "' is not supported; send gzip or an uncompressed body");
            return false;
        }
        return true;
    }

    void Batches(const Request& req, Response& res, const std::string& body) {
        auto token = Authenticate(req, res);
        if (!token)
            return;
        if (token->kind != TokenKind::Kiosk) {
            SendError(res, 403, code::kWrongTokenKind,
                      "a manager token cannot post batches; kiosks post with their own token "
                      "(add-kiosk)");
            return;
        }
        if (!RequireJsonBody(req, res))
            return;
        auto decoded = protocol::DecodeBatch(body, options.maxBatchResponses);
        if (!decoded) {
            SendError(res, 400, decoded.Error().code, to_string(decoded.Error()));
            return;
        }
        const protocol::Batch& batch = *decoded;
        if (!RequireKiosk(*token, batch.kioskId, res))
            return;
        // The token's query read the kiosk's row too (RequireKiosk: it is batch.kioskId).
        auto kiosk =
            token->kioskStoreId
                ? std::optional<KioskRecord>(KioskRecord{batch.kioskId, *token->kioskStoreId})
                : backend.FindKiosk(batch.kioskId);
        if (!kiosk) {
            SendError(res, 403, code::kUnknownKiosk,
                      "kiosk " + batch.kioskId + " is not registered; run add-kiosk");
            return;
        }
        {
            std::lock_guard lock(inFlightMutex);
            int& n = inFlight[kiosk->id];
            if (n >= options.maxInFlightPerKiosk) {
                res.set_header("Retry-After", "1");
                SendError(res, 429, code::kTooManyRequests,
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
                if (--self.inFlight[id] == 0)
                    self.inFlight.erase(id);
            }
        } release{*this, kiosk->id};
        auto start = std::chrono::steady_clock::now();
        IngestCounts counts;
        protocol::Receipt receipt = Ingest(backend, *kiosk, batch, clock.NowUtcMs(), &counts);
        ingestMicros += std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        ++batches;
        accepted += counts.accepted;
        duplicates += counts.duplicate;
        rejected += counts.rejected;
        if (counts.accepted > 0)
            EvaluateStoreAlert(kiosk->storeId, batch);
        res.set_content(protocol::EncodeReceipt(receipt), kJson);
    }

    // After the batch is stored (its receipt stands whatever happens here): the store's rule over
    // every till, when the batch brought a response inside the window. The database lets one
    // evaluation raise a store's alert, so one server announces it (outbox, live stream).
    void EvaluateStoreAlert(const std::string& storeId, const protocol::Batch& batch) {
        if (!options.storeAlerts)
            return;
        const core::UtcMs now = clock.NowUtcMs();
        const core::UtcMs from = now - options.storeAlertRule.windowMs;
        const bool recent = std::any_of(
            batch.responses.begin(), batch.responses.end(),
            [&](const core::Response& r) { return r.createdAtMs > from && r.createdAtMs <= now; });
        if (!recent)
            return;
        try {
            auto outcome = backend.Alerts().Evaluate(storeId, options.storeAlertRule, now);
            if (!outcome.raisedHere || !outcome.alert)
                return;
            spdlog::warn("store alert at {}: {} of {} responses negative in the last {} min",
                         storeId, outcome.alert->negative, outcome.alert->responses,
                         outcome.alert->windowMs / 60000);
            const bool email = dispatcher && dispatcher->EmailEnabled();
            EventSpec event = StoreAlertEvent(*outcome.alert, email);
            backend.Calls().Enqueue(event, now);
            Publish(storeId, "store_alert", event.body);
            if (dispatcher)
                dispatcher->Wake();
        } catch (const BackendError& e) {
            spdlog::error("store alert of {}: database: {}", storeId, e.what());
        }
    }

    std::optional<protocol::StoreAlert> CurrentStoreAlert(const std::string& storeId,
                                                          core::UtcMs now) {
        if (!options.storeAlerts)
            return std::nullopt;
        for (const auto& a : backend.Alerts().Current(storeId, now))
            return protocol::StoreAlert{a.raisedAt, a.checkedAt, a.negative, a.responses,
                                        a.windowMs / 60000};
        return std::nullopt;
    }

    void Config(const Request& req, Response& res) {
        auto token = Authenticate(req, res);
        if (!token)
            return;
        std::string kioskId = req.matches[1].str();
        if (!RequireKiosk(*token, kioskId, res))
            return;
        auto config = backend.FindConfig(token->storeId.value_or(""), kioskId);
        if (!config) {
            SendError(res, 404, code::kNoConfig,
                      "no config is set for store " + token->storeId.value_or("?") +
                          "; run kiosk-server set-config --store " + token->storeId.value_or("S") +
                          " --file F");
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

    void Heartbeat(const Request& req, Response& res, const std::string& body) {
        auto token = Authenticate(req, res);
        if (!token)
            return;
        std::string kioskId = req.matches[1].str();
        if (!RequireKiosk(*token, kioskId, res))
            return;
        if (!RequireJsonBody(req, res))
            return;
        auto hb = protocol::DecodeHeartbeat(body);
        if (!hb) {
            SendError(res, 400, hb.Error().code, to_string(hb.Error()));
            return;
        }
        protocol::Heartbeat beat = *hb;
        if (auto bad = CheckHeartbeat(beat)) {  // server/Limits.h: ranges and string caps
            SendError(res, 400, bad->code, bad->message);
            return;
        }
        core::UtcMs now = clock.NowUtcMs();
        NoteAlert(kioskId, beat, now);
        const SeqMarks marks = backend.Heartbeat(kioskId, beat, now);
        if (beat.configVersion)
            backend.Surveys().ReportRunning(kioskId, *beat.configVersion, now);
        ++heartbeats;
        const std::string storeId = token->kioskStoreId.value_or(token->storeId.value_or(""));
        res.set_content(protocol::EncodeHeartbeatAck({now, marks.ackedSeq, marks.maxSeq,
                                                      CurrentStoreAlert(storeId, now),
                                                      options.keepResponsesDays}),
                        kJson);
    }

    // A store's offset from UTC at now: its IANA zone's where one is set, else the offset of its
    // newest response (every store's newest for nullopt: all stores at once).
    std::optional<int> StoreOffset(const std::optional<std::string>& store,
                                   const std::map<std::string, std::string>& zones,
                                   core::UtcMs now) {
        if (store) {
            if (auto zone = zones.find(*store); zone != zones.end()) {
                if (auto offset = ZoneOffsetMinutes(zone->second, now))
                    return offset;
            }
        }
        return backend.LatestTzOffset(store);
    }

    // The store a survey request is about: ?store= (a person's scope was checked by
    // Authenticate), a store manager token's own store.
    std::optional<std::string> SurveyStore(const Request& req, Response& res,
                                           const TokenRecord& token) {
        std::optional<std::string> store = Param(req, "store");
        if (!store && token.storeId)
            store = token.storeId;
        if (!store || store->empty() || store->size() > 64) {
            SendError(res, 400, code::kMissingParameter, "add ?store=ID");
            return std::nullopt;
        }
        if (token.storeId && *token.storeId != *store) {
            SendError(res, 403, code::kWrongStore, "this token reads store " + *token.storeId);
            return std::nullopt;
        }
        const auto stores = backend.ListStores();
        if (std::none_of(stores.begin(), stores.end(),
                         [&](const StoreRecord& s) { return s.id == *store; })) {
            SendError(res, 404, code::kUnknownStore, "no store " + *store);
            return std::nullopt;
        }
        return store;
    }

    static nlohmann::json VersionJson(const SurveyVersion& v) {
        return nlohmann::json{
            {"version", v.version},
            {"kiosk_id", v.kioskId.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.kioskId)},
            {"created_at", core::FormatRfc3339Ms(v.createdAt)},
            {"created_by", v.createdBy},
            {"note", v.note}};
    }

    static std::string Who(const TokenRecord& token) {
        return token.userName ? *token.userName : "token:" + token.id;
    }

    // GET /api/v1/survey?store=S: the store's definition in force and its versions, newest first.
    void GetSurvey(const Request& req, Response& res) {
        auto token = Authenticate(req, res, true);
        if (!token)
            return;
        auto store = SurveyStore(req, res, *token);
        if (!store)
            return;
        nlohmann::json out;
        out["store"] = *store;
        out["definition"] = nullptr;
        if (auto config = backend.FindConfig(*store, "")) {
            auto parsed = nlohmann::json::parse(config->body, nullptr, false);
            if (!parsed.is_discarded())
                out["definition"] = std::move(parsed);
        }
        // What a definition without reasons is stored with: the editor starts a store that has
        // none from this list, so a first save keeps the built-in reasons.
        out["built_in_reasons"] = nlohmann::json::parse(BuiltInReasonsJson());
        nlohmann::json versions = nlohmann::json::array();
        for (const auto& v : backend.Surveys().List(*store, 200))
            versions.push_back(VersionJson(v));
        out["versions"] = std::move(versions);
        res.set_header("Cache-Control", "no-store");
        res.set_content(out.dump(), kJson);
    }

    // GET /api/v1/survey/screens?lang=L: the kiosk's words for the customer screens (preview).
    void SurveyScreens(const Request& req, Response& res) {
        auto token = Authenticate(req, res, true);
        if (!token)
            return;
        const std::string lang = Param(req, "lang").value_or("en");
        auto body = lang.size() <= 8 ? ScreenStringsJson(lang) : std::nullopt;
        if (!body) {
            SendError(
                res, 404, code::kNotFound,
                "the kiosk has no language " + lang.substr(0, 8) + "; use en, hi, ne, te or da");
            return;
        }
        res.set_header("Cache-Control", "no-store");
        res.set_content(*body, kJson);
    }

    // PUT /api/v1/survey?store=S[&kiosk=K]: a new definition, checked by the kiosk's own loader.
    // POST /api/v1/survey/rollback?store=S {"version": N}: an earlier one served again.
    void EditSurvey(const Request& req, Response& res, const std::string& body) {
        auto caller = SurveyEditor(req, res);
        if (!caller)
            return;
        const auto& [token, store] = *caller;
        const core::UtcMs now = clock.NowUtcMs();
        SurveyVersion stored;
        if (req.method == "POST") {
            auto j = nlohmann::json::parse(body, nullptr, false);
            if (j.is_discarded() || !j.is_object() || !j.contains("version") ||
                !j["version"].is_number_integer()) {
                SendError(res, 400, code::kInvalidValue, "send {\"version\": N}");
                return;
            }
            const std::int64_t to = j["version"].get<std::int64_t>();
            auto old = backend.Surveys().Find(store, to);
            if (!old) {
                SendError(res, 404, code::kNotFound,
                          "store " + store + " has no version " + std::to_string(to));
                return;
            }
            stored = backend.Surveys().Store(store, old->kioskId, old->body, Who(token),
                                             "rollback to " + std::to_string(to), now);
        } else {
            const std::string kiosk = Param(req, "kiosk").value_or("");
            if (!kiosk.empty()) {
                auto found = backend.FindKiosk(kiosk);
                if (!found || found->storeId != store) {
                    SendError(res, 404, code::kUnknownKiosk,
                              "no kiosk " + kiosk.substr(0, 64) + " in store " + store);
                    return;
                }
            }
            if (RefuseDefinition(body, res))
                return;
            stored = backend.Surveys().Store(store, kiosk, body, Who(token), "", now);
        }
        spdlog::info("survey definition for store {} stored as version {} by {}", store,
                     stored.version, stored.createdBy);
        res.set_content(VersionJson(stored).dump(), kJson);
    }

    // Who writes a survey definition and for which store (a JSON body required); nullopt when the
    // request was answered with an error.
    std::optional<std::pair<TokenRecord, std::string>> SurveyEditor(const Request& req,
                                                                    Response& res) {
        if (!RequireJsonBody(req, res))
            return std::nullopt;
        auto token = Authenticate(req, res, true);
        if (!token)
            return std::nullopt;
        auto store = SurveyStore(req, res, *token);
        if (!store)
            return std::nullopt;
        return std::pair(std::move(*token), std::move(*store));
    }

    // 422 with the kiosk loader's problems when the definition is refused; false when it is fine.
    static bool RefuseDefinition(const std::string& definition, Response& res) {
        const auto problems = CheckDefinition(definition, "definition");
        if (problems.empty())
            return false;
        std::string message;
        for (const auto& p : problems)
            message += (message.empty() ? "" : "\n") + p;
        res.status = 422;
        res.set_content(
            nlohmann::json{{"error", {{"code", code::kInvalidDefinition}, {"message", message}}},
                           {"problems", problems}}
                .dump(),
            kJson);
        return true;
    }

    // PUT /api/v1/survey/roster?store=S {"roster": [...]}: the store's roster and nothing else
    // (a store manager's own store; admin, head office). The rest of the definition in force is
    // kept as it is; the result is checked and stored as the next version like any other.
    void EditRoster(const Request& req, Response& res, const std::string& body) {
        auto caller = SurveyEditor(req, res);
        if (!caller)
            return;
        const auto& [token, store] = *caller;
        auto j = nlohmann::ordered_json::parse(body, nullptr, false);
        if (j.is_discarded() || !j.is_object() || j.size() != 1 || !j.contains("roster") ||
            !j["roster"].is_array()) {
            SendError(res, 400, code::kInvalidValue,
                      "send {\"roster\": [...]} and nothing else; the rest of the definition "
                      "is edited by head office");
            return;
        }
        nlohmann::ordered_json definition = nlohmann::ordered_json::object();
        if (auto config = backend.FindConfig(store, "")) {
            auto parsed = nlohmann::ordered_json::parse(config->body, nullptr, false);
            if (parsed.is_object())
                definition = std::move(parsed);
        }
        definition.erase("version");
        definition["roster"] = std::move(j["roster"]);
        const std::string next = definition.dump();
        if (RefuseDefinition(next, res))
            return;
        const SurveyVersion stored =
            backend.Surveys().Store(store, "", next, Who(token), "roster", clock.NowUtcMs());
        spdlog::info("roster of store {} stored as survey version {} by {}", store, stored.version,
                     stored.createdBy);
        res.set_content(VersionJson(stored).dump(), kJson);
    }

    void Status(const Request& req, Response& res) {
        auto token = Authenticate(req, res, true);
        if (!token)
            return;
        std::string kioskId = req.matches[1].str();
        if (token->kind == TokenKind::Kiosk && !RequireKiosk(*token, kioskId, res))
            return;
        auto status = backend.Status(kioskId);
        if (!token->userStores.empty() && !token->storeId &&
            (!status || std::find(token->userStores.begin(), token->userStores.end(),
                                  status->storeId) == token->userStores.end())) {
            SendError(res, 403, code::kWrongStore,
                      "kiosk " + kioskId + " is not in one of your stores");
            return;
        }
        if (token->kind == TokenKind::Manager && token->storeId &&
            (!status || status->storeId != *token->storeId)) {
            // Same answer whether the kiosk exists elsewhere or not: no probing other stores.
            SendError(res, 403, code::kWrongStore,
                      "kiosk " + kioskId + " is not in store " + *token->storeId +
                          ", the only store this token reads");
            return;
        }
        if (!status) {
            SendError(res, 404, code::kUnknownKiosk,
                      "no kiosk " + kioskId + "; check the id (add-kiosk registers kiosks)");
            return;
        }
        std::vector<protocol::KioskStatus> one{*status};
        AddSurveyVersions(backend, one, clock.NowUtcMs());
        res.set_content(protocol::EncodeKioskStatus(one.front()), kJson);
    }

    void Reports(const Request& req, Response& res) {
        const std::string what = req.matches[1].str();
        const bool csv = req.matches[2].matched;
        auto token = Authenticate(req, res, true);
        if (!token)
            return;
        if (token->kind != TokenKind::Manager) {
            SendError(res, 403, code::kWrongTokenKind,
                      "reports need a manager token (add-manager), not a kiosk token");
            return;
        }
        QueryParams params;
        for (const auto& [k, v] : req.params)
            params[k] = v;
        std::optional<std::string> store;
        if (auto it = params.find("store"); it != params.end())
            store = it->second;
        // Overview and fleet list every store the token reads; the others need one store from a
        // one-store token.
        const bool listing = what == "stores" || what == "fleet";
        if (token->storeId) {
            if (!store && !listing) {
                SendError(res, 400, code::kMissingParameter,
                          "add ?store=" + *token->storeId + " (this token's store)");
                return;
            }
            if (store && *store != *token->storeId) {
                SendError(res, 403, code::kWrongStore,
                          "this token reads store " + *token->storeId + " only, not " + *store);
                return;
            }
            store = token->storeId;
        }
        const core::UtcMs now = clock.NowUtcMs();
        // Each store's IANA zone where head office set one (issue 17 item 5).
        const std::map<std::string, std::string> zones =
            what == "fleet" ? std::map<std::string, std::string>{} : backend.Zones().All();
        // The fleet has no period: no need to look up the store's zone.
        const int tz = what == "fleet" ? 0 : StoreOffset(store, zones, now).value_or(0);
        ParseResult parsed = ParseReportParams(params, now, tz);
        if (!parsed.request) {
            SendError(res, 400, parsed.error->code, parsed.error->message);
            return;
        }
        ReportRequest& request = *parsed.request;
        request.storeId = store;
        // Above store level (issue 20 item 5): every store at once, or a viewer whose job spans
        // stores, sees no per-rep figure of fewer than min_group_size responses.
        const bool aboveStore =
            !store || (token->role ? *token->role == Role::Admin || *token->role == Role::HeadOffice
                                   : !token->storeId.has_value());
        if (aboveStore)
            request.minN = std::max(request.minN, options.minGroupSize);
        if (store && !backend.StoreExists(*store)) {
            SendError(res, 404, code::kUnknownStore, "no store " + *store);
            return;
        }
        const core::UtcMs staleMs = options.staleAfterS * 1000;
        std::string body;
        if (what == "stores") {
            std::vector<StoreRecord> stores;
            for (auto& s : backend.ListStores())
                if ((!store || s.id == *store) && InUserStores(*token, s.id))
                    stores.push_back(std::move(s));
            // Each store's "today" is its own: a chain spans zones.
            std::map<std::string, StorePeriod> own;
            for (const auto& s : stores) {
                const auto storeTz = StoreOffset(s.id, zones, now);
                if (!storeTz)
                    continue;
                ParseResult mine = ParseReportParams(params, now, *storeTz);
                if (!mine.request)
                    continue;
                mine.request->storeId = request.storeId;
                auto zone = zones.find(s.id);
                own[s.id] =
                    StorePeriod{*mine.request, storeTz,
                                zone == zones.end() ? std::nullopt : std::optional(zone->second)};
            }
            auto overview = LoadStoresOverview(backend, request, stores, now, staleMs, own);
            body = csv ? StoresCsv(overview) : StoresJson(request, overview);
        } else if (what == "calls") {
            body = CallsReport(request, now, csv);
        } else if (what == "fleet") {
            auto fleet = LoadFleet(backend, store, now, staleMs);
            std::erase_if(fleet, [&](const FleetRow& row) {
                return !InUserStores(*token, row.status.storeId);
            });
            body = csv ? FleetCsv(fleet, now) : FleetJson(fleet, now, staleMs);
        } else if (what == "reps" || what == "reasons" || what == "trend" || what == "heatmap") {
            const unsigned part = what == "trend"     ? kTrendPart
                                  : what == "heatmap" ? kHeatPart
                                                      : kRepPart;
            auto data = LoadDashboard(backend, request, part);
            const StoreDirectory directory = LoadDirectory(backend, store);
            if (what == "reps") {
                // Every store: rows by store and rep, each named from its store's roster.
                std::optional<std::vector<StoreReps>> byStore;
                if (!store)
                    byStore = LoadRepsByStore(backend, request);
                const auto* rows = byStore ? &*byStore : nullptr;
                body =
                    csv ? RepsCsv(data, directory, rows) : RepsJson(request, data, directory, rows);
            }
            if (what == "reasons")
                body = csv ? ReasonsCsv(data) : ReasonsJson(request, data, directory);
            if (what == "trend")
                body = csv ? TrendCsv(data) : TrendJson(request, data);
            if (what == "heatmap")
                body = csv ? HeatmapCsv(data) : HeatmapJson(request, data);
        } else {
            SendError(
                res, 404, code::kNotFound,
                "no report " + what +
                    "; there are stores, reps, reasons, trend, heatmap and fleet (docs/API.md)");
            return;
        }
        if (what == "reps" || what == "calls")
            NoteAccess(req, *token,
                       "reports/" + what + (csv ? ".csv" : "") + " store=" + store.value_or("*") +
                           " " + core::FormatIsoDate(request.from) + ".." +
                           core::FormatIsoDate(request.to));
        res.set_header("Cache-Control", "no-store");
        if (csv) {
            std::string file = what + (store ? "-" + *store : std::string()) + "-" +
                               core::FormatIsoDate(request.from) + "-" +
                               core::FormatIsoDate(request.to) + ".csv";
            // Store ids are free text: keep the file name to safe characters.
            for (auto& c : file)
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' &&
                    c != '_')
                    c = '_';
            res.set_header("Content-Disposition", "attachment; filename=\"" + file + "\"");
            res.set_content(body, "text/csv; charset=utf-8");
        } else {
            res.set_content(body, kJson);
        }
    }

    // Per-rep data was read: who, as what, what and from where go to the access log.
    void NoteAccess(const Request& req, const TokenRecord& token, const std::string& what) {
        AccessEntry e;
        e.at = clock.NowUtcMs();
        e.who = token.userName ? *token.userName : "token:" + token.id;
        e.role = token.role ? to_string(*token.role) : std::string("manager_token");
        e.what = what;
        e.from = req.remoteAddress;
        backend.Accesses().Record(e, options.accessLogKeepDays * 86'400'000LL);
    }

    // GET /api/v1/access-log[.csv]?from=DATE&to=DATE (admins; UTC dates, default the last 30
    // days; newest first, at most 10000 rows).
    // The staff notice's facts (issue 20 item 6; web/notice.html words them in five languages).
    // Public: it says what the chain does with staff data, nothing about anyone.
    void Notice(const Request&, Response& res) {
        nlohmann::json j;
        j["organisation"] = options.organisation;
        j["contact"] = options.privacyContact;
        j["responses_days"] = options.keepResponsesDays;
        j["access_log_days"] = options.accessLogKeepDays;
        j["min_group_size"] = options.minGroupSize;
        j["min_n"] = core::kDefaultMinN;
        res.set_header("Cache-Control", "no-store");
        res.set_content(j.dump(), kJson);
    }

    void ListAccess(const Request& req, Response& res) {
        auto token = Authenticate(req, res, true);
        if (!token)
            return;
        const bool csv = req.matches[1].matched;
        const core::UtcMs now = clock.NowUtcMs();
        core::UtcMs from = now - 30 * 86'400'000LL, to = now + 1;
        for (const char* name : {"from", "to"}) {
            auto value = Param(req, name);
            if (!value)
                continue;
            auto date = core::ParseIsoDate(*value);
            if (!date) {
                SendError(res, 400, code::kInvalidParameter,
                          std::string(name) + " must be a date YYYY-MM-DD");
                return;
            }
            const core::UtcMs ms = core::DaysFromCivil(*date) * 86'400'000LL;
            (std::string(name) == "from" ? from : to) =
                std::string(name) == "from" ? ms : ms + 86'400'000LL;
        }
        const auto entries = backend.Accesses().List(from, to, 10'000);
        res.set_header("Cache-Control", "no-store");
        if (csv) {
            std::ostringstream out;
            core::CsvWriter w(out);
            w.WriteBom();
            w.Text("at").Text("who").Text("role").Text("what").Text("from");
            w.EndRow();
            for (const auto& e : entries) {
                w.Text(core::FormatRfc3339Ms(e.at)).Text(e.who).Text(e.role).Text(e.what);
                w.Text(e.from);
                w.EndRow();
            }
            res.set_header("Content-Disposition", "attachment; filename=\"access-log.csv\"");
            res.set_content(out.str(), "text/csv; charset=utf-8");
            return;
        }
        nlohmann::json list = nlohmann::json::array();
        for (const auto& e : entries) {
            list.push_back({{"at", core::FormatRfc3339Ms(e.at)},
                            {"who", e.who},
                            {"role", e.role},
                            {"what", e.what},
                            {"from", e.from}});
        }
        res.set_content(nlohmann::json{{"entries", list}}.dump(), kJson);
    }

    // The web page's session: POST with a bearer manager token, or a JSON body with a person's
    // user name and password, starts a server-side session and sets its id as the HttpOnly
    // cookie; GET says who is logged in (and as what, so the page can hide what the role may
    // not use); DELETE logs out (the session is deleted, so a replayed cookie fails). Only the
    // page's own script can send the Authorization header or a JSON body (no CORS), so a
    // cross-site form cannot log anyone in.
    void Session(const Request& req, Response& res) {
        const bool secure =
            RequestIsSecure(options.tlsCert.has_value(), trustedProxies, req.remoteAddress,
                            req.get_header_value("X-Forwarded-Proto"));
        if (req.method == "DELETE") {
            sessions.End(CookieValue(req, kSessionCookieName));
            res.set_header("Set-Cookie", SessionCookieHeader("", 0, secure));
            res.set_content("{\"logged_in\":false}", kJson);
            return;
        }
        const bool login = req.method == "POST";
        if (login && req.get_header_value("Authorization").empty() && IsJsonContentType(req)) {
            UserLogin(req, res, secure);
            return;
        }
        auto token = login ? Authenticate(req, res) : Authenticate(req, res, true);
        if (!token)
            return;
        if (token->kind != TokenKind::Manager) {
            SendError(res, 403, code::kWrongTokenKind,
                      "the dashboard needs a manager token (kiosk-server add-manager), not a kiosk "
                      "token");
            return;
        }
        if (login) {
            const Sessions::Created session = sessions.Create(*token);
            res.set_header("Set-Cookie",
                           SessionCookieHeader(session.id, sessions.LifetimeS(), secure));
        }
        res.set_header("Cache-Control", "no-store");
        res.set_content(SessionJson(*token), kJson);
    }

    static std::string SessionJson(const TokenRecord& token) {
        nlohmann::json j;
        j["logged_in"] = true;
        j["store"] = token.storeId ? nlohmann::json(*token.storeId) : nlohmann::json(nullptr);
        j["user"] = token.userName ? nlohmann::json(*token.userName) : nlohmann::json(nullptr);
        j["role"] = token.role ? nlohmann::json(to_string(*token.role)) : nlohmann::json(nullptr);
        j["stores"] = token.userStores;
        return j.dump();
    }

    // A JSON object body, or a 400 saying what to send.
    static std::optional<nlohmann::json> JsonObject(const Request& req, Response& res,
                                                    const char* shape) {
        auto j = nlohmann::json::parse(req.body, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            SendError(res, 400, code::kBadRequest, std::string("send a JSON object ") + shape);
            return std::nullopt;
        }
        return j;
    }
    static std::optional<std::string> JsonString(const nlohmann::json& j, const char* key) {
        auto it = j.find(key);
        if (it == j.end() || !it->is_string())
            return std::nullopt;
        return it->get<std::string>();
    }

    // "2026-12-03 12:45:03"
    static std::string UtcMinute(core::UtcMs t) {
        std::string text = core::FormatRfc3339Ms(t).substr(0, 19);
        text[10] = ' ';
        return text;
    }

    void SendLocked(Response& res, const LoginLimiter::Lock& lock, core::UtcMs now) {
        const std::int64_t waitS = std::max<std::int64_t>(1, (lock.until - now + 999) / 1000);
        res.set_header("Retry-After", std::to_string(waitS));
        SendError(res, 429, code::kLoginLocked,
                  std::string("too many failed logins ") +
                      (lock.byAddress ? "from this address" : "for this user name") +
                      "; try again after " + UtcMinute(lock.until) + " UTC (in " +
                      std::to_string((waitS + 59) / 60) + " min)");
    }

    void UserLogin(const Request& req, Response& res, bool secure) {
        auto j = JsonObject(req, res, "{\"user\": NAME, \"password\": PASSWORD}");
        if (!j)
            return;
        auto name = JsonString(*j, "user");
        auto password = JsonString(*j, "password");
        if (!name || !password) {
            SendError(res, 400, code::kBadRequest,
                      "send a JSON object {\"user\": NAME, \"password\": PASSWORD}");
            return;
        }
        const core::UtcMs now = clock.NowUtcMs();
        // A name that cannot exist is counted under one key: junk names do not fill the limiter.
        const std::string key = CheckUserName(*name).empty() ? *name : std::string("?");
        if (auto lock = loginLimiter.Locked(key, req.remoteAddress, now)) {
            SendLocked(res, *lock, now);
            return;
        }
        std::optional<std::pair<UserRecord, std::string>> found;
        if (key != "?")
            found = backend.Users().FindForLogin(*name);
        bool ok = false;
        if (found && !found->first.disabled && !found->second.empty())
            ok = VerifyPassword(found->second, *password);
        else
            SpendVerificationTime(*password);
        if (!ok) {
            if (auto lock = loginLimiter.Failed(key, req.remoteAddress, now)) {
                SendLocked(res, *lock, now);
                return;
            }
            SendError(res, 401, code::kBadLogin,
                      "wrong user name or password (an account without a password yet, or a "
                      "disabled one, cannot log in)");
            return;
        }
        loginLimiter.Succeeded(key);
        TokenRecord token = AsToken(found->first);
        if (token.userStores.size() == 1)
            token.storeId = token.userStores.front();
        const Sessions::Created session = sessions.CreateForUser(found->first.name);
        res.set_header("Set-Cookie", SessionCookieHeader(session.id, sessions.LifetimeS(), secure));
        res.set_header("Cache-Control", "no-store");
        res.set_content(SessionJson(token), kJson);
    }

    // POST /api/v1/password: the one-time link's secret and the new password (public: the link is
    // the credential, 256 random bits).
    void PasswordByLink(const Request& req, Response& res) {
        if (!RequireJsonBody(req, res))
            return;
        auto j = JsonObject(req, res, "{\"link\": SECRET, \"password\": NEW}");
        if (!j)
            return;
        auto link = JsonString(*j, "link");
        auto password = JsonString(*j, "password");
        if (!link || !password) {
            SendError(res, 400, code::kBadRequest,
                      "send a JSON object {\"link\": SECRET, \"password\": NEW}");
            return;
        }
        if (auto problem = CheckNewPassword(*password); !problem.empty()) {
            SendError(res, 400, code::kBadPassword, problem);
            return;
        }
        std::optional<std::string> name;
        if (LooksLikeLinkSecret(*link))
            name = backend.Users().ConsumeLink(HashToken(*link), HashPassword(*password),
                                               clock.NowUtcMs());
        if (!name) {
            SendError(res, 400, code::kBadLink,
                      "this link is unknown, used or expired; ask an admin for a new one");
            return;
        }
        nlohmann::json out;
        out["user"] = *name;
        out["password_set"] = true;
        res.set_content(out.dump(), kJson);
    }

    // POST /api/v1/me/password: a person changes their own password (their session; the current
    // password again). Their other sessions end.
    void ChangePassword(const Request& req, Response& res) {
        if (!RequireJsonBody(req, res))
            return;
        auto token = Authenticate(req, res, true);
        if (!token)
            return;
        auto j = JsonObject(req, res, "{\"current\": PASSWORD, \"password\": NEW}");
        if (!j)
            return;
        auto current = JsonString(*j, "current");
        auto password = JsonString(*j, "password");
        if (!current || !password) {
            SendError(res, 400, code::kBadRequest,
                      "send a JSON object {\"current\": PASSWORD, \"password\": NEW}");
            return;
        }
        if (auto problem = CheckNewPassword(*password); !problem.empty()) {
            SendError(res, 400, code::kBadPassword, problem);
            return;
        }
        const core::UtcMs now = clock.NowUtcMs();
        const std::string& name = *token->userName;
        if (auto lock = loginLimiter.Locked(name, req.remoteAddress, now)) {
            SendLocked(res, *lock, now);
            return;
        }
        auto found = backend.Users().FindForLogin(name);
        if (!found || !VerifyPassword(found->second, *current)) {
            if (auto lock = loginLimiter.Failed(name, req.remoteAddress, now)) {
                SendLocked(res, *lock, now);
                return;
            }
            SendError(res, 401, code::kBadLogin, "the current password is wrong");
            return;
        }
        backend.Users().SetPassword(name, HashPassword(*password),
                                    HashToken(CookieValue(req, kSessionCookieName)), now);
        res.set_content("{\"password_set\":true}", kJson);
    }

    static nlohmann::json UserJson(const UserRecord& u) {
        nlohmann::json j;
        j["name"] = u.name;
        j["role"] = to_string(u.role);
        j["stores"] = u.stores;
        j["has_password"] = u.hasPassword;
        j["disabled"] = u.disabled;
        j["created_at"] = core::FormatRfc3339Ms(u.createdAt);
        return j;
    }

    // GET /api/v1/users (admins).
    void ListUsers(const Request& req, Response& res) {
        auto token = Authenticate(req, res, true);
        if (!token)
            return;
        nlohmann::json list = nlohmann::json::array();
        for (const auto& u : backend.Users().List())
            list.push_back(UserJson(u));
        res.set_header("Cache-Control", "no-store");
        res.set_content(nlohmann::json{{"users", list}}.dump(), kJson);
    }

    // POST /api/v1/users/NAME/reset|disable|enable (admins; the page sends JSON, so its cookie
    // counts).
    void UserAction(const Request& req, Response& res) {
        if (!RequireJsonBody(req, res))
            return;
        auto token = Authenticate(req, res, true);
        if (!token)
            return;
        const std::string name = req.matches[1].str();
        const std::string action = req.matches[2].str();
        const core::UtcMs now = clock.NowUtcMs();
        if (!CheckUserName(name).empty() || !backend.Users().Find(name)) {
            SendError(res, 404, code::kUnknownUser, "no such user");
            return;
        }
        if (action != "reset" && token->userName && *token->userName == name) {
            SendError(res, 400, code::kInvalidParameter,
                      "you cannot disable or enable yourself; another admin can");
            return;
        }
        nlohmann::json out;
        out["user"] = name;
        if (action == "reset") {
            const std::string secret = NewLinkSecret();
            backend.Users().SetLink(name, HashToken(secret), now + kLinkLifetimeMs, true, now);
            out["link"] = std::string(kLinkPath) + secret;
            out["expires_at"] = core::FormatRfc3339Ms(now + kLinkLifetimeMs);
        } else {
            backend.Users().SetDisabled(name, action == "disable", now);
            out["disabled"] = action == "disable";
        }
        res.set_header("Cache-Control", "no-store");
        res.set_content(out.dump(), kJson);
    }

    // GET /api/v1/reports/calls: core::SummarizeCalls per store and per rep over the period's
    // local days (a call's day: asked_at + its tz offset), with the unhappy (negative, not
    // misuse) responses of the same days from the roll-ups.
    std::string CallsReport(const ReportRequest& request, core::UtcMs now, bool csv) {
        ReportQuery query{request.storeId, request.from, request.to};
        const ReportWindow window = WindowOf(query);
        CallQuery q;
        q.storeId = request.storeId;
        q.openOnly = false;
        q.fromMs = window.utcLow;
        q.toMs = window.utcHigh;
        q.limit = 1'000'000;
        const std::int64_t fromDay = core::DaysFromCivil(request.from);
        const std::int64_t toDay = core::DaysFromCivil(request.to);
        using Key = std::pair<std::string, std::string>;  // (store, rep or "")
        std::map<Key, std::vector<core::CallFact>> facts;
        std::map<Key, std::int64_t> unhappy;
        for (const auto& c : backend.Calls().List(q)) {
            const std::int64_t day =
                core::FloorDiv(c.call.askedAt + c.call.tzOffsetMin * 60'000LL, core::kMsPerDay);
            if (day < fromDay || day > toDay)
                continue;
            core::CallFact f{c.receivedAt, c.ackedAt, c.closedAt,
                             c.outcome ? std::optional<std::string>(protocol::to_string(*c.outcome))
                                       : std::nullopt,
                             c.call.misuse.has_value()};
            facts[{c.storeId, ""}].push_back(f);
            facts[{"", ""}].push_back(f);
            if (c.call.repId)
                facts[{"", *c.call.repId}].push_back(f);
        }
        for (const auto& d : backend.CountDays(query, true, false)) {
            auto scale = core::RatingScale::Make(d.scale);
            if (d.misuse || !scale ||
                core::SentimentOf(*scale, d.rating) != core::Sentiment::Negative)
                continue;
            unhappy[{d.storeId, ""}] += d.count;
            unhappy[{"", ""}] += d.count;
            if (d.repId)
                unhappy[{"", *d.repId}] += d.count;
        }
        std::set<Key> keys;
        for (const auto& [k, v] : facts)
            keys.insert(k);
        for (const auto& [k, v] : unhappy)
            keys.insert(k);
        keys.insert({"", ""});
        const std::int64_t escalateMs = options.escalateAfterS * 1000;
        auto summary = [&](const Key& k) {
            auto it = unhappy.find(k);
            return core::SummarizeCalls(facts[k], it == unhappy.end() ? 0 : it->second, now,
                                        escalateMs);
        };
        auto opt = [](const std::optional<double>& v) {
            return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
        };
        auto json = [&](const core::CallSummary& s) {
            return nlohmann::ordered_json{{"calls", s.calls},
                                          {"unhappy", s.unhappy},
                                          {"asked_pct", opt(s.askedPct)},
                                          {"acknowledged", s.acknowledged},
                                          {"ack_p50_s", opt(s.ackP50S)},
                                          {"ack_p90_s", opt(s.ackP90S)},
                                          {"closed", s.closed},
                                          {"helped", s.helped},
                                          {"helped_pct", opt(s.helpedPct)},
                                          {"overdue", s.overdue}};
        };
        if (csv) {
            std::ostringstream out;
            core::CsvWriter w(out);
            w.WriteBom();
            for (const char* h :
                 {"group", "store", "rep_id", "calls", "unhappy", "asked_pct", "acknowledged",
                  "ack_p50_s", "ack_p90_s", "closed", "helped", "helped_pct", "overdue"})
                w.Text(h);
            w.EndRow();
            auto num = [&](const std::optional<double>& v) {
                if (v)
                    w.Number(*v, 1);
                else
                    w.Empty();
            };
            for (const auto& k : keys) {
                const auto s = summary(k);
                w.Text(k.first.empty() && k.second.empty() ? "total"
                       : k.second.empty()                  ? "store"
                                                           : "rep");
                w.Text(k.first).Text(k.second).Number(s.calls).Number(s.unhappy);
                num(s.askedPct);
                w.Number(s.acknowledged);
                num(s.ackP50S);
                num(s.ackP90S);
                w.Number(s.closed).Number(s.helped);
                num(s.helpedPct);
                w.Number(s.overdue);
                w.EndRow();
            }
            return out.str();
        }
        nlohmann::ordered_json j;
        j["store"] = request.storeId ? nlohmann::json(*request.storeId) : nlohmann::json(nullptr);
        j["from"] = core::FormatIsoDate(request.from);
        j["to"] = core::FormatIsoDate(request.to);
        j["escalate_after_s"] = options.escalateAfterS;
        j["total"] = json(summary({"", ""}));
        j["stores"] = nlohmann::ordered_json::array();
        j["reps"] = nlohmann::ordered_json::array();
        for (const auto& k : keys) {
            if (k.first.empty() && k.second.empty())
                continue;
            auto row = json(summary(k));
            if (k.second.empty()) {
                row["store"] = k.first;
                j["stores"].push_back(row);
            } else {
                row["rep_id"] = k.second;
                j["reps"].push_back(row);
            }
        }
        return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }

    // ---- Help calls (issue 16; docs/API.md "Help calls") ----

    void PostCalls(const Request& req, Response& res, const std::string& body) {
        auto token = Authenticate(req, res);
        if (!token)
            return;
        if (token->kind != TokenKind::Kiosk) {
            SendError(res, 403, code::kWrongTokenKind,
                      "calls are posted by kiosks with their own token (add-kiosk)");
            return;
        }
        if (!RequireJsonBody(req, res))
            return;
        auto decoded = protocol::DecodeCallsRequest(body);
        if (!decoded) {
            SendError(res, 400, decoded.Error().code, to_string(decoded.Error()));
            return;
        }
        if (!RequireKiosk(*token, decoded->kioskId, res))
            return;
        auto kiosk = backend.FindKiosk(decoded->kioskId);
        if (!kiosk) {
            SendError(res, 403, code::kUnknownKiosk,
                      "kiosk " + decoded->kioskId + " is not registered; run add-kiosk");
            return;
        }
        const bool email = dispatcher && dispatcher->EmailEnabled();
        protocol::CallsReceipt receipt;
        bool wake = false;
        for (const auto& call : decoded->calls) {
            protocol::CallResult result{call.responseId, protocol::ItemStatus::Accepted, {}};
            if (auto bad = protocol::ValidateCall(call)) {
                result.status = protocol::ItemStatus::Rejected;
                result.error = *bad;
                receipt.results.push_back(std::move(result));
                continue;
            }
            protocol::CallRecord record;
            record.call = call;
            record.kioskId = kiosk->id;
            record.storeId = kiosk->storeId;
            record.receivedAt = clock.NowUtcMs();
            auto inserted = backend.Calls().Insert(record, options.callBurstWindowS * 1000,
                                                   CallEvent(record, email));
            switch (inserted.kind) {
                case CallStore::InsertKind::Duplicate:
                    result.status = protocol::ItemStatus::Duplicate;
                    break;
                case CallStore::InsertKind::Folded:
                    ++callsFolded;
                    if (auto parent = backend.Calls().Find(*inserted.foldedInto))
                        Publish(parent->storeId, "update", protocol::EncodeCallRecord(*parent));
                    break;
                case CallStore::InsertKind::Accepted:
                    ++callsAccepted;
                    if (!call.misuse) {
                        Publish(record.storeId, "call", protocol::EncodeCallRecord(record));
                        wake = true;
                    }
                    break;
            }
            receipt.results.push_back(std::move(result));
        }
        if (wake && dispatcher)
            dispatcher->Wake();
        receipt.serverTime = clock.NowUtcMs();
        res.set_content(protocol::EncodeCallsReceipt(receipt), kJson);
    }

    // Who may see and handle the calls of `store`: a manager token or web session of that store
    // (or of all), or a kiosk token of that store (the kiosk's manager mode). Returns the store
    // to filter by (nullopt: every store, an all-stores manager without ?store=).
    struct CallScope {
        std::optional<std::string> store;
        TokenRecord token;  // who asked
    };
    std::optional<CallScope> CallAccess(const Request& req, Response& res,
                                        std::optional<std::string> store, bool needStore) {
        // The web page acts with its session cookie. Writes accept it only with a JSON body
        // (a cross-site form cannot send one without CORS, and the cookie is SameSite=Strict).
        const bool cookieOk = req.method == "GET" || IsJsonContentType(req);
        auto token = Authenticate(req, res, cookieOk);
        if (!token)
            return std::nullopt;
        if (token->storeId) {
            if (store && *store != *token->storeId) {
                SendError(res, 403, code::kWrongStore,
                          "this token reads store " + *token->storeId + " only, not " + *store);
                return std::nullopt;
            }
            return CallScope{token->storeId, *token};
        }
        if (needStore && !store) {
            SendError(res, 400, code::kMissingParameter, "add ?store=ID (the store to follow)");
            return std::nullopt;
        }
        if (store && !backend.StoreExists(*store)) {
            SendError(res, 404, code::kUnknownStore, "no store " + *store);
            return std::nullopt;
        }
        return CallScope{store, *token};
    }

    static std::optional<std::string> Param(const Request& req, const std::string& name) {
        auto it = req.params.find(name);
        if (it == req.params.end())
            return std::nullopt;
        return it->second;
    }

    void ListCalls(const Request& req, Response& res) {
        const bool csv = req.matches[1].matched;
        auto scope = CallAccess(req, res, Param(req, "store"), false);
        if (!scope)
            return;
        CallQuery q;
        q.storeId = scope->store;
        const std::string status = Param(req, "status").value_or("open");
        if (status != "open" && status != "all") {
            SendError(res, 400, code::kInvalidParameter,
                      "status=" + status.substr(0, 40) + " is not open or all");
            return;
        }
        q.openOnly = status == "open";
        const core::UtcMs now = clock.NowUtcMs();
        const std::int64_t day = core::kMsPerDay;
        auto from = Param(req, "from");
        auto to = Param(req, "to");
        if (from.has_value() != to.has_value()) {
            SendError(res, 400, code::kMissingParameter, "give both from and to (YYYY-MM-DD)");
            return;
        }
        if (from) {
            auto f = core::ParseIsoDate(*from);
            auto t = core::ParseIsoDate(*to);
            if (!f || !t || core::DaysFromCivil(*t) < core::DaysFromCivil(*f)) {
                SendError(res, 400, code::kInvalidParameter,
                          "from and to must be dates YYYY-MM-DD with from <= to");
                return;
            }
            const std::int64_t fd = core::DaysFromCivil(*f), td = core::DaysFromCivil(*t);
            if (td - fd > 3660) {
                SendError(res, 400, code::kInvalidParameter, "at most 3660 days from from to to");
                return;
            }
            q.fromMs = fd * day;
            q.toMs = (td + 1) * day;
        } else {
            q.toMs = now + day;
            q.fromMs = now - 30 * day;
        }
        auto calls = backend.Calls().List(q);
        res.set_header("Cache-Control", "no-store");
        if (!csv) {
            res.set_content(protocol::EncodeCallList({scope->store, std::move(calls)}), kJson);
            return;
        }
        std::ostringstream out;
        core::CsvWriter w(out);
        w.WriteBom();
        for (const char* h :
             {"response_id", "store_id", "kiosk_id", "asked_at", "received_at", "late",
              "rating",      "scale",    "rep_id",   "reason",   "language",    "misuse",
              "repeats",     "status",   "acked_at", "acked_by", "ack_seconds", "closed_at",
              "closed_by",   "outcome",  "note"})
            w.Text(h);
        w.EndRow();
        auto time = [&](const std::optional<core::UtcMs>& t) {
            if (t)
                w.Text(core::FormatRfc3339Ms(*t));
            else
                w.Empty();
        };
        auto text = [&](const std::optional<std::string>& t) {
            if (t)
                w.Text(*t);
            else
                w.Empty();
        };
        for (const auto& c : calls) {
            w.Text(c.call.responseId.ToString()).Text(c.storeId).Text(c.kioskId);
            time(c.call.askedAt);
            time(c.receivedAt);
            w.Text(c.call.late ? "true" : "false")
                .Number(static_cast<std::int64_t>(c.call.rating))
                .Number(static_cast<std::int64_t>(c.call.scale));
            text(c.call.repId);
            text(c.call.reason);
            w.Text(c.call.language);
            text(c.call.misuse);
            w.Number(c.repeats).Text(protocol::to_string(c.status));
            time(c.ackedAt);
            text(c.ackedBy);
            if (c.ackedAt)
                w.Number(static_cast<double>(*c.ackedAt - c.receivedAt) / 1000.0, 1);
            else
                w.Empty();
            time(c.closedAt);
            text(c.closedBy);
            text(c.outcome ? std::optional<std::string>(protocol::to_string(*c.outcome))
                           : std::nullopt);
            text(c.note);
            w.EndRow();
        }
        // An export names reps call by call: it goes to the access log (a kiosk's own manager
        // mode reads the JSON list only).
        if (scope->token.kind != TokenKind::Kiosk) {
            NoteAccess(req, scope->token,
                       "calls.csv store=" + scope->store.value_or("*") + " status=" + status);
        }
        res.set_header("Content-Disposition", "attachment; filename=\"calls.csv\"");
        res.set_content(out.str(), "text/csv; charset=utf-8");
    }

    void HandleCall(const Request& req, Response& res, const std::string& body) {
        const std::string id = req.matches[1].str();
        const std::string action = req.matches[2].str();
        auto scope = CallAccess(req, res, std::nullopt, false);
        if (!scope)
            return;
        if (!IsJsonContentType(req)) {
            SendError(res, 415, code::kUnsupportedMediaType, "send the body as application/json");
            return;
        }
        auto parsedId = core::Uuid::Parse(id);
        auto existing = parsedId ? backend.Calls().Find(parsedId->ToString()) : std::nullopt;
        if (!existing || (scope->store && existing->storeId != *scope->store)) {
            // One answer whether the call is elsewhere or nowhere: no probing other stores.
            SendError(res, 404, code::kUnknownCall,
                      "no call " + id.substr(0, 64) + " in the stores this token handles");
            return;
        }
        std::optional<protocol::CallRecord> updated;
        const core::UtcMs now = clock.NowUtcMs();
        if (action == "ack") {
            auto ack = protocol::DecodeCallAck(body);
            if (!ack) {
                SendError(res, 400, ack.Error().code, to_string(ack.Error()));
                return;
            }
            updated = backend.Calls().Ack(existing->call.responseId.ToString(), ack->by, now);
        } else {
            auto close = protocol::DecodeCallClose(body);
            if (!close) {
                SendError(res, 400, close.Error().code, to_string(close.Error()));
                return;
            }
            updated = backend.Calls().Close(existing->call.responseId.ToString(), *close, now);
        }
        if (!updated) {
            SendError(res, 404, code::kUnknownCall, "the call is gone");
            return;
        }
        const std::string json = protocol::EncodeCallRecord(*updated);
        if (!(*updated == *existing))
            Publish(updated->storeId, "update", json);
        res.set_header("Cache-Control", "no-store");
        res.set_content(json, kJson);
    }

    void CallStream(const Request& req, Response& res) {
        auto scope = CallAccess(req, res, Param(req, "store"), true);
        if (!scope)
            return;
        CallQuery q;
        q.storeId = scope->store;
        const core::UtcMs now = clock.NowUtcMs();
        q.fromMs = now - 7 * core::kMsPerDay;
        q.toMs = now + core::kMsPerDay;
        q.limit = 200;
        protocol::CallList open{scope->store, backend.Calls().List(q)};
        res.eventStream = "calls:" + *scope->store;
        res.body =
            "retry: 3000\n\nevent: snapshot\ndata: " + protocol::EncodeCallList(open) + "\n\n";
    }

    void NoteAlert(const std::string& kioskId, const protocol::Heartbeat& beat, core::UtcMs now) {
        if (!beat.alert)
            return;
        auto before = backend.Status(kioskId);
        if (!before || before->alert == beat.alert)
            return;  // already announced while it kept firing
        const bool email = dispatcher && dispatcher->EmailEnabled();
        EventSpec event = AlertEvent(before->storeId, kioskId, *beat.alert, now, email);
        backend.Calls().Enqueue(event, now);
        Publish(before->storeId, "alert", event.body);
        if (dispatcher)
            dispatcher->Wake();
    }

    std::string Metrics() {
        std::string out;
        out += "# HELP fk_http_requests_total HTTP requests by route and status.\n";
        out += "# TYPE fk_http_requests_total counter\n";
        {
            std::lock_guard lock(metricsMutex);
            for (const auto& [key, n] : requests) {
                out += "fk_http_requests_total{route=\"" + key.first + "\",status=\"" +
                       std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
            }
        }
        out += "# HELP fk_batches_total Batches ingested.\n# TYPE fk_batches_total counter\n";
        out += "fk_batches_total " + std::to_string(batches.load()) + "\n";
        out +=
            "# HELP fk_ingest_items_total Batch items by result.\n# TYPE fk_ingest_items_total "
            "counter\n";
        out +=
            "fk_ingest_items_total{status=\"accepted\"} " + std::to_string(accepted.load()) + "\n";
        out += "fk_ingest_items_total{status=\"duplicate\"} " + std::to_string(duplicates.load()) +
               "\n";
        out +=
            "fk_ingest_items_total{status=\"rejected\"} " + std::to_string(rejected.load()) + "\n";
        out +=
            "# HELP fk_ingest_seconds_total Time spent storing batches.\n# TYPE "
            "fk_ingest_seconds_total counter\n";
        out += "fk_ingest_seconds_total " +
               std::to_string(static_cast<double>(ingestMicros.load()) / 1e6) + "\n";
        out +=
            "# HELP fk_heartbeats_total Heartbeats received.\n# TYPE fk_heartbeats_total counter\n";
        out += "fk_heartbeats_total " + std::to_string(heartbeats.load()) + "\n";
        out += "# HELP fk_calls_total Help calls stored, by kind.\n# TYPE fk_calls_total counter\n";
        out += "fk_calls_total{kind=\"accepted\"} " + std::to_string(callsAccepted.load()) + "\n";
        out += "fk_calls_total{kind=\"folded\"} " + std::to_string(callsFolded.load()) + "\n";
        const auto t = transport->GetStats();
        out += "# HELP fk_event_streams Open live call streams.\n# TYPE fk_event_streams gauge\n";
        out += "fk_event_streams " + std::to_string(t.eventStreams) + "\n";
        out +=
            "# HELP fk_http_open_connections Open client connections.\n# TYPE "
            "fk_http_open_connections gauge\n";
        out += "fk_http_open_connections " + std::to_string(t.openConnections) + "\n";
        out +=
            "# HELP fk_http_queued_requests Requests waiting for a worker.\n# TYPE "
            "fk_http_queued_requests gauge\n";
        out += "fk_http_queued_requests " + std::to_string(t.queued) + "\n";
        out += "# HELP fk_http_refused_total Requests and connections refused under load.\n";
        out += "# TYPE fk_http_refused_total counter\n";
        out +=
            "fk_http_refused_total{reason=\"queue_full\"} " + std::to_string(t.refusedBusy) + "\n";
        out += "fk_http_refused_total{reason=\"connection_limit\"} " +
               std::to_string(t.refusedConnections) + "\n";
        out +=
            "fk_http_refused_total{reason=\"client_gone\"} " + std::to_string(t.droppedGone) + "\n";
        return out;
    }

    template <typename F>
    std::function<void(const Request&, Response&)> GuardedWithBody(F f) {
        return Guarded([f](const Request& q, Response& r) { f(q, r, q.body); });
    }

    // Database and other failures: 503 saying what to do; the details go to the log only
    // (they can name hosts, addresses and users).
    template <typename F>
    std::function<void(const Request&, Response&)> Guarded(F f) {
        return [f](const Request& req, Response& res) {
            try {
                f(req, res);
            } catch (const BackendError& e) {
                spdlog::error("{} {}: database: {}", req.method, req.path.substr(0, 200), e.what());
                res = Response{};
                res.set_header("Retry-After", "5");
                SendError(res, 503, code::kStorageUnavailable,
                          "the database failed; nothing from this request was stored, retry later "
                          "(the server's log "
                          "has the details)");
            } catch (const std::exception& e) {
                spdlog::error("{} {}: {}", req.method, req.path.substr(0, 200), e.what());
                res = Response{};
                res.set_header("Retry-After", "5");
                SendError(res, 503, code::kStorageUnavailable,
                          "the server failed; nothing from this request was stored, retry later "
                          "(the server's log has "
                          "the details)");
            }
        };
    }

    void Add(std::string method, const std::string& pattern, std::string label, std::size_t maxBody,
             bool compressed, std::function<void(const Request&, Response&)> handler,
             bool lane = false) {
        routes.push_back({std::move(method), std::regex(pattern), std::move(label), pattern,
                          maxBody, compressed, lane, std::move(handler)});
    }

    void Routes() {
        const std::size_t kBatchBody = options.maxBodyBytes;
        // A heartbeat is a few hundred bytes; a login or logout has no body worth reading.
        const std::size_t kSmallBody = 64 * 1024;
        Add("POST", "/api/v1/batches", "batches", kBatchBody, true,
            GuardedWithBody(
                [this](const auto& q, auto& r, const std::string& body) { Batches(q, r, body); }));
        Add("GET", R"(/api/v1/kiosks/([^/]+)/config)", "config", 0, false,
            Guarded([this](const auto& q, auto& r) { Config(q, r); }));
        Add("POST", R"(/api/v1/kiosks/([^/]+)/heartbeat)", "heartbeat", kSmallBody, true,
            GuardedWithBody([this](const auto& q, auto& r, const std::string& body) {
                Heartbeat(q, r, body);
            }));
        Add("GET", R"(/api/v1/kiosks/([^/]+)/status)", "status", 0, false,
            Guarded([this](const auto& q, auto& r) { Status(q, r); }));
        Add("GET", "/api/v1/survey", "survey", 0, false,
            Guarded([this](const auto& q, auto& r) { GetSurvey(q, r); }));
        Add("GET", "/api/v1/survey/screens", "survey", 0, false,
            Guarded([this](const auto& q, auto& r) { SurveyScreens(q, r); }));
        for (const char* method : {"PUT", "POST"}) {
            Add(method, std::string(method) == "PUT" ? "/api/v1/survey" : "/api/v1/survey/rollback",
                "survey_edit", 256 * 1024, false,
                GuardedWithBody([this](const auto& q, auto& r, const std::string& body) {
                    EditSurvey(q, r, body);
                }));
        }
        Add("PUT", "/api/v1/survey/roster", "survey_roster", 256 * 1024, false,
            GuardedWithBody([this](const auto& q, auto& r, const std::string& body) {
                EditRoster(q, r, body);
            }));
        Add("GET", R"(/api/v1/reports/(\w+?)(\.csv)?)", "reports", 0, false,
            Guarded([this](const auto& q, auto& r) { Reports(q, r); }));
        Add("POST", "/api/v1/calls", "calls", kSmallBody, false,
            GuardedWithBody([this](const auto& q, auto& r, const std::string& body) {
                PostCalls(q, r, body);
            }));
        Add("GET", R"(/api/v1/calls(\.csv)?)", "calls_list", 0, false,
            Guarded([this](const auto& q, auto& r) { ListCalls(q, r); }));
        Add("GET", "/api/v1/calls/stream", "calls_stream", 0, false,
            Guarded([this](const auto& q, auto& r) { CallStream(q, r); }));
        Add("POST", R"(/api/v1/calls/([^/]+)/(ack|close))", "calls_action", kSmallBody, false,
            GuardedWithBody([this](const auto& q, auto& r, const std::string& body) {
                HandleCall(q, r, body);
            }));
        for (const char* method : {"GET", "POST", "DELETE"}) {
            Add(method, "/api/v1/session", "session",
                std::string(method) == "POST" ? kSmallBody : 0, false,
                Guarded([this](const auto& q, auto& r) { Session(q, r); }));
        }
        Add("POST", "/api/v1/password", "password_link", kSmallBody, false,
            Guarded([this](const auto& q, auto& r) { PasswordByLink(q, r); }));
        Add("POST", "/api/v1/me/password", "password_change", kSmallBody, false,
            Guarded([this](const auto& q, auto& r) { ChangePassword(q, r); }));
        Add("GET", "/api/v1/users", "users", 0, false,
            Guarded([this](const auto& q, auto& r) { ListUsers(q, r); }));
        Add("POST", R"(/api/v1/users/([^/]+)/(reset|disable|enable))", "users_action", kSmallBody,
            false, Guarded([this](const auto& q, auto& r) { UserAction(q, r); }));
        Add("GET", "/api/v1/notice", "notice", 0, false,
            Guarded([this](const auto& q, auto& r) { Notice(q, r); }));
        Add("GET", R"(/api/v1/access-log(\.csv)?)", "access_log", 0, false,
            Guarded([this](const auto& q, auto& r) { ListAccess(q, r); }));
        // The head-office page (web/, embedded at build time). Static and public: the data
        // behind it needs the session.
        Add("GET", R"(/|/[\w.-]+\.(js|css|html|svg))", "web", 0, false,
            [](const Request& req, Response& res) {
                auto asset = FindWebAsset(req.path == "/" ? "/index.html" : req.path);
                if (!asset) {
                    SendError(res, 404, code::kNotFound, "no such file");
                    return;
                }
                res.set_header("Cache-Control", "no-cache");
                res.set_header("X-Content-Type-Options", "nosniff");
                res.set_header("Content-Security-Policy",
                               "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                               "form-action 'self'");
                res.set_header("Referrer-Policy", "no-referrer");
                res.set_content(std::string(asset->body), std::string(asset->contentType));
            });
        Add("GET", "/healthz", "healthz", 0, false, Guarded([this](const Request&, Response& r) {
                backend.FindKiosk("");  // touches the database: a broken one answers 503
                r.set_content("{\"status\":\"ok\"}", kJson);
            }),
            true);
        Add("GET", "/metrics", "metrics", 0, false, Guarded([this](const Request&, Response& r) {
                r.set_content(Metrics(), "text/plain; version=0.0.4");
            }),
            true);
    }
};

HttpServer::HttpServer(Backend& backend, const core::Clock& clock, ServerOptions options)
    : m_impl(std::make_unique<Impl>(backend, clock, std::move(options))) {
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium failed to initialise");
}

HttpServer::~HttpServer() {
    Stop();
}

int HttpServer::Bind() {
    return m_impl->transport->Bind();
}

void HttpServer::Serve() {
    m_impl->transport->Run();
}

int HttpServer::Start() {
    int port = Bind();
    m_impl->thread = std::thread([this] { m_impl->transport->Run(); });
    for (int i = 0; i < 5000 && !m_impl->transport->Running(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!m_impl->transport->Running())
        throw std::runtime_error("the HTTP server did not start listening");
    return port;
}

void HttpServer::Stop() {
    if (!m_impl)
        return;
    if (m_impl->dispatcher)
        m_impl->dispatcher->Stop();
    if (m_impl->bus)
        m_impl->bus->Stop();
    m_impl->transport->Stop();
    if (m_impl->thread.joinable())
        m_impl->thread.join();
}

int HttpServer::Port() const {
    return m_impl->transport->Port();
}

std::vector<HttpServer::RouteInfo> HttpServer::RouteTable() const {
    std::vector<RouteInfo> out;
    for (const auto& r : m_impl->routes)
        out.push_back({r.method, r.patternText, r.label});
    return out;
}

std::string HttpServer::BaseUrl() const {
    bool tls = m_impl->options.tlsCert.has_value();
    return std::string(tls ? "https://" : "http://") + m_impl->options.host + ":" +
           std::to_string(Port());
}

}  // namespace fk::server
