#pragma once
// Runs a program (no shell) and captures its standard output, for oracle tests.

#include <string>
#include <vector>

namespace fk::test {

struct ProcessResult {
    int exitCode = -1;  // -1 when the program could not be started
    std::string out;
};

ProcessResult RunProcess(const std::vector<std::string>& argv);

}  // namespace fk::test
