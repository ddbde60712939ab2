#pragma once
// Private to src/text: the HarfBuzz and FreeType handles behind FontSet, shared by the
// src/text/*.cpp files. The handle types are only forward-declared here; hb.h and ft2build.h are
// included by the .cpp files alone.

#include "text/FontSet.h"

#include <cstdint>
#include <unordered_map>

// The C libraries' own struct tags (hb_font_t, FT_Face = FT_FaceRec_*, ...).
struct hb_font_t;
struct hb_face_t;
struct FT_FaceRec_;
struct FT_SizeRec_;
struct FT_LibraryRec_;

namespace fk::text {

// Pixel sizes are keyed in 26.6 fixed point so 18.5 px and 18 px are different entries.
inline std::uint32_t SizeKey(float pixelSize) {
    return static_cast<std::uint32_t>(pixelSize * 64.0f + 0.5f);
}

struct SizedFont {
    FT_SizeRec_* ftSize = nullptr;  // owned by the FT_Face
    hb_font_t* hbFont = nullptr;    // scale in 26.6 pixels
    FontMetrics metrics;
};

struct FontSet::Impl {
    struct Font {
        std::filesystem::path path;
        FT_FaceRec_* ftFace = nullptr;
        hb_face_t* hbFace = nullptr;
        std::unordered_map<std::uint32_t, SizedFont> sizes;
    };

    ~Impl();
    // The font at a pixel size: creates the FreeType size (FT_SIZE_REQUEST_TYPE_REAL_DIM, as
    // ImGui means a font size) and the HarfBuzz font scaled to match, once per size.
    SizedFont& Sized(int font, float pixelSize);
    // Makes the FreeType face of `font` render at pixelSize (for rasterising).
    FT_FaceRec_* ActivateSize(int font, float pixelSize);

    FT_LibraryRec_* library = nullptr;
    std::vector<Font> fonts;
    std::uint64_t id = 0;
};

}  // namespace fk::text
