#include "logging/Logging.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace fk::logging {

namespace {

spdlog::level::level_enum ToSpdlog(Level level) {
    switch (level) {
        case Level::Trace:
            return spdlog::level::trace;
        case Level::Debug:
            return spdlog::level::debug;
        case Level::Info:
            return spdlog::level::info;
        case Level::Warn:
            return spdlog::level::warn;
        case Level::Error:
            return spdlog::level::err;
    }
    return spdlog::level::info;
}

int PriorityOf(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::trace:
        case spdlog::level::debug:
            return 7;
        case spdlog::level::info:
            return 6;
        case spdlog::level::warn:
            return 4;
        case spdlog::level::err:
            return 3;
        case spdlog::level::critical:
            return 2;
        default:
            return 6;
    }
}

// %Q: "<N>", the priority prefix sd-daemon(3) describes.
class PriorityFlag final : public spdlog::custom_flag_formatter {
  public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        const int p = PriorityOf(msg.level);
        const char text[3] = {'<', static_cast<char>('0' + p), '>'};
        dest.append(text, text + 3);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<PriorityFlag>();
    }
};

}  // namespace

std::optional<Level> LevelFromString(std::string_view text) {
    if (text == "trace")
        return Level::Trace;
    if (text == "debug")
        return Level::Debug;
    if (text == "info")
        return Level::Info;
    if (text == "warn" || text == "warning")
        return Level::Warn;
    if (text == "error")
        return Level::Error;
    return std::nullopt;
}

std::string to_string(Level level) {
    switch (level) {
        case Level::Trace:
            return "trace";
        case Level::Debug:
            return "debug";
        case Level::Info:
            return "info";
        case Level::Warn:
            return "warn";
        case Level::Error:
            return "error";
    }
    return "info";
}

int SyslogPriority(Level level) {
    return PriorityOf(ToSpdlog(level));
}

Style DetectStyle() {
    if (const char* stream = std::getenv("JOURNAL_STREAM")) {
        struct stat st {};
        unsigned long long dev = 0, ino = 0;
        if (::fstat(STDERR_FILENO, &st) == 0 && std::sscanf(stream, "%llu:%llu", &dev, &ino) == 2 &&
            dev == static_cast<unsigned long long>(st.st_dev) &&
            ino == static_cast<unsigned long long>(st.st_ino)) {
            return Style::Journal;
        }
    }
    return ::isatty(STDERR_FILENO) ? Style::Terminal : Style::Plain;
}

void Configure(Level level, Style style) {
    spdlog::sink_ptr sink;
    std::unique_ptr<spdlog::pattern_formatter> formatter;
    if (style == Style::Terminal) {
        sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(spdlog::color_mode::always);
        formatter = std::make_unique<spdlog::pattern_formatter>("%Y-%m-%d %H:%M:%S.%e %^%l%$: %v");
    } else if (style == Style::Journal) {
        // The journal stamps its own time and reads the priority from the prefix.
        sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter->add_flag<PriorityFlag>('Q').set_pattern("%Q%l: %v");
    } else {
        sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        formatter = std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %l: %v",
                                                                spdlog::pattern_time_type::utc);
    }
    sink->set_formatter(std::move(formatter));
    auto logger = std::make_shared<spdlog::logger>("", sink);
    logger->set_level(ToSpdlog(level));
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace fk::logging
