#include "text/FontSet.h"

#include "TextFixtures.h"
#include "support/TempDir.h"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

using namespace fk::text;

TEST_CASE("FontSet opens the three Noto fonts of fonts-noto-core") {
    FontSet& fonts = fk::test::NotoFonts();
    REQUIRE(fonts.Count() == 3);
    CHECK(fonts.Path(0).filename() == "NotoSans-Regular.ttf");
    CHECK(fonts.HasGlyph(0, U'A'));
    CHECK_FALSE(fonts.HasGlyph(0, U'\u0915'));  // KA: not in Noto Sans
    CHECK(fonts.HasGlyph(1, U'\u0915'));
    CHECK(fonts.HasGlyph(2, U'\u0C15'));  // Telugu KA
    CHECK_FALSE(fonts.HasGlyph(1, U'\u0C15'));
}

TEST_CASE("a missing font file is a FontLoadError naming the path and fonts-noto-core") {
    fk::test::TempDir dir("fk-font");
    FontSetConfig config = DefaultFontSetConfig();
    config.fonts.push_back(dir / "NoSuchFont.ttf");
    try {
        (void)FontSet::Open(config);
        FAIL("Open should have thrown");
    } catch (const FontLoadError& error) {
        CHECK(error.Path() == dir / "NoSuchFont.ttf");
        const std::string text = to_string(error);
        CHECK(text.find((dir / "NoSuchFont.ttf").string()) != std::string::npos);
        CHECK(text.find("fonts-noto-core") != std::string::npos);
    }
}

TEST_CASE("a file that is not a font is a FontLoadError") {
    fk::test::TempDir dir("fk-font");
    std::ofstream(dir / "fake.ttf") << "not a font";
    CHECK_THROWS_AS((void)FontSet::Open(FontSetConfig{{dir / "fake.ttf"}}), FontLoadError);
    CHECK_THROWS_AS((void)FontSet::Open(FontSetConfig{}), FontLoadError);
}

TEST_CASE("pixel sizes mean what ImGui means: ascender minus descender is the requested size") {
    FontSet& fonts = fk::test::NotoFonts();
    for (int font = 0; font < fonts.Count(); ++font) {
        for (float size : {13.0f, 32.0f, 48.0f}) {
            const FontMetrics metrics = fonts.Metrics(font, size);
            CAPTURE(font);
            CAPTURE(size);
            // FreeType may round the ppem to an integer; that moves the height by under a pixel.
            CHECK(std::fabs(metrics.Height() - size) < 1.0f);
            CHECK(metrics.ascender > 0);
            CHECK(metrics.descender < 0);
        }
    }
}
