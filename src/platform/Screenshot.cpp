#include "platform/Screenshot.h"

#include <cstring>
#include <vector>

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <stb_image_write.h>

namespace fk::platform {

std::string SaveScreenshotPng(const std::string& path, int width, int height) {
    if (width <= 0 || height <= 0)
        return "nothing to capture: framebuffer is " + std::to_string(width) + "x" +
               std::to_string(height);
    const auto w = static_cast<std::size_t>(width);
    const auto h = static_cast<std::size_t>(height);
    // RGBA: the one format GL ES guarantees for glReadPixels.
    std::vector<unsigned char> pixels(w * h * 4);
    // Errors left by earlier calls are not ours (ImGui's desktop-built backend calls
    // glPolygonMode, which a GL ES context refuses).
    while (glGetError() != GL_NO_ERROR) {
    }
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    if (const GLenum err = glGetError(); err != GL_NO_ERROR) {
        return "glReadPixels failed with GL error " + std::to_string(err);
    }
    // GL rows run bottom-up; PNG rows top-down.
    std::vector<unsigned char> flipped(w * h * 3);
    for (std::size_t y = 0; y < h; ++y) {
        const unsigned char* from = &pixels[(h - 1 - y) * w * 4];
        unsigned char* to = &flipped[y * w * 3];
        for (std::size_t x = 0; x < w; ++x)
            std::memcpy(&to[x * 3], &from[x * 4], 3);
    }
    if (!stbi_write_png(path.c_str(), width, height, 3, flipped.data(), width * 3)) {
        return "cannot write PNG to " + path + " (is the directory there and writable?)";
    }
    return {};
}

}  // namespace fk::platform
