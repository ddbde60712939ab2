#include "platform/ShapedTextPainter.h"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>

#include "text/TextEngine.h"

namespace fk::platform {

namespace {
text::FontSetConfig FontsOrDefault(const std::vector<std::filesystem::path>& fonts) {
    if (fonts.empty())
        return text::DefaultFontSetConfig();
    text::FontSetConfig config;
    config.fonts = fonts;
    return config;
}
}  // namespace

ShapedTextPainter::ShapedTextPainter(const std::vector<std::filesystem::path>& fonts)
    : m_engine(std::make_unique<text::TextEngine>(FontsOrDefault(fonts))) {
    glGenTextures(1, &m_texture);
}

ShapedTextPainter::~ShapedTextPainter() {
    if (m_texture)
        glDeleteTextures(1, &m_texture);
}

ImVec2 ShapedTextPainter::Measure(std::string_view text, float pixelSize,
                                  std::string_view language) {
    const text::TextBlock block = m_engine->Prepare(text, pixelSize, language);
    return ImVec2(block.Width(), block.Height());
}

void ShapedTextPainter::Draw(ImDrawList* drawList, ImVec2 pos, std::string_view text,
                             float pixelSize, std::string_view language, ImU32 colour) {
    const text::TextBlock block = m_engine->Prepare(text, pixelSize, language);
    text::QuadOptions options;
    options.penX = pos.x;
    options.penY = pos.y;
    const text::QuadResult quads = m_engine->Quads(block, options);
    if (quads.quads.empty())
        return;
    ImTextureID texture = reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(m_texture));
    drawList->PushTextureID(texture);
    const int begin = drawList->VtxBuffer.Size;
    drawList->PrimReserve(static_cast<int>(quads.quads.size()) * 6,
                          static_cast<int>(quads.quads.size()) * 4);
    for (const auto& q : quads.quads) {
        drawList->PrimRectUV(ImVec2(q.x0, q.y0), ImVec2(q.x1, q.y1), ImVec2(q.u0, q.v0),
                             ImVec2(q.u1, q.v1), colour);
    }
    m_spans.push_back(Span{drawList, begin, drawList->VtxBuffer.Size, m_engine->Atlas().Width(),
                           m_engine->Atlas().Height()});
    drawList->PopTextureID();
}

std::vector<std::string> ShapedTextPainter::WrapLines(std::string_view text, float pixelSize,
                                                      std::string_view language, float width) {
    std::vector<std::string> lines;
    if (text.empty())
        return lines;
    const text::TextBlock block = m_engine->Prepare(text, pixelSize, language, width);
    for (const text::TextLine& line : block.layout.lines) {
        std::string_view part = text.substr(line.byteBegin, line.byteEnd - line.byteBegin);
        while (!part.empty() && (part.back() == ' ' || part.back() == '\n'))
            part.remove_suffix(1);  // the break itself is not drawn
        lines.emplace_back(part);
    }
    return lines;
}

void ShapedTextPainter::EndFrame() {
    const auto& atlas = m_engine->Atlas();
    // The atlas only grows, keeping glyph positions; coordinates computed before a growth this
    // frame are rescaled to the final size.
    for (const Span& s : m_spans) {
        if (s.atlasW == atlas.Width() && s.atlasH == atlas.Height())
            continue;
        const float sx = static_cast<float>(s.atlasW) / static_cast<float>(atlas.Width());
        const float sy = static_cast<float>(s.atlasH) / static_cast<float>(atlas.Height());
        for (int i = s.vtxBegin; i < s.vtxEnd; ++i) {
            s.list->VtxBuffer[i].uv.x *= sx;
            s.list->VtxBuffer[i].uv.y *= sy;
        }
    }
    m_spans.clear();
    if (atlas.Generation() != m_uploadedGeneration)
        Upload();
}

void ShapedTextPainter::Upload() {
    const auto& atlas = m_engine->Atlas();
    glBindTexture(GL_TEXTURE_2D, m_texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    // Coverage becomes alpha on white, so ImGui's shader tints it with the vertex colour.
    // One channel at a time: GL ES 3.0 has no GL_TEXTURE_SWIZZLE_RGBA.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_R, GL_ONE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_G, GL_ONE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_B, GL_ONE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_A, GL_RED);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, atlas.Width(), atlas.Height(), 0, GL_RED,
                 GL_UNSIGNED_BYTE, atlas.Pixels().data());
    glBindTexture(GL_TEXTURE_2D, 0);
    m_uploadedGeneration = atlas.Generation();
}

}  // namespace fk::platform
