#include "text/FontSet.h"

#include "text/FontSetImpl.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_SIZES_H
#include <hb.h>

#include <atomic>

namespace fk::text {

namespace {

std::string FtErrorText(FT_Error error) {
    const char* text = FT_Error_String(error);
    return text ? std::string(text) : "FreeType error " + std::to_string(error);
}

std::atomic<std::uint64_t> g_nextFontSetId{1};

}  // namespace

FontSetConfig DefaultFontSetConfig(const std::filesystem::path& dir) {
    return FontSetConfig{{dir / "NotoSans-Regular.ttf", dir / "NotoSansDevanagari-Regular.ttf",
                          dir / "NotoSansTelugu-Regular.ttf"}};
}

FontLoadError::FontLoadError(std::filesystem::path path, const std::string& reason)
    : std::runtime_error("cannot open font " + path.string() + ": " + reason +
                         " (install the Debian package fonts-noto-core, or set the font paths "
                         "in the kiosk config)"),
      m_path(std::move(path)) {}

std::string to_string(const FontLoadError& error) {
    return error.what();
}

FontSet::Impl::~Impl() {
    for (auto& font : fonts) {
        for (auto& [key, sized] : font.sizes) {
            if (sized.hbFont)
                hb_font_destroy(sized.hbFont);
            // FT_Size objects are released with their face.
        }
        if (font.hbFace)
            hb_face_destroy(font.hbFace);
        if (font.ftFace)
            FT_Done_Face(font.ftFace);
    }
    if (library)
        FT_Done_FreeType(library);
}

SizedFont& FontSet::Impl::Sized(int fontIndex, float pixelSize) {
    Font& font = fonts.at(static_cast<std::size_t>(fontIndex));
    const std::uint32_t key = SizeKey(pixelSize);
    if (auto it = font.sizes.find(key); it != font.sizes.end())
        return it->second;

    SizedFont sized;
    if (FT_Error error = FT_New_Size(font.ftFace, &sized.ftSize)) {
        throw std::runtime_error("FT_New_Size failed for " + font.path.string() + ": " +
                                 FtErrorText(error));
    }
    FT_Activate_Size(sized.ftSize);
    FT_Size_RequestRec request{};
    request.type = FT_SIZE_REQUEST_TYPE_REAL_DIM;
    request.width = 0;
    request.height = static_cast<FT_Long>(key);
    if (FT_Error error = FT_Request_Size(font.ftFace, &request)) {
        throw std::runtime_error("FT_Request_Size failed for " + font.path.string() + ": " +
                                 FtErrorText(error));
    }
    const FT_Size_Metrics& m = font.ftFace->size->metrics;
    // The em in 26.6 pixels: HarfBuzz then reports positions in 26.6 pixels too.
    const FT_Long xEm = FT_MulFix(font.ftFace->units_per_EM, m.x_scale);
    const FT_Long yEm = FT_MulFix(font.ftFace->units_per_EM, m.y_scale);
    sized.hbFont = hb_font_create(font.hbFace);
    hb_font_set_scale(sized.hbFont, static_cast<int>(xEm), static_cast<int>(yEm));
    sized.metrics.ascender =
        static_cast<float>(FT_MulFix(font.ftFace->ascender, m.y_scale)) / 64.0f;
    sized.metrics.descender =
        static_cast<float>(FT_MulFix(font.ftFace->descender, m.y_scale)) / 64.0f;
    return font.sizes.emplace(key, sized).first->second;
}

FT_Face FontSet::Impl::ActivateSize(int fontIndex, float pixelSize) {
    SizedFont& sized = Sized(fontIndex, pixelSize);
    FT_Face face = fonts.at(static_cast<std::size_t>(fontIndex)).ftFace;
    if (face->size != sized.ftSize)
        FT_Activate_Size(sized.ftSize);
    return face;
}

FontSet::FontSet(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
FontSet::~FontSet() = default;
FontSet::FontSet(FontSet&&) noexcept = default;
FontSet& FontSet::operator=(FontSet&&) noexcept = default;

FontSet FontSet::Open(const FontSetConfig& config) {
    if (config.fonts.empty())
        throw FontLoadError("", "the font list is empty");
    auto impl = std::make_unique<Impl>();
    impl->id = g_nextFontSetId++;
    if (FT_Error error = FT_Init_FreeType(&impl->library)) {
        throw std::runtime_error("FT_Init_FreeType failed: " + FtErrorText(error));
    }
    for (const auto& path : config.fonts) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) {
            throw FontLoadError(path, "no such file");
        }
        Impl::Font font;
        font.path = path;
        if (FT_Error error = FT_New_Face(impl->library, path.c_str(), 0, &font.ftFace)) {
            throw FontLoadError(path, "FreeType cannot read it: " + FtErrorText(error));
        }
        if (!FT_IS_SCALABLE(font.ftFace)) {
            FT_Done_Face(font.ftFace);
            throw FontLoadError(path, "not a scalable (outline) font");
        }
        hb_blob_t* blob = hb_blob_create_from_file_or_fail(path.c_str());
        if (!blob) {
            FT_Done_Face(font.ftFace);
            throw FontLoadError(path, "HarfBuzz cannot read it");
        }
        font.hbFace = hb_face_create(blob, 0);
        hb_blob_destroy(blob);
        impl->fonts.push_back(std::move(font));
    }
    return FontSet(std::move(impl));
}

int FontSet::Count() const {
    return static_cast<int>(m_impl->fonts.size());
}

const std::filesystem::path& FontSet::Path(int font) const {
    return m_impl->fonts.at(static_cast<std::size_t>(font)).path;
}

bool FontSet::HasGlyph(int font, char32_t codepoint) const {
    return FT_Get_Char_Index(m_impl->fonts.at(static_cast<std::size_t>(font)).ftFace,
                             static_cast<FT_ULong>(codepoint)) != 0;
}

FontMetrics FontSet::Metrics(int font, float pixelSize) const {
    return m_impl->Sized(font, pixelSize).metrics;
}

std::uint64_t FontSet::Id() const {
    return m_impl->id;
}

}  // namespace fk::text
