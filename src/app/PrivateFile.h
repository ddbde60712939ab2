#pragma once
// Small state files in the data dir (manager PIN hash, PIN lockout, roster edits): written whole
// and atomically (temp file, fsync, rename, fsync of the directory) with mode 0600, so a crash or
// power cut leaves the old file or the new one, never half of one, and no other user can read it.
// Any thread; no shared state. Failure: a value (the message says what to fix).

#include <filesystem>
#include <optional>
#include <string>

namespace fk::app {

// Empty on success, else why the file could not be written.
std::string WritePrivateFile(const std::filesystem::path& path, const std::string& content);

// The whole file, or nullopt when it does not exist or cannot be read (error says which).
std::optional<std::string> ReadSmallFile(const std::filesystem::path& path,
                                         std::string* error = nullptr);

}  // namespace fk::app
