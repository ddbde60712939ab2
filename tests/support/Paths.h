#pragma once
// Where tests find the repository, the build tree and the shared corpus.

#include <filesystem>
#include <optional>

namespace fk::test {

std::filesystem::path SourceDir();
std::filesystem::path BuildDir();
// ../shared/corpus next to the repository, when it exists (it does in CI).
std::optional<std::filesystem::path> SharedCorpusDir();

}  // namespace fk::test
