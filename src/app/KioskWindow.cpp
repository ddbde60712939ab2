#include "app/KioskWindow.h"

#include <spdlog/spdlog.h>

namespace fk::app {

std::unique_ptr<KioskWindow> KioskWindow::Open(const AppOptions& options, bool hideCursor,
                                               const std::vector<std::filesystem::path>& fonts,
                                               float fallbackFontPx) {
    platform::WindowOptions wo;
    wo.fullscreen = options.fullscreen;
    wo.width = options.width;
    wo.height = options.height;
    wo.hideCursor = hideCursor;
    // Without vsync pacing a continuous loop would spin; with it, swaps block on real displays.
    wo.vsync = true;
    std::unique_ptr<KioskWindow> out(new KioskWindow());
    try {
        out->m_window = std::make_unique<platform::Window>(wo);
    } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return nullptr;
    }
    try {
        out->m_shaped = std::make_unique<platform::ShapedTextPainter>(fonts);
    } catch (const std::exception& e) {
        spdlog::error("shaped text unavailable ({}); drawing text with ImGui's font", e.what());
        out->m_imgui = ui::ImGuiTextPainter(ui::LoadDefaultUiFont(fallbackFontPx));
    }
    return out;
}

void KioskWindow::EndTextFrame() {
    if (m_shaped)
        m_shaped->EndFrame();
}

}  // namespace fk::app
