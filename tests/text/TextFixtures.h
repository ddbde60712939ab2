#pragma once
// Shared helpers for the text tests: the default Noto font set, opened once per process.

#include "text/FontSet.h"

#include <string>
#include <vector>

namespace fk::test {

fk::text::FontSet& NotoFonts();
// Non-empty lines of a file.
std::vector<std::string> ReadLines(const std::string& path);

}  // namespace fk::test
