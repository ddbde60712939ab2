#pragma once
// `kiosk-server migrate`: copies a SQLite server database into PostgreSQL (stores, kiosks and
// their sync state, tokens, configs, responses, dealt-with seqs, rejections, help calls, webhooks
// and the call outbox), in one PostgreSQL
// transaction, so an interrupted run leaves the target as it was. The source is read in one
// read-only snapshot (stop the server first so nothing arrives after it).
// The target's report roll-ups are rebuilt from its responses in the same transaction.
// Refuses a target that already holds rows unless merge is set; with merge, rows already there
// (same key) are kept and only missing ones are added, so running it again changes nothing.
// Blocking; call from any thread (it opens its own connections). Throws BackendError (BadUrl,
// NotFound for a missing source file, AlreadyExists for a non-empty target without merge,
// Database).

#include <cstdint>
#include <string>
#include <vector>

namespace fk::server {

struct MigrateTableCount {
    std::string table;
    std::int64_t source = 0;  // rows read
    std::int64_t added = 0;   // rows new in the target
};

struct MigrateReport {
    std::vector<MigrateTableCount> tables;  // in copy order
    std::string to_string() const;          // one "table: N read, M added" line per table
};

// from: a SQLite path or sqlite:PATH; to: postgresql://... or postgres://...
MigrateReport MigrateDatabase(const std::string& from, const std::string& to, bool merge);

}  // namespace fk::server
