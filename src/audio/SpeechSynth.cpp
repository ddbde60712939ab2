#include "audio/SpeechSynth.h"

#include <espeak-ng/speak_lib.h>

#include "audio/Tone.h"

namespace fk::audio {

namespace {

int Collect(short* wav, int count, espeak_EVENT* events) {
    if (wav != nullptr && count > 0 && events != nullptr && events->user_data != nullptr) {
        auto* out = static_cast<std::vector<std::int16_t>*>(events->user_data);
        out->insert(out->end(), wav, wav + count);
    }
    return 0;
}

// The next code point of UTF-8 text at i (advancing i); malformed bytes read as U+FFFD.
char32_t NextCodePoint(std::string_view s, std::size_t& i) {
    const auto b = static_cast<unsigned char>(s[i++]);
    int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
    char32_t cp = extra == 3   ? (b & 0x07u)
                  : extra == 2 ? (b & 0x0Fu)
                  : extra == 1 ? (b & 0x1Fu)
                               : b;
    if (b >= 0x80 && extra == 0)
        return 0xFFFD;
    for (; extra > 0 && i < s.size(); --extra)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3Fu);
    return cp;
}

}  // namespace

SpeechSynth::SpeechSynth() {
    // espeak-ng is initialised once per process and never terminated: espeak_Terminate after a
    // second espeak_Initialize waits for ever on espeak-ng's internal event thread (seen with
    // Debian 12's 1.51), and the process's exit frees it anyway.
    static const int rate =
        espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) {
        m_error = "espeak-ng could not be initialised (is espeak-ng-data installed?)";
        return;
    }
    if (rate != kSampleRate) {
        m_error = "espeak-ng speaks at " + std::to_string(rate) + " Hz, expected " +
                  std::to_string(kSampleRate);
        return;
    }
    espeak_SetSynthCallback(Collect);
    espeak_SetParameter(espeakRATE, 150, 0);  // a little slower than the default 175 wpm
    m_ok = true;
}

SpeechSynth::~SpeechSynth() = default;

std::optional<std::vector<std::int16_t>> SpeechSynth::Synthesize(std::string_view language,
                                                                 std::string_view text) {
    if (!m_ok)
        return std::nullopt;
    if (m_voice != language) {
        const std::string voice(language);
        if (espeak_SetVoiceByName(voice.c_str()) != EE_OK) {
            m_error = "espeak-ng has no voice \"" + voice + "\"";
            m_voice.clear();
            return std::nullopt;
        }
        m_voice = voice;
    }
    std::vector<std::int16_t> samples;
    const std::string copy(text);
    const espeak_ERROR rc = espeak_Synth(copy.c_str(), copy.size() + 1, 0, POS_CHARACTER, 0,
                                         espeakCHARS_UTF8, nullptr, &samples);
    if (rc != EE_OK) {
        m_error = "espeak-ng could not speak the text (error " + std::to_string(rc) + ")";
        return std::nullopt;
    }
    return samples;
}

std::string VoiceFor(std::string_view language, std::string_view text) {
    bool devanagari = false;
    bool telugu = false;
    for (std::size_t i = 0; i < text.size();) {
        const char32_t cp = NextCodePoint(text, i);
        devanagari = devanagari || (cp >= 0x0900 && cp <= 0x097F);
        telugu = telugu || (cp >= 0x0C00 && cp <= 0x0C7F);
    }
    if (telugu && language != "te")
        return "te";
    if (devanagari && language != "hi" && language != "ne")
        return "hi";
    return std::string(language);
}

}  // namespace fk::audio
