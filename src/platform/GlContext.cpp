#include "platform/GlContext.h"

#include <cstring>

#include <GL/gl.h>

namespace fk::platform {

const char* GlApiName(GlApi api) {
    return api == GlApi::Es30 ? "OpenGL ES 3.0" : "OpenGL 3.3 core";
}

GlApi CurrentGlApi() {
    const auto* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
    return version && std::strncmp(version, "OpenGL ES", 9) == 0 ? GlApi::Es30
                                                                 : GlApi::Desktop33Core;
}

const char* ImGuiGlslVersion(GlApi api) {
    return api == GlApi::Es30 ? "#version 300 es" : "#version 150";
}

const char* ShaderHeader(GlApi api) {
    return api == GlApi::Es30 ? "#version 300 es\nprecision highp float;\nprecision highp int;\n"
                              : "#version 150\n";
}

}  // namespace fk::platform
