#pragma once
// A small, strict RFC 4180 reader for checking what core::CsvWriter and the server's CSV write
// (fuzz targets, security tests), written independently of them. Pure; thread-safe.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fk::test {

using Table = std::vector<std::vector<std::string>>;

// RFC 4180 with CRLF record ends and an optional UTF-8 BOM. nullopt on anything malformed: a
// quote inside an unquoted field, text after a closing quote, an unterminated quoted field, a bare
// CR or LF outside quotes, a missing final CRLF.
inline std::optional<Table> ParseCsv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    Table table;
    std::size_t i = 0;
    while (i < text.size()) {
        std::vector<std::string> row;
        while (true) {
            std::string cell;
            if (i < text.size() && text[i] == '"') {
                ++i;
                while (true) {
                    if (i >= text.size())
                        return std::nullopt;
                    if (text[i] == '"') {
                        if (i + 1 < text.size() && text[i + 1] == '"') {
                            cell.push_back('"');
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    cell.push_back(text[i++]);
                }
            } else {
                while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
                    if (text[i] == '"')
                        return std::nullopt;
                    cell.push_back(text[i++]);
                }
            }
            row.push_back(std::move(cell));
            if (i < text.size() && text[i] == ',') {
                ++i;
                continue;
            }
            if (text.substr(i, 2) != "\r\n")
                return std::nullopt;
            i += 2;
            break;
        }
        table.push_back(std::move(row));
    }
    return table;
}

// Whether some row of table (the header included) has these cells in a row: at its start, at
// its end, or anywhere. Cell boundaries count: "r1" never matches a cell "r10".
enum class CellsAt { Start, End, Anywhere };
inline bool HasRow(const Table& table, const std::vector<std::string>& cells,
                   CellsAt at = CellsAt::Start) {
    for (const auto& row : table) {
        if (row.size() < cells.size())
            continue;
        const std::size_t last = row.size() - cells.size();
        const std::size_t first = at == CellsAt::End ? last : 0;
        const std::size_t end = at == CellsAt::Start ? 0 : last;
        for (std::size_t offset = first; offset <= end; ++offset) {
            if (std::equal(cells.begin(), cells.end(), row.begin() + static_cast<long>(offset)))
                return true;
        }
    }
    return false;
}

}  // namespace fk::test
