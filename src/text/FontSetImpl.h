#pragma once
// Private to src/text: the HarfBuzz and FreeType handles behind FontSet. Included only by
// src/text/*.cpp so hb.h and ft2build.h stay out of the public headers.

#include "text/FontSet.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_SIZES_H
#include <hb.h>

#include <cstdint>
#include <unordered_map>

namespace fk::text {

// Pixel sizes are keyed in 26.6 fixed point so 18.5 px and 18 px are different entries.
inline std::uint32_t SizeKey(float pixelSize) {
    return static_cast<std::uint32_t>(pixelSize * 64.0f + 0.5f);
}

struct SizedFont {
    FT_Size ftSize = nullptr;     // owned by the FT_Face
    hb_font_t* hbFont = nullptr;  // scale in 26.6 pixels
    FontMetrics metrics;
};

struct FontSet::Impl {
    struct Font {
        std::filesystem::path path;
        FT_Face ftFace = nullptr;
        hb_face_t* hbFace = nullptr;
        std::unordered_map<std::uint32_t, SizedFont> sizes;
    };

    ~Impl();
    // The font at a pixel size: creates the FreeType size (FT_SIZE_REQUEST_TYPE_REAL_DIM, as
    // ImGui means a font size) and the HarfBuzz font scaled to match, once per size.
    SizedFont& Sized(int font, float pixelSize);
    // Makes the FreeType face of `font` render at pixelSize (for rasterising).
    FT_Face ActivateSize(int font, float pixelSize);

    FT_Library library = nullptr;
    std::vector<Font> fonts;
    std::uint64_t id = 0;
};

}  // namespace fk::text
