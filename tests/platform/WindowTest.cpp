#include <doctest/doctest.h>

#include "support/Skip.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include <stb_image.h>

#include "TestWindow.h"
#include "platform/FaceShader.h"
#include "platform/Screenshot.h"
#include "platform/ShapedTextPainter.h"
#include "platform/Window.h"
#include "support/Paths.h"
#include "support/TempDir.h"
#include "ui/KioskScreens.h"

using namespace fk;

namespace {

struct Png {
    int w = 0, h = 0;
    std::vector<unsigned char> rgb;
    const unsigned char* At(int x, int y) const {
        return &rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) +
                     static_cast<std::size_t>(x)) *
                    3];
    }
};

Png LoadPng(const std::string& path) {
    Png png;
    int n = 0;
    unsigned char* data = stbi_load(path.c_str(), &png.w, &png.h, &n, 3);
    REQUIRE(data != nullptr);
    png.rgb.assign(data,
                   data + static_cast<std::size_t>(png.w) * static_cast<std::size_t>(png.h) * 3);
    stbi_image_free(data);
    return png;
}

bool Near(const unsigned char* px, ImU32 colour, int tolerance) {
    const int r = static_cast<int>(colour & 0xFF);
    const int g = static_cast<int>((colour >> 8) & 0xFF);
    const int b = static_cast<int>((colour >> 16) & 0xFF);
    return std::abs(px[0] - r) <= tolerance && std::abs(px[1] - g) <= tolerance &&
           std::abs(px[2] - b) <= tolerance;
}

}  // namespace

TEST_CASE(
    "a hidden cursor stays hidden frame after frame, a shown one is shown by ImGui's backend") {
    for (const bool hide : {true, false}) {
        CAPTURE(hide);
        auto window = test::OpenTestWindow(320, 200, hide);
        if (!window)
            return;
        // ImGui's GLFW backend sets its arrow cursor (GLFW_CURSOR_NORMAL) in every NewFrame
        // unless told not to: the cursor came back after the first frame.
        for (int i = 0; i < 3; ++i) {
            window->WaitEvents(0);
            window->BeginFrame();
            window->RenderFrame();
            window->Swap();
            CHECK(window->CursorHidden() == hide);
        }
    }
}

// The "gles30:" copies of these tests (tests/platform/CMakeLists.txt) run with Mesa capped at
// desktop GL 3.1 (MESA_GL_VERSION_OVERRIDE=3.1), as on the Pi 4/5 and panfrost.
TEST_CASE("the window's context is desktop GL 3.3 core, or GL ES 3.0 where desktop GL is 3.1") {
    auto window = test::OpenTestWindow(320, 200);
    if (!window)
        return;
    const char* cap = std::getenv("MESA_GL_VERSION_OVERRIDE");
    const bool es = cap && std::string(cap) < "3.3";
    INFO("GL: " << window->GlRenderer());
    CHECK(window->Api() == (es ? platform::GlApi::Es30 : platform::GlApi::Desktop33Core));
    CHECK(platform::CurrentGlApi() == window->Api());
    CHECK((window->GlRenderer().find("OpenGL ES 3.") != std::string::npos) == es);
}

TEST_CASE("face shaders compile and link, a broken shader reports the GL info log") {
    auto window = test::OpenTestWindow(320, 200);
    if (!window)
        return;
    platform::GlFacePainter faces;
    CHECK_MESSAGE(faces.Ok(), faces.Error());
    platform::ProgramResult bad =
        platform::CompileProgram("void main() { gl_Position = vec4(0); }",
                                 "out vec4 c; void main() { c = undefined_thing; }");
    CHECK(bad.program == 0);
    CHECK(bad.error.find("fragment shader failed to compile") != std::string::npos);
    CHECK(bad.error.size() >
          std::string("fragment shader failed to compile: ").size());  // the info log
}

TEST_CASE(
    "shader faces render into the screenshot with their palette colours at the face centres") {
    auto window = test::OpenTestWindow(800, 500);
    if (!window)
        return;
    platform::GlFacePainter faces;
    REQUIRE_MESSAGE(faces.Ok(), faces.Error());
    ui::ImGuiTextPainter text;
    ui::KioskScreens screens(text, faces);
    ui::KioskView view;
    view.strings = ui::EnglishStrings(4);
    ui::FrameOutput out;
    for (int i = 0; i < 2; ++i) {
        window->WaitEvents(0);
        faces.BeginFrame();
        window->BeginFrame();
        out = screens.Frame(view);
        window->RenderFrame();
        if (i == 0)
            window->Swap();
    }
    test::TempDir dir;
    const auto path = (dir / "rate.png").string();
    const platform::Size fb = window->FramebufferSize();
    REQUIRE(platform::SaveScreenshotPng(path, fb.width, fb.height).empty());
    window->Swap();
    const Png png = LoadPng(path);
    REQUIRE(png.w == fb.width);
    std::set<std::uint32_t> colours;
    for (std::size_t i = 0; i + 2 < png.rgb.size(); i += 3 * 97) {
        colours.insert(png.rgb[i] | (png.rgb[i + 1] << 8) | (png.rgb[i + 2] << 16));
    }
    CHECK(colours.size() > 8);  // not blank, not uniform
    // Kept for people to look at, one per GL API (the gles30: run writes the ES one).
    const std::filesystem::path shots = test::BuildDir() / "screenshots";
    std::filesystem::create_directories(shots);
    std::filesystem::copy_file(
        path,
        shots / (window->Api() == platform::GlApi::Es30 ? "faces-gles30.png" : "faces-gl33.png"),
        std::filesystem::copy_options::overwrite_existing);
    // Each face's cheek (between eye and mouth, off-centre) shows its fill colour.
    for (int r = 1; r <= 4; ++r) {
        REQUIRE(out.layout.Find("rating." + std::to_string(r)));
        const ui::RateLayout l =
            ui::LayoutRate({static_cast<float>(fb.width), static_cast<float>(fb.height), 96}, 4, 0);
        const ui::Rect& face = l.faces[static_cast<std::size_t>(r - 1)];
        const int cx = static_cast<int>(face.CenterX() - face.w * 0.33f);
        const int cy = static_cast<int>(face.CenterY() + face.h * 0.05f);
        INFO("face " << r << " at " << cx << "," << cy);
        CHECK(Near(png.At(cx, cy), ui::FaceColour(ui::FaceKindFor(r, 4)), 12));
    }
}

TEST_CASE("shaped text painter draws Devanagari and Telugu ink through the glyph texture") {
    auto window = test::OpenTestWindow(640, 240);
    if (!window)
        return;
    platform::ShapedTextPainter painter;
    const ImVec2 hi = painter.Measure("धन्यवाद", 48, "hi");
    const ImVec2 te = painter.Measure("ధన్యవాదాలు", 48, "te");
    CHECK(hi.x > 48);
    CHECK(te.x > 48);
    CHECK(hi.y >= 48 * 0.9f);
    for (int i = 0; i < 2; ++i) {
        window->WaitEvents(0);
        window->BeginFrame();
        ImDrawList* dl = ImGui::GetBackgroundDrawList();
        painter.Draw(dl, ImVec2(20, 20), "धन्यवाद", 48, "hi", IM_COL32(0, 0, 0, 255));
        painter.Draw(dl, ImVec2(20, 120), "ధన్యవాదాలు", 48, "te", IM_COL32(0, 0, 0, 255));
        painter.EndFrame();
        window->RenderFrame();
        if (i == 0)
            window->Swap();
    }
    test::TempDir dir;
    const auto path = (dir / "text.png").string();
    const platform::Size fb = window->FramebufferSize();
    REQUIRE(platform::SaveScreenshotPng(path, fb.width, fb.height).empty());
    window->Swap();
    const Png png = LoadPng(path);
    auto inkIn = [&](int x0, int y0, int w, int h) {
        int dark = 0;
        for (int y = y0; y < y0 + h; ++y) {
            for (int x = x0; x < x0 + w; ++x) {
                if (png.At(x, y)[0] < 100)
                    ++dark;
            }
        }
        return dark;
    };
    CHECK(inkIn(20, 20, static_cast<int>(hi.x), static_cast<int>(hi.y)) > 200);
    CHECK(inkIn(20, 120, static_cast<int>(te.x), static_cast<int>(te.y)) > 200);
    CHECK(inkIn(static_cast<int>(hi.x) + 60, 20, 40, 40) == 0);  // nothing beyond the text
}

TEST_CASE("shaped text painter wraps on shaped advances: every line fits, no word is split") {
    auto window = test::OpenTestWindow(320, 240);
    if (!window)
        return;
    platform::ShapedTextPainter painter;
    const std::string text = "आपकी राय हमें और बेहतर बनने में मदद करती है।";
    const float width = painter.Measure("आपकी राय हमें", 32, "hi").x + 1;
    const auto lines = painter.WrapLines(text, 32, "hi", width);
    REQUIRE(lines.size() >= 3);
    std::string joined;
    for (const auto& line : lines) {
        CAPTURE(line);
        CHECK(painter.Measure(line, 32, "hi").x <= width);
        CHECK_FALSE(line.empty());
        CHECK(line.back() != ' ');
        joined += (joined.empty() ? "" : " ") + line;
    }
    CHECK(joined == text);  // broken only at spaces, nothing lost
    CHECK(lines.front() == "आपकी राय हमें");
    CHECK(painter.WrapLines("", 32, "hi", width).empty());
    CHECK(painter.WrapLines("one\ntwo", 32, "en", 0) == std::vector<std::string>{"one", "two"});
}
