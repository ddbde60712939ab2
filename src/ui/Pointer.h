#pragma once
// The primary pointer (finger or mouse button 0) as the platform layer reads it each frame:
// what the corner hold watches. Plain value; no thread affinity.

namespace fk::ui {

struct PointerState {
    bool down = false;
    float x = 0;  // framebuffer pixels, as ui layouts use
    float y = 0;
};

}  // namespace fk::ui
