#pragma once
// "Listen": reads a screen's words aloud. Speak() hands the utterances to a worker thread that
// synthesises them with SpeechSynth (cached per language and string) and queues them on the
// AudioPlayer as speech; Stop() (the screen changed) drops what is pending and cuts the speech.
//
// Thread affinity: Speak/Stop from any thread (the UI thread in the kiosk); they never wait for
// synthesis. The worker alone owns the SpeechSynth (espeak-ng is single-threaded).
// Ownership: borrows the AudioPlayer (it must outlive this object); owns the worker and cache.
// Failure: espeak-ng that cannot start, or a missing voice, is logged once and that speech is
// skipped; nothing throws to the caller.

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audio/AudioPlayer.h"

namespace fk::audio {

struct Utterance {
    std::string language;  // the customer's language; SpeechVoiceFor picks the voice per string
    std::string text;
};

class Speaker {
  public:
    Speaker(AudioPlayer& player, int volumePct);
    ~Speaker();
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    // Replaces whatever is being read with these utterances, in order.
    void Speak(std::vector<Utterance> utterances);
    void Stop();
    // Strings synthesised so far (cache misses), for tests.
    std::uint64_t Synthesized() const;

  private:
    void Run();

    AudioPlayer& m_player;
    const int m_volumePct;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Utterance> m_pending;
    std::uint64_t m_generation = 0;
    std::uint64_t m_synthesized = 0;
    bool m_stop = false;
    std::map<std::string, Clip> m_cache;  // worker thread only: "voice\ntext" -> clip
    std::thread m_worker;
};

}  // namespace fk::audio
