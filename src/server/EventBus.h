#pragma once
// Live help-call events (GET /api/v1/calls/stream) shared by every kiosk-server process on one
// database: behind a load balancer a call posted to one server must reach the dashboards whose
// streams another server holds. SQLite has one server process, so it has no bus (the server then
// publishes to its own streams directly); PostgreSQL's is LISTEN/NOTIFY (server/PgEventBus.h).
//
// Thread-safety: Publish from any thread; Start and Stop from the owner's. The handler runs on
// the bus's own thread. Failure: Publish returns false when the event could not be sent (the
// database is away, the event is too large); the caller then delivers it to its own streams, so
// only dashboards held by other servers miss it (they get every open call again when they
// reconnect: the stream starts with a snapshot).

#include <functional>
#include <string>
#include <string_view>

namespace fk::server {

class EventBus {
  public:
    using Handler = std::function<void(const std::string& storeId, const std::string& event,
                                       const std::string& json)>;
    virtual ~EventBus() = default;
    // Delivers every event any process publishes from now on, this one's included, to handler.
    virtual void Start(Handler handler) = 0;
    virtual void Stop() = 0;
    virtual bool Publish(const std::string& storeId, std::string_view event,
                         const std::string& json) = 0;
};

}  // namespace fk::server
