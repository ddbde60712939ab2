#include "ui/TextPainter.h"

#include <algorithm>
#include <filesystem>

namespace fk::ui {

ImFont* ImGuiTextPainter::Font() const { return m_font ? m_font : ImGui::GetFont(); }

ImVec2 ImGuiTextPainter::Measure(std::string_view text, float pixelSize, std::string_view) {
    return Font()->CalcTextSizeA(pixelSize, 1e9f, 0.0f, text.data(), text.data() + text.size());
}

void ImGuiTextPainter::Draw(ImDrawList* drawList, ImVec2 pos, std::string_view text, float pixelSize,
                            std::string_view, ImU32 colour) {
    drawList->AddText(Font(), pixelSize, pos, colour, text.data(), text.data() + text.size());
}

void DrawTextCentered(TextPainter& painter, ImDrawList* drawList, const Rect& box, std::string_view text,
                      float pixelSize, std::string_view language, ImU32 colour) {
    ImVec2 size = painter.Measure(text, pixelSize, language);
    if (size.x > box.w && size.x > 0) {
        const float scaled = std::max(pixelSize * 0.5f, pixelSize * box.w / size.x);
        size = painter.Measure(text, scaled, language);
        pixelSize = scaled;
    }
    const ImVec2 pos{box.CenterX() - size.x * 0.5f, box.CenterY() - size.y * 0.5f};
    painter.Draw(drawList, pos, text, pixelSize, language, colour);
}

ImFont* LoadDefaultUiFont(float pixelSize) {
    for (const char* path : {"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
                             "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"}) {
        std::error_code ec;
        if (std::filesystem::exists(path, ec)) {
            ImFontConfig cfg;
            cfg.OversampleH = 2;
            cfg.OversampleV = 2;
            // Latin + Latin-1 (Danish æøå) + general punctuation (’ “ ” …).
            static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0};
            if (ImFont* f = ImGui::GetIO().Fonts->AddFontFromFileTTF(path, pixelSize, &cfg, kRanges)) return f;
        }
    }
    return nullptr;
}

}  // namespace fk::ui
