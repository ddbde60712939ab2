#pragma once
// The text engine in one object, for the UI layer: fonts, the shape cache and the glyph atlas.
//   TextEngine engine(DefaultFontSetConfig());
//   auto block = engine.Prepare("धन्यवाद!", 40, "hi", boxWidth);   // shaped (cached) + wrapped
//   auto quads = engine.Quads(block, {x, y, HAlign::Center, boxWidth});  // rasterises as needed
//   if (engine.Atlas().Generation() != uploaded) { upload Atlas().Pixels() as an R8 texture }
//
// Thread affinity: UI thread only. Ownership: owns its FontSet, TextShaper and GlyphAtlas.
// Failure: the constructor throws FontLoadError (naming the font file and fonts-noto-core);
// Quads throws AtlasFullError only if the atlas would exceed GlyphAtlas::kMaxSide.

#include "text/FontSet.h"
#include "text/GlyphAtlas.h"
#include "text/Layout.h"
#include "text/Shaper.h"
#include "text/TextQuads.h"

#include <memory>
#include <string_view>

namespace fk::text {

struct TextBlock {
    std::shared_ptr<const ShapedText> shaped;
    TextLayout layout;
    float Width() const { return layout.width; }
    float Height() const { return layout.Height(); }
};

class TextEngine {
  public:
    explicit TextEngine(const FontSetConfig& config,
                        std::size_t cacheCapacity = TextShaper::kDefaultCacheCapacity);

    // Shapes (through the cache) and wraps to maxWidth (<= 0: no wrapping).
    TextBlock Prepare(std::string_view utf8, float pixelSize, std::string_view language,
                      float maxWidth = 0);
    // Rasterises the block's glyphs if needed and returns its quads.
    QuadResult Quads(const TextBlock& block, const QuadOptions& options);

    FontSet& Fonts() { return *m_fonts; }
    TextShaper& Shaper() { return m_shaper; }
    GlyphAtlas& Atlas() { return m_atlas; }

  private:
    std::unique_ptr<FontSet> m_fonts;  // heap: shaper and atlas hold references to it
    TextShaper m_shaper;
    GlyphAtlas m_atlas;
};

}  // namespace fk::text
