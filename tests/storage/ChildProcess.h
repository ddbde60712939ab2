#pragma once
// Runs tests/storage/StoreHelper (store_helper) as a real child process: the crash, full-disk and
// read-only tests need a process that can be killed, size-limited or run as another user.
// Single-threaded test use; throws std::runtime_error when a process cannot be started.

#include <filesystem>
#include <string>
#include <vector>

#include "support/ChildProcess.h"

namespace fk::test {

std::filesystem::path StoreHelperPath();

struct HelperResult {
    int exitCode = -1;  // -1 when killed by a signal
    std::string output;
};
// Runs store_helper with args to completion.
HelperResult RunHelper(const std::vector<std::string>& args);

}  // namespace fk::test
