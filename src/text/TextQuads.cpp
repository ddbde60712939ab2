#include "text/TextQuads.h"

#include <cmath>

namespace fk::text {

QuadResult BuildQuads(const ShapedText& shaped, const TextLayout& layout, const GlyphAtlas& atlas,
                      const QuadOptions& options) {
    QuadResult result;
    float baseline = options.penY + layout.ascender;
    for (const TextLine& line : layout.lines) {
        float x = options.penX;
        if (options.align == HAlign::Center)
            x += (options.boxWidth - line.width) * 0.5f;
        if (options.align == HAlign::Right)
            x += options.boxWidth - line.width;
        float y = baseline;
        for (std::size_t g = line.glyphBegin; g < line.glyphEnd; ++g) {
            const ShapedGlyph& glyph = shaped.glyphs[g];
            const AtlasGlyph* entry = atlas.Find(glyph.font, glyph.glyphId, shaped.pixelSize);
            if (!entry) {
                ++result.missingGlyphs;
            } else if (entry->width > 0 && entry->height > 0) {
                const float originX = std::round(x + glyph.xOffset);
                const float originY = std::round(y - glyph.yOffset);
                TextQuad quad;
                quad.x0 = originX + static_cast<float>(entry->bearingX);
                quad.y0 = originY - static_cast<float>(entry->bearingY);
                quad.x1 = quad.x0 + static_cast<float>(entry->width);
                quad.y1 = quad.y0 + static_cast<float>(entry->height);
                const UvRect uv = atlas.Uv(*entry);
                quad.u0 = uv.u0, quad.v0 = uv.v0, quad.u1 = uv.u1, quad.v1 = uv.v1;
                result.quads.push_back(quad);
            }
            x += glyph.xAdvance;
            y -= glyph.yAdvance;
        }
        baseline += layout.lineHeight;
    }
    return result;
}

}  // namespace fk::text
