#pragma once
// The kiosk's feedback sounds, synthesised in code (no sound files): a short soft "tick" for an
// accepted tap and a rising two-note chime for thank-you. Mono 16-bit PCM at kSampleRate.
//
// Thread affinity: any thread (pure functions). Ownership: returns the samples by value.
// Failure: none; volume outside 0..100 is clamped.

#include <cstdint>
#include <vector>

namespace fk::audio {

inline constexpr int kSampleRate = 22050;  // espeak-ng's rate too: one output format for all

enum class Cue { Tap, ThankYou };

// Length of each cue in samples (the tests check it against what reaches the sink).
int CueSamples(Cue cue);

// The cue at volume (percent of full scale: 100 peaks near -3 dBFS, 0 is silence).
std::vector<std::int16_t> SynthesizeCue(Cue cue, int volumePct);

// Scales samples in place to volume (percent), for speech that shares the cues' volume.
void ApplyVolume(std::vector<std::int16_t>& samples, int volumePct);

}  // namespace fk::audio
