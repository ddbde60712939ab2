#pragma once
// ui::TextPainter on the shaped-text engine (fk::text: HarfBuzz runs, font fallback, FreeType
// glyph atlas): correct Devanagari and Telugu. The atlas is uploaded as a GL texture (one byte
// per pixel, swizzled to white + coverage alpha) and glyphs are drawn as ImDrawList quads.
// Main thread with the GL context current. Create() throws text::FontLoadError when the Noto
// fonts are missing; the app then keeps ImGuiTextPainter. Call EndFrame() after the screens drew
// and before rendering: it uploads new glyphs and fixes texture coordinates if the atlas grew.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ui/TextPainter.h"

namespace fk::text {
class TextEngine;
}

namespace fk::platform {

class ShapedTextPainter final : public ui::TextPainter {
  public:
    // fonts: Latin, Devanagari, Telugu files in fallback order; empty: Noto from fonts-noto-core.
    explicit ShapedTextPainter(
        const std::vector<std::filesystem::path>& fonts = {});  // throws text::FontLoadError
    ~ShapedTextPainter() override;
    ShapedTextPainter(const ShapedTextPainter&) = delete;
    ShapedTextPainter& operator=(const ShapedTextPainter&) = delete;

    ImVec2 Measure(std::string_view text, float pixelSize, std::string_view language) override;
    void Draw(ImDrawList* drawList, ImVec2 pos, std::string_view text, float pixelSize,
              std::string_view language, ImU32 colour) override;
    std::vector<std::string> WrapLines(std::string_view text, float pixelSize,
                                       std::string_view language, float width) override;
    void EndFrame();

    text::TextEngine& Engine() { return *m_engine; }

  private:
    struct Span {
        ImDrawList* list;
        int vtxBegin;
        int vtxEnd;
        int atlasW;
        int atlasH;
    };
    void Upload();

    std::unique_ptr<text::TextEngine> m_engine;
    unsigned m_texture = 0;
    std::uint64_t m_uploadedGeneration = ~std::uint64_t{0};
    std::vector<Span> m_spans;
};

}  // namespace fk::platform
