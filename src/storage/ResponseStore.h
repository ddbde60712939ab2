#pragma once
// The kiosk's durable store of responses and its outbox: <dataDir>/responses.db (SQLite, WAL,
// synchronous=FULL). A response row is created at the rating tap (Begin returns only after the
// COMMIT is durable), amended while open, closed by "thank you" or the idle timeout; closed rows
// wait in seq order for the sync engine. Rows are never deleted.
//
// Thread affinity: a ResponseStore is one SQLite connection and belongs to one thread at a time.
// Each thread opens its own: the UI thread calls Open() first, the sync thread calls Open() on the
// same data dir for its own connection. Writers wait for each other (BEGIN IMMEDIATE, 5 s busy
// timeout). Within a process only the first Open() of a data dir checks, sets a corrupt file
// aside, migrates and closes rows left open by a crash; later ones (while any is alive) only
// connect. The first Open() also takes an exclusive lock (flock on responses.db.lock) held until
// the process's last ResponseStore on that dir is destroyed: a second process on the same data
// dir is refused, so it can never "recover" rows the live kiosk still has open.
//
// Failure: every method throws StoreError (kind + a message staff can act on). A throw from a
// write means that write did not commit; everything committed before it is safe.

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/Clock.h"
#include "core/RepStats.h"
#include "core/Response.h"
#include "core/Uuid.h"

namespace fk::storage {

enum class StoreErrorKind {
    DiskFull,  // no space (ENOSPC, quota, file size limit): free space, nothing saved is lost
    ReadOnly,  // the data dir or file cannot be written: fix permissions / the mount
    Corrupt,   // the file is damaged: restart (Open sets it aside)
    Io,        // the device failed a read or write
    Busy,      // another connection held the write lock longer than the busy timeout
    Invalid,   // the caller asked for something impossible (bad rating, unknown/closed id)
    Other,
};
std::string to_string(StoreErrorKind kind);

class StoreError : public std::runtime_error {
  public:
    StoreError(StoreErrorKind kind, const std::string& message)
        : std::runtime_error(message), m_kind(kind) {}
    StoreErrorKind Kind() const { return m_kind; }

  private:
    StoreErrorKind m_kind;
};

struct OpenReport {
    bool corruptFileSetAside = false;
    std::filesystem::path setAsidePath;  // responses.db.corrupt-<UTC>, with its -wal/-shm
    std::string problem;                 // what the integrity check found, for the staff notice
    // The last seq read from the damaged file, if it could be read: the fresh store's seq
    // continues after it (the set-aside file holds 1..N), so the server never sees a seq twice.
    std::optional<std::int64_t> salvagedMaxSeq;
    std::int64_t salvaged = 0;  // rows of the damaged file copied into the fresh store
    std::int64_t lost = 0;      // seqs of it that could not be read (reported to the server)
    int closedOnOpen = 0;       // rows left open by a crash, now closed as Recovered
    bool recoveryRan = false;   // false for a second connection in the same process
};

struct BeginRequest {
    int scale = 4;
    int rating = 1;
    std::string language = "en";
    std::optional<std::string> repId;
    std::optional<std::string> misuse;
    std::optional<std::int64_t> surveyVersion;  // the server's definition in force, if any
};

// Seqs of a damaged store that could not be salvaged (inclusive), with the reason in words.
struct LostSeqs {
    std::int64_t from = 0;
    std::int64_t to = 0;
    std::string reason;
};

// What salvages of damaged files have done to this store, summed (Manager mode's Sync tab).
struct SalvageCounts {
    std::int64_t salvaged = 0;
    std::int64_t lost = 0;
    std::int64_t lostUnreported = 0;  // of lost, not yet reported to the server
};

// A customer's call for help waiting in the outbox: its response (still open or closed) and when
// the customer asked.
struct PendingCall {
    core::Response response;
    core::UtcMs askedAtMs = 0;
};

struct PendingBatch {
    std::vector<core::Response> responses;  // closed, pending, seq order
};

class ResponseStore {
  public:
    static constexpr const char* kFileName = "responses.db";

    // Opens or creates <dataDir>/responses.db (creating dataDir if needed). The first open in a
    // process runs PRAGMA quick_check; a corrupt file is renamed aside (never deleted, WAL/SHM
    // too) and a fresh store starts; rows left open by a crash are closed as Recovered. What
    // happened goes into *report. Throws StoreError (ReadOnly when the dir/file is not writable,
    // Other when another process holds the store or the schema is newer than this program).
    static std::unique_ptr<ResponseStore> Open(const std::filesystem::path& dataDir,
                                               const core::Clock& clock,
                                               OpenReport* report = nullptr);
    ~ResponseStore();
    ResponseStore(const ResponseStore&) = delete;
    ResponseStore& operator=(const ResponseStore&) = delete;

    // The rating tap. Returns only after COMMIT (one WAL fsync). Assigns id (UUIDv7), seq
    // (gapless, in the insert transaction), created_at and tz offset from the clock.
    // Invalid if scale is not 4/5, rating is outside it or language is empty.
    core::Response Begin(const BeginRequest& request);
    // Amendments, only while the response is open (Invalid if unknown or closed).
    void SetRep(const core::Uuid& id, std::optional<std::string> repId);
    void SetReason(const core::Uuid& id, std::optional<std::string> reason);
    void SetLanguage(const core::Uuid& id, const std::string& language);
    // "Change my answer" (issue 22): the open response's rating becomes `rating`; the first
    // rating ever stored for it is kept in first_rating (a second correction keeps the first).
    // Invalid if the response is unknown, closed, or the rating is outside its scale.
    void CorrectRating(const core::Uuid& id, int rating);
    // The answer to the help question, while open. Yes also queues a call in the calls outbox
    // (same transaction): when this returns, the call survives a crash and goes out with the next
    // sync pass. Invalid if the response is unknown or closed.
    void SetHelp(const core::Uuid& id, core::HelpAnswer answer);

    // The calls outbox (oldest first). Calls go regardless of their response's sync state.
    std::vector<PendingCall> PendingCalls(std::size_t maxRows);
    // The server has the call (accepted or duplicate); late: it was sent after the confirmation
    // window, the customer was told to ask at the counter. Unknown or settled ids are ignored.
    void MarkCallSent(const core::Uuid& responseId, bool late);
    // Kept, never offered again; the reason is for staff.
    void MarkCallRejected(const core::Uuid& responseId, const std::string& reason);
    std::int64_t PendingCallCount();
    // Closes an open response. Returns false (and changes nothing) if it was already closed, so
    // a thank-you racing the idle timeout is harmless. Invalid if the id is unknown.
    bool Close(const core::Uuid& id, core::CloseReason reason);

    std::optional<core::Response> Find(const core::Uuid& id);
    // Up to maxRows closed, pending rows in seq order.
    PendingBatch NextPending(std::size_t maxRows);
    // Marks closed rows sent (clears any error). Unknown or open ids are ignored; returns how
    // many rows changed. One transaction.
    std::size_t MarkSent(const std::vector<core::Uuid>& ids);
    // Keeps the row, never offered again by NextPending; the server's reason is shown to staff.
    void MarkRejected(const core::Uuid& id, const std::string& reason);
    // The server's view of this kiosk (a receipt or heartbeat answer). When the server lacks rows
    // this store has settled (sent or rejected) -- it was restored from an older backup -- they
    // become pending again: every settled row above serverAckedSeq when the row at
    // serverAckedSeq + 1 is settled here, else every settled row above serverMaxSeq. The server
    // answers "duplicate" for any it kept. Returns how many rows were re-queued (0 normally).
    std::int64_t RequeueForServer(std::int64_t serverAckedSeq, std::int64_t serverMaxSeq);

    // Lost seqs of a salvaged damaged store, not yet reported to the server, by from.
    std::vector<LostSeqs> UnreportedLost(std::size_t maxRanges);
    void MarkLostReported(const std::vector<std::int64_t>& fromSeqs);
    // Cuts the lost range starting at from into [from, at - 1] and [at, its end].
    void SplitLost(std::int64_t from, std::int64_t at);
    SalvageCounts Salvage();
    // Keeps <dataDir>/responses.seq-mark (outside the database file) above every seq this store
    // or the server has used, so a store set aside with an unreadable end still numbers new
    // responses above all of them. A serverMaxSeq above this store's last seq also raises the
    // numbering floor. Writes (with fsync) only every ~128 responses. For the sync thread.
    void KeepSeqMark(std::int64_t serverMaxSeq = 0);

    // Retention (issue 20 item 4): deletes the rows the server acknowledged (sent) created before
    // createdBefore, with their settled help calls. The newest row always stays, and the
    // numbering floor is raised first, so seq stays gapless and never reused. A row whose call is
    // still pending stays until the call is sent. Returns rows deleted. Writes only when there is
    // something to delete. For the sync thread.
    std::int64_t PurgeSynced(core::UtcMs createdBefore);
    // A leaver pseudonymised (toId) or erased (nullopt) at head office (issue 20 item 4): every
    // row naming fromId names toId instead, and the file is rewritten (WAL truncated, VACUUM) so
    // no copy of the old id stays in it. Returns rows changed. The one kiosk-side step of it;
    // whoever receives the change from the server calls it (not on a customer's tap).
    std::int64_t ReplaceRep(const std::string& fromId, const std::optional<std::string>& toId);
    // Every rep id named in this store (a scan; for applying leavers).
    std::vector<std::string> RepIds();

    // The reason policy of survey definition version `version` (issue 17), kept so manager mode
    // judges the responses taken under it by it after the definition changes. Writes only when
    // the stored policy of that version differs (a version's policy never changes in practice).
    // Invalid when version < 1. Not on a customer's tap: when a definition is put in force.
    void RecordPolicy(std::int64_t version, const core::ReasonPolicy& policy);

    std::int64_t PendingCount();  // closed and pending
    std::optional<core::UtcMs> OldestPendingCreatedAt();
    std::int64_t RejectedCount();
    std::vector<core::Response> Rejected(std::size_t maxRows);  // seq order
    std::int64_t OpenCount();
    std::int64_t MaxSeq();  // highest seq of a row in this store, 0 if none

    // Visits every response with seq > afterSeq in seq order (CSV export). The visitor returns
    // false to stop. Reads one consistent snapshot; do not call other methods from the visitor.
    void ForEach(const std::function<bool(const core::Response&)>& visitor,
                 std::int64_t afterSeq = 0);

    // Copies the WAL into the database file (PASSIVE: never waits for readers or writers).
    // By default SQLite does this itself after a commit leaves >= 1000 WAL pages, on whichever
    // connection committed. To keep that work (a db-file fsync) off the UI thread, the UI's store
    // calls SetAutoCheckpoint(false) and the sync thread's store calls Checkpoint() now and then.
    struct CheckpointResult {
        int walFrames = 0;           // frames in the WAL
        int checkpointedFrames = 0;  // of those, now in the database file
    };
    CheckpointResult Checkpoint();
    void SetAutoCheckpoint(bool on);  // this connection only

    const std::filesystem::path& DatabasePath() const;

  private:
    struct Impl;
    explicit ResponseStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace fk::storage
