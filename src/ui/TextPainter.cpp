#include "ui/TextPainter.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace fk::ui {

ImFont* ImGuiTextPainter::Font() const {
    return m_font ? m_font : ImGui::GetFont();
}

ImVec2 ImGuiTextPainter::Measure(std::string_view text, float pixelSize, std::string_view) {
    return Font()->CalcTextSizeA(pixelSize, 1e9f, 0.0f, text.data(), text.data() + text.size());
}

void ImGuiTextPainter::Draw(ImDrawList* drawList, ImVec2 pos, std::string_view text,
                            float pixelSize, std::string_view, ImU32 colour) {
    drawList->AddText(Font(), pixelSize, pos, colour, text.data(), text.data() + text.size());
}

std::vector<std::string> TextPainter::WrapLines(std::string_view text, float pixelSize,
                                                std::string_view language, float width) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find(' ', pos);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view word = text.substr(pos, end - pos);
        if (!word.empty()) {
            std::string candidate =
                line.empty() ? std::string(word) : line + " " + std::string(word);
            if (!line.empty() && Measure(candidate, pixelSize, language).x > width) {
                lines.push_back(std::move(line));
                line = std::string(word);
            } else {
                line = std::move(candidate);
            }
        }
        pos = end + 1;
    }
    if (!line.empty())
        lines.push_back(std::move(line));
    return lines;
}

void DrawTextCentered(TextPainter& painter, ImDrawList* drawList, const Rect& box,
                      std::string_view text, float pixelSize, std::string_view language,
                      ImU32 colour) {
    ImVec2 size = painter.Measure(text, pixelSize, language);
    if (size.x > box.w && size.x > 0) {
        // Too wide for one line: wrap at spaces if the lines fit the box's height, a little
        // smaller if need be; else one line shrunk to fit (never below half size).
        for (float scale = 1.0f; scale >= 0.69f; scale *= 0.85f) {
            const float px = pixelSize * scale;
            const auto lines = painter.WrapLines(text, px, language, box.w);
            if (lines.size() < 2)
                break;
            const float lineH = painter.Measure(lines[0], px, language).y * 1.1f;
            bool fits = lineH * static_cast<float>(lines.size()) <= box.h;
            for (const auto& l : lines)
                fits = fits && painter.Measure(l, px, language).x <= box.w;
            if (!fits)
                continue;
            float y = box.CenterY() - lineH * static_cast<float>(lines.size()) * 0.5f;
            for (const auto& l : lines) {
                const ImVec2 ls = painter.Measure(l, px, language);
                painter.Draw(drawList,
                             ImVec2(box.CenterX() - ls.x * 0.5f, y + (lineH - ls.y) * 0.5f), l, px,
                             language, colour);
                y += lineH;
            }
            return;
        }
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
            if (ImFont* f =
                    ImGui::GetIO().Fonts->AddFontFromFileTTF(path, pixelSize, &cfg, kRanges))
                return f;
        }
    }
    return nullptr;
}

}  // namespace fk::ui
