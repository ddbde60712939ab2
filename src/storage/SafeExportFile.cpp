#include "storage/SafeExportFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace fk::storage {

namespace {

constexpr const char* kPartialSuffix = ".partial";

bool Present(int dirFd, const std::string& name) {
    struct stat st {};
    return ::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT;
}

}  // namespace

SafeExportFile::SafeExportFile(const std::filesystem::path& dir, std::string name)
    : m_dir(dir), m_name(std::move(name)), m_partial(m_name + kPartialSuffix) {
    if (m_name.empty() || m_name.find('/') != std::string::npos || m_name == "." ||
        m_name == "..") {
        Fail(Problem::Io, "the export file name '" + m_name + "' is not a plain file name");
        return;
    }
    m_dirFd = ::open(m_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (m_dirFd < 0) {
        Fail(Problem::Io, "cannot open the export directory " + m_dir.string() + ": " +
                              std::strerror(errno) + " (is the stick still plugged in?)");
        return;
    }
    if (Present(m_dirFd, m_name)) {
        m_existing = m_name;
        Fail(Problem::Exists, (m_dir / m_name).string() +
                                  " already exists: nothing was overwritten; move or rename it, "
                                  "then export again");
        return;
    }
    m_fd = ::openat(m_dirFd, m_partial.c_str(),
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    m_created = m_fd >= 0;
    if (m_fd < 0) {
        if (errno == EEXIST) {
            m_existing = m_partial;
            Fail(Problem::Exists, (m_dir / m_partial).string() +
                                      " already exists (a left-over or a planted link): nothing "
                                      "was overwritten; delete it, then export again");
        } else {
            Fail(Problem::Io,
                 "cannot create " + (m_dir / m_partial).string() + ": " + std::strerror(errno));
        }
    }
}

SafeExportFile::~SafeExportFile() {
    if (m_fd >= 0)
        ::close(m_fd);
    // Only the .partial this object created: unlinkat removes a name, never a link's target.
    if (m_created && !m_committed)
        ::unlinkat(m_dirFd, m_partial.c_str(), 0);
    if (m_dirFd >= 0)
        ::close(m_dirFd);
}

bool SafeExportFile::Write(const char* data, std::size_t size) {
    if (!Ok() || m_fd < 0)
        return false;
    while (size > 0) {
        const ssize_t n = ::write(m_fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            Fail(Problem::Io, "writing " + (m_dir / m_partial).string() + " failed: " +
                                  std::strerror(errno) + " (is the stick full or pulled out?)");
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool SafeExportFile::Commit() {
    if (!Ok() || m_fd < 0)
        return false;
    if (::fsync(m_fd) != 0) {
        Fail(Problem::Io,
             "saving " + (m_dir / m_partial).string() + " failed: " + std::strerror(errno));
        return false;
    }
    ::close(m_fd);
    m_fd = -1;
    int rc = ::renameat2(m_dirFd, m_partial.c_str(), m_dirFd, m_name.c_str(), RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
        // A file system without RENAME_NOREPLACE (some FUSE ones): a hard link fails on EEXIST too.
        rc = ::linkat(m_dirFd, m_partial.c_str(), m_dirFd, m_name.c_str(), 0);
        if (rc == 0)
            ::unlinkat(m_dirFd, m_partial.c_str(), 0);
    }
    if (rc != 0) {
        if (errno == EEXIST) {
            m_existing = m_name;
            Fail(Problem::Exists, (m_dir / m_name).string() +
                                      " appeared during the export: nothing was overwritten; "
                                      "move or rename it, then export again");
        } else {
            Fail(Problem::Io, "renaming " + (m_dir / m_partial).string() + " to " + m_name +
                                  " failed: " + std::strerror(errno) +
                                  " (this stick's file system cannot rename without "
                                  "overwriting? format it as FAT32 or exFAT)");
        }
        return false;
    }
    m_committed = true;
    ::fsync(m_dirFd);  // the rename itself durable
    return true;
}

void SafeExportFile::Fail(Problem problem, std::string error) {
    m_problem = problem;
    m_error = std::move(error);
}

std::optional<std::string> FirstExistingExport(const std::filesystem::path& dir,
                                               const std::vector<std::string>& names) {
    const int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dirFd < 0)
        return std::nullopt;  // the export itself then says why the directory is unusable
    std::optional<std::string> found;
    for (const auto& name : names) {
        for (const std::string& candidate : {name, name + kPartialSuffix}) {
            if (!found && Present(dirFd, candidate))
                found = candidate;
        }
    }
    ::close(dirFd);
    return found;
}

}  // namespace fk::storage
