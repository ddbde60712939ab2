#pragma once
// One way both programs log: spdlog's default logger on stderr, in the form the reader wants.
// Under systemd (stderr is the journal) each line starts with the kernel-style priority prefix
// "<6>" that journald turns into the entry's priority; on a terminal, coloured level words; piped
// anywhere else, plain "time level: message" lines with no colour codes.
// Configure() replaces spdlog's default logger; call it once from main() before other threads log.

#include <optional>
#include <string>
#include <string_view>

namespace fk::logging {

enum class Level { Trace, Debug, Info, Warn, Error };
// "trace", "debug", "info", "warn", "error" (also "warning"); nullopt for anything else.
std::optional<Level> LevelFromString(std::string_view text);
std::string to_string(Level level);
inline constexpr const char* kLevelNames = "trace|debug|info|warn|error";

enum class Style { Terminal, Journal, Plain };
// Journal when $JOURNAL_STREAM names stderr's device:inode (systemd sets it), Terminal when stderr
// is a tty, Plain otherwise.
Style DetectStyle();

void Configure(Level level, Style style);

// The syslog priority journald reads from a "<N>" prefix: trace/debug 7, info 6, warn 4, error 3,
// critical 2.
int SyslogPriority(Level level);

}  // namespace fk::logging
