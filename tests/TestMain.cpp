#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "support/Skip.h"

namespace fk::test {
namespace {
bool g_skipped = false;
}  // namespace

void Skip(const std::string& why) {
    MESSAGE("skipped: " << why);
    g_skipped = true;
}

bool Skipped() {
    return g_skipped;
}

}  // namespace fk::test

// ctest runs one test case per process (doctest_discover_tests), so "a test skipped and nothing
// failed" is that test's skip.
int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const int result = context.run();
    if (context.shouldExit())
        return result;
    if (result == 0 && fk::test::Skipped())
        return fk::test::kSkipExitCode;
    return result;
}
