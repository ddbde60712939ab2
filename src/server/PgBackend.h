#pragma once
// PostgreSQL store backend over libpq (for chains). Reads and writes borrow connections from one
// pool (PgPool, BackendOptions::poolSize): ingest transactions of different kiosks run in
// parallel (each locks its kiosk's row first, so one kiosk's batches stay in order), in two
// round trips of pipelined prepared statements. libpq-fe.h stays in the .cpp files. Thread-safe.
// A broken connection is reset on next use; failures throw BackendError(Database) with libpq's
// message.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/Backend.h"
#include "server/PgPool.h"

namespace fk::server {

class PgBackend final : public Backend {
  public:
    // Connects (libpq URL) and migrates the schema. Throws BackendError(Database).
    explicit PgBackend(const std::string& url, const BackendOptions& options = {});
    ~PgBackend() override;

    std::string Describe() const override;
    void AddStore(const std::string& id, const std::string& name, core::UtcMs now) override;
    void AddKiosk(const std::string& id, const std::string& storeId, core::UtcMs now) override;
    void AddToken(const TokenRecord& token, const std::string& hashHex, core::UtcMs now) override;
    bool RevokeToken(const std::string& tokenId, core::UtcMs now) override;
    void SetConfig(const std::string& storeId, const std::string& kioskId,
                   const ConfigRecord& config, core::UtcMs now) override;
    std::optional<TokenRecord> FindToken(const std::string& hashHex) override;
    std::optional<KioskRecord> FindKiosk(const std::string& id) override;
    bool StoreExists(const std::string& id) override;
    std::optional<ConfigRecord> FindConfig(const std::string& storeId,
                                           const std::string& kioskId) override;
    std::optional<protocol::KioskStatus> Status(const std::string& kioskId) override;
    std::vector<DayCount> CountDays(const ReportQuery& query, bool byRep, bool perDay) override;
    std::vector<HourCount> CountHours(const ReportQuery& query) override;
    std::vector<protocol::KioskStatus> FleetStatuses(
        const std::optional<std::string>& storeId) override;
    void RebuildRollups() override;
    std::vector<StoreRecord> ListStores() override;
    std::vector<std::string> ListKiosks(const std::optional<std::string>& storeId) override;
    std::optional<int> LatestTzOffset(const std::optional<std::string>& storeId) override;
    std::int64_t CountResponses() override;
    void AddSession(const std::string& hashHex, const std::string& tokenId, core::UtcMs now,
                    core::UtcMs expiresAt, int maxPerToken) override;
    std::optional<TokenRecord> FindSession(const std::string& hashHex, core::UtcMs now) override;
    bool DeleteSession(const std::string& hashHex) override;
    std::int64_t PurgeSessions(core::UtcMs now) override;
    void RecordHeartbeat(const std::string& kioskId, const protocol::Heartbeat& heartbeat,
                         core::UtcMs serverTime) override;
    std::unique_ptr<WriteTx> BeginIngest() override;
    CallStore& Calls() override { return *m_calls; }

  private:
    PgPool::Lease Read();

    std::string m_url;
    PgPool m_pool;
    std::unique_ptr<CallStore> m_calls;
};

}  // namespace fk::server
