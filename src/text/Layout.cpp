#include "text/Layout.h"

#include <algorithm>

namespace fk::text {

namespace {

bool IsBreakingSpace(char c) {
    return c == ' ' || c == '\t';
}

// A word and the spaces after it, as glyph and byte ranges.
struct Segment {
    std::size_t glyphBegin, glyphEnd;
    std::uint32_t byteBegin, byteEnd;
    float wordWidth = 0;   // without trailing spaces
    float spaceWidth = 0;  // trailing spaces
    bool hardBreakAfter = false;
};

}  // namespace

TextLayout LayoutText(const ShapedText& shaped, float maxWidth) {
    TextLayout layout;
    layout.lineHeight = shaped.LineHeight();
    layout.ascender = shaped.ascender;
    const std::string& text = shaped.text;
    const auto& glyphs = shaped.glyphs;

    // Classify each glyph by its cluster's first byte; build segments at cluster boundaries.
    std::vector<Segment> segments;
    std::size_t g = 0;
    while (g < glyphs.size()) {
        Segment segment{g, g, glyphs[g].cluster, glyphs[g].cluster};
        bool inSpaces = false;
        while (g < glyphs.size()) {
            // A cluster: glyphs with the same cluster value.
            std::size_t clusterEnd = g + 1;
            while (clusterEnd < glyphs.size() && glyphs[clusterEnd].cluster == glyphs[g].cluster) {
                ++clusterEnd;
            }
            const std::uint32_t byte = glyphs[g].cluster;
            const char c = byte < text.size() ? text[byte] : '\0';
            const bool newline = c == '\n';
            const bool zwsp = text.compare(byte, 3, "\xE2\x80\x8B") == 0;
            const bool space = IsBreakingSpace(c) || zwsp;
            if (!space && !newline && inSpaces)
                break;  // the next word starts here
            float advance = 0;
            for (std::size_t k = g; k < clusterEnd; ++k)
                advance += glyphs[k].xAdvance;
            if (newline) {
                segment.hardBreakAfter = true;
                segment.glyphEnd = g;  // the newline's glyph is not drawn
                g = clusterEnd;
                break;
            }
            if (space) {
                inSpaces = true;
                segment.spaceWidth += advance;
            } else {
                segment.wordWidth += advance;
            }
            g = clusterEnd;
            segment.glyphEnd = g;
        }
        segment.byteEnd =
            g < glyphs.size() ? glyphs[g].cluster : static_cast<std::uint32_t>(text.size());
        segments.push_back(segment);
    }

    TextLine line;
    bool lineOpen = false;
    bool afterHardBreak = false;
    float pending = 0;  // trailing spaces of the line so far, counted only if a word follows
    auto finish = [&]() {
        layout.lines.push_back(line);
        layout.width = std::max(layout.width, line.width);
        lineOpen = false;
        pending = 0;
    };
    for (const Segment& segment : segments) {
        if (lineOpen && maxWidth > 0 && line.width + pending + segment.wordWidth > maxWidth) {
            finish();
        }
        if (!lineOpen) {
            line = TextLine{segment.glyphBegin, segment.glyphBegin, segment.byteBegin,
                            segment.byteBegin, 0};
            lineOpen = true;
        }
        line.width += pending + segment.wordWidth;
        pending = segment.spaceWidth;
        line.glyphEnd = segment.glyphEnd;
        line.byteEnd = segment.byteEnd;
        afterHardBreak = segment.hardBreakAfter;
        if (segment.hardBreakAfter)
            finish();
    }
    if (lineOpen) {
        finish();
    } else if (afterHardBreak || layout.lines.empty()) {
        // Text ending in '\n' has an empty last line; empty text has one empty line.
        const auto end = static_cast<std::uint32_t>(text.size());
        line = TextLine{glyphs.size(), glyphs.size(), end, end, 0};
        finish();
    }
    return layout;
}

}  // namespace fk::text
