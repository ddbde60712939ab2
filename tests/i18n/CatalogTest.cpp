#include "i18n/Catalog.h"

#include "support/Paths.h"
#include "support/TempDir.h"

#include <doctest/doctest.h>

#include <fstream>

using namespace fk::i18n;

namespace {

std::filesystem::path LocalesDir() {
    return fk::test::SourceDir() / "kiosk-config" / "locales";
}

std::string Join(const std::vector<LocaleError>& errors) {
    std::string text;
    for (const auto& error : errors)
        text += to_string(error) + "\n";
    return text;
}

void Write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

// Whether text holds a code point in [first, last].
bool HasCodepointIn(const std::string& text, char32_t first, char32_t last) {
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        char32_t cp = lead;
        std::size_t length = 1;
        if (lead >= 0xF0)
            cp = lead & 0x07, length = 4;
        else if (lead >= 0xE0)
            cp = lead & 0x0F, length = 3;
        else if (lead >= 0xC0)
            cp = lead & 0x1F, length = 2;
        for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        }
        if (cp >= first && cp <= last)
            return true;
        i += length;
    }
    return false;
}

}  // namespace

TEST_CASE("the five shipped locales load without errors and are complete") {
    auto loaded = Catalog::Load(LocalesDir());
    INFO(Join(loaded.errors));
    REQUIRE(loaded.errors.empty());
    REQUIRE(loaded.catalog);
    const Catalog& catalog = *loaded.catalog;
    CHECK(catalog.Languages() == DefaultLanguages());
    // Fails when any locale misses a key English has, has one English lacks, or changes the
    // placeholders of a string.
    const auto problems = catalog.Check();
    INFO(Join(problems));
    CHECK(problems.empty());
    CHECK(catalog.Find("en")->strings.size() >= 60);
}

TEST_CASE("each locale names its language in its own script") {
    auto loaded = Catalog::Load(LocalesDir());
    REQUIRE(loaded.catalog);
    CHECK(loaded.catalog->LanguageName("en") == "English");
    CHECK(loaded.catalog->LanguageName("hi") == "हिन्दी");
    CHECK(loaded.catalog->LanguageName("ne") == "नेपाली");
    CHECK(loaded.catalog->LanguageName("te") == "తెలుగు");
    CHECK(loaded.catalog->LanguageName("da") == "Dansk");
    CHECK(loaded.catalog->Missing().empty());
}

TEST_CASE("translations are written in their own script, not copied from English") {
    auto loaded = Catalog::Load(LocalesDir());
    REQUIRE(loaded.catalog);
    const Catalog& catalog = *loaded.catalog;
    const auto& english = catalog.Find("en")->strings;
    for (const char* code : {"hi", "ne"}) {
        for (const auto& [key, text] : catalog.Find(code)->strings) {
            INFO(code, " ", key, " = ", text);
            CHECK(HasCodepointIn(text, 0x0900, 0x097F));
        }
    }
    for (const auto& [key, text] : catalog.Find("te")->strings) {
        INFO("te ", key, " = ", text);
        CHECK(HasCodepointIn(text, 0x0C00, 0x0C7F));
    }
    int same = 0;
    for (const auto& [key, text] : catalog.Find("da")->strings) {
        if (english.at(key) == text)
            ++same;
    }
    // Only words Danish borrows as they are ("OK", "Online", "Offline") may equal English.
    CHECK(same <= 3);
    CHECK(catalog.Get("da", "rate.question") == "Hvordan var dit besøg i dag?");
    CHECK(catalog.Get("hi", "rate.question") == "आज आपका अनुभव कैसा रहा?");
}

TEST_CASE("a missing key falls back to English and is reported once") {
    fk::test::TempDir dir("fk-i18n");
    Write(dir / "en.toml",
          "[language]\nname = \"English\"\n[common]\nskip = \"Skip\"\nback = \"Back\"\n");
    Write(dir / "da.toml", "[language]\nname = \"Dansk\"\n[common]\nskip = \"Spring over\"\n");
    auto loaded = Catalog::Load(dir.Path(), {"en", "da"});
    REQUIRE(loaded.errors.empty());
    REQUIRE(loaded.catalog);
    Catalog& catalog = *loaded.catalog;
    std::vector<MissingKey> seen;
    catalog.OnMissing([&](const MissingKey& missing) { seen.push_back(missing); });
    CHECK(catalog.Get("da", "common.skip") == "Spring over");
    CHECK(catalog.Get("da", "common.back") == "Back");
    CHECK(catalog.Get("da", "common.back") == "Back");
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].language == "da");
    CHECK(seen[0].key == "common.back");
    REQUIRE(catalog.Missing().size() == 1);
    // An unknown language falls back too; a key nobody has comes back as itself.
    CHECK(catalog.Get("sv", "common.skip") == "Skip");
    CHECK(catalog.Get("da", "no.such.key") == "no.such.key");
    CHECK(catalog.Missing().size() == 4);  // sv common.skip, da no.such.key, en no.such.key
    // Check names the gap with English's line.
    const auto problems = catalog.Check();
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key == "common.back");
    CHECK(to_string(problems[0]).find("da.toml") != std::string::npos);
    CHECK(to_string(problems[0]).find("en.toml:5") != std::string::npos);
}

TEST_CASE("placeholders must match between locales") {
    fk::test::TempDir dir("fk-i18n");
    Write(dir / "en.toml",
          "[language]\nname = \"English\"\n[manager]\nlocked = \"Locked for {seconds} s\"\n");
    Write(dir / "hi.toml",
          "[language]\nname = \"हिन्दी\"\n[manager]\nlocked = \"{second} सेकंड के लिए लॉक है\"\n");
    auto loaded = Catalog::Load(dir.Path(), {"en", "hi"});
    REQUIRE(loaded.catalog);
    const auto problems = loaded.catalog->Check();
    REQUIRE(problems.size() == 1);
    CHECK(to_string(problems[0]).find("hi.toml:4: manager.locked: placeholders differ") !=
          std::string::npos);
    CHECK(to_string(problems[0]).find("{seconds}") != std::string::npos);
    CHECK(loaded.catalog->Format("en", "manager.locked", {{"seconds", "30"}}) == "Locked for 30 s");
    CHECK(Placeholders("{count} of {total}, {count}") == std::set<std::string>{"count", "total"});
    CHECK(FormatPlaceholders("a {x} b {y}", {{"x", "1"}}) == "a 1 b {y}");
}

TEST_CASE("bad locale files are errors as file:line: key") {
    fk::test::TempDir dir("fk-i18n");
    Write(dir / "en.toml", "[language]\nname = \"English\"\n[rate]\nquestion = 42\n");
    Write(dir / "hi.toml", "[language]\nname = \"हिन्दी\"\n[rate\nquestion = \"x\"\n");
    auto loaded = Catalog::Load(dir.Path(), {"en", "hi", "te"});
    REQUIRE(loaded.catalog);  // English loaded, so the kiosk can still show text
    REQUIRE(loaded.errors.size() == 3);
    const std::string text = Join(loaded.errors);
    INFO(text);
    CHECK(text.find((dir / "en.toml").string() + ":4: rate.question: expected a string") !=
          std::string::npos);
    CHECK(text.find((dir / "hi.toml").string() + ":3: not valid TOML") != std::string::npos);
    CHECK(text.find((dir / "te.toml").string() + ": no such locale file") != std::string::npos);
    CHECK(loaded.catalog->Languages() == std::vector<std::string>{"en"});
}

TEST_CASE("without English there is no catalog") {
    fk::test::TempDir dir("fk-i18n");
    Write(dir / "da.toml", "[language]\nname = \"Dansk\"\n");
    auto loaded = Catalog::Load(dir.Path(), {"en", "da"});
    CHECK_FALSE(loaded.catalog);
    CHECK(Join(loaded.errors).find("English is the fallback") != std::string::npos);
}
