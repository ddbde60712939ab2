#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/RepOrder.h"
#include "text/Collation.h"

using fk::app::OrderReps;
using fk::app::RecentReps;

namespace {

std::vector<std::string> Names(const fk::app::OrderedReps& o) {
    std::vector<std::string> out;
    for (const auto& r : o.reps)
        out.push_back(r.name);
    return out;
}

}  // namespace

TEST_CASE("rep order: names in the customer's language's collation, not UTF-8 bytes") {
    const std::vector<fk::ui::RepTile> roster = {
        {"r1", "Øle"}, {"r2", "zara"}, {"r3", "Ånna"}, {"r4", "Anna"}, {"r5", "bo"}};
    // English: accents are secondary, case is ignored: Å beside A, Ø beside O; "bo" before "zara".
    CHECK(Names(OrderReps(roster, "en", {})) ==
          std::vector<std::string>{"Anna", "Ånna", "bo", "Øle", "zara"});
    // Danish: Æ Ø Å come after Z.
    CHECK(Names(OrderReps(roster, "da", {})) ==
          std::vector<std::string>{"Anna", "bo", "zara", "Øle", "Ånna"});
}

TEST_CASE("rep order: Hindi and Telugu names in their alphabet's order, mixed scripts grouped") {
    // Devanagari varnamala: अ (a) before क (ka) before ग (ga) before र (ra); the vowel sign
    // on कि sorts after plain क.
    const std::vector<fk::ui::RepTile> hindi = {
        {"r1", "रवि"}, {"r2", "किरण"}, {"r3", "अमित"}, {"r4", "गीता"}, {"r5", "कमल"}};
    CHECK(Names(OrderReps(hindi, "hi", {})) ==
          std::vector<std::string>{"अमित", "कमल", "किरण", "गीता", "रवि"});
    const std::vector<fk::ui::RepTile> telugu = {
        {"r1", "సీత"}, {"r2", "లక్ష్మి"}, {"r3", "అనిల్"}, {"r4", "కిరణ్"}};
    CHECK(Names(OrderReps(telugu, "te", {})) ==
          std::vector<std::string>{"అనిల్", "కిరణ్", "లక్ష్మి", "సీత"});
    // Latin and Devanagari together: each script stays together, never interleaved by bytes.
    const std::vector<fk::ui::RepTile> mixed = {
        {"r1", "Ravi"}, {"r2", "अमित"}, {"r3", "Asha"}, {"r4", "रवि"}};
    const auto order = Names(OrderReps(mixed, "hi", {}));
    REQUIRE(order.size() == 4);
    const bool latinFirst = order[0] == "Asha";
    CHECK(order == (latinFirst ? std::vector<std::string>{"Asha", "Ravi", "अमित", "रवि"}
                               : std::vector<std::string>{"अमित", "रवि", "Asha", "Ravi"}));
}

TEST_CASE("rep order: on duty and recently chosen first, in that order, then by name") {
    const std::vector<fk::ui::RepTile> roster = {
        {"r1", "Dev"}, {"r2", "Asha"}, {"r3", "Carl"}, {"r4", "Bea"}, {"r5", "Eva"}};
    const auto o = OrderReps(roster, "en", {"r5", "r3", "gone", "r3"});
    CHECK(Names(o) == std::vector<std::string>{"Eva", "Carl", "Asha", "Bea", "Dev"});
    REQUIRE(o.initials.size() == 5);
    CHECK(o.initials[0] == "E");
    // Names equal for the collation keep a total order (bytes, then id): the same everywhere.
    const auto twins = OrderReps({{"r9", "Sam"}, {"r2", "Sam"}, {"r1", "sam"}}, "en", {});
    CHECK(twins.reps[0].id == "r2");
    CHECK(twins.reps[1].id == "r9");
    CHECK(twins.reps[2].id == "r1");
}

TEST_CASE("recent reps: newest first, no repeats, at most kKeep") {
    RecentReps recent;
    for (const char* id : {"a", "b", "a", "c", "d", "e", ""})
        recent.Chosen(id);
    CHECK(recent.Ids() == std::vector<std::string>{"e", "d", "c", "a"});
}

TEST_CASE("initials: first grapheme of the first and last word, upper-cased where there is case") {
    using fk::text::Initials;
    CHECK(Initials("Asha Rao") == "AR");
    CHECK(Initials("mette") == "M");
    CHECK(Initials("  Jean-Luc  Picard ") == "JP");
    CHECK(Initials("Ana Maria da Silva") == "AS");
    CHECK(Initials("") == "");
    CHECK(Initials("   ") == "");
    // A Devanagari grapheme keeps its vowel sign: कु, not a bare क.
    CHECK(Initials("रवि कुमार") == "रकु");
    CHECK(Initials("లక్ష్మి") == "ల");
    CHECK(Initials("Øystein ødegaard") == "ØØ");
}
