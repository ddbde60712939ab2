#pragma once
// One ALSA playback stream (mono S16, kSampleRate) on a named device: "default", "hw:0",
// "plughw:1,0", or any PCM an asoundrc defines (the tests use the `file` plugin). No desktop
// sound server needed.
//
// Thread affinity: one thread at a time (the AudioPlayer's worker owns it). Blocking: Write
// blocks until ALSA has taken the samples (real devices pace at the sample rate).
// Ownership: owns the snd_pcm_t; closed in the destructor after draining what was written.
// Failure: Open returns false with a one-line reason (no device, busy, unsupported format);
// Write recovers from an underrun once and returns false when the device is gone.

#include <cstdint>
#include <span>
#include <string>

struct _snd_pcm;

namespace fk::audio {

class AlsaOutput {
  public:
    AlsaOutput() = default;
    ~AlsaOutput();
    AlsaOutput(const AlsaOutput&) = delete;
    AlsaOutput& operator=(const AlsaOutput&) = delete;

    // Opens device for playback. On failure error() says why and the object stays closed.
    bool Open(const std::string& device);
    bool IsOpen() const { return m_pcm != nullptr; }
    bool Write(std::span<const std::int16_t> samples);
    // Drops what is queued in ALSA (speech stopped mid-sentence).
    void DropQueued();
    // Waits until what was written has played (before closing, e.g. at exit).
    void Drain();
    const std::string& error() const { return m_error; }

  private:
    _snd_pcm* m_pcm = nullptr;
    std::string m_error;
};

}  // namespace fk::audio
