#pragma once
// What sox says about a raw mono S16 file at audio::kSampleRate (`sox -t raw ... -n stats`):
// its length and levels. The audio tests measure what reached the ALSA sink with it.
// Thread affinity: the test's thread.

#include <filesystem>
#include <optional>
#include <string>

namespace fk::test {

struct SoxStats {
    double lengthS = 0;
    double rmsDb = -1000;  // RMS level in dBFS ("-inf" for silence reads as -1000)
    double peakDb = -1000;
    std::string text;  // sox's whole report, for failure messages
};

// True when the sox command runs. Without it the calling test skips, or fails when
// FK_REQUIRE_SOX=1.
bool SoxAvailable();
// nullopt when sox could not read the file.
std::optional<SoxStats> MeasureRaw(const std::filesystem::path& raw);
// Writes raw as a WAV file next to it (for listening and spectrograms); false on failure.
bool RawToWav(const std::filesystem::path& raw, const std::filesystem::path& wav);

}  // namespace fk::test
