#include "platform/FaceShader.h"

#include <algorithm>
#include <string>
#include <vector>

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>
#include <spdlog/spdlog.h>

#include "platform/EmbeddedShaders.h"
#include "platform/GlContext.h"

namespace fk::platform {

namespace {

constexpr float kExtent = 1.15f;  // quad half-size in face radii: room for the squash

std::string ShaderLog(GLuint shader) {
    GLint len = 0;
    glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &len);
    std::string log(static_cast<std::size_t>(std::max(len, 1)), '\0');
    glGetShaderInfoLog(shader, len, nullptr, log.data());
    return log.c_str();
}

std::string ProgramLog(GLuint program) {
    GLint len = 0;
    glGetProgramiv(program, GL_INFO_LOG_LENGTH, &len);
    std::string log(static_cast<std::size_t>(std::max(len, 1)), '\0');
    glGetProgramInfoLog(program, len, nullptr, log.data());
    return log.c_str();
}

GLuint Compile(GLenum type, const char* source, std::string& error) {
    GLuint shader = glCreateShader(type);
    const char* sources[] = {ShaderHeader(CurrentGlApi()), source};
    glShaderSource(shader, 2, sources, nullptr);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        error = std::string(type == GL_VERTEX_SHADER ? "vertex" : "fragment") +
                " shader failed to compile: " + ShaderLog(shader);
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}

}  // namespace

ProgramResult CompileProgram(const char* vertexSource, const char* fragmentSource) {
    ProgramResult result;
    GLuint vs = Compile(GL_VERTEX_SHADER, vertexSource, result.error);
    if (!vs)
        return result;
    GLuint fs = Compile(GL_FRAGMENT_SHADER, fragmentSource, result.error);
    if (!fs) {
        glDeleteShader(vs);
        return result;
    }
    GLuint program = glCreateProgram();
    glAttachShader(program, vs);
    glAttachShader(program, fs);
    glBindAttribLocation(program, 0, "a_corner");
    glLinkProgram(program);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(program, GL_LINK_STATUS, &ok);
    if (!ok) {
        result.error = "face shader program failed to link: " + ProgramLog(program);
        glDeleteProgram(program);
        return result;
    }
    result.program = program;
    return result;
}

GlFacePainter::GlFacePainter() {
    ProgramResult r = CompileProgram(shaders::kFaceVert, shaders::kFaceFrag);
    if (!r.program) {
        m_error = r.error;
        spdlog::error("face shaders unavailable, drawing faces with ImDrawList instead: {}",
                      m_error);
        return;
    }
    m_program = r.program;
    m_uRect = glGetUniformLocation(m_program, "u_rect");
    m_uDisplay = glGetUniformLocation(m_program, "u_display");
    m_uExtent = glGetUniformLocation(m_program, "u_extent");
    m_uKind = glGetUniformLocation(m_program, "u_kind");
    m_uFill = glGetUniformLocation(m_program, "u_fill");
    m_uSquash = glGetUniformLocation(m_program, "u_squash");
    m_uAlpha = glGetUniformLocation(m_program, "u_alpha");
    const float corners[] = {0, 0, 1, 0, 0, 1, 1, 1};
    glGenVertexArrays(1, &m_vao);
    glGenBuffers(1, &m_vbo);
    glBindVertexArray(m_vao);
    glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
    glBufferData(GL_ARRAY_BUFFER, sizeof(corners), corners, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
}

GlFacePainter::~GlFacePainter() {
    if (m_vbo)
        glDeleteBuffers(1, &m_vbo);
    if (m_vao)
        glDeleteVertexArrays(1, &m_vao);
    if (m_program)
        glDeleteProgram(m_program);
}

void GlFacePainter::DrawFace(ImDrawList* drawList, const ui::Rect& box, ui::FaceKind kind,
                             const ui::FaceStyle& style) {
    const float d = std::min(box.w, box.h);
    const float r = d * 0.5f;
    const float cx = box.CenterX();
    const float cy = box.CenterY();
    Face face{};
    face.painter = this;
    face.rect[0] = cx - r * kExtent;
    face.rect[1] = cy - r * kExtent;
    face.rect[2] = 2 * r * kExtent;
    face.rect[3] = 2 * r * kExtent;
    face.kind = static_cast<int>(kind);
    ui::FaceColourRgb(kind, face.fill);
    if (style.pressed) {
        for (float& c : face.fill)
            c *= 0.8f;
    }
    face.squash = style.squash;
    face.alpha = style.alpha;
    m_faces.push_back(face);
    drawList->AddCallback(&GlFacePainter::Callback, &m_faces.back());
    // ImGui's backend restores its own program, buffers and state after our draw.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
    drawList->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
#pragma GCC diagnostic pop
}

void GlFacePainter::Callback(const ImDrawList*, const ImDrawCmd* cmd) {
    const auto* face = static_cast<const Face*>(cmd->UserCallbackData);
    face->painter->Render(*face);
}

void GlFacePainter::Render(const Face& face) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    glDisable(GL_SCISSOR_TEST);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glUseProgram(m_program);
    glUniform4fv(m_uRect, 1, face.rect);
    glUniform2f(m_uDisplay, display.x, display.y);
    glUniform1f(m_uExtent, kExtent);
    glUniform1i(m_uKind, face.kind);
    glUniform3fv(m_uFill, 1, face.fill);
    glUniform1f(m_uSquash, face.squash);
    glUniform1f(m_uAlpha, face.alpha);
    glBindVertexArray(m_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
}

}  // namespace fk::platform
