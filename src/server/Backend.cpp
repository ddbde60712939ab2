#include "server/Backend.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/Calendar.h"
#include "core/Rating.h"
#include "server/Limits.h"
#include "server/PgBackend.h"
#include "server/SqliteBackend.h"

namespace fk::server {

std::string to_string(TokenKind kind) {
    return kind == TokenKind::Kiosk ? "kiosk" : "manager";
}

std::unique_ptr<Backend> OpenBackend(const std::string& url) {
    return OpenBackend(url, BackendOptions{});
}

std::unique_ptr<Backend> OpenBackend(const std::string& url, const BackendOptions& options) {
    if (options.poolSize < 1 || options.poolSize > BackendOptions::kMaxPoolSize) {
        throw BackendError(BackendError::Kind::BadUrl,
                           "the database pool size must be 1.." +
                               std::to_string(BackendOptions::kMaxPoolSize) + ", got " +
                               std::to_string(options.poolSize));
    }
    if (url.empty())
        throw BackendError(BackendError::Kind::BadUrl,
                           "--db is empty; give a file path, sqlite:PATH or postgresql://...");
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        return std::make_unique<PgBackend>(url, options);
    }
    std::string path = url;
    if (url.rfind("sqlite:", 0) == 0)
        path = url.substr(7);
    if (path.empty())
        throw BackendError(BackendError::Kind::BadUrl,
                           "sqlite: needs a file path, e.g. sqlite:/var/lib/fk/server.db");
    if (path.find("://") != std::string::npos) {
        throw BackendError(BackendError::Kind::BadUrl,
                           "unknown database URL \"" + url +
                               "\"; use a file path, sqlite:PATH or postgresql://...");
    }
    return std::make_unique<SqliteBackend>(path);
}

namespace {

// A kiosk's lost report: the seqs of each range the server does not hold become "dealt with"
// (kiosk_seqs, so acked_seq moves past them) and one "lost" rejection per contiguous run keeps
// the reason for the gap report. Seqs the server holds are left alone. Returns how many seqs
// were newly recorded.
std::int64_t RecordLost(WriteTx& tx, const std::string& kioskId,
                        const std::vector<protocol::LostRange>& lost, core::UtcMs now,
                        std::vector<std::int64_t>& marked) {
    // Seqs up to the acked mark are dealt with already (stored, rejected, or reported before).
    const std::int64_t acked = tx.AdvanceAckedSeq(kioskId, now);
    std::vector<std::int64_t> seqs;
    for (const auto& range : lost) {
        for (std::int64_t seq = std::max(range.from, acked + 1); seq <= range.to; ++seq)
            seqs.push_back(seq);
    }
    std::set<std::int64_t> held;
    for (const auto& range : lost) {
        for (std::int64_t seq = range.from; seq <= std::min(range.to, acked); ++seq)
            held.insert(seq);
    }
    for (const auto& [seq, id] : tx.FindSeqOwners(kioskId, seqs))
        held.insert(seq);
    std::vector<Rejection> notes;
    std::int64_t recorded = 0;
    for (const auto& range : lost) {
        std::optional<std::int64_t> runStart;
        auto flush = [&](std::int64_t end) {
            if (!runStart)
                return;
            const std::string span = std::to_string(*runStart) + "-" + std::to_string(end);
            notes.push_back(Rejection{
                "lost:" + span, *runStart, std::string(kLostCode), "lost: " + range.reason,
                "{\"from\":" + std::to_string(*runStart) + ",\"to\":" + std::to_string(end) + "}"});
            runStart.reset();
        };
        for (std::int64_t seq = range.from; seq <= range.to; ++seq) {
            if (held.count(seq) != 0) {
                flush(seq - 1);
                continue;
            }
            if (!runStart)
                runStart = seq;
            marked.push_back(seq);
            ++recorded;
        }
        flush(range.to);
    }
    if (!notes.empty())
        tx.InsertRejections(kioskId, notes, now);
    return recorded;
}

}  // namespace

protocol::LostRange LostRangeOf(std::int64_t seq, const std::string& message,
                                const std::string& body) {
    protocol::LostRange range;
    range.from = seq;
    range.to = seq;
    if (auto at = body.find("\"to\":"); at != std::string::npos) {
        try {
            range.to = std::max<std::int64_t>(seq, std::stoll(body.substr(at + 5)));
        } catch (const std::exception&) {
        }
    }
    range.reason = message.rfind("lost: ", 0) == 0 ? message.substr(6) : message;
    return range;
}

SeqMarks Backend::Heartbeat(const std::string& kioskId, const protocol::Heartbeat& heartbeat,
                            core::UtcMs serverTime) {
    RecordHeartbeat(kioskId, heartbeat, serverTime);
    return KioskSeqMarks(*this, kioskId, serverTime);
}

SeqMarks KioskSeqMarks(Backend& backend, const std::string& kioskId, core::UtcMs now) {
    auto tx = backend.BeginIngest();
    SeqMarks marks;
    marks.ackedSeq = tx->AdvanceAckedSeq(kioskId, now);
    marks.maxSeq = std::max(marks.ackedSeq, tx->MaxSeq(kioskId));
    tx->Commit();
    return marks;
}

protocol::Receipt Ingest(Backend& backend, const KioskRecord& kiosk, const protocol::Batch& batch,
                         core::UtcMs now, IngestCounts* counts) {
    namespace pc = protocol::code;
    const auto& items = batch.responses;
    // Value checks need no database: done before taking the writer lock.
    std::vector<std::optional<protocol::ErrorBody>> invalid(items.size());
    std::vector<std::string> ids(items.size());
    std::vector<std::int64_t> seqs;
    seqs.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        invalid[i] = protocol::ValidateResponse(items[i]);
        if (!invalid[i])
            invalid[i] = CheckStorable(items[i]);
        ids[i] = items[i].id.ToString();
        if (!invalid[i])
            seqs.push_back(items[i].seq);
    }

    protocol::Receipt receipt;
    receipt.results.resize(items.size());
    std::vector<const core::Response*> toInsert;
    std::vector<Rejection> rejections;
    std::vector<std::int64_t> marked;
    IngestCounts local;

    backend.PrepareIngest(items, now);
    auto tx = backend.BeginStoreIngest(kiosk.storeId);
    WriteTx::Known known = tx->FindKnown(kiosk.id, ids, seqs);
    std::map<std::string, StoredRow> existing;
    for (auto& row : known.byId) {
        std::string key = row.response.id.ToString();
        existing.emplace(std::move(key), std::move(row));
    }
    std::map<std::int64_t, std::string> seqOwner;
    for (auto& [seq, id] : known.seqOwners)
        seqOwner.emplace(seq, std::move(id));

    for (std::size_t i = 0; i < items.size(); ++i) {
        const core::Response& r = items[i];
        auto& result = receipt.results[i];
        result.id = r.id;
        auto reject = [&](std::string_view code, std::string message) {
            result.status = protocol::ItemStatus::Rejected;
            result.error = protocol::ErrorBody{std::string(code), message};
            rejections.push_back(Rejection{ids[i], r.seq, std::string(code), std::move(message),
                                           protocol::EncodeResponse(r)});
            // A seq beyond the limit is never marked: status arithmetic stays within range.
            if (r.seq >= 1 && r.seq <= StoreLimits::kMaxSeq)
                marked.push_back(r.seq);
            ++local.rejected;
        };
        if (invalid[i]) {
            reject(invalid[i]->code, invalid[i]->message);
            continue;
        }
        if (auto it = existing.find(ids[i]); it != existing.end()) {
            const StoredRow& stored = it->second;
            if (stored.kioskId != kiosk.id) {
                reject(pc::kConflict,
                       "id " + ids[i] + " was already sent by another kiosk; ids must be unique");
            } else if (stored.detached) {
                // Stored long ago, its month since detached for retention: nothing to compare.
                result.status = protocol::ItemStatus::Duplicate;
                ++local.duplicate;
            } else if (!protocol::SameWireContent(stored.response, r)) {
                reject(
                    pc::kConflict,
                    "id " + ids[i] +
                        " was already received with different content; the first version is kept "
                        "and this one is stored for inspection");
            } else {
                result.status = protocol::ItemStatus::Duplicate;
                ++local.duplicate;
            }
            continue;
        }
        if (auto it = seqOwner.find(r.seq); it != seqOwner.end()) {
            reject(pc::kSeqConflict,
                   "seq " + std::to_string(r.seq) + " of kiosk " + kiosk.id +
                       " already belongs to response " + it->second +
                       "; if the kiosk was reinstalled, register it again under a new kiosk id");
            continue;
        }
        result.status = protocol::ItemStatus::Accepted;
        toInsert.push_back(&r);  // its seq counts as dealt with through responses (kiosk, seq)
        existing.emplace(ids[i], StoredRow{kiosk.id, r});
        seqOwner.emplace(r.seq, ids[i]);
        ++local.accepted;
    }

    if (!toInsert.empty())
        tx->InsertResponses(kiosk, batch.batchId.ToString(), toInsert, now);
    if (!rejections.empty())
        tx->InsertRejections(kiosk.id, rejections, now);
    if (!batch.lost.empty())
        receipt.lostRecorded = RecordLost(*tx, kiosk.id, batch.lost, now, marked);
    std::sort(marked.begin(), marked.end());
    marked.erase(std::unique(marked.begin(), marked.end()), marked.end());
    if (!marked.empty())
        tx->MarkSeqs(kiosk.id, marked);
    receipt.ackedSeq = tx->AdvanceAckedSeq(kiosk.id, now);
    receipt.maxSeq = std::max(receipt.ackedSeq, tx->MaxSeq(kiosk.id));
    tx->Commit();
    receipt.serverTime = now;
    if (counts != nullptr)
        *counts = local;
    return receipt;
}

std::vector<protocol::KioskStatus> Backend::FleetStatuses(
    const std::optional<std::string>& storeId) {
    std::vector<protocol::KioskStatus> out;
    for (const auto& id : ListKiosks(storeId)) {
        if (auto st = Status(id)) {
            st->responses = 0;
            out.push_back(std::move(*st));
        }
    }
    return out;
}

ReportWindow WindowOf(const ReportQuery& query) {
    constexpr core::UtcMs kDay = core::kMsPerDay;
    ReportWindow w{};
    w.localLow = core::DaysFromCivil(query.from) * kDay;
    w.localHigh = (core::DaysFromCivil(query.to) + 1) * kDay;
    // local = utc + offset, offset in [-12 h, +14 h].
    w.utcLow = w.localLow - 14 * 3'600'000LL;
    w.utcHigh = w.localHigh + 12 * 3'600'000LL;
    return w;
}

std::vector<protocol::SeqRange> GapsAbove(std::int64_t ackedSeq,
                                          const std::vector<std::int64_t>& sortedSeqs,
                                          std::size_t maxRanges) {
    std::vector<protocol::SeqRange> gaps;
    std::int64_t expected = ackedSeq + 1;
    for (std::int64_t seq : sortedSeqs) {
        if (seq < expected)
            continue;
        if (seq > expected) {
            if (gaps.size() >= maxRanges)
                break;
            gaps.emplace_back(expected, seq - 1);
        }
        expected = seq + 1;
    }
    return gaps;
}

}  // namespace fk::server
