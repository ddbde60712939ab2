#pragma once
// Laid-out text + atlas -> textured quads, for the UI layer to draw through ImDrawList (PrimRectUV
// with the atlas texture) and for kiosk-text render. Pure; any thread, but the atlas must not
// change while it runs.

#include "text/GlyphAtlas.h"
#include "text/Layout.h"
#include "text/Shaper.h"

#include <vector>

namespace fk::text {

// Screen-space rectangle (y down, pixels) and its atlas texture coordinates.
struct TextQuad {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    float u0 = 0, v0 = 0, u1 = 0, v1 = 0;
};

enum class HAlign { Left, Center, Right };

struct QuadOptions {
    float penX = 0;  // top-left corner of the text box
    float penY = 0;
    HAlign align = HAlign::Left;
    float boxWidth = 0;  // lines are aligned within this width (Center, Right)
};

struct QuadResult {
    std::vector<TextQuad> quads;
    int missingGlyphs = 0;  // glyphs with ink the atlas has not rasterised (call EnsureAll first)
};

// Glyph origins are rounded to whole pixels so the 1:1 atlas bitmaps stay sharp.
QuadResult BuildQuads(const ShapedText& shaped, const TextLayout& layout, const GlyphAtlas& atlas,
                      const QuadOptions& options);

}  // namespace fk::text
