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
#include "storage/SafeExportFile.h"

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
        case ExportErrorKind::Exists:
            return "file exists";
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
    // The folder part is resolved (links there must stay inside); the file name itself is not:
    // whatever is at that name (a link too) is refused by SafeExportFile, never followed.
    const fs::path leaf = name.filename();
    if (leaf.empty() || leaf == "." || leaf == "..") {
        out.error = "the export file name '" + fileName + "' names a folder: give a file name";
        return out;
    }
    const fs::path parent = fs::weakly_canonical((base / name).parent_path(), ec);
    if (ec) {
        out.error = "cannot resolve " + (base / name).string() + ": " + ec.message();
        return out;
    }
    const fs::path full = parent / leaf;
    const fs::path rel = full.lexically_relative(base);
    if (rel.empty() || *rel.begin() == ".." || rel == ".") {
        out.error = "the export file '" + fileName + "' resolves to " + full.string() +
                    ", outside " + base.string() + " (a symbolic link?): pick another name";
        return out;
    }
    if (!fs::is_directory(parent, ec)) {
        out.error = "the folder for " + full.string() + " does not exist: create it first";
        return out;
    }
    out.path = full;
    return out;
}

namespace {

// Buffers CSV text and appends it to the stick through SafeExportFile (no links followed, nothing
// overwritten); Commit fsyncs and renames.
class ExportFile {
  public:
    ExportFile(const fs::path& final, bool bom)
        : m_file(final.parent_path(), final.filename().string()), m_csv(m_buffer) {
        if (m_file.Ok() && bom)
            m_csv.WriteBom();
    }

    core::CsvWriter& Csv() { return m_csv; }
    bool Ok() const { return m_file.Ok(); }

    bool Flush() {
        if (!Ok())
            return false;
        const std::string text = m_buffer.str();
        if (!m_file.Write(text.data(), text.size()))
            return false;
        m_buffer.str(std::string());
        return true;
    }

    bool Commit() { return Flush() && m_file.Commit(); }

    ExportResult Failure() const {
        ExportResult r;
        r.error = m_file.problem() == SafeExportFile::Problem::Exists ? ExportErrorKind::Exists
                                                                      : ExportErrorKind::Io;
        r.message = m_file.Error();
        r.existing = m_file.Existing();
        return r;
    }

  private:
    SafeExportFile m_file;
    std::ostringstream m_buffer;
    core::CsvWriter m_csv;
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
            return file.Failure();
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
                    return false;  // Commit below reports the write error
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
            return file.Failure();
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
        return file.Failure();
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
        return file.Failure();
    if (request.progress)
        request.progress(result.rows, total);
    return result;
}

}  // namespace fk::storage
