#pragma once
// Drives the kiosk screens and the FeedbackSession together with no window: an ImGui context
// with no backend, DisplaySize set, the font atlas built; taps are io.MousePos + io.MouseDown[0]
// over successive frames (ImGui 1.86: a click needs a frame down and a frame up).

#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/FeedbackSession.h"
#include "ui/KioskScreens.h"
#include "ui/Pointer.h"

namespace fk::test {

class ImGuiContextGuard {
  public:
    ImGuiContextGuard(float width, float height);
    ~ImGuiContextGuard();
    ImGuiContextGuard(const ImGuiContextGuard&) = delete;
    ImGuiContextGuard& operator=(const ImGuiContextGuard&) = delete;
    void Resize(float width, float height);

  private:
    ImGuiContext* m_ctx;
};

struct FlowConfig {
    core::SessionSettings settings;
    std::vector<ui::RepTile> reps = {{"r1", "Asha"}, {"r2", "Ravi"}, {"r3", "Mette"}};
    std::vector<ui::ReasonTile> reasons = {
        {"wait_time", "Waiting time"}, {"staff", "Staff attitude"}, {"price", "Prices"}};
    std::vector<ui::LanguageChoice> languages = {{"en", "English"}, {"da", "Dansk"}};
    float width = 1280;
    float height = 800;
    float dpi = 96;
};

FlowConfig DefaultFlowConfig(core::RepMode mode);

// What the platform layer would report for this frame's pointer: the headless tests set
// io.MousePos / io.MouseDown[0] directly, so they are the platform here.
inline ui::PointerState PointerFromImGui() {
    const ImGuiIO& io = ImGui::GetIO();
    return ui::PointerState{io.MouseDown[0], io.MousePos.x, io.MousePos.y};
}

class Flow {
  public:
    explicit Flow(FlowConfig config);

    // One frame: tick the session, draw, feed the frame's intents to the session.
    ui::FrameOutput Step();
    // A tap on a layout element: a frame down, a frame up, then frames past the acknowledgement.
    // Fails the test if the element is not on screen.
    void Tap(const std::string& id);
    // A tap at a window position (whatever is there).
    void TapAt(float x, float y);
    void Wait(std::int64_t ms);

    const std::string& Screen() const { return m_last.layout.screen; }
    const ui::ScreenLayout& Layout() const { return m_last.layout; }
    std::vector<core::SessionEffect> TakeEffects();

    core::FakeClock clock;
    core::FeedbackSession session;
    std::optional<ui::StaffNotice> notice;

  private:
    ui::KioskView View() const;

    FlowConfig m_config;
    ImGuiContextGuard m_imgui;
    ui::ImGuiTextPainter m_text;
    ui::DrawListFacePainter m_faces;
    ui::KioskScreens m_screens;
    ui::FrameOutput m_last;
    std::vector<core::SessionEffect> m_effects;
};

}  // namespace fk::test
