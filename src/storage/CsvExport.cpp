#include "storage/CsvExport.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "core/Csv.h"
#include "core/Rating.h"
#include "core/TimeFormat.h"
#include "storage/ResponseStore.h"

namespace fs = std::filesystem;

namespace fk::storage {

std::string to_string(ExportErrorKind kind) {
    switch (kind) {
        case ExportErrorKind::None:
            return "none";
        case ExportErrorKind::BadPath:
            return "bad path";
        case ExportErrorKind::Io:
            return "write failed";
        case ExportErrorKind::Cancelled:
            return "cancelled";
        case ExportErrorKind::Store:
            return "store error";
    }
    return "unknown";
}

ExportPath ResolveExportPath(const fs::path& directory, const std::string& fileName) {
    ExportPath out;
    if (fileName.empty()) {
        out.error = "the export file name is empty: give a name such as responses.csv";
        return out;
    }
    const fs::path name(fileName);
    if (name.has_root_path()) {
        out.error = "the export file name '" + fileName +
                    "' is an absolute path: give a name inside the chosen directory";
        return out;
    }
    for (const auto& part : name) {
        if (part == "..") {
            out.error = "the export file name '" + fileName +
                        "' contains '..' and would leave the chosen directory: remove it";
            return out;
        }
    }
    std::error_code ec;
    if (!fs::is_directory(directory, ec)) {
        out.error = "the export directory " + directory.string() +
                    " does not exist or is not a directory: insert the USB stick or pick another";
        return out;
    }
    const fs::path base = fs::canonical(directory, ec);
    if (ec) {
        out.error =
            "cannot resolve the export directory " + directory.string() + ": " + ec.message();
        return out;
    }
    const fs::path full = fs::weakly_canonical(base / name, ec);
    if (ec) {
        out.error = "cannot resolve " + (base / name).string() + ": " + ec.message();
        return out;
    }
    const fs::path rel = full.lexically_relative(base);
    if (rel.empty() || *rel.begin() == ".." || rel == ".") {
        out.error = "the export file '" + fileName + "' resolves to " + full.string() +
                    ", outside " + base.string() + " (a symbolic link?): pick another name";
        return out;
    }
    if (!fs::is_directory(full.parent_path(), ec)) {
        out.error = "the folder for " + full.string() + " does not exist: create it first";
        return out;
    }
    out.path = full;
    return out;
}

namespace {

// Buffers CSV text and appends it to a .partial file; Commit fsyncs and renames.
class ExportFile {
  public:
    ExportFile(fs::path final, bool bom)
        : m_final(std::move(final)), m_partial(m_final.string() + ".partial"), m_csv(m_buffer) {
        m_fd = ::open(m_partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (m_fd < 0)
            m_error = "cannot create " + m_partial.string() + ": " + std::strerror(errno);
        else if (bom)
            m_csv.WriteBom();
    }
    ~ExportFile() {
        if (m_fd >= 0)
            ::close(m_fd);
        if (!m_committed) {
            std::error_code ec;
            fs::remove(m_partial, ec);
        }
    }
    ExportFile(const ExportFile&) = delete;
    ExportFile& operator=(const ExportFile&) = delete;

    core::CsvWriter& Csv() { return m_csv; }
    const std::string& Error() const { return m_error; }
    bool Ok() const { return m_error.empty(); }

    bool Flush() {
        if (!Ok())
            return false;
        const std::string text = m_buffer.str();
        const char* p = text.data();
        std::size_t left = text.size();
        while (left > 0) {
            const ssize_t n = ::write(m_fd, p, left);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                m_error = "writing " + m_partial.string() + " failed: " + std::strerror(errno) +
                          " (is the stick full or pulled out?)";
                return false;
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        m_buffer.str(std::string());
        return true;
    }

    bool Commit() {
        if (!Flush())
            return false;
        if (::fsync(m_fd) != 0) {
            m_error = "saving " + m_partial.string() + " failed: " + std::strerror(errno);
            return false;
        }
        ::close(m_fd);
        m_fd = -1;
        std::error_code ec;
        fs::rename(m_partial, m_final, ec);
        if (ec) {
            m_error = "renaming " + m_partial.string() + " to " + m_final.string() +
                      " failed: " + ec.message();
            return false;
        }
        m_committed = true;
        // Make the rename itself durable.
        const int dirFd = ::open(m_final.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirFd >= 0) {
            ::fsync(dirFd);
            ::close(dirFd);
        }
        return true;
    }

  private:
    fs::path m_final;
    fs::path m_partial;
    std::ostringstream m_buffer;
    core::CsvWriter m_csv;
    int m_fd = -1;
    std::string m_error;
    bool m_committed = false;
};

std::string LocalTimeText(core::UtcMs utc, int tzMin) {
    std::string t = core::FormatRfc3339Ms(utc + static_cast<std::int64_t>(tzMin) * 60'000);
    if (!t.empty() && t.back() == 'Z')
        t.pop_back();
    if (t.size() > 10 && t[10] == 'T')
        t[10] = ' ';
    return t;
}

std::string RepName(const ExportRequest& request, const std::optional<std::string>& repId) {
    if (!repId)
        return {};
    auto it = request.repNames.find(*repId);
    return it == request.repNames.end() ? std::string() : it->second;
}

ExportResult Fail(ExportErrorKind kind, std::string message) {
    ExportResult r;
    r.error = kind;
    r.message = std::move(message);
    return r;
}

void OptionalPct(core::CsvWriter& csv, const std::optional<double>& value) {
    if (value)
        csv.Number(*value, 1);
    else
        csv.Empty();
}

}  // namespace

ExportResult ExportResponsesCsv(Dashboard& dashboard, const core::Period& period,
                                const core::ReasonPolicy& policy, const ExportRequest& request) {
    const ExportPath target = ResolveExportPath(request.directory, request.fileName);
    if (!target.path)
        return Fail(ExportErrorKind::BadPath, target.error);
    ExportResult result;
    result.path = *target.path;
    try {
        const std::int64_t total = dashboard.CountResponses(period.fromUtc, period.toUtc);
        ExportFile file(*target.path, request.byteOrderMark);
        if (!file.Ok())
            return Fail(ExportErrorKind::Io, file.Error());
        auto& csv = file.Csv();
        for (const char* h :
             {"id", "seq", "created_at_utc", "created_at_local", "tz_offset_min", "scale", "rating",
              "sentiment", "rep_id", "rep_name", "reason", "reason_about_rep", "language", "misuse",
              "closed_at_utc", "close_reason", "sync_state"}) {
            csv.Text(h);
        }
        csv.EndRow();
        bool cancelled = false;
        dashboard.ForEachResponse(period.fromUtc, period.toUtc, [&](const core::Response& r) {
            csv.Text(r.id.ToString()).Number(r.seq).Text(core::FormatRfc3339Ms(r.createdAtMs));
            csv.Text(LocalTimeText(r.createdAtMs, r.tzOffsetMin))
                .Number(std::int64_t{r.tzOffsetMin});
            csv.Number(std::int64_t{r.scale}).Number(std::int64_t{r.rating});
            auto scale = core::RatingScale::Make(r.scale);
            csv.Text(scale ? core::to_string(core::SentimentOf(*scale, r.rating)) : "");
            csv.Text(r.repId.value_or("")).Text(RepName(request, r.repId));
            csv.Text(r.reason.value_or(""));
            if (!r.reason)
                csv.Empty();
            else if (policy.IsAttributable(*r.reason))
                csv.Text("yes");
            else if (policy.IsNotAboutRep(*r.reason))
                csv.Text("no");
            else
                csv.Text("unknown");
            csv.Text(r.language).Text(r.misuse.value_or(""));
            csv.Text(r.closedAtMs ? core::FormatRfc3339Ms(*r.closedAtMs) : "");
            csv.Text(r.closeReason ? core::to_string(*r.closeReason) : "");
            csv.Text(core::to_string(r.syncState));
            csv.EndRow();
            ++result.rows;
            if (result.rows % kProgressEvery == 0) {
                if (!file.Flush())
                    return false;
                if (request.progress && !request.progress(result.rows, total)) {
                    cancelled = true;
                    return false;
                }
            }
            return true;
        });
        if (cancelled)
            return Fail(ExportErrorKind::Cancelled, "export cancelled; no file was left behind");
        if (!file.Commit())
            return Fail(ExportErrorKind::Io, file.Error());
        if (request.progress)
            request.progress(result.rows, std::max(total, result.rows));
        return result;
    } catch (const StoreError& e) {
        return Fail(ExportErrorKind::Store, e.what());
    }
}

ExportResult ExportRepTableCsv(const DashboardData& data, const ExportRequest& request) {
    const ExportPath target = ResolveExportPath(request.directory, request.fileName);
    if (!target.path)
        return Fail(ExportErrorKind::BadPath, target.error);
    ExportResult result;
    result.path = *target.path;
    ExportFile file(*target.path, request.byteOrderMark);
    if (!file.Ok())
        return Fail(ExportErrorKind::Io, file.Error());
    auto& csv = file.Csv();
    const int points = data.scale.Points();
    csv.Text("from").Text("to").Text("rep_id").Text("rep_name").Text("responses_about_rep");
    for (int r = 1; r <= points; ++r)
        csv.Text("rating_" + std::to_string(r));
    csv.Text("satisfaction_pct").Text("score_100").Text("wilson_lower_pct").Text("enough_data");
    csv.Text("not_about_rep").Text("against_rep").Text("negative_no_reason");
    csv.Text("unknown_reason").Text("misuse").Text("other_scale");
    csv.Text("all_responses").Text("all_satisfaction_pct");
    csv.EndRow();
    const std::int64_t total = static_cast<std::int64_t>(data.reps.size()) + 1;
    auto row = [&](const DashboardRepRow& rep, bool isTotal) {
        csv.Text(core::FormatIsoDate(data.period.firstDay))
            .Text(core::FormatIsoDate(data.period.lastDay));
        csv.Text(isTotal ? "total" : rep.repId.value_or(""));
        csv.Text(isTotal ? "" : rep.repId ? RepName(request, rep.repId) : "(no rep chosen)");
        const auto adjusted = rep.tally.Adjusted();
        csv.Number(adjusted.Total());
        for (int r = 1; r <= points; ++r)
            csv.Number(adjusted.byRating[static_cast<std::size_t>(r - 1)]);
        const auto& s = rep.summary;
        OptionalPct(csv, s.fair.satisfactionPct);
        OptionalPct(csv, s.fair.score100);
        OptionalPct(csv, s.fair.wilsonLowerPct);
        csv.Text(s.fair.enoughData ? "yes" : "no");
        csv.Number(s.notAboutRep).Number(s.againstRep).Number(s.negativeNoReason);
        csv.Number(s.unknownReason).Number(s.misuse).Number(rep.otherScale);
        csv.Number(s.raw.responses);
        OptionalPct(csv, s.raw.satisfactionPct);
        csv.EndRow();
        ++result.rows;
    };
    for (const auto& rep : data.reps)
        row(rep, false);
    row(data.total, true);
    if (!file.Commit())
        return Fail(ExportErrorKind::Io, file.Error());
    if (request.progress)
        request.progress(result.rows, total);
    return result;
}

}  // namespace fk::storage
