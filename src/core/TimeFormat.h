#pragma once
// RFC 3339 UTC timestamps with milliseconds ("2026-11-22T10:15:30.123Z") and calendar helpers.
// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "core/Clock.h"

namespace fk::core {

std::string FormatRfc3339Ms(UtcMs ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff...]Z" and numeric offsets "+05:30"; converts to UTC.
// nullopt for anything else, including impossible dates.
std::optional<UtcMs> ParseRfc3339(std::string_view text);

struct CivilDate {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
    friend bool operator==(const CivilDate&, const CivilDate&) = default;
    auto operator<=>(const CivilDate&) const = default;
};

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t DaysFromCivil(CivilDate date);
CivilDate CivilFromDays(std::int64_t days);
// "YYYY-MM-DD"; nullopt if malformed or impossible (2026-02-30).
std::optional<CivilDate> ParseIsoDate(std::string_view text);
std::string FormatIsoDate(CivilDate date);

// The UTC calendar time of `ms` (whole seconds) through strftime's `format` ("%Y%m%dT%H%M%SZ"
// for file names, RFC 5322's "%a, %d %b %Y %H:%M:%S +0000" for mail); at most 63 characters.
std::string FormatUtc(UtcMs ms, const char* format);

}  // namespace fk::core
