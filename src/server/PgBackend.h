#pragma once
// PostgreSQL store backend over libpq (for chains). Reads and writes borrow connections from one
// pool (PgPool, BackendOptions::poolSize): ingest transactions of different kiosks run in
// parallel (each locks its kiosk's row first, so one kiosk's batches stay in order), in two
// round trips of pipelined prepared statements. libpq-fe.h stays in the .cpp files. Thread-safe.
// A broken connection is reset on next use; failures throw BackendError(Database) with libpq's
// message.

#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "server/Backend.h"
#include "server/PgPool.h"

namespace fk::server {

struct PgStoreGroup;

// The schema migrations in order: version v is element v - 1. Each runs in the one migration
// transaction. Tests build a database of an older version with them.
std::vector<std::string> PgMigrationScripts();

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
    std::map<std::string, ConfigRecord> FindStoreConfigs(
        const std::vector<std::string>& storeIds) override;
    std::optional<protocol::KioskStatus> Status(const std::string& kioskId) override;
    std::vector<DayCount> CountDays(const ReportQuery& query, bool byRep, bool perDay) override;
    std::vector<HourCount> CountHours(const ReportQuery& query) override;
    std::vector<protocol::KioskStatus> FleetStatuses(
        const std::optional<std::string>& storeId) override;
    std::vector<protocol::KioskStatus> FleetContacts(
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
    // Concurrent heartbeats share one transaction (one round trip, one WAL flush): the first
    // caller to find no group running takes everything queued (at most kMaxHeartbeatGroup) and
    // runs it for all; the others wait for their answer. Blocks until its group committed.
    SeqMarks Heartbeat(const std::string& kioskId, const protocol::Heartbeat& heartbeat,
                       core::UtcMs serverTime) override;
    std::unique_ptr<WriteTx> BeginIngest() override;
    // Batches of one store that arrive while one of them is being written join its transaction
    // (PgStoreGroup in the .cpp: one savepoint each, one COMMIT for all, at most 16 or 50 ms):
    // they would otherwise wait for each other's roll-up rows holding pooled connections, and
    // each pay a commit. Batches of different stores run in parallel on their own connections.
    std::unique_ptr<WriteTx> BeginStoreIngest(const std::string& storeId) override;
    // Creates the month partitions these rows need (PgPartitions.h) that this process has not
    // seen yet, each in its own short transaction. A failure is only logged (warning): the rows
    // then go to the default partition.
    void PrepareIngest(const std::vector<core::Response>& rows, core::UtcMs now) override;

    static constexpr std::size_t kMaxHeartbeatGroup = 256;
    CallStore& Calls() override { return *m_calls; }
    std::unique_ptr<EventBus> OpenEventBus() override;
    UserStore& Users() override { return *m_users; }
    AccessLog& Accesses() override { return *m_accesses; }
    SurveyVersions& Surveys() override { return *m_surveys; }
    StoreAlerts& Alerts() override { return *m_alerts; }
    RepLinks& Links() override { return *m_links; }
    StoreZones& Zones() override { return *m_zones; }
    Privacy& PersonalData() override { return *m_privacy; }
    void Compact() override;

  private:
    struct HeartbeatWaiter;
    PgPool::Lease Read();
    void EnsureMonths(const std::vector<std::int64_t>& monthStarts);
    void RunHeartbeatGroup(const std::vector<HeartbeatWaiter*>& group);

    std::string m_url;
    BackendOptions m_options;
    PgPool m_pool;
    std::mutex m_monthsMutex;
    std::set<std::int64_t> m_months;  // month starts with a partition (by m_monthsMutex)
    std::mutex m_hbMutex;
    std::condition_variable m_hbDone;
    std::vector<HeartbeatWaiter*> m_hbQueue;  // waiting for a group, oldest first
    bool m_hbRunning = false;                 // a caller is running a group
    std::unique_ptr<CallStore> m_calls;
    std::unique_ptr<UserStore> m_users;
    std::unique_ptr<AccessLog> m_accesses;
    std::unique_ptr<SurveyVersions> m_surveys;
    std::unique_ptr<StoreAlerts> m_alerts;
    std::unique_ptr<RepLinks> m_links;
    std::unique_ptr<StoreZones> m_zones;
    std::unique_ptr<Privacy> m_privacy;
    std::mutex m_groupsMutex;
    std::map<std::string, std::shared_ptr<PgStoreGroup>> m_groups;  // stores with batches in flight
};

}  // namespace fk::server
