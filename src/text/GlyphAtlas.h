#pragma once
// A CPU glyph atlas: glyph ids rasterised with FreeType into one byte per pixel (coverage),
// shelf-packed, growing by doubling when full. The platform layer uploads Pixels() as a
// single-channel texture whenever Generation() differs from the generation it last uploaded.
//
// Thread affinity: UI thread only (rasterises through the FontSet's FreeType faces).
// Ownership: borrows a FontSet that must outlive it; owns its pixels.
// Failure: Ensure throws AtlasFullError when a glyph does not fit even at kMaxSide; FreeType
// failing on one glyph stores it as an empty (invisible) glyph rather than failing the frame.

#include "text/FontSet.h"
#include "text/Shaper.h"

#include <cstdint>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace fk::text {

class AtlasFullError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Where a glyph's bitmap lies in the atlas, in atlas pixels, and where it sits relative to the
// glyph origin on the baseline (bearingY is up from the baseline, as FreeType's bitmap_top).
struct AtlasGlyph {
    int x = 0;
    int y = 0;
    int width = 0;  // 0 for glyphs with no ink (space)
    int height = 0;
    int bearingX = 0;
    int bearingY = 0;
};

struct UvRect {
    float u0 = 0, v0 = 0, u1 = 0, v1 = 0;
};

class GlyphAtlas {
  public:
    static constexpr int kDefaultSide = 256;
    static constexpr int kMaxSide = 8192;

    // initialSide is rounded up to a power of two.
    explicit GlyphAtlas(FontSet& fonts, int initialSide = kDefaultSide);

    // The glyph's place in the atlas, rasterised on first use.
    const AtlasGlyph& Ensure(int font, std::uint32_t glyphId, float pixelSize);
    // Rasterises every glyph of a shaped text (at its size).
    void EnsureAll(const ShapedText& shaped);
    // nullptr when the glyph has not been rasterised yet.
    const AtlasGlyph* Find(int font, std::uint32_t glyphId, float pixelSize) const;

    UvRect Uv(const AtlasGlyph& glyph) const;
    int Width() const { return m_width; }
    int Height() const { return m_height; }
    // Row-major, Width() * Height() bytes, 0 = empty, 255 = full coverage.
    const std::vector<std::uint8_t>& Pixels() const { return m_pixels; }
    // Changes whenever pixels or the size change.
    std::uint64_t Generation() const { return m_generation; }
    std::size_t GlyphCount() const { return m_glyphs.size(); }
    int GrowCount() const { return m_grows; }

  private:
    struct Shelf {
        int y = 0;
        int height = 0;
        int cursorX = 0;
    };
    static std::uint64_t Key(int font, std::uint32_t glyphId, float pixelSize);
    bool Place(int width, int height, int& outX, int& outY);
    void Grow();

    FontSet& m_fonts;
    int m_width;
    int m_height;
    std::vector<std::uint8_t> m_pixels;
    std::vector<Shelf> m_shelves;
    std::unordered_map<std::uint64_t, AtlasGlyph> m_glyphs;
    std::uint64_t m_generation = 1;
    int m_grows = 0;
};

}  // namespace fk::text
