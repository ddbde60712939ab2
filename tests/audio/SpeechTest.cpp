// Every customer-facing string of the five locale catalogs spoken by espeak-ng in its language:
// one take each, non-silent, of a plausible length. Prints the synthesis time per language.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "audio/SpeechSynth.h"
#include "audio/Tone.h"
#include "i18n/Catalog.h"

namespace {

double RmsDb(const std::vector<std::int16_t>& s) {
    double sum = 0;
    for (auto v : s)
        sum += static_cast<double>(v) * v;
    const double rms = s.empty() ? 0 : std::sqrt(sum / static_cast<double>(s.size()));
    return rms <= 0 ? -1000 : 20 * std::log10(rms / 32768.0);
}

}  // namespace

TEST_CASE("speech: every locale string of en, hi, ne, te and da is spoken, non-silent, once each") {
    auto loaded =
        fk::i18n::Catalog::Load(std::filesystem::path(FK_SOURCE_DIR) / "kiosk-config" / "locales");
    REQUIRE(loaded.catalog);
    fk::audio::SpeechSynth synth;
    REQUIRE_MESSAGE(synth.Ok(), synth.Error());
    for (const std::string language : {"en", "hi", "ne", "te", "da"}) {
        const fk::i18n::Locale* locale = loaded.catalog->Find(language);
        REQUIRE(locale);
        double seconds = 0;
        double audioS = 0;
        for (const auto& [key, text] : locale->strings) {
            // Placeholders filled as the kiosk fills them.
            const std::string spoken =
                fk::i18n::FormatPlaceholders(text, {{"time", "08:00"}, {"seconds", "30"}});
            const auto start = std::chrono::steady_clock::now();
            const auto samples = synth.Synthesize(fk::audio::VoiceFor(language, spoken), spoken);
            seconds +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            INFO(language << " " << key << ": " << spoken);
            REQUIRE_MESSAGE(samples, synth.Error());
            const double lengthS = static_cast<double>(samples->size()) / fk::audio::kSampleRate;
            CHECK(lengthS > 0.2);
            CHECK(lengthS < 30.0);
            CHECK(RmsDb(*samples) > -35);
            audioS += lengthS;
        }
        std::printf(
            "speech %s: %zu strings, %.1f ms synthesis per string, %.2f s audio per "
            "string\n",
            language.c_str(), locale->strings.size(),
            1000 * seconds / static_cast<double>(locale->strings.size()),
            audioS / static_cast<double>(locale->strings.size()));
    }
}

TEST_CASE("speech: a rep name in another script is read by that script's voice, as written") {
    CHECK(fk::audio::VoiceFor("en", "Asha") == "en");
    CHECK(fk::audio::VoiceFor("en", "आशा") == "hi");
    CHECK(fk::audio::VoiceFor("ne", "आशा") == "ne");
    CHECK(fk::audio::VoiceFor("da", "రవి") == "te");
    CHECK(fk::audio::VoiceFor("te", "రవి") == "te");
    CHECK(fk::audio::VoiceFor("hi", "Mette") == "hi");
}

TEST_CASE("speech: a second synthesiser in the same process speaks too and nothing hangs") {
    for (int i = 0; i < 2; ++i) {
        fk::audio::SpeechSynth synth;
        REQUIRE_MESSAGE(synth.Ok(), synth.Error());
        const auto samples = synth.Synthesize("da", "Tak for din feedback");
        REQUIRE(samples);
        CHECK(samples->size() > fk::audio::kSampleRate / 2);
    }
}
