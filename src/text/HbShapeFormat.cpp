#include "text/HbShapeFormat.h"

#include "text/Utf8.h"

#include <vector>

namespace fk::text {

std::string FormatRunLikeHbShape(const ShapedText& shaped, const TextRun& run) {
    // Character index of each byte offset in the run.
    std::vector<std::uint32_t> charIndex(run.end - run.start + 1, 0);
    std::uint32_t chars = 0;
    std::size_t offset = run.start;
    while (offset < run.end) {
        const DecodedChar decoded = DecodeUtf8(shaped.text, offset);
        for (std::size_t b = 0; b < decoded.length && offset + b <= run.end; ++b) {
            charIndex[offset + b - run.start] = chars;
        }
        offset += decoded.length;
        ++chars;
    }
    charIndex[run.end - run.start] = chars;

    std::string line = "[";
    for (std::size_t g = run.glyphBegin; g < run.glyphEnd; ++g) {
        if (g != run.glyphBegin)
            line += '|';
        const ShapedGlyph& glyph = shaped.glyphs[g];
        line += std::to_string(glyph.glyphId);
        line += '=';
        line += std::to_string(charIndex[glyph.cluster - run.start]);
    }
    line += ']';
    return line;
}

}  // namespace fk::text
