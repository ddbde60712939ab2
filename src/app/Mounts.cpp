#include "app/Mounts.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace fk::app {

namespace {

// /proc/mounts escapes space, tab, newline and backslash as \ooo.
std::string UnescapeMountPath(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size()) {
            const std::string oct = text.substr(i + 1, 3);
            if (oct.size() == 3 &&
                std::all_of(oct.begin(), oct.end(), [](char c) { return c >= '0' && c <= '7'; })) {
                out.push_back(static_cast<char>(std::stoi(oct, nullptr, 8)));
                i += 3;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    return out;
}

}  // namespace

std::vector<std::filesystem::path> MountedExportDirs(const std::filesystem::path& mountsFile) {
    std::vector<std::filesystem::path> out;
    std::ifstream in(mountsFile);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string device, mountPoint;
        if (!(fields >> device >> mountPoint))
            continue;
        const std::string path = UnescapeMountPath(mountPoint);
        if (path.rfind("/media/", 0) == 0 || path.rfind("/run/media/", 0) == 0) {
            if (std::find(out.begin(), out.end(), path) == out.end())
                out.emplace_back(path);
        }
    }
    return out;
}

}  // namespace fk::app
