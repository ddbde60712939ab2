#pragma once
// GLSL sources from shaders/, embedded in the binary at build time (CMake generates the .cpp).
// Without a #version line: the loader prefixes the one the context needs.

namespace fk::platform::shaders {

extern const char* const kFaceVert;
extern const char* const kFaceFrag;

}  // namespace fk::platform::shaders
