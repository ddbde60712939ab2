#include "text/TextEngine.h"

namespace fk::text {

TextEngine::TextEngine(const FontSetConfig& config, std::size_t cacheCapacity)
    : m_fonts(std::make_unique<FontSet>(FontSet::Open(config))),
      m_shaper(*m_fonts, cacheCapacity),
      m_atlas(*m_fonts) {}

TextBlock TextEngine::Prepare(std::string_view utf8, float pixelSize, std::string_view language,
                              float maxWidth) {
    TextBlock block;
    block.shaped = m_shaper.Shape(utf8, pixelSize, language);
    block.layout = LayoutText(*block.shaped, maxWidth);
    return block;
}

QuadResult TextEngine::Quads(const TextBlock& block, const QuadOptions& options) {
    m_atlas.EnsureAll(*block.shaped);
    return BuildQuads(*block.shaped, block.layout, m_atlas, options);
}

}  // namespace fk::text
