#include "text/Shaper.h"

#include "text/FontSetImpl.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_SIZES_H
#include <hb.h>
#include "text/Utf8.h"

#include <algorithm>
#include <cstring>

namespace fk::text {

namespace {

struct CharInfo {
    std::uint32_t offset;
    std::uint32_t length;
    char32_t codepoint;
    hb_script_t script;  // resolved: never Common or Inherited after ResolveScripts
    bool attaches;       // Inherited, joiners, variation selectors: stay with the previous font
};

bool IsNeutral(hb_script_t script) {
    return script == HB_SCRIPT_COMMON || script == HB_SCRIPT_INHERITED ||
           script == HB_SCRIPT_UNKNOWN;
}

bool AttachesToPrevious(char32_t cp, hb_script_t rawScript) {
    return rawScript == HB_SCRIPT_INHERITED || cp == 0x200C || cp == 0x200D ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

std::vector<CharInfo> Classify(std::string_view utf8) {
    hb_unicode_funcs_t* unicode = hb_unicode_funcs_get_default();
    std::vector<CharInfo> chars;
    chars.reserve(utf8.size());
    std::size_t offset = 0;
    while (offset < utf8.size()) {
        DecodedChar decoded = DecodeUtf8(utf8, offset);
        hb_script_t raw = hb_unicode_script(unicode, decoded.codepoint);
        chars.push_back({static_cast<std::uint32_t>(offset),
                         static_cast<std::uint32_t>(decoded.length), decoded.codepoint, raw,
                         AttachesToPrevious(decoded.codepoint, raw)});
        offset += decoded.length;
    }
    // Neutral characters take the script before them; leading ones the first real script.
    hb_script_t previous = HB_SCRIPT_INVALID;
    std::size_t firstReal = chars.size();
    for (std::size_t i = 0; i < chars.size(); ++i) {
        if (IsNeutral(chars[i].script)) {
            chars[i].script = previous;
        } else {
            previous = chars[i].script;
            if (firstReal == chars.size())
                firstReal = i;
        }
    }
    const hb_script_t leading =
        firstReal < chars.size() ? chars[firstReal].script : HB_SCRIPT_LATIN;
    for (std::size_t i = 0; i < firstReal && i < chars.size(); ++i)
        chars[i].script = leading;
    return chars;
}

std::string ScriptTag(hb_script_t script) {
    char tag[5] = {};
    hb_tag_to_string(hb_script_to_iso15924_tag(script), tag);
    std::string result(tag, 4);
    std::transform(result.begin(), result.end(), result.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return result;
}

int FirstFontWith(const FontSet& fonts, char32_t cp) {
    for (int font = 0; font < fonts.Count(); ++font) {
        if (fonts.HasGlyph(font, cp))
            return font;
    }
    return -1;
}

}  // namespace

std::vector<TextRun> SplitRuns(const FontSet& fonts, std::string_view utf8) {
    std::vector<CharInfo> chars = Classify(utf8);
    std::vector<TextRun> runs;
    std::size_t i = 0;
    hb_unicode_funcs_t* unicode = hb_unicode_funcs_get_default();
    while (i < chars.size()) {
        // One script run: [i, j).
        std::size_t j = i;
        while (j < chars.size() && chars[j].script == chars[i].script)
            ++j;
        // Its primary font: the first that has the run's first character of its own script.
        int primary = -1;
        for (std::size_t k = i; k < j && primary < 0; ++k) {
            if (!IsNeutral(hb_unicode_script(unicode, chars[k].codepoint))) {
                primary = FirstFontWith(fonts, chars[k].codepoint);
            }
        }
        if (primary < 0)
            primary = 0;
        const std::string tag = ScriptTag(chars[i].script);
        int previousFont = primary;
        for (std::size_t k = i; k < j; ++k) {
            int font = primary;
            if (chars[k].attaches) {
                font = previousFont;
            } else if (!fonts.HasGlyph(primary, chars[k].codepoint)) {
                int fallback = FirstFontWith(fonts, chars[k].codepoint);
                if (fallback >= 0)
                    font = fallback;
            }
            const std::uint32_t end = chars[k].offset + chars[k].length;
            if (!runs.empty() && k > i && runs.back().font == font) {
                runs.back().end = end;
            } else {
                runs.push_back(TextRun{chars[k].offset, end, font, tag, 0, 0});
            }
            previousFont = font;
        }
        i = j;
    }
    return runs;
}

TextShaper::TextShaper(FontSet& fonts, std::size_t cacheCapacity)
    : m_fonts(fonts), m_capacity(std::max<std::size_t>(cacheCapacity, 1)) {}

ShapedText TextShaper::ShapeUncached(std::string_view utf8, float pixelSize,
                                     std::string_view language) const {
    ShapedText shaped;
    shaped.text = std::string(utf8);
    shaped.language = std::string(language);
    shaped.pixelSize = pixelSize;
    shaped.runs = SplitRuns(m_fonts, utf8);

    FontSet::Impl& impl = m_fonts.Internal();
    const hb_language_t hbLanguage =
        language.empty()
            ? hb_language_get_default()
            : hb_language_from_string(language.data(), static_cast<int>(language.size()));
    hb_buffer_t* buffer = hb_buffer_create();
    float penX = 0;
    bool haveMetrics = false;
    for (TextRun& run : shaped.runs) {
        SizedFont& sized = impl.Sized(run.font, pixelSize);
        if (!haveMetrics) {
            shaped.ascender = sized.metrics.ascender;
            shaped.descender = sized.metrics.descender;
            haveMetrics = true;
        } else {
            shaped.ascender = std::max(shaped.ascender, sized.metrics.ascender);
            shaped.descender = std::min(shaped.descender, sized.metrics.descender);
        }
        hb_buffer_clear_contents(buffer);
        // The run alone, without surrounding context, exactly as hb-shape sees a substring.
        const int length = static_cast<int>(run.end - run.start);
        hb_buffer_add_utf8(buffer, utf8.data() + run.start, length, 0, length);
        const hb_script_t script = hb_script_from_string(run.script.c_str(), -1);
        hb_buffer_set_script(buffer, script);
        // Always left to right: the kiosk's scripts all are, and line breaking and drawing
        // walk glyphs in logical order. A right-to-left run (Arabic, Hebrew, N'Ko in a rep's
        // name; no kiosk font has them) shaped RTL came back reversed and broke lines mid-word
        // (found by fuzz/TextFuzz.cpp, input in fuzz/regressions/text/).
        hb_buffer_set_direction(buffer, HB_DIRECTION_LTR);
        hb_buffer_set_language(buffer, hbLanguage);
        hb_buffer_guess_segment_properties(buffer);
        hb_shape(sized.hbFont, buffer, nullptr, 0);

        unsigned count = 0;
        const hb_glyph_info_t* infos = hb_buffer_get_glyph_infos(buffer, &count);
        const hb_glyph_position_t* positions = hb_buffer_get_glyph_positions(buffer, &count);
        run.glyphBegin = shaped.glyphs.size();
        for (unsigned g = 0; g < count; ++g) {
            ShapedGlyph glyph;
            glyph.font = run.font;
            glyph.glyphId = infos[g].codepoint;
            glyph.cluster = run.start + infos[g].cluster;
            glyph.xOffset = static_cast<float>(positions[g].x_offset) / 64.0f;
            glyph.yOffset = static_cast<float>(positions[g].y_offset) / 64.0f;
            glyph.xAdvance = static_cast<float>(positions[g].x_advance) / 64.0f;
            glyph.yAdvance = static_cast<float>(positions[g].y_advance) / 64.0f;
            penX += glyph.xAdvance;
            shaped.glyphs.push_back(glyph);
        }
        run.glyphEnd = shaped.glyphs.size();
    }
    hb_buffer_destroy(buffer);
    if (!haveMetrics && m_fonts.Count() > 0) {
        const FontMetrics metrics = m_fonts.Metrics(0, pixelSize);
        shaped.ascender = metrics.ascender;
        shaped.descender = metrics.descender;
    }
    shaped.width = penX;
    return shaped;
}

std::shared_ptr<const ShapedText> TextShaper::Shape(std::string_view utf8, float pixelSize,
                                                    std::string_view language) {
    std::string key;
    key.reserve(utf8.size() + language.size() + 24);
    key.append(std::to_string(m_fonts.Id())).push_back('\x1f');
    key.append(std::to_string(SizeKey(pixelSize))).push_back('\x1f');
    key.append(language).push_back('\x1f');
    key.append(utf8);

    if (auto it = m_index.find(key); it != m_index.end()) {
        ++m_stats.hits;
        m_lru.splice(m_lru.begin(), m_lru, it->second);
        return it->second->second;
    }
    ++m_stats.misses;
    auto shaped = std::make_shared<const ShapedText>(ShapeUncached(utf8, pixelSize, language));
    m_lru.emplace_front(std::move(key), shaped);
    m_index.emplace(std::string_view(m_lru.front().first), m_lru.begin());
    while (m_lru.size() > m_capacity) {
        m_index.erase(std::string_view(m_lru.back().first));
        m_lru.pop_back();
        ++m_stats.evictions;
    }
    m_stats.entries = m_lru.size();
    return shaped;
}

ShapeCacheStats TextShaper::Stats() const {
    ShapeCacheStats stats = m_stats;
    stats.entries = m_lru.size();
    return stats;
}

void TextShaper::ClearCache() {
    m_index.clear();
    m_lru.clear();
    m_stats.entries = 0;
}

}  // namespace fk::text
