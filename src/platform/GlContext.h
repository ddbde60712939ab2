#pragma once
// Which OpenGL the current context speaks, and the shader header that goes with it. The kiosk asks
// for desktop OpenGL 3.3 core and falls back to OpenGL ES 3.0 (Debian 12's Mesa gives only desktop
// GL 3.1 on the Raspberry Pi 4/5 and on panfrost, but ES 3.0/3.1 there); everything it draws uses
// the subset both share.
// Functions taking no context read the current one: main thread, context current.

namespace fk::platform {

enum class GlApi {
    Desktop33Core,  // "#version 150" shaders (GLSL 1.50 is what ImGui's backend picks for 3.2+)
    Es30,           // "#version 300 es" shaders with explicit precision
};

const char* GlApiName(GlApi api);

// The current context's API, from GL_VERSION ("OpenGL ES 3.0 Mesa ..." for ES).
GlApi CurrentGlApi();

// The #version line for ImGui_ImplOpenGL3_Init (without a newline).
const char* ImGuiGlslVersion(GlApi api);

// Put before shader sources that carry no #version (shaders/*): the version line and, for ES,
// highp precision (the faces' signed distances need it at kiosk resolutions).
const char* ShaderHeader(GlApi api);

}  // namespace fk::platform
