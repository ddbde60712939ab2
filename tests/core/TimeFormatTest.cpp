#include <doctest/doctest.h>

#include "core/TimeFormat.h"

using namespace fk::core;

TEST_CASE("RFC 3339 formatting is UTC with milliseconds") {
    CHECK(FormatRfc3339Ms(0) == "1970-01-01T00:00:00.000Z");
    CHECK(FormatRfc3339Ms(1'795'342'530'123) == "2026-11-22T10:15:30.123Z");
    CHECK(FormatRfc3339Ms(951'782'400'000) == "2000-02-29T00:00:00.000Z");
    CHECK(FormatRfc3339Ms(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("RFC 3339 parsing round-trips and converts offsets to UTC") {
    for (UtcMs ms : {UtcMs{0}, UtcMs{1'795'342'530'123}, UtcMs{4'102'444'799'999}}) {
        CHECK(ParseRfc3339(FormatRfc3339Ms(ms)) == ms);
    }
    CHECK(ParseRfc3339("2026-11-22T15:45:30.123+05:30") == 1'795'342'530'123);
    CHECK(ParseRfc3339("2026-11-22T10:15:30Z") == 1'795'342'530'000);
    CHECK(ParseRfc3339("2026-11-22T10:15:30.1Z") == 1'795'342'530'100);
}

TEST_CASE("RFC 3339 parsing refuses malformed and impossible timestamps") {
    CHECK_FALSE(ParseRfc3339("").has_value());
    CHECK_FALSE(ParseRfc3339("2026-11-22 10:02:10Z").has_value());
    CHECK_FALSE(ParseRfc3339("2026-11-22T10:02:10").has_value());
    CHECK_FALSE(ParseRfc3339("2026-02-30T10:02:10Z").has_value());
    CHECK_FALSE(ParseRfc3339("2026-11-22T24:00:00Z").has_value());
    CHECK_FALSE(ParseRfc3339("2026-11-22T10:02:10.Z").has_value());
    CHECK_FALSE(ParseRfc3339("2026-11-22T10:02:10Zjunk").has_value());
}

TEST_CASE("civil dates convert to days and back, leap years included") {
    CHECK(DaysFromCivil({1970, 1, 1}) == 0);
    CHECK(DaysFromCivil({2000, 3, 1}) - DaysFromCivil({2000, 2, 28}) == 2);
    CHECK(DaysFromCivil({1900, 3, 1}) - DaysFromCivil({1900, 2, 28}) == 1);
    for (std::int64_t d = -800'000; d < 800'000; d += 997) {
        REQUIRE(DaysFromCivil(CivilFromDays(d)) == d);
    }
    CHECK(ParseIsoDate("2024-02-29") == CivilDate{2024, 2, 29});
    CHECK_FALSE(ParseIsoDate("2023-02-29").has_value());
    CHECK_FALSE(ParseIsoDate("2023-13-01").has_value());
    CHECK(FormatIsoDate({2026, 1, 5}) == "2026-01-05");
}
