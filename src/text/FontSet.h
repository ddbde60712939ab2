#pragma once
// The fonts the kiosk draws customer-facing text with, in fallback order.
//
// Thread affinity: UI thread only (owns a FreeType library and HarfBuzz fonts, neither of which
// is shared across threads here). Not copyable; movable.
// Ownership: FontSet owns every FreeType face and HarfBuzz font it opens; TextShaper and
// GlyphAtlas borrow it and must not outlive it.
// Failure: Open throws FontLoadError naming the file when a font is missing or unreadable.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace fk::text {

// Font files, in fallback order. The first font that covers a run's script is used for the run;
// characters it lacks fall back to the next font that has them.
struct FontSetConfig {
    std::vector<std::filesystem::path> fonts;
};

// Where Debian's fonts-noto-core puts its fonts.
inline constexpr const char* kDefaultNotoDir = "/usr/share/fonts/truetype/noto";
// Noto Sans, Noto Sans Devanagari, Noto Sans Telugu from dir.
FontSetConfig DefaultFontSetConfig(const std::filesystem::path& dir = kDefaultNotoDir);

// A font file could not be opened. The caller cannot draw text without it.
class FontLoadError : public std::runtime_error {
  public:
    FontLoadError(std::filesystem::path path, const std::string& reason);
    const std::filesystem::path& Path() const { return m_path; }

  private:
    std::filesystem::path m_path;
};
std::string to_string(const FontLoadError& error);

// Vertical metrics of one font at one pixel size, in pixels (y up: descender is negative).
struct FontMetrics {
    float ascender = 0;
    float descender = 0;
    float Height() const { return ascender - descender; }
};

class FontSet {
  public:
    // Opens every font in config (throws FontLoadError on the first one that fails; an empty
    // list is an error too).
    static FontSet Open(const FontSetConfig& config);
    ~FontSet();
    FontSet(FontSet&&) noexcept;
    FontSet& operator=(FontSet&&) noexcept;
    FontSet(const FontSet&) = delete;
    FontSet& operator=(const FontSet&) = delete;

    int Count() const;
    const std::filesystem::path& Path(int font) const;
    // True when the font maps the code point to a glyph other than .notdef.
    bool HasGlyph(int font, char32_t codepoint) const;
    // Metrics at a pixel size in ImGui's sense: the font's ascender - descender is pixelSize.
    FontMetrics Metrics(int font, float pixelSize) const;
    // Distinguishes font sets in cache keys (unique per process).
    std::uint64_t Id() const;

    struct Impl;
    Impl& Internal() const { return *m_impl; }

  private:
    explicit FontSet(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace fk::text
