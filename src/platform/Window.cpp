#include "platform/Window.h"

#include "platform/DisplayProblem.h"
#include "platform/GlContext.h"

#include <cmath>
#include <stdexcept>

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <spdlog/spdlog.h>

namespace fk::platform {

namespace {

std::string LastGlfwError() {
    const char* description = nullptr;
    const int code = glfwGetError(&description);
    if (code == GLFW_NO_ERROR)
        return "unknown GLFW error";
    return std::string(description ? description : "?") + " (GLFW error " + std::to_string(code) +
           ")";
}

void HintDesktop33Core() {
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
}

void HintEs30() {
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_ANY_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_FALSE);
}

}  // namespace

void Window::CountEvent(GLFWwindow* window) {
    if (auto* self = static_cast<Window*>(glfwGetWindowUserPointer(window)))
        ++self->m_events;
}

void Window::OnMouseButton(GLFWwindow* window, int button, int action, int) {
    auto* self = static_cast<Window*>(glfwGetWindowUserPointer(window));
    if (!self)
        return;
    ++self->m_events;
    if (button != GLFW_MOUSE_BUTTON_LEFT)
        return;
    double x = 0;
    double y = 0;
    glfwGetCursorPos(window, &x, &y);
    if (action == GLFW_PRESS) {
        self->m_pointer.Press(static_cast<float>(x), static_cast<float>(y));
    } else if (action == GLFW_RELEASE) {
        self->m_pointer.Release(static_cast<float>(x), static_cast<float>(y));
    }
}

void Window::OnCursorPos(GLFWwindow* window, double x, double y) {
    auto* self = static_cast<Window*>(glfwGetWindowUserPointer(window));
    if (!self)
        return;
    ++self->m_events;
    self->m_pointer.Move(static_cast<float>(x), static_cast<float>(y));
}

Window::Window(const WindowOptions& options) {
    if (!glfwInit())
        throw std::runtime_error(
            DescribeDisplayProblem(CurrentDisplayFacts(LastGlfwError(), false)));
    GLFWmonitor* monitor = nullptr;
    int width = options.width;
    int height = options.height;
    if (options.fullscreen) {
        monitor = glfwGetPrimaryMonitor();
        if (monitor) {
            const GLFWvidmode* mode = glfwGetVideoMode(monitor);
            width = mode->width;
            height = mode->height;
            glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
        }
        glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);
    }
    HintDesktop33Core();
    m_window = glfwCreateWindow(width, height, options.title.c_str(), monitor, nullptr);
    std::string desktopWhy;
    if (!m_window) {
        // A driver with desktop GL below 3.3 (Debian 12's Mesa on v3d and panfrost) still
        // offers GL ES 3.0, which draws the same.
        desktopWhy = LastGlfwError();
        HintEs30();
        m_window = glfwCreateWindow(width, height, options.title.c_str(), monitor, nullptr);
        if (m_window)
            spdlog::info("no OpenGL 3.3 core context ({}), using OpenGL ES 3.0", desktopWhy);
    }
    if (!m_window) {
        const std::string why =
            "OpenGL 3.3 core: " + desktopWhy + "; OpenGL ES 3.0: " + LastGlfwError();
        glfwTerminate();
        throw std::runtime_error(
            "cannot create a " + std::to_string(width) + "x" + std::to_string(height) +
            " window: " + DescribeDisplayProblem(CurrentDisplayFacts(why, true)));
    }
    glfwMakeContextCurrent(m_window);
    m_glApi = CurrentGlApi();
    glfwSwapInterval(options.vsync ? 1 : 0);
    if (options.hideCursor)
        glfwSetInputMode(m_window, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);

    // Our callbacks first: the ImGui backend chains to them, so every input event is counted.
    glfwSetWindowUserPointer(m_window, this);
    glfwSetMouseButtonCallback(m_window, OnMouseButton);
    glfwSetCursorPosCallback(m_window, OnCursorPos);
    glfwSetKeyCallback(m_window, [](GLFWwindow* w, int, int, int, int) { CountEvent(w); });
    glfwSetCharCallback(m_window, [](GLFWwindow* w, unsigned int) { CountEvent(w); });
    glfwSetScrollCallback(m_window, [](GLFWwindow* w, double, double) { CountEvent(w); });
    glfwSetCursorEnterCallback(m_window, [](GLFWwindow* w, int) { CountEvent(w); });
    glfwSetWindowFocusCallback(m_window, [](GLFWwindow* w, int) { CountEvent(w); });
    glfwSetFramebufferSizeCallback(m_window, [](GLFWwindow* w, int, int) { CountEvent(w); });
    glfwSetWindowRefreshCallback(m_window, [](GLFWwindow* w) { CountEvent(w); });

    IMGUI_CHECKVERSION();
    m_imgui = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    // The backend would otherwise set its arrow cursor (GLFW_CURSOR_NORMAL) again every frame.
    if (options.hideCursor)
        io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
    ImGui_ImplGlfw_InitForOpenGL(m_window, true);
    ImGui_ImplOpenGL3_Init(ImGuiGlslVersion(m_glApi));
}

Window::~Window() {
    if (m_imgui) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext(m_imgui);
    }
    if (m_window)
        glfwDestroyWindow(m_window);
    glfwTerminate();
}

bool Window::ShouldClose() const {
    return glfwWindowShouldClose(m_window) != 0;
}
void Window::RequestClose() {
    glfwSetWindowShouldClose(m_window, GLFW_TRUE);
}

void Window::WaitEvents(double timeoutS) {
    if (timeoutS <= 0) {
        glfwPollEvents();
    } else {
        glfwWaitEventsTimeout(timeoutS);
    }
}

void Window::BeginFrame() {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Replaces the backend's once-per-frame reading of button 0 and the position, which merges
    // the presses and releases since the last frame.
    if (m_pointer.Seen()) {
        const ui::PointerState p = m_pointer.NextFrame();
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(p.x, p.y);
        io.MouseDown[0] = p.down;
    }
    ImGui::NewFrame();
}

bool Window::CursorHidden() const {
    return glfwGetInputMode(m_window, GLFW_CURSOR) == GLFW_CURSOR_HIDDEN;
}

ui::PointerState Window::Pointer() const {
    const ImGuiIO& io = ImGui::GetIO();
    return ui::PointerState{io.MouseDown[0], io.MousePos.x, io.MousePos.y};
}

void Window::RenderFrame() {
    ImGui::Render();
    const Size fb = FramebufferSize();
    glViewport(0, 0, fb.width, fb.height);
    glClearColor(0.965f, 0.957f, 0.937f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Window::Swap() {
    glfwSwapBuffers(m_window);
}

Size Window::WindowSize() const {
    Size s;
    glfwGetWindowSize(m_window, &s.width, &s.height);
    return s;
}

Size Window::FramebufferSize() const {
    Size s;
    glfwGetFramebufferSize(m_window, &s.width, &s.height);
    return s;
}

float Window::MonitorDpi() const {
    GLFWmonitor* monitor = glfwGetWindowMonitor(m_window);
    if (!monitor)
        monitor = glfwGetPrimaryMonitor();
    if (!monitor)
        return 0;
    int mmW = 0;
    int mmH = 0;
    glfwGetMonitorPhysicalSize(monitor, &mmW, &mmH);
    const GLFWvidmode* mode = glfwGetVideoMode(monitor);
    if (mmW <= 0 || !mode)
        return 0;
    return static_cast<float>(mode->width) * 25.4f / static_cast<float>(mmW);
}

std::string Window::GlRenderer() const {
    const auto* r = glGetString(GL_RENDERER);
    const auto* v = glGetString(GL_VERSION);
    return std::string(r ? reinterpret_cast<const char*>(r) : "?") + " / " +
           (v ? reinterpret_cast<const char*>(v) : "?");
}

void Window::Wake() {
    glfwPostEmptyEvent();
}

}  // namespace fk::platform
