#include <doctest/doctest.h>

#include "support/Skip.h"

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "core/Clock.h"
#include "core/Period.h"
#include "core/TimeFormat.h"

using namespace fk::core;

namespace {

// Sets TZ for one test and restores the previous value.
class TzScope {
  public:
    explicit TzScope(const char* zone) {
        if (const char* old = std::getenv("TZ"))
            m_old = old;
        ::setenv("TZ", zone, 1);
        ::tzset();
    }
    ~TzScope() {
        if (m_old)
            ::setenv("TZ", m_old->c_str(), 1);
        else
            ::unsetenv("TZ");
        ::tzset();
    }

  private:
    std::optional<std::string> m_old;
};

// SystemClock's zone rules with a chosen "now".
class ZoneClockAt final : public Clock {
  public:
    explicit ZoneClockAt(UtcMs now) : m_now(now) {}
    UtcMs NowUtcMs() const override { return m_now; }
    std::int64_t SteadyMs() const override { return 0; }
    int TzOffsetMinutes(UtcMs at) const override { return m_system.TzOffsetMinutes(at); }

  private:
    UtcMs m_now;
    SystemClock m_system;
};

UtcMs At(const char* rfc3339) {
    auto t = ParseRfc3339(rfc3339);
    REQUIRE(t.has_value());
    return *t;
}

constexpr std::int64_t kHour = 3'600'000;

}  // namespace

TEST_CASE("period today at a fixed +05:30 offset flips at local midnight, not UTC midnight") {
    FakeClock clock(At("2026-11-22T18:29:59.999Z"), 330);  // 23:59:59.999 local on the 22nd
    Period p = MakePeriod(PeriodKind::Today, clock);
    CHECK(p.firstDay == CivilDate{2026, 11, 22});
    CHECK(p.lastDay == CivilDate{2026, 11, 22});
    CHECK(p.fromUtc == At("2026-11-21T18:30:00Z"));
    CHECK(p.toUtc == At("2026-11-22T18:30:00Z"));
    CHECK(p.Contains(clock.NowUtcMs()));

    clock.Advance(1);  // 00:00:00.000 local on the 23rd
    Period next = MakePeriod(PeriodKind::Today, clock);
    CHECK(next.firstDay == CivilDate{2026, 11, 23});
    CHECK(next.fromUtc == At("2026-11-22T18:30:00Z"));
    CHECK(next.fromUtc == p.toUtc);
    CHECK(next.toUtc - next.fromUtc == 24 * kHour);
}

TEST_CASE("period of 7 and 30 days ends with today and includes it") {
    FakeClock clock(At("2026-03-01T05:00:00Z"), 330);  // 10:30 local, 1 March
    Period w = MakePeriod(PeriodKind::Last7Days, clock);
    CHECK(w.firstDay == CivilDate{2026, 2, 23});
    CHECK(w.lastDay == CivilDate{2026, 3, 1});
    CHECK(w.Days() == 7);
    CHECK(w.toUtc - w.fromUtc == 7 * 24 * kHour);
    Period m = MakePeriod(PeriodKind::Last30Days, clock);
    CHECK(m.firstDay == CivilDate{2026, 1, 31});
    CHECK(m.Days() == 30);
    CHECK(m.fromUtc == At("2026-01-30T18:30:00Z"));
    CHECK(m.toUtc == At("2026-03-01T18:30:00Z"));
}

TEST_CASE("period at a negative fixed offset puts early UTC hours on the previous local day") {
    FakeClock clock(At("2026-11-23T03:00:00Z"), -300);  // 22:00 on the 22nd in UTC-5
    Period p = MakePeriod(PeriodKind::Today, clock);
    CHECK(p.firstDay == CivilDate{2026, 11, 22});
    CHECK(p.fromUtc == At("2026-11-22T05:00:00Z"));
    CHECK(p.toUtc == At("2026-11-23T05:00:00Z"));
}

TEST_CASE("period in Europe/Copenhagen: the day DST starts has 23 hours") {
    TzScope tz("Europe/Copenhagen");
    ZoneClockAt clock(At("2026-03-29T12:00:00Z"));
    Period p = MakePeriod(PeriodKind::Today, clock);
    CHECK(p.firstDay == CivilDate{2026, 3, 29});
    CHECK(p.fromUtc == At("2026-03-28T23:00:00Z"));  // midnight CET (+01:00)
    CHECK(p.toUtc == At("2026-03-29T22:00:00Z"));    // midnight CEST (+02:00)
    CHECK(p.toUtc - p.fromUtc == 23 * kHour);
    // One millisecond before local midnight is still the 28th.
    CHECK(LocalDateOf(At("2026-03-28T22:59:59.999Z"), clock) == CivilDate{2026, 3, 28});
    CHECK(LocalDateOf(At("2026-03-28T23:00:00Z"), clock) == CivilDate{2026, 3, 29});
}

TEST_CASE("period in Europe/Copenhagen: the day DST ends has 25 hours and a week across it 169") {
    TzScope tz("Europe/Copenhagen");
    ZoneClockAt clock(At("2026-10-25T12:00:00Z"));
    Period p = MakePeriod(PeriodKind::Today, clock);
    CHECK(p.fromUtc == At("2026-10-24T22:00:00Z"));
    CHECK(p.toUtc == At("2026-10-25T23:00:00Z"));
    CHECK(p.toUtc - p.fromUtc == 25 * kHour);

    ZoneClockAt later(At("2026-10-28T09:00:00Z"));
    Period w = MakePeriod(PeriodKind::Last7Days, later);
    CHECK(w.firstDay == CivilDate{2026, 10, 22});
    CHECK(w.fromUtc == At("2026-10-21T22:00:00Z"));  // CEST
    CHECK(w.toUtc == At("2026-10-28T23:00:00Z"));    // CET
    CHECK(w.toUtc - w.fromUtc == 7 * 24 * kHour + kHour);
}

TEST_CASE("period in a zone whose DST starts at midnight begins at the change") {
    // Sao Paulo moved from 00:00 -03 to 01:00 -02 on 2018-11-04: local midnight never happened.
    TzScope tz("America/Sao_Paulo");
    SystemClock clock;
    if (clock.TzOffsetMinutes(At("2018-11-04T12:00:00Z")) != -120) {
        fk::test::Skip("tzdata lacks the 2018 Sao Paulo rules");
        return;
    }
    CHECK(LocalDayStartUtc(CivilDate{2018, 11, 4}, clock) == At("2018-11-04T03:00:00Z"));
    CHECK(LocalDayStartUtc(CivilDate{2018, 11, 5}, clock) == At("2018-11-05T02:00:00Z"));
}

TEST_CASE("custom period covers whole local days and refuses an end before the start") {
    FakeClock clock(At("2026-11-22T10:00:00Z"), 330);
    auto ok = MakeCustomPeriod(CivilDate{2026, 11, 1}, CivilDate{2026, 11, 3}, clock);
    REQUIRE(ok.period.has_value());
    CHECK_FALSE(ok.error.has_value());
    CHECK(ok.period->Days() == 3);
    CHECK(ok.period->fromUtc == At("2026-10-31T18:30:00Z"));
    CHECK(ok.period->toUtc == At("2026-11-03T18:30:00Z"));

    auto single = MakeCustomPeriod(CivilDate{2026, 11, 1}, CivilDate{2026, 11, 1}, clock);
    REQUIRE(single.period.has_value());
    CHECK(single.period->toUtc - single.period->fromUtc == 24 * kHour);

    auto bad = MakeCustomPeriod(CivilDate{2026, 11, 3}, CivilDate{2026, 11, 1}, clock);
    CHECK_FALSE(bad.period.has_value());
    REQUIRE(bad.error.has_value());
    CHECK(bad.error->message.find("before the start date 2026-11-03") != std::string::npos);

    auto huge = MakeCustomPeriod(CivilDate{2000, 1, 1}, CivilDate{2026, 1, 1}, clock);
    CHECK_FALSE(huge.period.has_value());
}
