// kiosk-bench text: what the text engine costs.
//   shape_uncached_us  mean time to shape one locale string from scratch (runs, fonts, HarfBuzz)
//   shape_cached_us    the same strings again through the shape cache (ratio against uncached)
//   font_open_ms       opening the three Noto fonts
//   atlas_warmup_ms    at start: shape every string of all five locales at the UI's sizes and
//                      rasterise every glyph into a fresh atlas
// Options: --rounds N (default 20), --locales DIR (default kiosk-config/locales of the source
// tree).

#include "Bench.h"

#include "i18n/Catalog.h"
#include "text/FontSet.h"
#include "text/GlyphAtlas.h"
#include "text/Shaper.h"

#include <chrono>
#include <iostream>

namespace {

using Clock = std::chrono::steady_clock;

double Us(Clock::duration d) {
    return std::chrono::duration<double, std::micro>(d).count();
}

struct Text {
    std::string language;
    std::string text;
};

int RunTextBench(const fk::bench::Args& args, fk::bench::Report& report) {
    const long long rounds = std::max<long long>(1, args.Int("--rounds", 20));
    const std::string localesDir = args.Value("--locales", FK_TEXT_BENCH_LOCALES);
    auto loaded = fk::i18n::Catalog::Load(localesDir);
    if (!loaded.catalog) {
        for (const auto& error : loaded.errors)
            std::cerr << to_string(error) << "\n";
        return 1;
    }
    std::vector<Text> texts;
    for (const std::string& code : loaded.catalog->Languages()) {
        for (const auto& [key, text] : loaded.catalog->Find(code)->strings)
            texts.push_back({code, text});
    }
    std::cerr << "text bench: " << texts.size() << " locale strings, " << rounds << " rounds\n";

    auto start = Clock::now();
    fk::text::FontSet fonts = fk::text::FontSet::Open(fk::text::DefaultFontSetConfig());
    report.Add("font_open_ms", Us(Clock::now() - start) / 1000.0, "ms");

    // Warm-up as the kiosk does it at start: every string, at the sizes the screens use.
    {
        const float sizes[] = {28.0f, 40.0f, 56.0f};
        start = Clock::now();
        fk::text::TextShaper shaper(fonts);
        fk::text::GlyphAtlas atlas(fonts);
        for (float size : sizes) {
            for (const Text& text : texts)
                atlas.EnsureAll(*shaper.Shape(text.text, size, text.language));
        }
        report.Add("atlas_warmup_ms", Us(Clock::now() - start) / 1000.0, "ms");
        report.Add("atlas_glyphs", static_cast<double>(atlas.GlyphCount()), "glyphs");
        report.Add("atlas_pixels", static_cast<double>(atlas.Width()) * atlas.Height(), "px");
    }

    fk::text::TextShaper shaper(fonts);
    const float size = 40.0f;
    std::size_t glyphs = 0;
    start = Clock::now();
    for (long long round = 0; round < rounds; ++round) {
        for (const Text& text : texts)
            glyphs += shaper.ShapeUncached(text.text, size, text.language).glyphs.size();
    }
    const double uncached = Us(Clock::now() - start) /
                            static_cast<double>(rounds * static_cast<long long>(texts.size()));
    report.Add("shape_uncached_us", uncached, "us");

    for (const Text& text : texts)
        shaper.Shape(text.text, size, text.language);  // fill the cache
    start = Clock::now();
    for (long long round = 0; round < rounds; ++round) {
        for (const Text& text : texts)
            glyphs += shaper.Shape(text.text, size, text.language)->glyphs.size();
    }
    const double cached = Us(Clock::now() - start) /
                          static_cast<double>(rounds * static_cast<long long>(texts.size()));
    report.AddRatio("shape_cached_us", cached, "us", "shape_uncached_us", uncached);
    std::cerr << "text bench: " << glyphs << " glyphs shaped, cache hits " << shaper.Stats().hits
              << "\n";

    // Per script: the Rate screen question in Telugu against English, uncached.
    const auto perString = [&](const std::string& language) {
        const std::string question(loaded.catalog->Get(language, "rate.question"));
        auto t0 = Clock::now();
        for (long long round = 0; round < rounds * 10; ++round)
            shaper.ShapeUncached(question, size, language);
        return Us(Clock::now() - t0) / static_cast<double>(rounds * 10);
    };
    const double english = perString("en");
    report.Add("shape_question_en_us", english, "us");
    report.AddRatio("shape_question_te_us", perString("te"), "us", "shape_question_en_us", english);
    return 0;
}

FK_BENCH_SUITE("text", "text engine: shaping uncached vs cached, atlas warm-up for all locales",
               RunTextBench);

}  // namespace
