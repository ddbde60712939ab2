#pragma once
// A small, strict RFC 4180 reader for checking what core::CsvWriter and the server's CSV write
// (fuzz targets, security tests), written independently of them. Pure; thread-safe.

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

}  // namespace fk::test
