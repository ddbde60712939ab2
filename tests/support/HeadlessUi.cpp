#include "support/HeadlessUi.h"

#include <doctest/doctest.h>

namespace fk::test {

ImGuiContextGuard::ImGuiContextGuard(float width, float height) : m_ctx(ImGui::CreateContext()) {
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = ImVec2(width, height);
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* pixels = nullptr;
    int w = 0;
    int h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(1)));
}

ImGuiContextGuard::~ImGuiContextGuard() {
    ImGui::DestroyContext(m_ctx);
}

void ImGuiContextGuard::Resize(float width, float height) {
    ImGui::GetIO().DisplaySize = ImVec2(width, height);
}

FlowConfig DefaultFlowConfig(core::RepMode mode) {
    FlowConfig c;
    c.settings.repMode = mode;
    c.settings.repIds = {"r1", "r2", "r3"};
    c.settings.reasonCodes = {"wait_time", "staff", "price"};
    c.settings.languages = {"en", "da"};
    c.settings.misuse.minIntervalS = 0;
    c.settings.misuse.maxPerWindow = 0;
    c.settings.undoMs = 0;  // "change my answer" has its own cases (FlowTest "undo")
    return c;
}

Flow::Flow(FlowConfig config)
    : session(config.settings, clock),
      m_config(std::move(config)),
      m_imgui(m_config.width, m_config.height),
      m_screens(m_text, m_faces) {
    Step();
}

ui::KioskView Flow::View() const {
    ui::KioskView v;
    v.step = session.CurrentStep();
    v.points = session.Settings().scale.Points();
    v.reps = m_config.reps;
    v.reasons = m_config.reasons;
    v.languages = m_config.languages;
    v.language = session.Language();
    v.strings = ui::EnglishStrings(v.points);
    v.notice = notice;
    v.dpi = m_config.dpi;
    v.nowMs = clock.SteadyMs();
    v.undo = session.UndoOffered();
    v.accessible = session.Accessible();
    return v;
}

ui::FrameOutput Flow::Step() {
    for (auto& e : session.Handle(core::ev::Tick{clock.SteadyMs()}))
        m_effects.push_back(std::move(e));
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ui::FrameOutput out = m_screens.Frame(View());
    ImGui::Render();
    if (out.touched) {
        for (auto& e : session.Handle(core::ev::Touch{}))
            m_effects.push_back(std::move(e));
    }
    for (const auto& a : out.actions) {
        for (auto& e : session.Handle(ui::ToSessionEvent(a)))
            m_effects.push_back(std::move(e));
    }
    m_last = out;
    return out;
}

void Flow::TapAt(float x, float y) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    io.MouseDown[0] = true;
    Step();
    clock.Advance(16);
    io.MouseDown[0] = false;
    Step();
    // Past the acknowledgement, and one more frame so the new screen's layout is current.
    clock.Advance(ui::KioskScreens::kAckMs + 4);
    Step();
    Step();
}

void Flow::Tap(const std::string& id) {
    const ui::ElementRect* e = m_last.layout.Find(id);
    REQUIRE_MESSAGE(e != nullptr, "no element " << id << " on screen " << m_last.layout.screen);
    TapAt(e->rect.CenterX(), e->rect.CenterY());
}

void Flow::Wait(std::int64_t ms) {
    clock.Advance(ms);
    Step();
}

std::vector<core::SessionEffect> Flow::TakeEffects() {
    auto out = std::move(m_effects);
    m_effects.clear();
    return out;
}

}  // namespace fk::test
