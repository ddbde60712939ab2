// libFuzzer target over the text engine's script-run splitter and line breaker with arbitrary
// bytes (invalid UTF-8 included), on the kiosk's real fonts (fonts-noto-core). The first byte
// picks the language and the wrap width; the rest is the text. Properties: runs tile the text in
// order without gaps, each on a font of the set, and never split a UTF-8 sequence the decoder
// reads as one character; every glyph's cluster lies inside the text; lines tile the glyphs and
// the bytes in order; only a line holding a single unbreakable word may exceed the width.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "FuzzCheck.h"
#include "text/FontSet.h"
#include "text/Layout.h"
#include "text/Shaper.h"
#include "text/Utf8.h"

namespace {

fk::text::FontSet& Fonts() {
    static fk::text::FontSet fonts = fk::text::FontSet::Open(fk::text::DefaultFontSetConfig());
    return fonts;
}

std::string Describe(std::string_view text) {
    std::string hex;
    static const char* digits = "0123456789abcdef";
    for (unsigned char c : text.substr(0, 200)) {
        hex.push_back(digits[c >> 4]);
        hex.push_back(digits[c & 15]);
    }
    return hex;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    static const char* languages[] = {"en", "hi", "ne", "te", "da", ""};
    const std::string_view language = languages[data[0] % 6];
    const float maxWidth = static_cast<float>((data[0] >> 3) * 12);  // 0 (no wrap) .. 372 px
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (text.size() > 4096)
        return 0;  // the kiosk's strings are short; keep iterations fast
    const std::string hex = Describe(text);

    fk::text::FontSet& fonts = Fonts();
    const auto runs = fk::text::SplitRuns(fonts, text);
    std::uint32_t at = 0;
    for (const auto& run : runs) {
        FK_FUZZ_CHECK(run.start == at && run.end > run.start && run.end <= text.size(), hex);
        FK_FUZZ_CHECK(run.font >= 0 && run.font < fonts.Count(), hex);
        FK_FUZZ_CHECK(!run.script.empty(), hex);
        at = run.end;
    }
    FK_FUZZ_CHECK(at == text.size(), hex);
    // Run boundaries fall on character boundaries as DecodeUtf8 reads them.
    std::size_t offset = 0;
    auto run = runs.begin();
    while (offset < text.size()) {
        const auto decoded = fk::text::DecodeUtf8(text, offset);
        FK_FUZZ_CHECK(decoded.length >= 1 && offset + decoded.length <= text.size(), hex);
        while (run != runs.end() && run->end <= offset)
            ++run;
        FK_FUZZ_CHECK(run != runs.end() && offset + decoded.length <= run->end, hex);
        offset += decoded.length;
    }

    fk::text::TextShaper shaper(fonts, 4);
    const fk::text::ShapedText shaped = shaper.ShapeUncached(text, 32, language);
    for (const auto& glyph : shaped.glyphs) {
        FK_FUZZ_CHECK(glyph.cluster <= text.size() && glyph.font >= 0 && glyph.font < fonts.Count(),
                      hex);
    }
    const fk::text::TextLayout layout = fk::text::LayoutText(shaped, maxWidth);
    FK_FUZZ_CHECK(!layout.lines.empty(), hex);
    std::size_t glyph = 0;
    std::uint32_t byte = 0;
    for (const auto& line : layout.lines) {
        // Lines tile the glyphs except the glyph of each '\n', which ends a line undrawn.
        for (std::size_t skipped = glyph;
             skipped < line.glyphBegin && skipped < shaped.glyphs.size(); ++skipped) {
            FK_FUZZ_CHECK(text[shaped.glyphs[skipped].cluster] == '\n', hex);
        }
        FK_FUZZ_CHECK(line.glyphBegin >= glyph && line.glyphEnd >= line.glyphBegin, hex);
        FK_FUZZ_CHECK(line.byteBegin == byte && line.byteEnd >= line.byteBegin, hex);
        FK_FUZZ_CHECK(line.width >= 0 && line.width <= layout.width + 0.01f, hex);
        if (maxWidth > 0 && line.width > maxWidth + 0.5f) {
            // Only an unbreakable word may overflow: inside the line no cluster that starts
            // with a space (or U+200B) is followed by one that does not, which is where a line
            // may break (breaks happen only where a cluster starts; a mark after a space joins
            // the space's cluster).
            auto isSpace = [&](std::uint32_t byte) {
                return text[byte] == ' ' || text[byte] == '\t' ||
                       text.substr(byte, 3) == "\xE2\x80\x8B";
            };
            for (std::size_t g = line.glyphBegin + 1; g < line.glyphEnd; ++g) {
                const std::uint32_t previous = shaped.glyphs[g - 1].cluster;
                const std::uint32_t current = shaped.glyphs[g].cluster;
                FK_FUZZ_CHECK(current == previous || !isSpace(previous) || isSpace(current), hex);
            }
        }
        glyph = line.glyphEnd;
        byte = line.byteEnd;
    }
    FK_FUZZ_CHECK(glyph <= shaped.glyphs.size(), hex);
    FK_FUZZ_CHECK(byte == text.size(), hex);
    return 0;
}
