#pragma once
// Script runs, font choice and HarfBuzz shaping, with a cache of shaped strings.
//
// Thread affinity: UI thread only (TextShaper borrows the FontSet's HarfBuzz fonts).
// Ownership: TextShaper borrows a FontSet that must outlive it. Shaped strings are handed out
// as shared_ptr<const ShapedText>, so a result stays valid after the cache evicts it.
// Failure: shaping itself does not fail; invalid UTF-8 bytes shape as U+FFFD, characters no
// font has shape as the first font's .notdef glyph.

#include "text/FontSet.h"

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fk::text {

// A stretch of the text in one script, shaped with one font. Byte offsets into the UTF-8 text.
struct TextRun {
    std::uint32_t start = 0;
    std::uint32_t end = 0;
    int font = 0;
    std::string
        script;  // ISO 15924 tag in lower case as hb-shape --script takes it: "latn", "deva"
    std::size_t glyphBegin = 0;  // this run's glyphs in ShapedText::glyphs
    std::size_t glyphEnd = 0;
};

// One positioned glyph. Positions are pixels at the shaped size; x grows right, y grows up.
struct ShapedGlyph {
    int font = 0;
    std::uint32_t glyphId = 0;
    std::uint32_t cluster = 0;  // byte offset in the whole text where the glyph's cluster starts
    float xOffset = 0;
    float yOffset = 0;
    float xAdvance = 0;
    float yAdvance = 0;
};

struct ShapedText {
    std::string text;
    std::string language;
    float pixelSize = 0;
    std::vector<TextRun> runs;
    std::vector<ShapedGlyph> glyphs;  // in visual order (all supported scripts are left-to-right)
    float width = 0;                  // sum of advances
    float ascender = 0;               // the largest over the fonts used (pixels above baseline)
    float descender = 0;              // the lowest, negative
    float LineHeight() const { return ascender - descender; }
};

// Splits UTF-8 text into runs of one script and one font. Common and Inherited characters
// (spaces, digits, punctuation, combining marks) join the run before them, or the first run
// after them at the start of the text. Each run uses the first font in the set that covers its
// script's characters; characters that font lacks move to the next font that has them.
// Text with no script at all (only digits, say) is a Latin run. glyphBegin/glyphEnd are 0.
std::vector<TextRun> SplitRuns(const FontSet& fonts, std::string_view utf8);

struct ShapeCacheStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t evictions = 0;
    std::size_t entries = 0;
};

class TextShaper {
  public:
    static constexpr std::size_t kDefaultCacheCapacity = 4096;

    explicit TextShaper(FontSet& fonts, std::size_t cacheCapacity = kDefaultCacheCapacity);

    // Shaped text from the cache, keyed by (text, font set, pixel size, language); shaped and
    // stored on a miss (least recently used entry evicted when full).
    std::shared_ptr<const ShapedText> Shape(std::string_view utf8, float pixelSize,
                                            std::string_view language);
    // Shapes without touching the cache or its counters.
    ShapedText ShapeUncached(std::string_view utf8, float pixelSize,
                             std::string_view language) const;

    ShapeCacheStats Stats() const;
    void ClearCache();
    FontSet& Fonts() const { return m_fonts; }

  private:
    using LruList = std::list<std::pair<std::string, std::shared_ptr<const ShapedText>>>;
    FontSet& m_fonts;
    std::size_t m_capacity;
    LruList m_lru;                                                    // front = most recently used
    std::unordered_map<std::string_view, LruList::iterator> m_index;  // keys point into m_lru
    ShapeCacheStats m_stats;
};

}  // namespace fk::text
