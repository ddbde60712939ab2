#include "app/CsvExport.h"

#include "core/TimeFormat.h"

namespace fk::app {

std::string CsvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::size_t ExportCsv(storage::ResponseStore& store, std::ostream& out) {
    out << kCsvHeader << "\n";
    std::size_t rows = 0;
    store.ForEach([&](const core::Response& r) {
        out << r.id.ToString() << ',' << r.seq << ',' << core::FormatRfc3339Ms(r.createdAtMs) << ','
            << r.tzOffsetMin << ',' << r.scale << ',' << r.rating << ',' << CsvField(r.repId.value_or("")) << ','
            << CsvField(r.reason.value_or("")) << ',' << CsvField(r.language) << ','
            << CsvField(r.misuse.value_or("")) << ','
            << (r.closedAtMs ? core::FormatRfc3339Ms(*r.closedAtMs) : std::string()) << ','
            << (r.closeReason ? core::to_string(*r.closeReason) : std::string()) << ','
            << core::to_string(r.syncState) << ',' << CsvField(r.syncError.value_or("")) << "\n";
        ++rows;
        return true;
    });
    return rows;
}

}  // namespace fk::app
