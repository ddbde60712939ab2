// kiosk-text: the kiosk's text engine from the command line.
//   kiosk-text shape --lang LANG [--size PX] [--fonts DIR] TEXT
//   kiosk-text render --lang LANG --size PX --out FILE.png [--width PX] [--fonts DIR] TEXT
// `shape` prints, per run, "run font=FILE script=TAG lang=LANG start=B end=B" and then the run's
// glyphs in hb-shape's format (--no-glyph-names --no-positions): clusters are character indices
// relative to the run's start, as hb-shape prints them for the run's bytes alone.

#include "text/FontSet.h"
#include "text/GlyphAtlas.h"
#include "text/HbShapeFormat.h"
#include "text/Layout.h"
#include "text/Shaper.h"
#include "text/TextQuads.h"

#include <stb_image_write.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace {

constexpr const char* kUsage =
    "usage: kiosk-text shape --lang LANG [--size PX] [--fonts DIR] TEXT\n"
    "       kiosk-text render --lang LANG --size PX --out FILE.png [--width PX] [--fonts DIR] "
    "TEXT\n";

struct Options {
    std::string command;
    std::string lang;
    float size = 32;
    float width = 0;
    std::string out;
    std::string fontsDir = fk::text::kDefaultNotoDir;
    std::optional<std::string> text;
};

std::optional<Options> Parse(int argc, char** argv, std::string& error) {
    Options options;
    if (argc < 2)
        return std::nullopt;
    options.command = argv[1];
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](const char* name) -> std::optional<std::string> {
            if (i + 1 >= argc) {
                error = std::string(name) + " needs a value";
                return std::nullopt;
            }
            return std::string(argv[++i]);
        };
        try {
            if (arg == "--lang") {
                auto v = value("--lang");
                if (!v)
                    return std::nullopt;
                options.lang = *v;
            } else if (arg == "--size") {
                auto v = value("--size");
                if (!v)
                    return std::nullopt;
                options.size = std::stof(*v);
            } else if (arg == "--width") {
                auto v = value("--width");
                if (!v)
                    return std::nullopt;
                options.width = std::stof(*v);
            } else if (arg == "--out") {
                auto v = value("--out");
                if (!v)
                    return std::nullopt;
                options.out = *v;
            } else if (arg == "--fonts") {
                auto v = value("--fonts");
                if (!v)
                    return std::nullopt;
                options.fontsDir = *v;
            } else if (arg == "--") {
                if (i + 1 < argc)
                    options.text = argv[++i];
            } else if (!options.text && (arg.empty() || arg[0] != '-' || arg.size() == 1)) {
                options.text = arg;
            } else {
                error = "unknown option " + arg;
                return std::nullopt;
            }
        } catch (const std::exception&) {
            error = "bad number for " + arg;
            return std::nullopt;
        }
    }
    if (options.command != "shape" && options.command != "render") {
        error = "unknown command " + options.command;
        return std::nullopt;
    }
    if (options.lang.empty())
        error = "--lang is required (en, hi, ne, te, da, ...)";
    else if (!options.text)
        error = "TEXT is required";
    else if (!(options.size > 0 && options.size < 1000))
        error = "--size must be between 0 and 1000";
    else if (options.command == "render" && options.out.empty())
        error = "--out FILE.png is required";
    if (!error.empty())
        return std::nullopt;
    return options;
}

int Shape(fk::text::FontSet& fonts, const Options& options) {
    fk::text::TextShaper shaper(fonts);
    const fk::text::ShapedText shaped =
        shaper.ShapeUncached(*options.text, options.size, options.lang);
    for (const auto& run : shaped.runs) {
        std::printf("run font=%s script=%s lang=%s start=%u end=%u\n", fonts.Path(run.font).c_str(),
                    run.script.c_str(), options.lang.c_str(), run.start, run.end);
        const std::string line = fk::text::FormatRunLikeHbShape(shaped, run);
        std::printf("%s\n", line.c_str());
    }
    return 0;
}

int Render(fk::text::FontSet& fonts, const Options& options) {
    fk::text::TextShaper shaper(fonts);
    fk::text::GlyphAtlas atlas(fonts);
    const fk::text::ShapedText shaped =
        shaper.ShapeUncached(*options.text, options.size, options.lang);
    const fk::text::TextLayout layout = fk::text::LayoutText(shaped, options.width);
    atlas.EnsureAll(shaped);
    const int margin = static_cast<int>(std::ceil(options.size * 0.5f));
    const float boxWidth = options.width > 0 ? std::max(options.width, layout.width) : layout.width;
    const int width = static_cast<int>(std::ceil(boxWidth)) + 2 * margin;
    const int height = static_cast<int>(std::ceil(layout.Height())) + 2 * margin;
    const auto quads = fk::text::BuildQuads(
        shaped, layout, atlas,
        {static_cast<float>(margin), static_cast<float>(margin), fk::text::HAlign::Left, boxWidth});
    std::vector<unsigned char> image(
        static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 255);
    const auto& pixels = atlas.Pixels();
    for (const auto& quad : quads.quads) {
        const int sx0 = static_cast<int>(std::lround(quad.u0 * static_cast<float>(atlas.Width())));
        const int sy0 = static_cast<int>(std::lround(quad.v0 * static_cast<float>(atlas.Height())));
        const int w = static_cast<int>(quad.x1 - quad.x0);
        const int h = static_cast<int>(quad.y1 - quad.y0);
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                const int dx = static_cast<int>(quad.x0) + x;
                const int dy = static_cast<int>(quad.y0) + y;
                if (dx < 0 || dy < 0 || dx >= width || dy >= height)
                    continue;
                const int coverage = pixels[static_cast<std::size_t>(sy0 + y) *
                                                static_cast<std::size_t>(atlas.Width()) +
                                            static_cast<std::size_t>(sx0 + x)];
                auto& out = image[static_cast<std::size_t>(dy) * static_cast<std::size_t>(width) +
                                  static_cast<std::size_t>(dx)];
                out = static_cast<unsigned char>(std::max(0, out - coverage));  // dark ink on white
            }
        }
    }
    if (!stbi_write_png(options.out.c_str(), width, height, 1, image.data(), width)) {
        std::fprintf(stderr, "kiosk-text: cannot write %s\n", options.out.c_str());
        return 1;
    }
    std::fprintf(stderr, "kiosk-text: wrote %s (%dx%d, %zu lines, %zu quads)\n",
                 options.out.c_str(), width, height, layout.lines.size(), quads.quads.size());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string error;
    const auto options = Parse(argc, argv, error);
    if (!options) {
        if (!error.empty())
            std::fprintf(stderr, "kiosk-text: %s\n", error.c_str());
        std::fputs(kUsage, stderr);
        return 2;
    }
    try {
        fk::text::FontSet fonts =
            fk::text::FontSet::Open(fk::text::DefaultFontSetConfig(options->fontsDir));
        return options->command == "shape" ? Shape(fonts, *options) : Render(fonts, *options);
    } catch (const fk::text::FontLoadError& e) {
        std::fprintf(stderr, "kiosk-text: %s\n", fk::text::to_string(e).c_str());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kiosk-text: %s\n", e.what());
        return 1;
    }
}
