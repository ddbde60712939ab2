#pragma once
// The kiosk's GLFW window with an OpenGL 3.3 core context, or OpenGL ES 3.0 where the driver has no
// desktop 3.3 (platform/GlContext.h), and the ImGui GLFW + OpenGL3 backends.
// Fullscreen by default (no chrome); windowed for development and tests. With hideCursor there is
// no pointer cursor over the window whatever pointer devices are attached (ImGui's backend is told
// not to set its arrow again each frame).
// Event-driven: WaitEvents() sleeps until input, a posted wake-up or the timeout; the window
// counts input events so the loop draws frames only when something happened.
// Main thread only (GLFW's rule), except Wake(), which any thread may call.

#include <cstdint>
#include <memory>
#include <string>

#include "platform/GlContext.h"
#include "ui/Pointer.h"
#include "ui/PointerQueue.h"

struct GLFWwindow;
struct ImGuiContext;

namespace fk::platform {

struct WindowOptions {
    bool fullscreen = true;
    int width = 1280;  // windowed size; fullscreen uses the monitor's mode
    int height = 800;
    std::string title = "Feedback Kiosk";
    bool vsync = true;
    // No cursor over the window (kiosk mode); the kiosk sets it from [display] show_cursor.
    bool hideCursor = true;
};

struct Size {
    int width = 0;
    int height = 0;
};

class Window {
  public:
    // Creates the window, the GL context and the ImGui context + backends. Throws
    // std::runtime_error with GLFW's description when there is no display, or neither GL 3.3 core
    // nor GL ES 3.0.
    explicit Window(const WindowOptions& options);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    bool ShouldClose() const;
    void RequestClose();
    // Sleeps until an event, Wake() or timeoutS (<= 0: returns at once after polling).
    void WaitEvents(double timeoutS);
    // Input / resize / expose events seen so far (the loop compares to decide on frames).
    std::uint64_t EventCount() const { return m_events; }

    // Starts an ImGui frame (backends + ImGui::NewFrame). The primary pointer ImGui sees is the
    // next frame's worth of queued input (ui::PointerQueue): one press or release per frame.
    void BeginFrame();
    // The primary pointer as this frame's input has it (after BeginFrame): touch arrives as
    // mouse button 0 (Xwayland and X emulate a pointer for touch).
    ui::PointerState Pointer() const;
    // Presses or releases still queued: the loop draws another frame for them.
    bool InputPending() const { return m_pointer.Pending(); }
    // Whether the pointer cursor over the window is hidden right now (GLFW's cursor mode).
    bool CursorHidden() const;
    // Renders ImGui's draw data into the back buffer (cleared first). Does not swap.
    void RenderFrame();
    void Swap();

    Size WindowSize() const;
    Size FramebufferSize() const;
    // Dots per inch of the monitor the window is on (from its physical size), or 0 if unknown.
    float MonitorDpi() const;
    std::string GlRenderer() const;
    GlApi Api() const { return m_glApi; }

    // Wakes a WaitEvents() call from any thread.
    static void Wake();

    GLFWwindow* Handle() const { return m_window; }

  private:
    static void CountEvent(GLFWwindow* window);
    static void OnMouseButton(GLFWwindow* window, int button, int action, int mods);
    static void OnCursorPos(GLFWwindow* window, double x, double y);
    GLFWwindow* m_window = nullptr;
    ui::PointerQueue m_pointer;
    ImGuiContext* m_imgui = nullptr;
    std::uint64_t m_events = 0;
    GlApi m_glApi = GlApi::Desktop33Core;
};

}  // namespace fk::platform
