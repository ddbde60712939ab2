#pragma once
// SQLite store backend (the embedded default). One writer connection shared through group commit
// (GroupCommit: ingest batches and heartbeats of many requests in one durable transaction, each
// answered after that COMMIT); admin writes take the connection alone. Readers borrow connections
// from a small pool (WAL lets them run beside the writer). Thread-safe.

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "server/Backend.h"
#include "server/GroupCommit.h"
#include "storage/Sqlite.h"

namespace fk::server {

class SqliteBackend final : public Backend {
  public:
    // Opens or creates the file and migrates the schema. Throws BackendError(Database).
    explicit SqliteBackend(const std::filesystem::path& path);
    ~SqliteBackend() override;

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
    std::vector<protocol::KioskStatus> FleetStatuses(
        const std::optional<std::string>& storeId) override;
    std::vector<HourCount> CountHours(const ReportQuery& query) override;
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
    UserStore& Users() override { return *m_users; }
    AccessLog& Accesses() override { return *m_accesses; }
    SurveyVersions& Surveys() override { return *m_surveys; }
    StoreAlerts& Alerts() override { return *m_alerts; }
    RepLinks& Links() override { return *m_links; }
    StoreZones& Zones() override { return *m_zones; }
    Privacy& PersonalData() override { return *m_privacy; }
    void Compact() override;

  private:
    class Lease;
    Lease Read();
    storage::Database OpenConnection() const;

    std::filesystem::path m_path;
    storage::Database m_writer;
    GroupCommit m_commits;  // after m_writer: commits an open group before it closes
    std::mutex m_poolMutex;
    std::vector<std::unique_ptr<storage::Database>> m_pool;
    std::unique_ptr<CallStore> m_calls;
    std::unique_ptr<UserStore> m_users;
    std::unique_ptr<AccessLog> m_accesses;
    std::unique_ptr<SurveyVersions> m_surveys;
    std::unique_ptr<StoreAlerts> m_alerts;
    std::unique_ptr<RepLinks> m_links;
    std::unique_ptr<StoreZones> m_zones;
    std::unique_ptr<Privacy> m_privacy;
};

}  // namespace fk::server
