#pragma once
// Shared by the libFuzzer targets: a property check that reports and aborts (libFuzzer then keeps
// the input as crash-<sha1>), and a per-process scratch directory for targets that need files.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace fk::fuzz {

[[noreturn]] inline void Fail(const char* file, int line, const char* what,
                              std::string_view detail) {
    std::string shown;  // printable: control bytes other than newline as \xNN
    for (unsigned char c : detail) {
        if (c == '\n' || (c >= 0x20 && c != 0x7f)) {
            shown.push_back(static_cast<char>(c));
        } else {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            shown += hex;
        }
    }
    std::fprintf(stderr, "%s:%d: fuzz property violated: %s\n  %s\n", file, line, what,
                 shown.c_str());
    std::abort();
}

// A directory under $TMPDIR (or /tmp) owned by this process, removed at exit.
inline const std::filesystem::path& ScratchDir() {
    static const std::filesystem::path dir = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::filesystem::path base = tmp && *tmp ? tmp : "/tmp";
        auto path = base / ("fk-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(ScratchDir(), ec);
        });
        return path;
    }();
    return dir;
}

}  // namespace fk::fuzz

#define FK_FUZZ_CHECK(cond, detail)                                \
    do {                                                           \
        if (!(cond))                                               \
            ::fk::fuzz::Fail(__FILE__, __LINE__, #cond, (detail)); \
    } while (0)
