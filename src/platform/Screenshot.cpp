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
    std::vector<unsigned char> pixels(w * h * 3);
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    if (const GLenum err = glGetError(); err != GL_NO_ERROR) {
        return "glReadPixels failed with GL error " + std::to_string(err);
    }
    // GL rows run bottom-up; PNG rows top-down.
    std::vector<unsigned char> flipped(pixels.size());
    for (std::size_t y = 0; y < h; ++y) {
        std::memcpy(&flipped[y * w * 3], &pixels[(h - 1 - y) * w * 3], w * 3);
    }
    if (!stbi_write_png(path.c_str(), width, height, 3, flipped.data(), width * 3)) {
        return "cannot write PNG to " + path + " (is the directory there and writable?)";
    }
    return {};
}

}  // namespace fk::platform
