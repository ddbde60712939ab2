#pragma once
// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction unless
// FK_KEEP_TEMP is set in the environment. Throws std::runtime_error if it cannot be created.

#include <filesystem>
#include <string>

namespace fk::test {

class TempDir {
  public:
    explicit TempDir(const std::string& prefix = "fk-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& Path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

  private:
    std::filesystem::path m_path;
};

}  // namespace fk::test
