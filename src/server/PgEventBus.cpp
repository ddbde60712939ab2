#include "server/PgEventBus.h"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>

#include <spdlog/spdlog.h>

#include "server/PgPool.h"

namespace fk::server {

namespace {

constexpr char kSeparator = '\x1f';  // never in a store id, an event name or JSON text

// The channel of this connection's schema: a short, quoted-safe identifier.
std::string ChannelOf(PgConnection& c) {
    PGresult* r = PQexec(c.Raw(), "SELECT 'fk_calls_' || substr(md5(current_schema()), 1, 16)");
    std::string channel;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        channel = PQgetvalue(r, 0, 0);
    PQclear(r);
    if (channel.empty())
        throw BackendError(BackendError::Kind::Database, "cannot name the event channel");
    return channel;
}

}  // namespace

PgEventBus::PgEventBus(std::string url, BackendOptions options)
    : m_url(std::move(url)), m_options(options) {}

PgEventBus::~PgEventBus() {
    Stop();
}

void PgEventBus::Start(Handler handler) {
    m_handler = std::move(handler);
    m_stop = false;
    m_thread = std::thread([this] { Listen(); });
}

void PgEventBus::Stop() {
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

bool PgEventBus::Publish(const std::string& storeId, std::string_view event,
                         const std::string& json) {
    std::string payload = storeId;
    payload += kSeparator;
    payload += event;
    payload += kSeparator;
    payload += json;
    if (payload.size() > kMaxPayload) {
        spdlog::warn(
            "call event for store {} is {} bytes, over NOTIFY's limit: shown on this "
            "server's streams only",
            storeId, payload.size());
        return false;
    }
    std::lock_guard lock(m_publishMutex);
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            if (!m_publisher) {
                m_publisher = std::make_unique<PgConnection>(m_url, m_options);
                m_channel = ChannelOf(*m_publisher);
            }
            m_publisher->EnsureUsable();
            const char* values[] = {m_channel.c_str(), payload.c_str()};
            PGresult* r = PQexecParams(m_publisher->Raw(), "SELECT pg_notify($1, $2)", 2, nullptr,
                                       values, nullptr, nullptr, 0);
            const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
            PQclear(r);
            if (ok)
                return true;
        } catch (const BackendError& e) {
            spdlog::warn("call event not shared with other servers: {}", e.what());
        }
        m_publisher.reset();
    }
    return false;
}

std::unique_ptr<PgConnection> PgEventBus::ConnectListening() {
    auto c = std::make_unique<PgConnection>(m_url, m_options);
    const std::string channel = ChannelOf(*c);
    PGresult* r = PQexec(c->Raw(), ("LISTEN " + channel).c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok)
        throw BackendError(BackendError::Kind::Database, "LISTEN failed");
    return c;
}

void PgEventBus::Listen() {
    std::unique_ptr<PgConnection> c;
    bool reported = false;
    while (!m_stop) {
        if (!c) {
            try {
                c = ConnectListening();
                if (reported)
                    spdlog::info("listening for other servers' call events again");
                reported = false;
            } catch (const BackendError& e) {
                if (!reported)
                    spdlog::warn("cannot listen for other servers' call events: {}", e.what());
                reported = true;
                for (int i = 0; i < 10 && !m_stop; ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
        }
        pollfd fd{PQsocket(c->Raw()), POLLIN, 0};
        if (fd.fd < 0 || ::poll(&fd, 1, 200) < 0) {
            c.reset();
            continue;
        }
        if (PQconsumeInput(c->Raw()) == 0 || PQstatus(c->Raw()) != CONNECTION_OK) {
            if (!reported)
                spdlog::warn("lost the connection for other servers' call events; reconnecting");
            reported = true;
            c.reset();
            continue;
        }
        while (PGnotify* n = PQnotifies(c->Raw())) {
            const std::string payload = n->extra != nullptr ? n->extra : "";
            PQfreemem(n);
            const auto a = payload.find(kSeparator);
            const auto b = a == std::string::npos ? a : payload.find(kSeparator, a + 1);
            if (b == std::string::npos)
                continue;
            if (m_handler)
                m_handler(payload.substr(0, a), payload.substr(a + 1, b - a - 1),
                          payload.substr(b + 1));
        }
    }
}

}  // namespace fk::server
