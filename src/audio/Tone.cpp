#include "audio/Tone.h"

#include <algorithm>
#include <cmath>

namespace fk::audio {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kFullScale = 0.7 * 32767.0;  // 100 % volume: about -3 dBFS, never clipping

struct Note {
    double startS;
    double lengthS;
    double hz;
};

// A soft bell: fundamental plus a quiet octave, a 4 ms attack (no click) and an exponential
// decay that reaches silence at the note's end.
double NoteSample(const Note& n, double t) {
    const double local = t - n.startS;
    if (local < 0 || local >= n.lengthS)
        return 0;
    const double attack = std::min(1.0, local / 0.004);
    const double decay = std::exp(-5.0 * local / n.lengthS) * (1.0 - local / n.lengthS);
    const double w = 2 * kPi * n.hz * local;
    return attack * decay * (0.8 * std::sin(w) + 0.2 * std::sin(2 * w));
}

std::vector<Note> NotesOf(Cue cue) {
    if (cue == Cue::Tap)
        return {{0.0, 0.07, 880.0}};  // A5, 70 ms
    // C5 then G5: a rising fifth reads as "done" in any culture's ear, calmly.
    return {{0.0, 0.22, 523.25}, {0.12, 0.30, 783.99}};
}

}  // namespace

int CueSamples(Cue cue) {
    double end = 0;
    for (const Note& n : NotesOf(cue))
        end = std::max(end, n.startS + n.lengthS);
    return static_cast<int>(std::lround(end * kSampleRate));
}

std::vector<std::int16_t> SynthesizeCue(Cue cue, int volumePct) {
    const double gain = std::clamp(volumePct, 0, 100) / 100.0 * kFullScale;
    const std::vector<Note> notes = NotesOf(cue);
    std::vector<std::int16_t> out(static_cast<std::size_t>(CueSamples(cue)));
    for (std::size_t i = 0; i < out.size(); ++i) {
        const double t = static_cast<double>(i) / kSampleRate;
        double v = 0;
        for (const Note& n : notes)
            v += NoteSample(n, t);
        v = std::clamp(v * gain, -32767.0, 32767.0);
        out[i] = static_cast<std::int16_t>(std::lround(v));
    }
    return out;
}

void ApplyVolume(std::vector<std::int16_t>& samples, int volumePct) {
    const int v = std::clamp(volumePct, 0, 100);
    for (auto& s : samples)
        s = static_cast<std::int16_t>(s * v / 100);
}

}  // namespace fk::audio
