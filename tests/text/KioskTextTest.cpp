#include "Subprocess.h"
#include "support/Paths.h"
#include "support/TempDir.h"

#include <doctest/doctest.h>
#include <stb_image.h>

#include <filesystem>

TEST_CASE("kiosk-text render writes a PNG with dark text on white, wrapped to the width") {
    const auto tool = fk::test::BuildDir() / "kiosk-text";
    REQUIRE(std::filesystem::exists(tool));
    fk::test::TempDir dir("fk-kiosk-text");
    const auto oneLine = dir / "one.png";
    const auto wrapped = dir / "wrapped.png";
    const std::string text = "आपकी राय हमें और बेहतर बनने में मदद करती है।";
    REQUIRE(fk::test::RunProcess({tool.string(), "render", "--lang", "hi", "--size", "32", "--out",
                                  oneLine.string(), text})
                .exitCode == 0);
    REQUIRE(fk::test::RunProcess({tool.string(), "render", "--lang", "hi", "--size", "32",
                                  "--width", "200", "--out", wrapped.string(), text})
                .exitCode == 0);
    int w1 = 0, h1 = 0, c1 = 0, w2 = 0, h2 = 0, c2 = 0;
    unsigned char* one = stbi_load(oneLine.c_str(), &w1, &h1, &c1, 1);
    unsigned char* two = stbi_load(wrapped.c_str(), &w2, &h2, &c2, 1);
    REQUIRE(one != nullptr);
    REQUIRE(two != nullptr);
    CHECK(w1 > 300);
    CHECK(h2 > 2 * h1 - 32);  // at least three lines against one
    CHECK(w2 < w1);
    int dark = 0, white = 0;
    for (int i = 0; i < w1 * h1; ++i) {
        if (one[i] < 100)
            ++dark;
        if (one[i] == 255)
            ++white;
    }
    CHECK(dark > 200);
    CHECK(white > w1 * h1 / 2);
    stbi_image_free(one);
    stbi_image_free(two);
    // Bad usage is exit code 2, with the reason on stderr.
    CHECK(fk::test::RunProcess({tool.string(), "render", "--lang", "hi", text}).exitCode == 2);
}
