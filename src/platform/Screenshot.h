#pragma once
// PNG of what was drawn: reads the back buffer (call after rendering, before the swap).
// Main thread with the GL context current.

#include <string>

namespace fk::platform {

// Writes width x height pixels of the back buffer to path as RGB PNG. Returns an empty string on
// success, else what went wrong (GL error, file not writable).
std::string SaveScreenshotPng(const std::string& path, int width, int height);

}  // namespace fk::platform
