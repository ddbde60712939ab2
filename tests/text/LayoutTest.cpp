#include "text/Layout.h"

#include "TextFixtures.h"
#include "support/Paths.h"

#include <doctest/doctest.h>

#include "support/Skip.h"

#include <filesystem>
#include <set>

using namespace fk::text;

namespace {

// Every invariant a layout must keep, checked independently of how LayoutText works.
void CheckLayout(const ShapedText& shaped, const TextLayout& layout, float maxWidth) {
    REQUIRE_FALSE(layout.lines.empty());
    const auto& glyphs = shaped.glyphs;
    // Lines cover the glyphs in order.
    CHECK(layout.lines.front().glyphBegin == 0);
    std::set<std::uint32_t> clusterStarts;
    for (std::size_t g = 0; g < glyphs.size(); ++g)
        clusterStarts.insert(glyphs[g].cluster);
    for (std::size_t i = 0; i < layout.lines.size(); ++i) {
        const TextLine& line = layout.lines[i];
        CAPTURE(i);
        CHECK(line.glyphBegin <= line.glyphEnd);
        if (i > 0) {
            const TextLine& previous = layout.lines[i - 1];
            CHECK(line.glyphBegin >= previous.glyphEnd);
            CHECK(line.byteBegin == previous.byteEnd);
            // Never inside a cluster: the glyph before a line break belongs to another cluster.
            if (line.glyphBegin > 0 && line.glyphBegin < glyphs.size()) {
                CHECK(glyphs[line.glyphBegin - 1].cluster != glyphs[line.glyphBegin].cluster);
                CHECK(clusterStarts.count(line.byteBegin) == 1);
                // Breaks come after a space (or a newline).
                const char before = shaped.text[line.byteBegin - 1];
                CHECK((before == ' ' || before == '\n'));
            }
        }
        // The width, recomputed: advances of the line without its trailing spaces.
        std::size_t end = line.glyphEnd;
        while (end > line.glyphBegin && shaped.text[glyphs[end - 1].cluster] == ' ')
            --end;
        float width = 0;
        for (std::size_t g = line.glyphBegin; g < end; ++g)
            width += glyphs[g].xAdvance;
        CHECK(line.width == doctest::Approx(width).epsilon(0.001));
        if (maxWidth > 0 && line.width > maxWidth + 0.01f) {
            // Only a single word may overflow: no break opportunity inside the line.
            for (std::size_t g = line.glyphBegin; g < end; ++g) {
                CHECK(shaped.text[glyphs[g].cluster] != ' ');
            }
        }
    }
    CHECK(layout.lines.back().byteEnd == shaped.text.size());
}

}  // namespace

TEST_CASE("wrapping: no line is wider than the box, and each line is as full as it can be") {
    TextShaper shaper(fk::test::NotoFonts());
    const ShapedText shaped = shaper.ShapeUncached(
        "Kiosken kan ikke gemme ny feedback, før der er frigjort plads.", 24, "da");
    for (float width : {120.0f, 200.0f, 333.0f, 10000.0f}) {
        CAPTURE(width);
        const TextLayout layout = LayoutText(shaped, width);
        CheckLayout(shaped, layout, width);
        for (const auto& line : layout.lines)
            CHECK(line.width <= width);
        // Greedy: the first word of the next line would not have fitted.
        for (std::size_t i = 0; i + 1 < layout.lines.size(); ++i) {
            const TextLine& next = layout.lines[i + 1];
            float firstWord = 0;
            for (std::size_t g = next.glyphBegin;
                 g < next.glyphEnd && shaped.text[shaped.glyphs[g].cluster] != ' '; ++g) {
                firstWord += shaped.glyphs[g].xAdvance;
            }
            float spaces = 0;
            for (std::size_t g = layout.lines[i].glyphBegin; g < layout.lines[i].glyphEnd; ++g) {
                spaces += shaped.glyphs[g].xAdvance;
            }
            spaces -= layout.lines[i].width;  // trailing spaces of line i
            CHECK(layout.lines[i].width + spaces + firstWord > width);
        }
    }
    CHECK(LayoutText(shaped, 10000).lines.size() == 1);
    CHECK(LayoutText(shaped, 120).lines.size() > 3);
}

TEST_CASE("wrapping: a word wider than the box gets a line of its own") {
    TextShaper shaper(fk::test::NotoFonts());
    const ShapedText shaped = shaper.ShapeUncached("a Synkroniseringsstatus b", 24, "da");
    const TextLayout layout = LayoutText(shaped, 60);
    CheckLayout(shaped, layout, 60);
    REQUIRE(layout.lines.size() == 3);
    CHECK(layout.lines[1].width > 60);
    CHECK(shaped.text.substr(layout.lines[1].byteBegin,
                             layout.lines[1].byteEnd - layout.lines[1].byteBegin) ==
          "Synkroniseringsstatus ");
}

TEST_CASE("wrapping: Indic clusters are never split, even in narrow boxes") {
    TextShaper shaper(fk::test::NotoFonts());
    for (const char* text : {"कृपया सहायता टीम को बुलाएँ ताकि उसे वापस पाया जा सके।",
                             "దయచేసి సహాయ బృందాన్ని పిలవండి. కస్టమర్ సేవ స్థాయి"}) {
        const ShapedText shaped =
            shaper.ShapeUncached(text, 28, text[0] == '\xE0' && text[1] == '\xA4' ? "hi" : "te");
        for (float width : {1.0f, 50.0f, 150.0f, 300.0f}) {
            CAPTURE(width);
            CheckLayout(shaped, LayoutText(shaped, width), width);
        }
    }
}

TEST_CASE("wrapping: newlines break lines and are not drawn") {
    TextShaper shaper(fk::test::NotoFonts());
    const ShapedText shaped = shaper.ShapeUncached("Tak\n\nfor i dag\n", 24, "da");
    const TextLayout layout = LayoutText(shaped, 0);
    REQUIRE(layout.lines.size() == 4);
    CHECK(layout.lines[0].glyphEnd - layout.lines[0].glyphBegin == 3);
    CHECK(layout.lines[1].width == 0);
    CHECK(layout.lines[2].width > layout.lines[0].width);
    CHECK(layout.lines[3].glyphBegin == layout.lines[3].glyphEnd);
    CHECK(layout.Height() == doctest::Approx(4 * shaped.LineHeight()));
    CHECK(LayoutText(shaper.ShapeUncached("", 24, "da"), 100).lines.size() == 1);
}

TEST_CASE("wrapping: every paragraph of the shared corpus at several widths") {
    const auto corpus = fk::test::SharedCorpusDir();
    if (!corpus) {
        fk::test::Skip("no ../shared/corpus next to the repository");
        return;
    }
    TextShaper shaper(fk::test::NotoFonts());
    int paragraphs = 0;
    for (const auto& entry : std::filesystem::directory_iterator(*corpus)) {
        if (entry.path().extension() != ".txt")
            continue;
        const std::string language = entry.path().filename().string().substr(0, 2);
        for (const std::string& line : fk::test::ReadLines(entry.path().string())) {
            const ShapedText shaped = shaper.ShapeUncached(line, 22, language);
            for (float width : {90.0f, 240.0f, 600.0f}) {
                CAPTURE(line);
                CAPTURE(width);
                CheckLayout(shaped, LayoutText(shaped, width), width);
            }
            ++paragraphs;
        }
    }
    CHECK(paragraphs > 30);
}

TEST_CASE("wrapping: a right-to-left word in a name still breaks only at spaces") {
    // Hebrew and N'Ko have no kiosk font, but a rep's name may hold them. Shaped right to left
    // their glyphs came back reversed and lines broke inside words (found by fuzz/TextFuzz.cpp,
    // input in fuzz/regressions/text/).
    TextShaper shaper(fk::test::NotoFonts());
    for (const char* text : {"Shira \xD7\xA9\xD7\x99\xD7\xA8\xD7\x94 Levi",
                             "This kiosk is not se\x96\xDF\x8A\x8F yet"}) {
        CAPTURE(text);
        const ShapedText shaped = shaper.ShapeUncached(text, 24, "en");
        for (std::size_t g = 1; g < shaped.glyphs.size(); ++g) {
            CHECK(shaped.glyphs[g].cluster >= shaped.glyphs[g - 1].cluster);
        }
        for (float width : {12.0f, 60.0f, 200.0f}) {
            CAPTURE(width);
            CheckLayout(shaped, LayoutText(shaped, width), width);
        }
    }
}
