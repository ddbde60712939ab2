#include <doctest/doctest.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <stdexcept>

#include <stb_image.h>

#include "platform/FaceShader.h"
#include "platform/Screenshot.h"
#include "platform/Window.h"
#include "support/TempDir.h"
#include "ui/KioskScreens.h"

using namespace fk;

namespace {

// A window, or nullptr when there is no display and none is required.
std::unique_ptr<platform::Window> OpenWindow(int w, int h) {
    ::setenv("LIBGL_ALWAYS_SOFTWARE", "1", 0);
    const char* require = std::getenv("FK_REQUIRE_DISPLAY");
    const bool required = require && std::string(require) == "1";
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display) {
        if (required) FAIL("FK_REQUIRE_DISPLAY=1 but DISPLAY is not set");
        WARN_MESSAGE(false, "no DISPLAY: real-window test not run");
        return nullptr;
    }
    platform::WindowOptions options;
    options.fullscreen = false;
    options.width = w;
    options.height = h;
    options.vsync = false;
    try {
        return std::make_unique<platform::Window>(options);
    } catch (const std::exception& e) {
        if (required) FAIL("FK_REQUIRE_DISPLAY=1 but no window: " << e.what());
        WARN_MESSAGE(false, "no usable display: " << e.what());
        return nullptr;
    }
}

struct Png {
    int w = 0, h = 0;
    std::vector<unsigned char> rgb;
    const unsigned char* At(int x, int y) const { return &rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 3]; }
};

Png LoadPng(const std::string& path) {
    Png png;
    int n = 0;
    unsigned char* data = stbi_load(path.c_str(), &png.w, &png.h, &n, 3);
    REQUIRE(data != nullptr);
    png.rgb.assign(data, data + static_cast<std::size_t>(png.w) * static_cast<std::size_t>(png.h) * 3);
    stbi_image_free(data);
    return png;
}

bool Near(const unsigned char* px, ImU32 colour, int tolerance) {
    const int r = static_cast<int>(colour & 0xFF);
    const int g = static_cast<int>((colour >> 8) & 0xFF);
    const int b = static_cast<int>((colour >> 16) & 0xFF);
    return std::abs(px[0] - r) <= tolerance && std::abs(px[1] - g) <= tolerance && std::abs(px[2] - b) <= tolerance;
}

}  // namespace

TEST_CASE("face shaders compile and link, a broken shader reports the GL info log") {
    auto window = OpenWindow(320, 200);
    if (!window) return;
    platform::GlFacePainter faces;
    CHECK_MESSAGE(faces.Ok(), faces.Error());
    platform::ProgramResult bad = platform::CompileProgram("void main() { gl_Position = vec4(0); }",
                                                           "out vec4 c; void main() { c = undefined_thing; }");
    CHECK(bad.program == 0);
    CHECK(bad.error.find("fragment shader failed to compile") != std::string::npos);
    CHECK(bad.error.size() > std::string("fragment shader failed to compile: ").size());  // the info log
}

TEST_CASE("shader faces render into the screenshot with their palette colours at the face centres") {
    auto window = OpenWindow(800, 500);
    if (!window) return;
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
        if (i == 0) window->Swap();
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
    // Each face's cheek (between eye and mouth, off-centre) shows its fill colour.
    for (int r = 1; r <= 4; ++r) {
        REQUIRE(out.layout.Find("rating." + std::to_string(r)));
        const ui::RateLayout l = ui::LayoutRate({static_cast<float>(fb.width), static_cast<float>(fb.height), 96}, 4, 0);
        const ui::Rect& face = l.faces[static_cast<std::size_t>(r - 1)];
        const int cx = static_cast<int>(face.CenterX() - face.w * 0.33f);
        const int cy = static_cast<int>(face.CenterY() + face.h * 0.05f);
        INFO("face " << r << " at " << cx << "," << cy);
        CHECK(Near(png.At(cx, cy), ui::FaceColour(ui::FaceKindFor(r, 4)), 12));
    }
}
