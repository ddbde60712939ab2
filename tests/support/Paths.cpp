#include "support/Paths.h"

#include <cstdlib>

namespace fk::test {

std::filesystem::path SourceDir() {
    return FK_SOURCE_DIR;
}

std::filesystem::path BuildDir() {
    return FK_BUILD_DIR;
}

std::optional<std::filesystem::path> SharedCorpusDir() {
    if (const char* env = std::getenv("FK_SHARED_CORPUS")) {
        return std::filesystem::path(env);
    }
    auto dir = SourceDir().parent_path() / "shared" / "corpus";
    if (std::filesystem::is_directory(dir))
        return dir;
    return std::nullopt;
}

}  // namespace fk::test
