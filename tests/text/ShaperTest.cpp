#include "text/Shaper.h"

#include "TextFixtures.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace fk::text;

namespace {

std::string Slice(std::string_view text, const TextRun& run) {
    return std::string(text.substr(run.start, run.end - run.start));
}

}  // namespace

TEST_CASE("runs: Latin and Devanagari split, the space between joins the run before it") {
    const std::string text = "Hello नमस्ते";
    auto runs = SplitRuns(fk::test::NotoFonts(), text);
    REQUIRE(runs.size() == 2);
    CHECK(Slice(text, runs[0]) == "Hello ");
    CHECK(runs[0].script == "latn");
    CHECK(runs[0].font == 0);
    CHECK(Slice(text, runs[1]) == "नमस्ते");
    CHECK(runs[1].script == "deva");
    CHECK(runs[1].font == 1);
    CHECK(runs[1].end == text.size());
}

TEST_CASE("runs: leading digits and punctuation join the first real script") {
    const std::string text = "12: నమస్కారం!";
    auto runs = SplitRuns(fk::test::NotoFonts(), text);
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].script == "telu");
    CHECK(runs[0].font == 2);
    CHECK(runs[0].start == 0);
    CHECK(runs[0].end == text.size());
}

TEST_CASE("runs: text with no script is one Latin run, empty text none") {
    auto runs = SplitRuns(fk::test::NotoFonts(), "123 - 45");
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].script == "latn");
    CHECK(runs[0].font == 0);
    CHECK(SplitRuns(fk::test::NotoFonts(), "").empty());
}

TEST_CASE("runs: three scripts in one string") {
    const std::string text = "Dansk, हिन्दी और తెలుగు.";
    auto runs = SplitRuns(fk::test::NotoFonts(), text);
    REQUIRE(runs.size() == 3);
    CHECK(Slice(text, runs[0]) == "Dansk, ");
    CHECK(Slice(text, runs[1]) == "हिन्दी और ");
    CHECK(Slice(text, runs[2]) == "తెలుగు.");
    CHECK(runs[2].font == 2);
    // Runs tile the text.
    for (std::size_t i = 1; i < runs.size(); ++i)
        CHECK(runs[i].start == runs[i - 1].end);
}

TEST_CASE("runs: a character the run's font lacks falls back to the next font that has it") {
    FontSet& fonts = fk::test::NotoFonts();
    const char32_t fallbackChar = U'\u00F8';  // ø
    REQUIRE_FALSE(fonts.HasGlyph(1, fallbackChar));
    REQUIRE(fonts.HasGlyph(0, fallbackChar));
    const std::string text = "नमस्ते ø नमस्ते";
    auto runs = SplitRuns(fonts, text);
    REQUIRE(runs.size() == 3);
    CHECK(runs[0].font == 1);
    CHECK(Slice(text, runs[1]) == "ø ");
    CHECK(runs[1].font == 0);
    CHECK(runs[1].script == "latn");  // ø is Latin script itself
    CHECK(runs[2].font == 1);
}

TEST_CASE("runs: a Common character missing from the run's font falls back but keeps the script") {
    FontSet& fonts = fk::test::NotoFonts();
    const char32_t euro = U'\u20AC';  // €, Common script
    REQUIRE_FALSE(fonts.HasGlyph(1, euro));
    REQUIRE(fonts.HasGlyph(0, euro));
    const std::string text = "क € ख";
    auto runs = SplitRuns(fonts, text);
    REQUIRE(runs.size() == 3);
    CHECK(runs[1].font == 0);
    CHECK(runs[1].script == "deva");
    CHECK(Slice(text, runs[1]) == "€");
}

TEST_CASE("shaping: the i-sign is drawn before its consonant, conjuncts form") {
    TextShaper shaper(fk::test::NotoFonts());
    const ShapedText ka = shaper.ShapeUncached("क", 32, "hi");
    const ShapedText ki = shaper.ShapeUncached("कि", 32, "hi");
    REQUIRE(ka.glyphs.size() == 1);
    REQUIRE(ki.glyphs.size() == 2);
    CHECK(ki.glyphs[1].glyphId == ka.glyphs[0].glyphId);  // KA second: the i-sign moved before it
    CHECK(ki.glyphs[0].glyphId != ka.glyphs[0].glyphId);
    CHECK(ki.glyphs[0].cluster == 0);
    CHECK(ki.glyphs[1].cluster == 0);

    // KA + VIRAMA + SSA: three code points, one conjunct glyph, no visible virama.
    const ShapedText ksha = shaper.ShapeUncached("क्ष", 32, "hi");
    CHECK(ksha.glyphs.size() == 1);
}

TEST_CASE("shaping: Telugu subscript consonants are not full letters") {
    TextShaper shaper(fk::test::NotoFonts());
    const ShapedText ta = shaper.ShapeUncached("ట", 32, "te");
    const ShapedText sta = shaper.ShapeUncached("స్ట", 32, "te");
    REQUIRE(ta.glyphs.size() == 1);
    REQUIRE(sta.glyphs.size() == 2);  // SA and the subscript TTA; the virama is absorbed
    CHECK(sta.glyphs[1].glyphId != ta.glyphs[0].glyphId);
}

TEST_CASE("shaping: positions are pixels at the requested size, clusters are byte offsets") {
    TextShaper shaper(fk::test::NotoFonts());
    const ShapedText small = shaper.ShapeUncached("Hello, world", 20, "en");
    const ShapedText large = shaper.ShapeUncached("Hello, world", 40, "en");
    CHECK(small.width > 20);
    CHECK(std::fabs(large.width - 2 * small.width) < 2.0f);
    CHECK(std::fabs(small.LineHeight() - 20) < 1.0f);
    const ShapedText mixed = shaper.ShapeUncached("ab कि", 20, "hi");
    REQUIRE(mixed.glyphs.size() == 5);
    CHECK(mixed.glyphs[0].cluster == 0);
    CHECK(mixed.glyphs[1].cluster == 1);
    CHECK(mixed.glyphs[2].cluster == 2);  // the space stays with Latin
    CHECK(mixed.glyphs[3].cluster == 3);  // Devanagari starts at byte 3
    CHECK(mixed.glyphs[3].font == 1);
}

TEST_CASE("invalid UTF-8 shapes without crashing") {
    TextShaper shaper(fk::test::NotoFonts());
    const std::string bad = std::string("ok \xE0\xA4") + "\xFF" + " क";
    const ShapedText shaped = shaper.ShapeUncached(bad, 24, "hi");
    CHECK_FALSE(shaped.glyphs.empty());
    for (const auto& glyph : shaped.glyphs)
        CHECK(glyph.cluster < bad.size());
}

TEST_CASE("cache: the same text, size and language is a hit and the same object") {
    TextShaper shaper(fk::test::NotoFonts(), 8);
    auto first = shaper.Shape("धन्यवाद!", 32, "hi");
    CHECK(shaper.Stats().misses == 1);
    CHECK(shaper.Stats().hits == 0);
    auto second = shaper.Shape("धन्यवाद!", 32, "hi");
    CHECK(second.get() == first.get());
    CHECK(shaper.Stats().hits == 1);
    // Size and language are part of the key.
    auto otherSize = shaper.Shape("धन्यवाद!", 33, "hi");
    auto otherLanguage = shaper.Shape("धन्यवाद!", 32, "ne");
    CHECK(otherSize.get() != first.get());
    CHECK(otherLanguage.get() != first.get());
    CHECK(shaper.Stats().misses == 3);
    CHECK(shaper.Stats().entries == 3);
    // Cached and uncached shaping agree.
    const ShapedText fresh = shaper.ShapeUncached("धन्यवाद!", 32, "hi");
    REQUIRE(fresh.glyphs.size() == first->glyphs.size());
    for (std::size_t i = 0; i < fresh.glyphs.size(); ++i) {
        CHECK(fresh.glyphs[i].glyphId == first->glyphs[i].glyphId);
    }
}

TEST_CASE("cache: least recently used entries are evicted at capacity, results stay valid") {
    TextShaper shaper(fk::test::NotoFonts(), 2);
    auto a = shaper.Shape("a", 20, "en");
    shaper.Shape("b", 20, "en");
    shaper.Shape("a", 20, "en");  // a is now the most recent
    shaper.Shape("c", 20, "en");  // evicts b
    CHECK(shaper.Stats().evictions == 1);
    CHECK(shaper.Stats().entries == 2);
    shaper.Shape("a", 20, "en");
    CHECK(shaper.Stats().hits == 2);
    shaper.Shape("b", 20, "en");
    CHECK(shaper.Stats().misses == 4);
    CHECK(a->text == "a");  // the evicted or not, a result handed out stays usable
    shaper.ClearCache();
    CHECK(shaper.Stats().entries == 0);
}
