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

#include "support/CsvReader.h"

namespace fk::test {

inline void WriteTokenFile(const std::filesystem::path& path, const std::string& token,
                           mode_t mode = 0600) {
    std::ofstream(path, std::ios::trunc) << token << "\n";
    ::chmod(path.c_str(), mode);
}

inline std::string ReadAll(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every regular file under dir whose bytes contain needle.
inline std::vector<std::filesystem::path> FilesContaining(const std::filesystem::path& dir,
                                                          std::string_view needle) {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file() && ReadAll(entry.path()).find(needle) != std::string::npos) {
            found.push_back(entry.path());
        }
    }
    return found;
}

}  // namespace fk::test
