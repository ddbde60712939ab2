#include "text/GlyphAtlas.h"
#include "text/TextQuads.h"

#include "TextFixtures.h"

#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

using namespace fk::text;

namespace {

bool Overlap(const AtlasGlyph& a, const AtlasGlyph& b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height &&
           b.y < a.y + a.height;
}

std::vector<std::uint8_t> Bitmap(const GlyphAtlas& atlas, const AtlasGlyph& glyph) {
    std::vector<std::uint8_t> pixels;
    for (int row = 0; row < glyph.height; ++row) {
        for (int col = 0; col < glyph.width; ++col) {
            pixels.push_back(atlas.Pixels()[static_cast<std::size_t>(glyph.y + row) *
                                                static_cast<std::size_t>(atlas.Width()) +
                                            static_cast<std::size_t>(glyph.x + col)]);
        }
    }
    return pixels;
}

}  // namespace

TEST_CASE("atlas: glyphs are rasterised once, with ink, without overlapping") {
    FontSet& fonts = fk::test::NotoFonts();
    TextShaper shaper(fonts);
    GlyphAtlas atlas(fonts, 512);
    const ShapedText shaped = shaper.ShapeUncached("Hvordan var dit besøg i dag?", 32, "da");
    const auto generation = atlas.Generation();
    atlas.EnsureAll(shaped);
    CHECK(atlas.Generation() != generation);
    std::vector<const AtlasGlyph*> inked;
    for (const auto& glyph : shaped.glyphs) {
        const AtlasGlyph* entry = atlas.Find(glyph.font, glyph.glyphId, 32);
        REQUIRE(entry != nullptr);
        const bool space = shaped.text[glyph.cluster] == ' ';
        CHECK((entry->width == 0) == space);
        if (entry->width > 0) {
            const auto pixels = Bitmap(atlas, *entry);
            CHECK(std::accumulate(pixels.begin(), pixels.end(), 0) > 0);
            inked.push_back(entry);
        }
    }
    for (std::size_t i = 0; i < inked.size(); ++i) {
        for (std::size_t j = i + 1; j < inked.size(); ++j) {
            if (inked[i] != inked[j])
                CHECK_FALSE(Overlap(*inked[i], *inked[j]));
        }
    }
    const auto count = atlas.GlyphCount();
    const auto after = atlas.Generation();
    atlas.EnsureAll(shaped);  // all cached now
    CHECK(atlas.GlyphCount() == count);
    CHECK(atlas.Generation() == after);
    // Another size is another glyph.
    atlas.Ensure(shaped.glyphs[0].font, shaped.glyphs[0].glyphId, 20);
    CHECK(atlas.GlyphCount() == count + 1);
}

TEST_CASE("atlas: grows by doubling when full and keeps what it had") {
    FontSet& fonts = fk::test::NotoFonts();
    TextShaper shaper(fonts);
    GlyphAtlas atlas(fonts, 64);
    CHECK(atlas.Width() == 64);
    const ShapedText first = shaper.ShapeUncached("ग्राहक", 40, "hi");
    atlas.EnsureAll(first);
    const AtlasGlyph kept = *atlas.Find(first.glyphs[0].font, first.glyphs[0].glyphId, 40);
    const auto keptPixels = Bitmap(atlas, kept);
    const ShapedText more = shaper.ShapeUncached(
        "ఉన్నతమైన కస్టమర్ సేవను నిర్వచించే లక్షణాలను తెలుసుకోవడం Forholdet mellem kundeservice", 40, "te");
    atlas.EnsureAll(more);
    CHECK(atlas.GrowCount() >= 2);
    CHECK((atlas.Width() & (atlas.Width() - 1)) == 0);
    CHECK((atlas.Height() & (atlas.Height() - 1)) == 0);
    CHECK(atlas.Width() * atlas.Height() > 64 * 64);
    CHECK(atlas.Pixels().size() == static_cast<std::size_t>(atlas.Width() * atlas.Height()));
    const AtlasGlyph* again = atlas.Find(first.glyphs[0].font, first.glyphs[0].glyphId, 40);
    REQUIRE(again != nullptr);
    CHECK(again->x == kept.x);
    CHECK(again->y == kept.y);
    CHECK(Bitmap(atlas, *again) == keptPixels);
    // UVs follow the new size.
    const UvRect uv = atlas.Uv(*again);
    CHECK(uv.u1 == doctest::Approx(static_cast<float>(again->x + again->width) /
                                   static_cast<float>(atlas.Width())));
    CHECK(uv.v1 <= 1.0f);
}

TEST_CASE("quads: one per inked glyph, inside the laid-out box, aligned as asked") {
    FontSet& fonts = fk::test::NotoFonts();
    TextShaper shaper(fonts);
    GlyphAtlas atlas(fonts);
    const ShapedText shaped = shaper.ShapeUncached("आज आपका अनुभव कैसा रहा?", 30, "hi");
    const TextLayout layout = LayoutText(shaped, 150);
    REQUIRE(layout.lines.size() >= 2);

    // Before the atlas has the glyphs, they are reported missing.
    const QuadResult missing = BuildQuads(shaped, layout, atlas, {});
    CHECK(missing.missingGlyphs > 0);
    CHECK(missing.quads.empty());

    atlas.EnsureAll(shaped);
    std::size_t inked = 0;
    for (const auto& glyph : shaped.glyphs) {
        if (atlas.Find(glyph.font, glyph.glyphId, 30)->width > 0)
            ++inked;
    }
    const float penX = 100, penY = 50;
    const QuadResult left = BuildQuads(shaped, layout, atlas, {penX, penY, HAlign::Left, 150});
    CHECK(left.missingGlyphs == 0);
    CHECK(left.quads.size() == inked);
    for (const auto& quad : left.quads) {
        CHECK(quad.x0 >= penX - 3);
        CHECK(quad.x1 <= penX + layout.width + 3);
        CHECK(quad.y0 >= penY - 3);
        CHECK(quad.y1 <= penY + layout.Height() + 3);
        CHECK(quad.x1 - quad.x0 ==
              doctest::Approx((quad.u1 - quad.u0) * static_cast<float>(atlas.Width())));
        CHECK(quad.y1 - quad.y0 ==
              doctest::Approx((quad.v1 - quad.v0) * static_cast<float>(atlas.Height())));
    }
    // Centred text moves right by half the spare width of its line.
    const QuadResult centred = BuildQuads(shaped, layout, atlas, {penX, penY, HAlign::Center, 400});
    REQUIRE(centred.quads.size() == left.quads.size());
    const float shift = std::round((400 - layout.lines[0].width) * 0.5f);
    CHECK(centred.quads[0].x0 - left.quads[0].x0 == doctest::Approx(shift).epsilon(0.05));
}
