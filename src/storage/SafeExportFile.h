#pragma once
// One new file on a USB stick that may have been prepared by someone hostile. The directory is
// opened once (O_DIRECTORY|O_NOFOLLOW) and everything after is relative to that descriptor, so a
// symbolic link swapped in later cannot redirect it. The data goes to <name>.partial, created with
// O_CREAT|O_EXCL|O_NOFOLLOW (a link or file already there makes it fail, never truncates a
// target), then is renamed to <name> with renameat2(RENAME_NOREPLACE) (linkat + unlinkat where the
// file system lacks that flag), so an existing <name> is never overwritten. Either name already
// present (file, directory or link, even a dangling one) is refused with Problem::Exists.
//
// Thread affinity: one thread at a time per object. Ownership: owns the two descriptors; the
// destructor removes the .partial it created unless Commit succeeded. Failure: Ok() false,
// problem() says which kind and Error() what to fix.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fk::storage {

class SafeExportFile {
  public:
    enum class Problem { None, Exists, Io };

    // dir: an existing directory; name: a plain file name (no '/').
    SafeExportFile(const std::filesystem::path& dir, std::string name);
    ~SafeExportFile();
    SafeExportFile(const SafeExportFile&) = delete;
    SafeExportFile& operator=(const SafeExportFile&) = delete;

    bool Ok() const { return m_problem == Problem::None; }
    Problem problem() const { return m_problem; }
    const std::string& Error() const { return m_error; }
    // The name already on the stick when problem() == Exists (<name> or <name>.partial).
    const std::string& Existing() const { return m_existing; }

    bool Write(const char* data, std::size_t size);
    // fsync, rename without replacing, fsync of the directory.
    bool Commit();

  private:
    void Fail(Problem problem, std::string error);

    std::filesystem::path m_dir;
    std::string m_name;
    std::string m_partial;
    int m_dirFd = -1;
    int m_fd = -1;
    bool m_created = false;  // the .partial is ours to remove
    bool m_committed = false;
    Problem m_problem = Problem::None;
    std::string m_error;
    std::string m_existing;
};

// The first of names (or its .partial) already present in dir, without following links; nullopt
// when none is. For refusing a multi-file export before any file is written.
std::optional<std::string> FirstExistingExport(const std::filesystem::path& dir,
                                               const std::vector<std::string>& names);

}  // namespace fk::storage
