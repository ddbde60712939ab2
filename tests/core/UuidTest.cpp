#include <doctest/doctest.h>

#include <set>
#include <thread>
#include <vector>

#include "core/Uuid.h"

using namespace fk::core;

TEST_CASE("uuid7 carries version 7, the RFC variant and the clock's milliseconds") {
    FakeClock clock(1'795'000'000'123);
    Uuid7Generator gen(clock);
    Uuid id = gen.Next();
    CHECK(id.Version() == 7);
    CHECK((id.GetBytes()[8] & 0xC0) == 0x80);
    CHECK(id.TimestampMs() == 1'795'000'000'123);
    std::string text = id.ToString();
    CHECK(text.size() == 36);
    CHECK(text[14] == '7');
}

TEST_CASE("uuid7 ids are strictly increasing within a millisecond and across a clock step back") {
    FakeClock clock(1'795'000'000'000);
    Uuid7Generator gen(clock);
    std::vector<Uuid> ids;
    for (int i = 0; i < 5000; ++i)
        ids.push_back(gen.Next());
    clock.Advance(1);
    ids.push_back(gen.Next());
    clock.SetUtc(1'700'000'000'000);  // wall clock jumps back
    for (int i = 0; i < 10; ++i)
        ids.push_back(gen.Next());
    for (std::size_t i = 1; i < ids.size(); ++i) {
        REQUIRE(ids[i - 1] < ids[i]);
        REQUIRE(ids[i - 1].ToString() < ids[i].ToString());
    }
}

TEST_CASE("uuid7 random bits differ between generators on the same millisecond") {
    FakeClock clock;
    Uuid7Generator a(clock), b(clock);
    CHECK(a.Next() != b.Next());
}

TEST_CASE("uuid7 generation is safe across threads and never repeats") {
    SystemClock clock;
    Uuid7Generator gen(clock);
    std::vector<std::vector<Uuid>> perThread(4);
    std::vector<std::thread> threads;
    for (auto& out : perThread) {
        threads.emplace_back([&gen, &out] {
            for (int i = 0; i < 2000; ++i)
                out.push_back(gen.Next());
        });
    }
    for (auto& t : threads)
        t.join();
    std::set<Uuid> all;
    for (auto& v : perThread)
        all.insert(v.begin(), v.end());
    CHECK(all.size() == 8000);
}

TEST_CASE("uuid parse round-trips and refuses malformed text") {
    FakeClock clock;
    Uuid7Generator gen(clock);
    Uuid id = gen.Next();
    CHECK(Uuid::Parse(id.ToString()) == id);
    std::string upper = id.ToString();
    for (auto& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(Uuid::Parse(upper) == id);
    CHECK_FALSE(Uuid::Parse("").has_value());
    CHECK_FALSE(Uuid::Parse("0190a4b2-7c3e-7def-8abc-0123456789a").has_value());
    CHECK_FALSE(Uuid::Parse("0190a4b2-7c3e-7def-8abc-0123456789ag").has_value());
    CHECK_FALSE(Uuid::Parse("0190a4b2x7c3e-7def-8abc-0123456789ab").has_value());
}
