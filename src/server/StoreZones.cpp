#include "server/StoreZones.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>
#include <memory>

#include "server/Backend.h"

namespace fk::server {

namespace {

std::unique_ptr<icu::TimeZone> Zone(const std::string& name) {
    if (name.empty() || name.size() > 64)
        return nullptr;
    std::unique_ptr<icu::TimeZone> zone(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
    // An unknown id gives the "Etc/Unknown" zone, never null.
    if (!zone || *zone == icu::TimeZone::getUnknown())
        return nullptr;
    return zone;
}

}  // namespace

StoreZones::StoreZones(std::unique_ptr<SqlRunner> runner) : m_runner(std::move(runner)) {}

void StoreZones::Set(const std::string& storeId, const std::string& zone, const std::string& by,
                     core::UtcMs now) {
    m_runner->InTransaction([&](SqlSession& s) {
        if (s.Query("SELECT 1 FROM stores WHERE id = ?1", {storeId}).empty()) {
            throw BackendError(BackendError::Kind::NotFound,
                               "no store " + storeId + "; add it first with add-store");
        }
        s.Exec(
            "INSERT INTO store_zones (store_id, zone, set_at, set_by) VALUES (?1, ?2, ?3, ?4) ON "
            "CONFLICT (store_id) DO UPDATE SET zone = excluded.zone, set_at = excluded.set_at, "
            "set_by = excluded.set_by",
            {storeId, zone, now, by});
    });
}

std::map<std::string, std::string> StoreZones::All() {
    std::map<std::string, std::string> out;
    m_runner->Read([&](SqlSession& s) {
        out.clear();
        for (const auto& r : s.Query("SELECT store_id, zone FROM store_zones", {}))
            out[r[0].value_or("")] = r[1].value_or("");
    });
    return out;
}

bool KnownZone(const std::string& zone) {
    return Zone(zone) != nullptr;
}

std::optional<int> ZoneOffsetMinutes(const std::string& zone, core::UtcMs at) {
    auto z = Zone(zone);
    if (!z)
        return std::nullopt;
    int32_t raw = 0;
    int32_t dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    z->getOffset(static_cast<UDate>(at), false, raw, dst, status);
    if (U_FAILURE(status))
        return std::nullopt;
    return (raw + dst) / 60'000;
}

std::string StoreZonesMigration(bool postgres) {
    return std::string(
               "-- branch survey17b (issue 17 item 5): each store's IANA time zone (provisional "
               "number).\n"
               "CREATE TABLE store_zones (store_id TEXT PRIMARY KEY REFERENCES stores(id), zone "
               "TEXT NOT NULL, set_at ") +
           (postgres ? "BIGINT" : "INTEGER") + " NOT NULL, set_by TEXT NOT NULL);\n";
}

}  // namespace fk::server
