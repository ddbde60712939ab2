#include "storage/SqliteStoreError.h"

#include <sys/resource.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <string>

namespace fk::storage {

namespace fs = std::filesystem;

namespace {

std::uintmax_t SizeOr0(const fs::path& path) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

// SQLite turns ENOSPC into SQLITE_FULL, but a write refused by RLIMIT_FSIZE (EFBIG) or a quota
// (EDQUOT) arrives as a plain SQLITE_IOERR_WRITE, and by then errno has moved on. So after an I/O
// error we look: almost no free space, or the store's files at the process's file size limit.
bool NoRoomLeft(const fs::path& dbPath) {
    constexpr std::uintmax_t kSlack = 1 << 20;
    struct statvfs fsInfo {};
    if (::statvfs(dbPath.parent_path().c_str(), &fsInfo) == 0 &&
        static_cast<std::uintmax_t>(fsInfo.f_bavail) * fsInfo.f_frsize < kSlack) {
        return true;
    }
    rlimit limit{};
    if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        const auto biggest = std::max(SizeOr0(dbPath), SizeOr0(dbPath.string() + "-wal"));
        if (biggest + kSlack >= limit.rlim_cur)
            return true;
    }
    return false;
}

}  // namespace

StoreError StoreErrorFromSqlite(const SqliteError& e, const fs::path& dbPath,
                                std::string_view action) {
    std::string what(action);
    const std::string dir = dbPath.parent_path().string();
    if (e.IsDiskFull() || (e.IsIo() && NoRoomLeft(dbPath))) {
        return StoreError(StoreErrorKind::DiskFull,
                          what + ": the disk holding " + dir + " is full (" + e.what() +
                              "). Free space on that disk; responses already saved are safe.");
    }
    if (e.IsReadOnly()) {
        return StoreError(StoreErrorKind::ReadOnly,
                          what + ": " + dbPath.string() + " cannot be written (" + e.what() +
                              "). Make the data directory and its files writable by the kiosk "
                              "user and its file system mounted read-write; responses already "
                              "saved are safe.");
    }
    if (e.IsCorrupt()) {
        return StoreError(StoreErrorKind::Corrupt,
                          what + ": " + dbPath.string() + " is damaged (" + e.what() +
                              "). Restart the kiosk: it sets the damaged file aside and starts a "
                              "fresh store; keep the set-aside file for support.");
    }
    if (e.IsIo()) {
        return StoreError(StoreErrorKind::Io, what + ": the storage device under " + dir +
                                                  " failed (" + e.what() +
                                                  "). Check the disk, then restart the kiosk.");
    }
    if (e.IsBusy()) {
        return StoreError(StoreErrorKind::Busy,
                          what + ": " + dbPath.string() +
                              " stayed locked by another connection for more than 5 s (" +
                              e.what() + "); try again.");
    }
    return StoreError(StoreErrorKind::Other, what + ": " + e.what());
}

}  // namespace fk::storage
