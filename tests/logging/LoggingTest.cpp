// The log line formats journald and people read: priorities, level names, no colour codes.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "logging/BuildInfo.h"
#include "logging/Logging.h"
#include "support/TempDir.h"

namespace fk::logging {

namespace {

// Runs log() with stderr sent to a file; returns what was written.
template <typename F>
std::string CaptureStderr(const std::filesystem::path& file, F log) {
    const int saved = ::dup(STDERR_FILENO);
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(fd >= 0);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
    log();
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("log levels parse from the --log-level words and map to syslog priorities") {
    CHECK(LevelFromString("trace") == Level::Trace);
    CHECK(LevelFromString("warning") == Level::Warn);
    CHECK(LevelFromString("error") == Level::Error);
    CHECK_FALSE(LevelFromString("loud"));
    CHECK_FALSE(LevelFromString("INFO"));
    for (auto l : {Level::Trace, Level::Debug, Level::Info, Level::Warn, Level::Error}) {
        CHECK(LevelFromString(to_string(l)) == l);
    }
    CHECK(SyslogPriority(Level::Debug) == 7);
    CHECK(SyslogPriority(Level::Info) == 6);
    CHECK(SyslogPriority(Level::Warn) == 4);
    CHECK(SyslogPriority(Level::Error) == 3);
}

TEST_CASE(
    "journal style prefixes each line with its priority, filters by level, writes no colour "
    "codes") {
    test::TempDir dir;
    const std::string out = CaptureStderr(dir.Path() / "err.txt", [] {
        Configure(Level::Info, Style::Journal);
        spdlog::debug("hidden");
        spdlog::info("started {}", 1);
        spdlog::warn("careful");
        spdlog::error("broken");
    });
    CHECK(out == "<6>info: started 1\n<4>warning: careful\n<3>error: broken\n");
    CHECK(out.find('\x1b') == std::string::npos);
}

TEST_CASE("plain style writes a UTC timestamp and the level word, no colour codes") {
    test::TempDir dir;
    const std::string out = CaptureStderr(dir.Path() / "err.txt", [] {
        Configure(Level::Warn, Style::Plain);
        spdlog::info("hidden");
        spdlog::warn("careful");
    });
    REQUIRE(out.size() > 24);
    CHECK(out.substr(10, 1) == "T");
    CHECK(out.find("Z warning: careful\n") == 23);
    CHECK(out.find("hidden") == std::string::npos);
    CHECK(out.find('\x1b') == std::string::npos);
}

TEST_CASE("the version line carries the project version") {
    CHECK(std::string(VersionLine("kiosk")).rfind(std::string("kiosk ") + ProjectVersion(), 0) ==
          0);
    CHECK(std::string(ProjectVersion()).find('.') != std::string::npos);
}

}  // namespace fk::logging
