#include "app/CsvExport.h"

#include "core/Csv.h"
#include "core/TimeFormat.h"

namespace fk::app {

namespace {

void OptionalText(core::CsvWriter& csv, const std::optional<std::string>& text) {
    if (text) {
        csv.Text(*text);
    } else {
        csv.Empty();
    }
}

}  // namespace

std::size_t ExportCsv(const ResponseSource& source, std::ostream& out) {
    core::CsvWriter csv(out);
    csv.WriteBom();  // like the server's CSVs and the USB export: Excel then reads UTF-8
    out << kCsvHeader << "\r\n";
    std::size_t rows = 0;
    source([&](const core::Response& r) {
        csv.Text(r.id.ToString()).Number(r.seq).Text(core::FormatRfc3339Ms(r.createdAtMs));
        csv.Number(std::int64_t{r.tzOffsetMin})
            .Number(std::int64_t{r.scale})
            .Number(std::int64_t{r.rating});
        OptionalText(csv, r.repId);
        OptionalText(csv, r.reason);
        csv.Text(r.language);
        OptionalText(csv, r.misuse);
        if (r.closedAtMs) {
            csv.Text(core::FormatRfc3339Ms(*r.closedAtMs));
        } else {
            csv.Empty();
        }
        if (r.closeReason) {
            csv.Text(core::to_string(*r.closeReason));
        } else {
            csv.Empty();
        }
        csv.Text(core::to_string(r.syncState));
        OptionalText(csv, r.syncError);
        csv.EndRow();
        ++rows;
        return true;
    });
    return rows;
}

}  // namespace fk::app
