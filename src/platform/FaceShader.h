#pragma once
// Smiley faces drawn by the GLSL shaders in shaders/ (signed-distance faces, anti-aliased at any
// size, squash animation) through ImDrawList callbacks, so they interleave with ImGui drawing.
// If the shaders fail to compile or link, the GL info log is logged and Ok() is false: the app
// then draws faces with ui::DrawListFacePainter.
// Main thread with the GL context current; DrawFace between NewFrame and Render, and the frame's
// draw data must be rendered before the next BeginFrame().

#include <deque>
#include <string>

#include "ui/FacePainter.h"

namespace fk::platform {

struct ProgramResult {
    unsigned program = 0;  // 0 on failure
    std::string error;     // which stage failed and the GL info log
};
// Compiles and links a vertex + fragment shader pair (sources without #version).
ProgramResult CompileProgram(const char* vertexSource, const char* fragmentSource);

class GlFacePainter final : public ui::FacePainter {
  public:
    GlFacePainter();
    ~GlFacePainter() override;
    GlFacePainter(const GlFacePainter&) = delete;
    GlFacePainter& operator=(const GlFacePainter&) = delete;

    bool Ok() const { return m_program != 0; }
    const std::string& Error() const { return m_error; }

    // Drops the previous frame's face parameters. Call once per frame before drawing.
    void BeginFrame() { m_faces.clear(); }
    void DrawFace(ImDrawList* drawList, const ui::Rect& box, ui::FaceKind kind,
                  const ui::FaceStyle& style) override;

  private:
    struct Face {
        GlFacePainter* painter;
        float rect[4];
        int kind;
        float fill[3];
        float squash;
        float alpha;
    };
    static void Callback(const ImDrawList* list, const ImDrawCmd* cmd);
    void Render(const Face& face);

    unsigned m_program = 0;
    unsigned m_vao = 0;
    unsigned m_vbo = 0;
    int m_uRect = -1, m_uDisplay = -1, m_uExtent = -1, m_uKind = -1, m_uFill = -1, m_uSquash = -1,
        m_uAlpha = -1;
    std::string m_error;
    std::deque<Face> m_faces;  // stable addresses for the callbacks' user data
};

}  // namespace fk::platform
