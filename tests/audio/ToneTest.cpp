// The cues as numbers: their length, loudness and pitch, before any device is involved.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "audio/Tone.h"

using fk::audio::Cue;

namespace {

double Rms(const std::vector<std::int16_t>& s) {
    double sum = 0;
    for (auto v : s)
        sum += static_cast<double>(v) * v;
    return s.empty() ? 0 : std::sqrt(sum / static_cast<double>(s.size()));
}

int Peak(const std::vector<std::int16_t>& s) {
    int peak = 0;
    for (auto v : s)
        peak = std::max(peak, std::abs(static_cast<int>(v)));
    return peak;
}

// Zero crossings per second / 2: the dominant pitch of a clean tone.
double PitchHz(const std::vector<std::int16_t>& s, std::size_t from, std::size_t to) {
    int crossings = 0;
    for (std::size_t i = from + 1; i < to; ++i)
        crossings += (s[i - 1] < 0) != (s[i] < 0);
    return crossings / 2.0 / (static_cast<double>(to - from) / fk::audio::kSampleRate);
}

}  // namespace

TEST_CASE("audio: the tap tick is 70 ms, audible, unclipped, and starts and ends without a click") {
    const auto tap = fk::audio::SynthesizeCue(Cue::Tap, 100);
    CHECK(tap.size() == static_cast<std::size_t>(fk::audio::CueSamples(Cue::Tap)));
    CHECK(static_cast<double>(tap.size()) / fk::audio::kSampleRate ==
          doctest::Approx(0.07).epsilon(0.02));
    CHECK(Rms(tap) > 2000);
    CHECK(Peak(tap) < 32767);
    CHECK(std::abs(tap.front()) < 200);  // a 4 ms attack: no click at the start
    CHECK(std::abs(tap.back()) < 200);   // decayed to silence at the end
    CHECK(PitchHz(tap, 0, tap.size() / 2) == doctest::Approx(880).epsilon(0.25));
}

TEST_CASE("audio: the thank-you chime is longer than the tick, rises in pitch, and differs") {
    const auto tap = fk::audio::SynthesizeCue(Cue::Tap, 100);
    const auto thanks = fk::audio::SynthesizeCue(Cue::ThankYou, 100);
    CHECK(thanks.size() > 4 * tap.size());
    CHECK(Rms(thanks) > 1000);
    const std::size_t n = thanks.size();
    const double first = PitchHz(thanks, 0, n / 5);
    const double second = PitchHz(thanks, n / 2, n * 3 / 4);
    CHECK(first == doctest::Approx(523).epsilon(0.25));
    CHECK(second == doctest::Approx(784).epsilon(0.25));
}

TEST_CASE("audio: volume scales the cues, 0 is silence, out-of-range volumes are clamped") {
    const double loud = Rms(fk::audio::SynthesizeCue(Cue::Tap, 100));
    const double half = Rms(fk::audio::SynthesizeCue(Cue::Tap, 50));
    CHECK(half == doctest::Approx(loud / 2).epsilon(0.02));
    CHECK(Peak(fk::audio::SynthesizeCue(Cue::Tap, 0)) == 0);
    CHECK(Rms(fk::audio::SynthesizeCue(Cue::Tap, 400)) == doctest::Approx(loud));
    std::vector<std::int16_t> speech = {1000, -1000, 30000};
    fk::audio::ApplyVolume(speech, 50);
    CHECK(speech == std::vector<std::int16_t>{500, -500, 15000});
}
