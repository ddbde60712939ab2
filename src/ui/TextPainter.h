#pragma once
// How screens draw customer-facing text. Screens only call this interface, so the shaped-text
// engine (fk::text: HarfBuzz runs -> textured quads from a glyph atlas) can plug in behind it
// without changing any screen. ImGuiTextPainter is the stand-in on an ImGui font: correct for
// Latin text, wrong for scripts that need shaping (Devanagari, Telugu).
// UI thread only; both calls must happen between ImGui::NewFrame() and ImGui::Render().

#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "ui/Layout.h"

namespace fk::ui {

class TextPainter {
  public:
    virtual ~TextPainter() = default;
    // Size of the text's ink box at pixelSize (the font's pixel height, as ImGui sizes fonts).
    virtual ImVec2 Measure(std::string_view text, float pixelSize, std::string_view language) = 0;
    // Draws with the top-left of the line box at pos.
    virtual void Draw(ImDrawList* drawList, ImVec2 pos, std::string_view text, float pixelSize,
                      std::string_view language, ImU32 colour) = 0;
    // The text's lines no wider than width (a word wider than width gets a line of its own);
    // empty text has none. Every screen wraps through this one call. The default breaks greedily
    // at spaces on Measure; the shaped painter uses text::LayoutText on shaped advances instead
    // (also at '\n' and U+200B, never inside a cluster).
    virtual std::vector<std::string> WrapLines(std::string_view text, float pixelSize,
                                               std::string_view language, float width);
};

// Draws with an ImGui font (the atlas's default font when font is null). The font is owned by
// the ImGui font atlas and must outlive the painter.
class ImGuiTextPainter final : public TextPainter {
  public:
    explicit ImGuiTextPainter(ImFont* font = nullptr) : m_font(font) {}
    ImVec2 Measure(std::string_view text, float pixelSize, std::string_view language) override;
    void Draw(ImDrawList* drawList, ImVec2 pos, std::string_view text, float pixelSize,
              std::string_view language, ImU32 colour) override;

  private:
    ImFont* Font() const;
    ImFont* m_font;
};

// Centres one line of text in box; shrinks it (down to half size) rather than overflow the box.
void DrawTextCentered(TextPainter& painter, ImDrawList* drawList, const Rect& box,
                      std::string_view text, float pixelSize, std::string_view language,
                      ImU32 colour);

// Loads Noto Sans (fonts-noto-core) into the current context's font atlas at pixelSize, or
// returns nullptr (the caller then uses ImGui's built-in font). Call before building the atlas.
ImFont* LoadDefaultUiFont(float pixelSize);

}  // namespace fk::ui
