#pragma once
// EventBus over PostgreSQL's LISTEN/NOTIFY: every kiosk-server process on the database listens on
// one channel per schema (so two chains, or two test schemas, in one database never hear each
// other) and publishes with pg_notify on a connection of its own. NOTIFY reaches every listener,
// the publishing process included, so a process delivers to its own streams only what it hears.
//
// Thread-safety: as EventBus. Ownership: owns its two connections and the listening thread.
// Failure: a lost listening connection is reconnected every second (logged once per outage);
// events published meanwhile are missed by this process's streams only. A payload over
// kMaxPayload (PostgreSQL allows 8000 bytes) is not sent: Publish returns false.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/Backend.h"
#include "server/EventBus.h"

namespace fk::server {

class PgConnection;

class PgEventBus final : public EventBus {
  public:
    static constexpr std::size_t kMaxPayload = 7900;

    PgEventBus(std::string url, BackendOptions options);
    ~PgEventBus() override;

    void Start(Handler handler) override;
    void Stop() override;
    bool Publish(const std::string& storeId, std::string_view event,
                 const std::string& json) override;

  private:
    void Listen();
    std::unique_ptr<PgConnection> ConnectListening();

    std::string m_url;
    BackendOptions m_options;
    Handler m_handler;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    std::mutex m_publishMutex;
    std::unique_ptr<PgConnection> m_publisher;  // by m_publishMutex
    std::string m_channel;                      // by m_publishMutex
};

}  // namespace fk::server
