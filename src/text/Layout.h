#pragma once
// Line breaking on shaped advances. Pure functions of their inputs; any thread.

#include "text/Shaper.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fk::text {

struct TextLine {
    std::size_t glyphBegin = 0;  // glyphs [glyphBegin, glyphEnd) of the ShapedText
    std::size_t glyphEnd = 0;
    std::uint32_t byteBegin = 0;  // text bytes [byteBegin, byteEnd), trailing spaces included
    std::uint32_t byteEnd = 0;
    float width = 0;  // advance width without trailing spaces
};

struct TextLayout {
    std::vector<TextLine> lines;
    float width = 0;       // widest line
    float lineHeight = 0;  // ascender - descender of the shaped text
    float ascender = 0;
    float Height() const { return lineHeight * static_cast<float>(lines.size()); }
};

// Greedy line breaking into lines no wider than maxWidth. Lines break after spaces (and at
// U+200B) and at '\n', only where a cluster starts: a cluster is never split. A word wider than
// maxWidth gets a line of its own (and is then the only line wider than the box). maxWidth <= 0
// means no wrapping (only '\n' breaks). Empty text gives one empty line.
TextLayout LayoutText(const ShapedText& shaped, float maxWidth);

}  // namespace fk::text
