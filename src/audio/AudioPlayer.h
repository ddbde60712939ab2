#pragma once
// Plays clips (mono S16 at kSampleRate) on a background thread so the frame loop never waits for
// audio. Cues (taps, thank-you) and speech share one ALSA stream, in the order they were queued;
// StopSpeech() cuts speech short (within one 20 ms chunk) and leaves cues alone.
//
// Thread affinity: Play/StopSpeech/WaitIdle from any thread (a mutex guards the queue; Play never
// blocks on ALSA). The worker thread alone touches the AlsaOutput.
// Ownership: owns the worker and the device; the destructor stops the worker, dropping what is
// still queued. Clips are shared read-only (a cached speech clip is not copied).
// Failure: a device that cannot be opened (none, busy, wrong name) is logged once and the player
// stays silent: Play then drops clips; nothing throws. A device lost mid-write is logged once and
// reopened on the next clip.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fk::audio {

using Clip = std::shared_ptr<const std::vector<std::int16_t>>;

class AudioPlayer {
  public:
    enum class Kind { Cue, Speech };

    // device: an ALSA PCM name ("default", "hw:0", an asoundrc PCM); empty: silent, never opened.
    explicit AudioPlayer(std::string device);
    ~AudioPlayer();
    AudioPlayer(const AudioPlayer&) = delete;
    AudioPlayer& operator=(const AudioPlayer&) = delete;

    void Play(Clip clip, Kind kind);
    void StopSpeech();
    // True when nothing is queued or playing (tests, bench); waits at most timeout.
    bool WaitIdle(std::chrono::milliseconds timeout);
    // False once opening the device failed (the player is silent from then on).
    bool Available() const;
    std::uint64_t ClipsPlayed() const;

  private:
    struct Item {
        Clip clip;
        Kind kind;
        std::uint64_t speechGeneration;
    };
    void Run();

    const std::string m_device;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<Item> m_queue;
    std::uint64_t m_speechGeneration = 0;
    bool m_busy = false;
    bool m_unavailable = false;
    bool m_stop = false;
    std::uint64_t m_played = 0;
    std::thread m_worker;
};

}  // namespace fk::audio
