#include "text/TextEngine.h"

#include <doctest/doctest.h>

using namespace fk::text;

TEST_CASE("engine: prepare is cached, quads rasterise on demand and bump the atlas generation") {
    TextEngine engine(DefaultFontSetConfig());
    const auto generation = engine.Atlas().Generation();
    const TextBlock block = engine.Prepare("ఈ రోజు మీకు ఎవరు సహాయం చేశారు?", 36, "te", 220);
    CHECK(block.layout.lines.size() >= 2);
    CHECK(block.Width() <= 220);
    CHECK(block.Height() ==
          doctest::Approx(36 * static_cast<double>(block.layout.lines.size())).epsilon(0.05));
    const QuadResult quads = engine.Quads(block, {10, 10, HAlign::Center, 220});
    CHECK(quads.missingGlyphs == 0);
    CHECK(quads.quads.size() > 10);
    CHECK(engine.Atlas().Generation() != generation);
    const auto afterFirst = engine.Atlas().Generation();
    const TextBlock again = engine.Prepare("ఈ రోజు మీకు ఎవరు సహాయం చేశారు?", 36, "te", 220);
    CHECK(again.shaped.get() == block.shaped.get());
    CHECK(engine.Shaper().Stats().hits == 1);
    engine.Quads(again, {0, 0, HAlign::Left, 0});
    CHECK(engine.Atlas().Generation() == afterFirst);  // nothing new to upload
}

TEST_CASE("engine: a missing font directory is a FontLoadError") {
    CHECK_THROWS_AS(TextEngine(DefaultFontSetConfig("/nonexistent/fonts")), FontLoadError);
}
