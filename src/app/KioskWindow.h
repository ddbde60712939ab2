#pragma once
// The window and the text painter both frame loops (RunKiosk, RunNotSetUp) draw with, opened the
// same way: from the command line's window options, with shaped text (HarfBuzz + FreeType) for
// every language and ImGui's own Latin font only when the fonts cannot be loaded.
// Main thread only (it owns the GLFW window and its GL context). Owns both.

#include <filesystem>
#include <memory>
#include <vector>

#include "app/KioskApp.h"
#include "platform/ShapedTextPainter.h"
#include "platform/Window.h"
#include "ui/TextPainter.h"

namespace fk::app {

class KioskWindow {
  public:
    // nullptr when there is no display or no OpenGL 3.3 (logged as critical; the caller exits
    // with exit_code::kNoDisplay). Missing fonts are logged and fall back to ImGui's font at
    // fallbackFontPx (building that atlas costs start-up time, so only then).
    static std::unique_ptr<KioskWindow> Open(const AppOptions& options, bool hideCursor,
                                             const std::vector<std::filesystem::path>& fonts,
                                             float fallbackFontPx);

    platform::Window& PlatformWindow() { return *m_window; }
    ui::TextPainter& Text() {
        return m_shaped ? *m_shaped : static_cast<ui::TextPainter&>(m_imgui);
    }
    // After the frame's widgets, before RenderFrame: hands the shaped glyphs to the draw data.
    void EndTextFrame();

  private:
    KioskWindow() = default;
    std::unique_ptr<platform::Window> m_window;
    std::unique_ptr<platform::ShapedTextPainter> m_shaped;
    ui::ImGuiTextPainter m_imgui;
};

}  // namespace fk::app
