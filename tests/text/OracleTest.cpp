// The engine against HarfBuzz's own hb-shape (libharfbuzz-bin): for every run the engine makes,
// hb-shape given the same bytes, font, script and language must print the same glyphs and
// clusters. hb-shape is an independent program, so this checks our run splitting, buffer set-up
// and cluster bookkeeping, not just that HarfBuzz agrees with itself.

#include "text/HbShapeFormat.h"
#include "text/Shaper.h"

#include "i18n/Catalog.h"

#include "Subprocess.h"
#include "TextFixtures.h"
#include "support/Paths.h"
#include "support/TempDir.h"

#include <doctest/doctest.h>

#include "support/Skip.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

using namespace fk::text;

namespace {

struct Sample {
    std::string language;
    std::string text;
    std::string origin;  // where the text came from, for failure messages
};

struct Expectation {
    std::string runText;
    std::string engine;
    std::string origin;
};

std::vector<std::string> SplitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        lines.push_back(line);
    return lines;
}

bool HaveHbShape() {
    return fk::test::RunProcess({"hb-shape", "--version"}).exitCode == 0;
}

// Shapes every sample with the engine and checks each run against hb-shape, one hb-shape
// process per (font, script, language) with one run per input line. Returns runs compared.
int CompareWithHbShape(const std::vector<Sample>& samples) {
    REQUIRE_MESSAGE(HaveHbShape(),
                    "hb-shape not found: install the Debian package libharfbuzz-bin");
    TextShaper shaper(fk::test::NotoFonts());
    using GroupKey = std::tuple<std::string, std::string, std::string>;  // font, script, language
    std::map<GroupKey, std::vector<Expectation>> groups;
    for (const Sample& sample : samples) {
        const ShapedText shaped = shaper.ShapeUncached(sample.text, 32, sample.language);
        // Runs tile the text.
        std::uint32_t expectedStart = 0;
        for (const TextRun& run : shaped.runs) {
            CHECK_MESSAGE(run.start == expectedStart, sample.origin);
            expectedStart = run.end;
            groups[{fk::test::NotoFonts().Path(run.font).string(), run.script, sample.language}]
                .push_back({sample.text.substr(run.start, run.end - run.start),
                            FormatRunLikeHbShape(shaped, run), sample.origin});
        }
        CHECK_MESSAGE(expectedStart == sample.text.size(), sample.origin);
    }
    fk::test::TempDir dir("fk-oracle");
    int compared = 0;
    for (const auto& [key, expectations] : groups) {
        const auto& [font, script, language] = key;
        const auto input = dir / "runs.txt";
        {
            std::ofstream out(input, std::ios::binary);
            for (const auto& expectation : expectations)
                out << expectation.runText << '\n';
        }
        const auto result = fk::test::RunProcess(
            {"hb-shape", "--no-glyph-names", "--no-positions", "--font-file=" + font,
             "--script=" + script, "--language=" + language, "--text-file=" + input.string()});
        REQUIRE(result.exitCode == 0);
        const auto lines = SplitLines(result.out);
        REQUIRE_MESSAGE(lines.size() == expectations.size(), font, " ", script, " ", language);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            INFO("origin: ", expectations[i].origin);
            INFO("run: \"", expectations[i].runText, "\" font=", font, " script=", script,
                 " lang=", language);
            CHECK(expectations[i].engine == lines[i]);
            ++compared;
        }
    }
    return compared;
}

}  // namespace

TEST_CASE("oracle: own test strings match hb-shape") {
    const std::vector<Sample> samples{
        {"hi", "कि कौन क्षत्रिय श्री त्र ज्ञ द्ध हृदय", "conjuncts and i-sign"},
        {"hi", "प्रतिक्रियाएँ छोड़ें कृपया", "reph, candrabindu, nukta"},
        {"hi", "Customer सेवा 24/7: ₹499 (GST सहित) — 100% संतुष्टि!", "mixed Latin and Devanagari"},
        {"hi", "फ़ोन: +91-98765 43210, ईमेल: help@example.in", "digits and punctuation"},
        {"hi", "१२३४५ ०९ । ॥", "Devanagari digits and dandas"},
        {"ne", "धेरै बेर पर्खनुपर्‍यो, गर्‍यो",
         "Nepali eyelash RA with ZWJ"},
        {"ne", "तपाईंलाई ७ दिन", "Nepali anusvara and digits"},
        {"te", "స్టోర్ క్ష్మ ద్ధ న్య స్త్రీ శ్రీ", "Telugu subscripts and stacks"},
        {"te", "సర్వర్‌కు ఆన్‌లైన్", "Telugu ZWNJ"},
        {"te", "Wi-Fi ద్వారా 3 నిమిషాల్లో (త్వరగా)!", "mixed Latin and Telugu"},
        {"da", "Blåbærgrød, Æbleskiver & Øl — «god» kundeservice? 42 kr.", "Danish letters"},
        {"en", "\"Quotes\", 'apostrophes', dashes – and … ellipses", "Latin punctuation"},
        {"en", "office ffi fl 1/2", "Latin ligatures"},
    };
    CHECK(CompareWithHbShape(samples) >= static_cast<int>(samples.size()));
}

TEST_CASE("oracle: every locale string matches hb-shape") {
    auto loaded = fk::i18n::Catalog::Load(fk::test::SourceDir() / "kiosk-config" / "locales");
    REQUIRE(loaded.catalog);
    std::vector<Sample> samples;
    for (const std::string& code : loaded.catalog->Languages()) {
        const auto* locale = loaded.catalog->Find(code);
        for (const auto& [key, text] : locale->strings) {
            samples.push_back({code, text, locale->file.filename().string() + ": " + key});
        }
    }
    REQUIRE(samples.size() > 200);
    CHECK(CompareWithHbShape(samples) >= static_cast<int>(samples.size()));
}

TEST_CASE("oracle: every line of the shared corpus matches hb-shape") {
    const auto corpus = fk::test::SharedCorpusDir();
    if (!corpus) {
        fk::test::Skip("no ../shared/corpus next to the repository (it exists in CI)");
        return;
    }
    std::vector<Sample> samples;
    for (const auto& entry : std::filesystem::directory_iterator(*corpus)) {
        if (entry.path().extension() != ".txt")
            continue;
        // Files are named <language>-<topic>.txt.
        const std::string file = entry.path().filename().string();
        const std::string language = file.substr(0, file.find('-'));
        int lineNumber = 0;
        std::ifstream in(entry.path());
        std::string line;
        while (std::getline(in, line)) {
            ++lineNumber;
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            if (line.empty())
                continue;
            samples.push_back({language, line, file + ":" + std::to_string(lineNumber)});
        }
    }
    REQUIRE(samples.size() > 30);
    CHECK(CompareWithHbShape(samples) >= static_cast<int>(samples.size()));
}

TEST_CASE("kiosk-text shape prints runs and glyph lines that hb-shape reproduces") {
    const auto tool = fk::test::BuildDir() / "kiosk-text";
    REQUIRE_MESSAGE(std::filesystem::exists(tool), "build the kiosk-text target first");
    REQUIRE(HaveHbShape());
    const std::string text = "Tak, धन्यवाद और ధన్యవాదాలు!";
    const auto result = fk::test::RunProcess({tool.string(), "shape", "--lang", "hi", text});
    REQUIRE(result.exitCode == 0);
    const auto lines = SplitLines(result.out);
    REQUIRE(lines.size() == 6);  // three runs, two lines each
    std::size_t expectedStart = 0;
    for (std::size_t i = 0; i < lines.size(); i += 2) {
        std::istringstream header(lines[i]);
        std::string word;
        header >> word;
        REQUIRE(word == "run");
        std::map<std::string, std::string> fields;
        while (header >> word) {
            const auto eq = word.find('=');
            REQUIRE(eq != std::string::npos);
            fields[word.substr(0, eq)] = word.substr(eq + 1);
        }
        CHECK(fields["lang"] == "hi");
        const std::size_t start = std::stoul(fields["start"]);
        const std::size_t end = std::stoul(fields["end"]);
        CHECK(start == expectedStart);
        expectedStart = end;
        const auto reference = fk::test::RunProcess(
            {"hb-shape", "--no-glyph-names", "--no-positions", "--font-file=" + fields["font"],
             "--script=" + fields["script"], "--language=" + fields["lang"],
             "--text=" + text.substr(start, end - start)});
        REQUIRE(reference.exitCode == 0);
        CHECK(lines[i + 1] == SplitLines(reference.out).at(0));
    }
    CHECK(expectedStart == text.size());
    CHECK(lines[0].find("script=latn") != std::string::npos);
    CHECK(lines[2].find("script=deva") != std::string::npos);
    CHECK(lines[4].find("script=telu") != std::string::npos);
    // Missing TEXT is a usage error.
    CHECK(fk::test::RunProcess({tool.string(), "shape", "--lang", "hi"}).exitCode == 2);
}
