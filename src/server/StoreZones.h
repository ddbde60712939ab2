#pragma once
// Each store's time zone by IANA name (issue 17 item 5): a store's "today" and every report
// period are its own local dates in that zone, whatever zone the server or another store is in.
// A store without one keeps the rule of before: the zone offset of its newest response. Offsets
// come from the system's ICU time zone data (Debian's libicu, kept current with tzdata updates).
// Written once over the shared SQL runner (CallStoreSql.h); thread-safe when the runner is;
// database failures throw BackendError, an unknown store BackendError(NotFound).

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/Clock.h"
#include "server/CallStoreSql.h"

namespace fk::server {

class StoreZones {
  public:
    explicit StoreZones(std::unique_ptr<SqlRunner> runner);
    // Sets (or replaces) the store's zone; the caller has checked it with KnownZone.
    void Set(const std::string& storeId, const std::string& zone, const std::string& by,
             core::UtcMs now);
    // Store id -> IANA name, for the stores that have one.
    std::map<std::string, std::string> All();

  private:
    std::unique_ptr<SqlRunner> m_runner;
};

// True for a zone name ICU knows ("Asia/Kolkata", "Europe/Copenhagen", "UTC").
bool KnownZone(const std::string& zone);
// Minutes east of UTC in zone at instant at (daylight saving included); nullopt for an unknown
// zone.
std::optional<int> ZoneOffsetMinutes(const std::string& zone, core::UtcMs at);

// The schema step that adds store_zones (the same text on both backends).
std::string StoreZonesMigration(bool postgres);

}  // namespace fk::server
