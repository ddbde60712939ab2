#include "text/GlyphAtlas.h"

#include "text/FontSetImpl.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_SIZES_H
#include <hb.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace fk::text {

namespace {

constexpr int kPadding = 1;  // empty pixels between glyphs so linear filtering never bleeds

int RoundUpPowerOfTwo(int value) {
    int side = 16;
    while (side < value && side < GlyphAtlas::kMaxSide)
        side *= 2;
    return side;
}

}  // namespace

GlyphAtlas::GlyphAtlas(FontSet& fonts, int initialSide)
    : m_fonts(fonts),
      m_width(RoundUpPowerOfTwo(initialSide)),
      m_height(m_width),
      m_pixels(static_cast<std::size_t>(m_width) * static_cast<std::size_t>(m_height), 0) {}

std::uint64_t GlyphAtlas::Key(int font, std::uint32_t glyphId, float pixelSize) {
    // font: 8 bits, glyph id: 32 bits, size in 26.6: 24 bits.
    return (static_cast<std::uint64_t>(font & 0xFF) << 56) |
           (static_cast<std::uint64_t>(SizeKey(pixelSize) & 0xFFFFFF) << 32) | glyphId;
}

const AtlasGlyph* GlyphAtlas::Find(int font, std::uint32_t glyphId, float pixelSize) const {
    auto it = m_glyphs.find(Key(font, glyphId, pixelSize));
    return it == m_glyphs.end() ? nullptr : &it->second;
}

bool GlyphAtlas::Place(int width, int height, int& outX, int& outY) {
    const int w = width + kPadding;
    const int h = height + kPadding;
    // The best-fitting shelf with room: least wasted height.
    Shelf* best = nullptr;
    for (Shelf& shelf : m_shelves) {
        if (shelf.height >= h && shelf.cursorX + w <= m_width &&
            (!best || shelf.height < best->height)) {
            best = &shelf;
        }
    }
    if (!best) {
        const int top = m_shelves.empty() ? 0 : m_shelves.back().y + m_shelves.back().height;
        if (top + h > m_height || w > m_width)
            return false;
        m_shelves.push_back(Shelf{top, h, 0});
        best = &m_shelves.back();
    }
    outX = best->cursorX;
    outY = best->y;
    best->cursorX += w;
    return true;
}

void GlyphAtlas::Grow() {
    const int newWidth = m_height > m_width ? m_width * 2 : m_width;
    const int newHeight = m_height > m_width ? m_height : m_height * 2;
    if (newWidth > kMaxSide || newHeight > kMaxSide) {
        throw AtlasFullError("glyph atlas is full at " + std::to_string(m_width) + "x" +
                             std::to_string(m_height) + " pixels");
    }
    std::vector<std::uint8_t> pixels(
        static_cast<std::size_t>(newWidth) * static_cast<std::size_t>(newHeight), 0);
    for (int row = 0; row < m_height; ++row) {
        std::memcpy(&pixels[static_cast<std::size_t>(row) * static_cast<std::size_t>(newWidth)],
                    &m_pixels[static_cast<std::size_t>(row) * static_cast<std::size_t>(m_width)],
                    static_cast<std::size_t>(m_width));
    }
    m_pixels = std::move(pixels);
    m_width = newWidth;
    m_height = newHeight;
    ++m_grows;
    ++m_generation;
}

const AtlasGlyph& GlyphAtlas::Ensure(int font, std::uint32_t glyphId, float pixelSize) {
    const std::uint64_t key = Key(font, glyphId, pixelSize);
    if (auto it = m_glyphs.find(key); it != m_glyphs.end())
        return it->second;

    AtlasGlyph glyph;
    FT_Face face = m_fonts.Internal().ActivateSize(font, pixelSize);
    if (FT_Load_Glyph(face, glyphId, FT_LOAD_NO_BITMAP | FT_LOAD_TARGET_LIGHT) == 0 &&
        FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL) == 0) {
        const FT_Bitmap& bitmap = face->glyph->bitmap;
        glyph.width = static_cast<int>(bitmap.width);
        glyph.height = static_cast<int>(bitmap.rows);
        glyph.bearingX = face->glyph->bitmap_left;
        glyph.bearingY = face->glyph->bitmap_top;
        if (glyph.width > 0 && glyph.height > 0 && bitmap.pixel_mode == FT_PIXEL_MODE_GRAY) {
            while (!Place(glyph.width, glyph.height, glyph.x, glyph.y))
                Grow();
            const int pitch = std::abs(bitmap.pitch);
            for (int row = 0; row < glyph.height; ++row) {
                const int sourceRow = bitmap.pitch >= 0 ? row : glyph.height - 1 - row;
                std::memcpy(&m_pixels[static_cast<std::size_t>(glyph.y + row) *
                                          static_cast<std::size_t>(m_width) +
                                      static_cast<std::size_t>(glyph.x)],
                            bitmap.buffer + static_cast<std::ptrdiff_t>(sourceRow) * pitch,
                            static_cast<std::size_t>(glyph.width));
            }
            ++m_generation;
        } else {
            glyph.width = glyph.height = 0;
        }
    }
    return m_glyphs.emplace(key, glyph).first->second;
}

void GlyphAtlas::EnsureAll(const ShapedText& shaped) {
    for (const ShapedGlyph& glyph : shaped.glyphs)
        Ensure(glyph.font, glyph.glyphId, shaped.pixelSize);
}

UvRect GlyphAtlas::Uv(const AtlasGlyph& glyph) const {
    const float w = static_cast<float>(m_width);
    const float h = static_cast<float>(m_height);
    return UvRect{static_cast<float>(glyph.x) / w, static_cast<float>(glyph.y) / h,
                  static_cast<float>(glyph.x + glyph.width) / w,
                  static_cast<float>(glyph.y + glyph.height) / h};
}

}  // namespace fk::text
