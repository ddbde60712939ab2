#include "storage/Dashboard.h"

#include <algorithm>
#include <string_view>

#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"

namespace fs = std::filesystem;

namespace fk::storage {

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr int kDashboardSchema = 3;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

StoreError MapReadError(const SqliteError& e, const fs::path& dbPath, std::string_view action) {
    std::string what(action);
    if (e.IsCorrupt()) {
        return StoreError(StoreErrorKind::Corrupt,
                          what + ": " + dbPath.string() + " is damaged (" + e.what() +
                              "). Restart the kiosk: it sets the damaged file aside.");
    }
    if (e.IsBusy()) {
        return StoreError(StoreErrorKind::Busy, what + ": " + dbPath.string() +
                                                    " stayed locked for more than 5 s (" +
                                                    e.what() + "); try again.");
    }
    if (e.IsIo()) {
        return StoreError(StoreErrorKind::Io, what + ": the storage device under " +
                                                  dbPath.parent_path().string() + " failed (" +
                                                  e.what() + "). Check the disk.");
    }
    return StoreError(StoreErrorKind::Other, what + ": " + e.what());
}

std::optional<core::CloseReason> CloseReasonOf(std::string_view text) {
    if (text == "thank_you")
        return core::CloseReason::ThankYou;
    if (text == "idle_timeout")
        return core::CloseReason::IdleTimeout;
    if (text == "recovered")
        return core::CloseReason::Recovered;
    return std::nullopt;
}

}  // namespace

int WeekdayOfDays(std::int64_t days) {
    // 1970-01-01 was a Thursday (Monday-based index 3).
    return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

struct Dashboard::Impl {
    fs::path path;
    Database db;
    Statement scan;
    Statement recent;
    Statement count;

    explicit Impl(const fs::path& p)
        : path(p),
          db(p, OpenMode::ReadWrite),
          scan(db,
               "SELECT created_at, rep_id, rating, misuse IS NOT NULL, reason, tz_offset_min, scale "
               "FROM responses INDEXED BY responses_dashboard "
               "WHERE created_at >= ?1 AND created_at < ?2"),
          recent(db,
                 "SELECT created_at, scale, rating, misuse IS NOT NULL "
                 "FROM responses INDEXED BY responses_dashboard "
                 "WHERE created_at > ?1 AND created_at <= ?2"),
          count(db,
                "SELECT count(*) FROM responses INDEXED BY responses_dashboard "
                "WHERE created_at >= ?1 AND created_at < ?2") {}

    template <typename F>
    auto Guard(std::string_view action, F&& f) -> decltype(f()) {
        try {
            return f();
        } catch (const SqliteError& e) {
            throw MapReadError(e, path, action);
        }
    }
};

namespace {

// Resets a statement however the use ends, so no read snapshot stays open.
class Use {
  public:
    explicit Use(Statement& s) : m_s(s) {}
    ~Use() { m_s.Reset(); }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    Statement* operator->() { return &m_s; }

  private:
    Statement& m_s;
};

// Opens the connection and checks the schema before Impl prepares statements against it.
fs::path CheckedPath(const fs::path& dataDir) {
    const fs::path path = dataDir / ResponseStore::kFileName;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        throw StoreError(StoreErrorKind::Other,
                         "open the dashboard: " + path.string() +
                             " does not exist. Start the kiosk once so it creates its store.");
    }
    return path;
}

}  // namespace

Dashboard::Dashboard(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Dashboard::~Dashboard() = default;

std::unique_ptr<Dashboard> Dashboard::Open(const fs::path& dataDir) {
    const fs::path path = CheckedPath(dataDir);
    try {
        {
            Database probe(path, OpenMode::ReadWrite);
            const auto version = probe.QueryInt("PRAGMA user_version");
            if (version < kDashboardSchema) {
                throw StoreError(StoreErrorKind::Other,
                                 "open the dashboard: " + path.string() + " has schema version " +
                                     std::to_string(version) + ", the dashboard needs " +
                                     std::to_string(kDashboardSchema) +
                                     ". Start the kiosk once so it upgrades its store.");
            }
        }
        auto impl = std::make_unique<Impl>(path);
        impl->db.Exec("PRAGMA query_only = 1");
        return std::unique_ptr<Dashboard>(new Dashboard(std::move(impl)));
    } catch (const SqliteError& e) {
        throw MapReadError(e, path, "open the dashboard");
    }
}

const fs::path& Dashboard::DatabasePath() const { return m_impl->path; }

DashboardData Dashboard::Load(const DashboardRequest& request, const core::ReasonPolicy& policy) {
    auto& m = *m_impl;
    return m.Guard("load the dashboard", [&] {
        DashboardData data;
        data.period = request.period;
        data.scale = request.scale;
        data.total.tally = core::RepTally(request.scale);
        const std::int64_t firstDay = core::DaysFromCivil(request.period.firstDay);
        const std::int64_t days = std::max<std::int64_t>(0, request.period.Days());
        data.trend.resize(static_cast<std::size_t>(days));
        for (std::int64_t i = 0; i < days; ++i) {
            data.trend[static_cast<std::size_t>(i)].day = core::CivilFromDays(firstDay + i);
            data.trend[static_cast<std::size_t>(i)].counts = core::RatingCounts{request.scale};
        }
        for (auto& row : data.heatmap)
            for (auto& cell : row)
                cell.counts = core::RatingCounts{request.scale};

        const int points = request.scale.Points();
        std::size_t last = 0;
        Use u(m.scan);
        u->Bind(1, request.period.fromUtc).Bind(2, request.period.toUtc);
        while (u->Step()) {
            ++data.rowsScanned;
            const bool noRep = u->IsNull(1);
            const std::string_view rep = noRep ? std::string_view() : u->TextView(1);
            auto same = [&](const DashboardRepRow& r) {
                return noRep ? !r.repId.has_value() : r.repId.has_value() && *r.repId == rep;
            };
            // Rows of one rep tend to come in runs within a timestamp; otherwise a linear search
            // over tens of reps beats hashing a string per row.
            if (last >= data.reps.size() || !same(data.reps[last])) {
                last = 0;
                while (last < data.reps.size() && !same(data.reps[last]))
                    ++last;
                if (last == data.reps.size()) {
                    data.reps.emplace_back();
                    data.reps.back().tally = core::RepTally(request.scale);
                    if (!noRep)
                        data.reps.back().repId = std::string(rep);
                }
            }
            DashboardRepRow& row = data.reps[last];
            if (u->Int(6) != points) {
                ++row.otherScale;
                continue;
            }
            const int rating = static_cast<int>(u->Int(2));
            const bool misuse = u->Int(3) != 0;
            std::optional<std::string_view> reason;
            if (!u->IsNull(4))
                reason = u->TextView(4);
            row.tally.Add(rating, reason, misuse, policy);
            if (misuse)
                continue;
            const std::int64_t local = u->Int(0) + u->Int(5) * 60'000;
            const std::int64_t day = FloorDiv(local, kMsPerDay);
            const std::int64_t index = day - firstDay;
            if (index >= 0 && index < days)
                data.trend[static_cast<std::size_t>(index)].counts.Add(rating);
            const auto hour = static_cast<std::size_t>((local - day * kMsPerDay) / 3'600'000);
            data.heatmap[static_cast<std::size_t>(WeekdayOfDays(day))][hour].counts.Add(rating);
        }

        std::sort(data.reps.begin(), data.reps.end(),
                  [](const DashboardRepRow& a, const DashboardRepRow& b) { return a.repId < b.repId; });
        for (auto& row : data.reps) {
            row.summary = core::SummarizeRep(row.tally, request.minResponses);
            data.total.tally.Merge(row.tally);
            data.total.otherScale += row.otherScale;
        }
        data.total.summary = core::SummarizeRep(data.total.tally, request.minResponses);
        for (auto& day : data.trend)
            day.summary = core::Summarize(day.counts, request.minResponses);
        for (auto& row : data.heatmap) {
            for (auto& cell : row) {
                auto s = core::Summarize(cell.counts, request.heatmapMinResponses);
                cell.score100 = s.score100;
            }
        }
        for (const auto& [code, n] : data.total.tally.reasons) {
            data.reasons.push_back(
                ReasonRow{code, n, policy.Knows(code), policy.IsAttributable(code)});
        }
        std::sort(data.reasons.begin(), data.reasons.end(), [](const ReasonRow& a, const ReasonRow& b) {
            return a.count != b.count ? a.count > b.count : a.code < b.code;
        });
        return data;
    });
}

std::vector<core::AlertSample> Dashboard::RecentSamples(core::UtcMs from, core::UtcMs to) {
    auto& m = *m_impl;
    return m.Guard("read recent responses", [&] {
        std::vector<core::AlertSample> out;
        Use u(m.recent);
        u->Bind(1, from).Bind(2, to);
        while (u->Step()) {
            out.push_back(core::AlertSample{u->Int(0), static_cast<int>(u->Int(1)),
                                            static_cast<int>(u->Int(2)), u->Int(3) != 0});
        }
        return out;
    });
}

core::AlertState Dashboard::EvaluateAlert(const core::AlertRule& rule, core::UtcMs now) {
    const auto samples = RecentSamples(now - rule.windowMs, now);
    return core::EvaluateAlert(rule, samples, now);
}

std::int64_t Dashboard::CountResponses(core::UtcMs from, core::UtcMs to) {
    auto& m = *m_impl;
    return m.Guard("count responses", [&] {
        Use u(m.count);
        u->Bind(1, from).Bind(2, to);
        u->Step();
        return u->Int(0);
    });
}

void Dashboard::ForEachResponse(core::UtcMs from, core::UtcMs to,
                                const std::function<bool(const core::Response&)>& visitor) {
    auto& m = *m_impl;
    m.Guard("read responses for export", [&] {
        Statement s(m.db,
                    "SELECT id, seq, created_at, tz_offset_min, scale, rating, rep_id, reason, "
                    "language, misuse, closed_at, close_reason, sync_state, sync_error "
                    "FROM responses WHERE created_at >= ?1 AND created_at < ?2 "
                    "ORDER BY created_at");
        s.Bind(1, from).Bind(2, to);
        while (s.Step()) {
            core::Response r;
            if (auto id = core::Uuid::Parse(s.Text(0)))
                r.id = *id;
            r.seq = s.Int(1);
            r.createdAtMs = s.Int(2);
            r.tzOffsetMin = static_cast<int>(s.Int(3));
            r.scale = static_cast<int>(s.Int(4));
            r.rating = static_cast<int>(s.Int(5));
            r.repId = s.OptText(6);
            r.reason = s.OptText(7);
            r.language = s.Text(8);
            r.misuse = s.OptText(9);
            r.closedAtMs = s.OptInt(10);
            if (!s.IsNull(11))
                r.closeReason = CloseReasonOf(s.TextView(11));
            r.syncState = core::SyncStateFromString(s.TextView(12)).value_or(core::SyncState::Pending);
            r.syncError = s.OptText(13);
            if (!visitor(r))
                break;
        }
    });
}

}  // namespace fk::storage
