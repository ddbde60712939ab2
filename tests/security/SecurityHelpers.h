#pragma once
// Small helpers shared by the security tests: a kiosk's data dir with a token file, a strict
// RFC 4180 reader, and searching bytes of files for a secret.

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fk::test {

inline void WriteTokenFile(const std::filesystem::path& path, const std::string& token, mode_t mode = 0600) {
    std::ofstream(path, std::ios::trunc) << token << "\n";
    ::chmod(path.c_str(), mode);
}

inline std::string ReadAll(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every regular file under dir whose bytes contain needle.
inline std::vector<std::filesystem::path> FilesContaining(const std::filesystem::path& dir, std::string_view needle) {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file() && ReadAll(entry.path()).find(needle) != std::string::npos) {
            found.push_back(entry.path());
        }
    }
    return found;
}

// RFC 4180 (CRLF records, optional UTF-8 BOM); nullopt when malformed.
inline std::optional<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::vector<std::vector<std::string>> rows;
    std::size_t i = 0;
    while (i < text.size()) {
        std::vector<std::string> row;
        while (true) {
            std::string cell;
            if (i < text.size() && text[i] == '"') {
                ++i;
                while (true) {
                    if (i >= text.size()) return std::nullopt;
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
                    if (text[i] == '"') return std::nullopt;
                    cell.push_back(text[i++]);
                }
            }
            row.push_back(std::move(cell));
            if (i < text.size() && text[i] == ',') {
                ++i;
                continue;
            }
            if (text.substr(i, 2) != "\r\n") return std::nullopt;
            i += 2;
            break;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace fk::test
