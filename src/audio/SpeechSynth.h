#pragma once
// Text to speech with Debian's espeak-ng library: one string in one language to mono S16 PCM at
// kSampleRate. Voices come from espeak-ng-data (en, hi, ne, te, da and more).
//
// Thread affinity: espeak-ng keeps global state, so at most one SpeechSynth may exist in a
// process and only the thread that created it may call it (Speaker gives it its own thread).
// Ownership: the first SpeechSynth initialises espeak-ng for the rest of the process (it is never
// terminated: see SpeechSynth.cpp); later ones reuse it.
// Failure: Ok() is false (Error() says why) when espeak-ng or its data cannot be initialised;
// Synthesize then returns nullopt. A language without a voice returns nullopt with Error() set.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fk::audio {

class SpeechSynth {
  public:
    SpeechSynth();
    ~SpeechSynth();
    SpeechSynth(const SpeechSynth&) = delete;
    SpeechSynth& operator=(const SpeechSynth&) = delete;

    bool Ok() const { return m_ok; }
    const std::string& Error() const { return m_error; }
    // language: an espeak-ng voice name ("en", "hi", "ne", "te", "da"); text: UTF-8.
    std::optional<std::vector<std::int16_t>> Synthesize(std::string_view language,
                                                        std::string_view text);

  private:
    bool m_ok = false;
    std::string m_error;
    std::string m_voice;
};

// The voice that reads text in the customer's language: the language itself, unless text is
// written in a script that language's voice cannot read (a Telugu rep name on the English
// screen is read by the Telugu voice, a Devanagari one by Hindi, or Nepali when that is chosen).
std::string VoiceFor(std::string_view language, std::string_view text);

}  // namespace fk::audio
