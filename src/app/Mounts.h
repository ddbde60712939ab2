#pragma once
// The USB sticks an export may go to: mount points under /media and /run/media read from a mounts
// table (/proc/self/mounts; its \ooo escapes undone). Reads the file each call; any thread; an
// unreadable table gives no places.

#include <filesystem>
#include <vector>

namespace fk::app {

std::vector<std::filesystem::path> MountedExportDirs(
    const std::filesystem::path& mountsFile = "/proc/self/mounts");

}  // namespace fk::app
