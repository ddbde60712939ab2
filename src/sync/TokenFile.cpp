#include "sync/TokenFile.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace fk::sync {

std::variant<std::string, TokenFileError> ReadTokenFile(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        return TokenFileError{"token file " + path.string() + ": " + std::strerror(errno) +
                              "; write the token printed by `kiosk-server add-kiosk` there"};
    }
    if (!S_ISREG(info.st_mode)) {
        return TokenFileError{"token file " + path.string() + " is not a regular file"};
    }
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%03o", info.st_mode & 0777);
        return TokenFileError{"token file " + path.string() + " is readable by others (mode " +
                              mode + "); refusing to use it. Fix: chmod 600 " + path.string()};
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return TokenFileError{"token file " + path.string() + ": cannot open for reading"};
    }
    std::ostringstream content;
    content << in.rdbuf();
    std::string token = content.str();
    while (!token.empty() &&
           (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
        token.pop_back();
    }
    if (token.empty()) {
        return TokenFileError{
            "token file " + path.string() +
            " is empty; write the token printed by `kiosk-server add-kiosk` there"};
    }
    for (char c : token) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
            return TokenFileError{"token file " + path.string() +
                                  " holds more than one token (whitespace or control characters "
                                  "inside); it must hold the token alone"};
        }
    }
    return token;
}

}  // namespace fk::sync
