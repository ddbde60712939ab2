#include "server/Backend.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/Rating.h"
#include "server/Limits.h"
#include "server/PgBackend.h"
#include "server/SqliteBackend.h"

namespace fk::server {

std::string to_string(TokenKind kind) { return kind == TokenKind::Kiosk ? "kiosk" : "manager"; }

std::unique_ptr<Backend> OpenBackend(const std::string& url) { return OpenBackend(url, BackendOptions{}); }

std::unique_ptr<Backend> OpenBackend(const std::string& url, const BackendOptions& options) {
    if (options.poolSize < 1 || options.poolSize > BackendOptions::kMaxPoolSize) {
        throw BackendError(BackendError::Kind::BadUrl, "the database pool size must be 1.." +
                                                           std::to_string(BackendOptions::kMaxPoolSize) + ", got " +
                                                           std::to_string(options.poolSize));
    }
    if (url.empty()) throw BackendError(BackendError::Kind::BadUrl, "--db is empty; give a file path, sqlite:PATH or postgresql://...");
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        return std::make_unique<PgBackend>(url, options);
    }
    std::string path = url;
    if (url.rfind("sqlite:", 0) == 0) path = url.substr(7);
    if (path.empty()) throw BackendError(BackendError::Kind::BadUrl, "sqlite: needs a file path, e.g. sqlite:/var/lib/fk/server.db");
    if (path.find("://") != std::string::npos) {
        throw BackendError(BackendError::Kind::BadUrl,
                           "unknown database URL \"" + url + "\"; use a file path, sqlite:PATH or postgresql://...");
    }
    return std::make_unique<SqliteBackend>(path);
}

protocol::Receipt Ingest(Backend& backend, const KioskRecord& kiosk, const protocol::Batch& batch, core::UtcMs now,
                         IngestCounts* counts) {
    namespace pc = protocol::code;
    const auto& items = batch.responses;
    // Value checks need no database: done before taking the writer lock.
    std::vector<std::optional<protocol::ErrorBody>> invalid(items.size());
    std::vector<std::string> ids(items.size());
    std::vector<std::int64_t> seqs;
    seqs.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        invalid[i] = protocol::ValidateResponse(items[i]);
        if (!invalid[i]) invalid[i] = CheckStorable(items[i]);
        ids[i] = items[i].id.ToString();
        if (!invalid[i]) seqs.push_back(items[i].seq);
    }

    protocol::Receipt receipt;
    receipt.results.resize(items.size());
    std::vector<const core::Response*> toInsert;
    std::vector<Rejection> rejections;
    std::vector<std::int64_t> marked;
    IngestCounts local;

    auto tx = backend.BeginIngest();
    WriteTx::Known known = tx->FindKnown(kiosk.id, ids, seqs);
    std::map<std::string, StoredRow> existing;
    for (auto& row : known.byId) {
        std::string key = row.response.id.ToString();
        existing.emplace(std::move(key), std::move(row));
    }
    std::map<std::int64_t, std::string> seqOwner;
    for (auto& [seq, id] : known.seqOwners) seqOwner.emplace(seq, std::move(id));

    for (std::size_t i = 0; i < items.size(); ++i) {
        const core::Response& r = items[i];
        auto& result = receipt.results[i];
        result.id = r.id;
        auto reject = [&](std::string_view code, std::string message) {
            result.status = protocol::ItemStatus::Rejected;
            result.error = protocol::ErrorBody{std::string(code), message};
            rejections.push_back(Rejection{ids[i], r.seq, std::string(code), std::move(message), protocol::EncodeResponse(r)});
            // A seq beyond the limit is never marked: status arithmetic stays within range.
            if (r.seq >= 1 && r.seq <= StoreLimits::kMaxSeq) marked.push_back(r.seq);
            ++local.rejected;
        };
        if (invalid[i]) {
            reject(invalid[i]->code, invalid[i]->message);
            continue;
        }
        if (auto it = existing.find(ids[i]); it != existing.end()) {
            const StoredRow& stored = it->second;
            if (stored.kioskId != kiosk.id) {
                reject(pc::kConflict, "id " + ids[i] + " was already sent by another kiosk; ids must be unique");
            } else if (!protocol::SameWireContent(stored.response, r)) {
                reject(pc::kConflict, "id " + ids[i] +
                                          " was already received with different content; the first version is kept "
                                          "and this one is stored for inspection");
            } else {
                result.status = protocol::ItemStatus::Duplicate;
                ++local.duplicate;
            }
            continue;
        }
        if (auto it = seqOwner.find(r.seq); it != seqOwner.end()) {
            reject(pc::kSeqConflict, "seq " + std::to_string(r.seq) + " of kiosk " + kiosk.id +
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

    if (!toInsert.empty()) tx->InsertResponses(kiosk, batch.batchId.ToString(), toInsert, now);
    if (!rejections.empty()) tx->InsertRejections(kiosk.id, rejections, now);
    std::sort(marked.begin(), marked.end());
    marked.erase(std::unique(marked.begin(), marked.end()), marked.end());
    if (!marked.empty()) tx->MarkSeqs(kiosk.id, marked);
    receipt.ackedSeq = tx->AdvanceAckedSeq(kiosk.id, now);
    tx->Commit();
    receipt.serverTime = now;
    if (counts != nullptr) *counts = local;
    return receipt;
}

std::vector<protocol::KioskStatus> Backend::FleetStatuses(const std::optional<std::string>& storeId) {
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
    constexpr core::UtcMs kDay = 86'400'000;
    ReportWindow w{};
    w.localLow = core::DaysFromCivil(query.from) * kDay;
    w.localHigh = (core::DaysFromCivil(query.to) + 1) * kDay;
    // local = utc + offset, offset in [-12 h, +14 h].
    w.utcLow = w.localLow - 14 * 3'600'000LL;
    w.utcHigh = w.localHigh + 12 * 3'600'000LL;
    return w;
}

std::vector<protocol::SeqRange> GapsAbove(std::int64_t ackedSeq, const std::vector<std::int64_t>& sortedSeqs,
                                          std::size_t maxRanges) {
    std::vector<protocol::SeqRange> gaps;
    std::int64_t expected = ackedSeq + 1;
    for (std::int64_t seq : sortedSeqs) {
        if (seq < expected) continue;
        if (seq > expected) {
            if (gaps.size() >= maxRanges) break;
            gaps.emplace_back(expected, seq - 1);
        }
        expected = seq + 1;
    }
    return gaps;
}

}  // namespace fk::server
