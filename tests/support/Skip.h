#pragma once
// An honest skip. A test whose input is missing here (the shared corpus, the openssl command, a
// PostgreSQL cluster, an X display, tzdata rules, CAP_SYS_ADMIN for a tmpfs) calls Skip(why) and
// returns. The test executable then exits with kSkipExitCode, which ctest reports as "Skipped"
// (SKIP_RETURN_CODE, set by fk_test), never as passed. Where scripts/test and CI provide the
// input, the test FAILs instead when its FK_REQUIRE_* variable is 1 (checked at the call site).
// Thread affinity: the test's thread.

#include <string>

namespace fk::test {

inline constexpr int kSkipExitCode = 77;

void Skip(const std::string& why);
bool Skipped();

}  // namespace fk::test
