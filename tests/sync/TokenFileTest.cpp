#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "support/TempDir.h"
#include "sync/TokenFile.h"

using namespace fk::sync;

namespace {
std::filesystem::path WriteToken(const fk::test::TempDir& dir, const std::string& content,
                                 mode_t mode) {
    auto path = dir / "token";
    std::ofstream(path) << content;
    ::chmod(path.c_str(), mode);
    return path;
}
}  // namespace

TEST_CASE("token file: an owner-only file yields the token without its newline") {
    fk::test::TempDir dir;
    auto result = ReadTokenFile(WriteToken(dir, "fk_k1_abcdef0123\n", 0600));
    REQUIRE(std::holds_alternative<std::string>(result));
    CHECK(std::get<std::string>(result) == "fk_k1_abcdef0123");
}

TEST_CASE("token file: readable by group or others is refused with the fix") {
    fk::test::TempDir dir;
    for (mode_t mode : {0640, 0604, 0644, 0660}) {
        auto result = ReadTokenFile(WriteToken(dir, "secret", mode));
        REQUIRE(std::holds_alternative<TokenFileError>(result));
        const auto& message = std::get<TokenFileError>(result).message;
        CHECK(message.find("readable by others") != std::string::npos);
        CHECK(message.find("chmod 600") != std::string::npos);
        CHECK(message.find("secret") == std::string::npos);  // never echo the token
    }
}

TEST_CASE("token file: missing, empty or several tokens are clear errors") {
    fk::test::TempDir dir;
    auto missing = ReadTokenFile(dir / "absent");
    REQUIRE(std::holds_alternative<TokenFileError>(missing));
    CHECK(std::get<TokenFileError>(missing).message.find("add-kiosk") != std::string::npos);
    auto empty = ReadTokenFile(WriteToken(dir, "\n", 0600));
    REQUIRE(std::holds_alternative<TokenFileError>(empty));
    CHECK(std::get<TokenFileError>(empty).message.find("empty") != std::string::npos);
    auto two = ReadTokenFile(WriteToken(dir, "a b\n", 0600));
    REQUIRE(std::holds_alternative<TokenFileError>(two));
    CHECK(std::get<TokenFileError>(two).message.find("alone") != std::string::npos);
}
