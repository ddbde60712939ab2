#include "storage/Dashboard.h"
#include "storage/ResponseRow.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "core/Calendar.h"
#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"
#include "storage/SqliteStoreError.h"

namespace fs = std::filesystem;

namespace fk::storage {

namespace {

constexpr int kDashboardSchema = 7;  // survey_version and survey_policies

}  // namespace

struct Dashboard::Impl {
    // One local day's (or part day's) rows, reduced. trend: local day number -> counts (a row is
    // placed by its own stored offset); heat: weekday * 24 + hour -> counts. Both sparse.
    struct Partial {
        std::vector<DashboardRepRow> reps;
        std::vector<std::pair<std::int64_t, core::RatingCounts>> trend;
        std::vector<std::pair<int, core::RatingCounts>> heat;
        std::int64_t rowsScanned = 0;
    };

    fs::path path;
    const core::Clock& clock;
    Database db;
    Statement scan;
    Statement recent;
    Statement count;
    Statement oldestOpen;
    Statement lateRows;
    // Sealed days by their UTC interval; valid for cachePolicy (scale + reason policy).
    std::map<std::pair<core::UtcMs, core::UtcMs>, Partial> cache;
    std::string cachePolicy;
    std::int64_t cacheMaxSeq = 0;
    core::UtcMs cacheSealedUpTo = 0;

    void Scan(Partial& into, core::UtcMs from, core::UtcMs to, core::RatingScale scale,
              const core::PolicyHistory& policies);
    // The current policy with every recorded version's (survey_policies).
    core::PolicyHistory LoadPolicies(const core::ReasonPolicy& current);
    static std::string PolicyKey(const core::PolicyHistory& policies, core::RatingScale scale);

    Impl(const fs::path& p, const core::Clock& c)
        : path(p),
          clock(c),
          db(p, OpenMode::ReadWrite),
          scan(db,
               "SELECT created_at, rep_id, rating, misuse IS NOT NULL, reason, tz_offset_min, "
               "scale, "
               "survey_version FROM responses INDEXED BY responses_dashboard "
               "WHERE created_at >= ?1 AND created_at < ?2"),
          recent(db,
                 "SELECT created_at, scale, rating, misuse IS NOT NULL "
                 "FROM responses INDEXED BY responses_dashboard "
                 "WHERE created_at > ?1 AND created_at <= ?2"),
          count(db,
                "SELECT count(*) FROM responses INDEXED BY responses_dashboard "
                "WHERE created_at >= ?1 AND created_at < ?2"),
          oldestOpen(db,
                     "SELECT min(created_at) FROM responses INDEXED BY responses_open "
                     "WHERE closed_at IS NULL"),
          lateRows(db, "SELECT count(*) FROM responses WHERE seq > ?1 AND +created_at < ?2") {}

    template <typename F>
    auto Guard(std::string_view action, F&& f) -> decltype(f()) {
        return WithStoreErrors(path, action, std::forward<F>(f));
    }
};

namespace {

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

std::unique_ptr<Dashboard> Dashboard::Open(const fs::path& dataDir, const core::Clock& clock) {
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
        auto impl = std::make_unique<Impl>(path, clock);
        impl->db.Exec("PRAGMA query_only = 1");
        return std::unique_ptr<Dashboard>(new Dashboard(std::move(impl)));
    } catch (const SqliteError& e) {
        throw StoreErrorFromSqlite(e, path, "open the dashboard");
    }
}

const fs::path& Dashboard::DatabasePath() const {
    return m_impl->path;
}

namespace {

void AddCounts(core::RatingCounts& into, const core::RatingCounts& from) {
    for (std::size_t i = 0; i < into.byRating.size(); ++i)
        into.byRating[i] += from.byRating[i];
}

}  // namespace

void Dashboard::Impl::Scan(Partial& into, core::UtcMs from, core::UtcMs to, core::RatingScale scale,
                           const core::PolicyHistory& policies) {
    const int points = scale.Points();
    std::size_t last = 0;
    StatementUse u(scan);
    u->Bind(1, from).Bind(2, to);
    while (u->Step()) {
        ++into.rowsScanned;
        const bool noRep = u->IsNull(1);
        const std::string_view rep = noRep ? std::string_view() : u->TextView(1);
        auto same = [&](const DashboardRepRow& r) {
            return noRep ? !r.repId.has_value() : r.repId.has_value() && *r.repId == rep;
        };
        // Rows of one rep tend to come in runs within a timestamp; otherwise a linear search
        // over tens of reps beats hashing a string per row.
        if (last >= into.reps.size() || !same(into.reps[last])) {
            last = 0;
            while (last < into.reps.size() && !same(into.reps[last]))
                ++last;
            if (last == into.reps.size()) {
                into.reps.emplace_back();
                into.reps.back().tally = core::RepTally(scale);
                if (!noRep)
                    into.reps.back().repId = std::string(rep);
            }
        }
        DashboardRepRow& row = into.reps[last];
        if (u->Int(6) != points) {
            ++row.otherScale;
            continue;
        }
        const int rating = static_cast<int>(u->Int(2));
        const bool misuse = u->Int(3) != 0;
        std::optional<std::string_view> reason;
        if (!u->IsNull(4))
            reason = u->TextView(4);
        std::optional<std::int64_t> version;
        if (!u->IsNull(7))
            version = u->Int(7);
        row.tally.Add(rating, reason, misuse, policies.For(version));
        if (misuse)
            continue;
        const std::int64_t local = u->Int(0) + u->Int(5) * 60'000;
        const std::int64_t day = core::FloorDiv(local, core::kMsPerDay);
        if (into.trend.empty() || into.trend.back().first != day) {
            auto it = std::find_if(into.trend.begin(), into.trend.end(),
                                   [&](const auto& d) { return d.first == day; });
            if (it == into.trend.end()) {
                into.trend.emplace_back(day, core::RatingCounts{scale});
            } else if (it != into.trend.end() - 1) {
                std::iter_swap(it, into.trend.end() - 1);
            }
        }
        into.trend.back().second.Add(rating);
        const int hour = static_cast<int>((local - day * core::kMsPerDay) / 3'600'000);
        const int cell = core::WeekdayIndex(day) * 24 + hour;
        if (into.heat.empty() || into.heat.back().first != cell) {
            auto it = std::find_if(into.heat.begin(), into.heat.end(),
                                   [&](const auto& c) { return c.first == cell; });
            if (it == into.heat.end()) {
                into.heat.emplace_back(cell, core::RatingCounts{scale});
            } else if (it != into.heat.end() - 1) {
                std::iter_swap(it, into.heat.end() - 1);
            }
        }
        into.heat.back().second.Add(rating);
    }
}

core::PolicyHistory Dashboard::Impl::LoadPolicies(const core::ReasonPolicy& current) {
    core::PolicyHistory out(current);
    std::map<std::int64_t, std::vector<core::ReasonPolicy::Reason>> versions;
    Statement s(db, "SELECT version, code, attributable FROM survey_policies");
    while (s.Step())
        versions[s.Int(0)].push_back({s.Text(1), s.Int(2) != 0});
    for (auto& [version, reasons] : versions)
        out.Add(version, core::ReasonPolicy(std::move(reasons)));
    return out;
}

std::string Dashboard::Impl::PolicyKey(const core::PolicyHistory& policies,
                                       core::RatingScale scale) {
    std::string key = std::to_string(scale.Points());
    auto add = [&](const core::ReasonPolicy& policy) {
        for (const auto& r : policy.Reasons()) {
            key += '\x1f';
            key += r.code;
            key += r.attributableToRep ? "+" : "-";
        }
    };
    add(policies.Current());
    for (const auto& [version, policy] : policies.Versions()) {
        key += '\x1e' + std::to_string(version);
        add(policy);
    }
    return key;
}

DashboardData Dashboard::Load(const DashboardRequest& request, const core::ReasonPolicy& policy) {
    auto& m = *m_impl;
    return m.Guard("load the dashboard", [&] {
        const core::Period& period = request.period;
        // Days that ended before the seal line cannot change any more: rows are inserted at
        // "now" and amended only while open, so past the idle timeout (and before the oldest
        // row still open) a day's rows are final. Those days are cached.
        const core::UtcMs now = m.clock.NowUtcMs();
        core::UtcMs sealed = now - kSealMarginMs;
        {
            StatementUse u(m.oldestOpen);
            u->Step();
            if (!u->IsNull(0))
                sealed = std::min<core::UtcMs>(sealed, u->Int(0));
        }
        const core::PolicyHistory policies = m.LoadPolicies(policy);
        const std::string policyKey = Impl::PolicyKey(policies, request.scale);
        if (policyKey != m.cachePolicy) {
            m.cache.clear();
            m.cachePolicy = policyKey;
        }
        // A row inserted after caching into a sealed day (the wall clock was stepped back)
        // invalidates everything cached. maxSeq is read before the check, so every row up to it
        // is checked now and every later row at the next load.
        const std::int64_t maxSeq = m.db.QueryInt("SELECT coalesce(max(seq), 0) FROM responses");
        if (!m.cache.empty()) {
            StatementUse u(m.lateRows);
            u->Bind(1, m.cacheMaxSeq).Bind(2, m.cacheSealedUpTo);
            u->Step();
            if (u->Int(0) != 0)
                m.cache.clear();
        }
        m.cacheMaxSeq = maxSeq;
        // The check must cover every cached day: the line only moves forward while the cache
        // lives (a clock stepped back makes `sealed` smaller; such days are rescanned, not cached).
        m.cacheSealedUpTo = m.cache.empty() ? sealed : std::max(m.cacheSealedUpTo, sealed);

        Impl::Partial all;
        std::map<std::optional<std::string>, std::size_t> repIndex;
        auto merge = [&](const Impl::Partial& p) {
            all.rowsScanned += p.rowsScanned;
            for (const auto& rep : p.reps) {
                auto [it, inserted] = repIndex.try_emplace(rep.repId, all.reps.size());
                if (inserted) {
                    all.reps.emplace_back();
                    all.reps.back().repId = rep.repId;
                    all.reps.back().tally = core::RepTally(request.scale);
                }
                auto& into = all.reps[it->second];
                into.tally.Merge(rep.tally);
                into.otherScale += rep.otherScale;
            }
            // Named copies, not the structured bindings: clang 14 (the fuzz build) cannot
            // capture a structured binding in a lambda.
            for (const auto& [day, counts] : p.trend) {
                const auto& key = day;
                auto it = std::find_if(all.trend.begin(), all.trend.end(),
                                       [&](const auto& d) { return d.first == key; });
                if (it == all.trend.end())
                    all.trend.emplace_back(day, counts);
                else
                    AddCounts(it->second, counts);
            }
            for (const auto& [cell, counts] : p.heat) {
                const auto& key = cell;
                auto it = std::find_if(all.heat.begin(), all.heat.end(),
                                       [&](const auto& c) { return c.first == key; });
                if (it == all.heat.end())
                    all.heat.emplace_back(cell, counts);
                else
                    AddCounts(it->second, counts);
            }
        };

        const std::int64_t firstDay = core::DaysFromCivil(period.firstDay);
        const std::int64_t days = std::max<std::int64_t>(0, period.Days());
        core::UtcMs dayFrom = period.fromUtc;
        for (std::int64_t i = 0; i < days; ++i) {
            const core::UtcMs dayTo =
                i + 1 == days
                    ? period.toUtc
                    : core::LocalDayStartUtc(core::CivilFromDays(firstDay + i + 1), m.clock);
            const bool isSealed = request.useCache && dayTo <= sealed;
            const auto key = std::make_pair(dayFrom, dayTo);
            if (isSealed) {
                auto it = m.cache.find(key);
                if (it == m.cache.end()) {
                    Impl::Partial p;
                    m.Scan(p, dayFrom, dayTo, request.scale, policies);
                    it = m.cache.emplace(key, std::move(p)).first;
                }
                merge(it->second);
            } else {
                Impl::Partial p;
                m.Scan(p, dayFrom, dayTo, request.scale, policies);
                merge(p);
            }
            dayFrom = dayTo;
        }

        DashboardData data = core::StartDashboard(period, request.scale);
        data.rowsScanned = all.rowsScanned;
        data.reps = std::move(all.reps);
        for (const auto& [day, counts] : all.trend) {
            const std::int64_t index = day - firstDay;
            if (index >= 0 && index < days)
                AddCounts(data.trend[static_cast<std::size_t>(index)].counts, counts);
        }
        for (const auto& [cell, counts] : all.heat) {
            AddCounts(data.heatmap[static_cast<std::size_t>(cell / 24)]
                                  [static_cast<std::size_t>(cell % 24)]
                                      .counts,
                      counts);
        }
        core::FinishDashboard(data, request.minResponses, request.heatmapMinResponses, {&policy});
        return data;
    });
}

std::size_t Dashboard::CachedDays() const {
    return m_impl->cache.size();
}

std::vector<core::AlertSample> Dashboard::RecentSamples(core::UtcMs from, core::UtcMs to) {
    auto& m = *m_impl;
    return m.Guard("read recent responses", [&] {
        std::vector<core::AlertSample> out;
        StatementUse u(m.recent);
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
        StatementUse u(m.count);
        u->Bind(1, from).Bind(2, to);
        u->Step();
        return u->Int(0);
    });
}

void Dashboard::ForEachResponse(core::UtcMs from, core::UtcMs to,
                                const std::function<bool(const core::Response&)>& visitor) {
    auto& m = *m_impl;
    m.Guard("read responses for export", [&] {
        Statement s(m.db, std::string("SELECT ") + kResponseColumns +
                              " FROM responses WHERE created_at >= ?1 AND created_at < ?2 "
                              "ORDER BY created_at");
        s.Bind(1, from).Bind(2, to);
        while (s.Step()) {
            const core::Response r = ReadResponseRow(s);
            if (!visitor(r))
                break;
        }
    });
}

}  // namespace fk::storage
