#pragma once
// Reads the kiosk's bearer token from its file. The file must be a regular file readable only by
// its owner (mode 0600 or 0400): a token others can read is refused, with what to run to fix it.
// Pure function over the file system; thread-safe.

#include <filesystem>
#include <string>
#include <variant>

namespace fk::sync {

struct TokenFileError {
    std::string message;  // says which file, what is wrong and the command that fixes it
};
inline const std::string& to_string(const TokenFileError& error) {
    return error.message;
}

std::variant<std::string, TokenFileError> ReadTokenFile(const std::filesystem::path& path);

}  // namespace fk::sync
