#include "audio/Speaker.h"

#include <optional>
#include <utility>

#include <spdlog/spdlog.h>

#include "audio/SpeechSynth.h"
#include "audio/Tone.h"

namespace fk::audio {

namespace {
// Every customer string of five languages is a few hundred entries; this bounds a roster's worth
// of names too without letting the cache grow for ever.
constexpr std::size_t kCacheEntries = 2000;
}  // namespace

Speaker::Speaker(AudioPlayer& player, int volumePct) : m_player(player), m_volumePct(volumePct) {
    m_worker = std::thread([this] { Run(); });
}

Speaker::~Speaker() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_worker.join();
}

void Speaker::Speak(std::vector<Utterance> utterances) {
    {
        std::lock_guard lock(m_mutex);
        ++m_generation;
        m_pending = std::move(utterances);
    }
    m_player.StopSpeech();
    m_wake.notify_one();
}

void Speaker::Stop() {
    {
        std::lock_guard lock(m_mutex);
        ++m_generation;
        m_pending.clear();
    }
    m_player.StopSpeech();
}

std::uint64_t Speaker::Synthesized() const {
    std::lock_guard lock(m_mutex);
    return m_synthesized;
}

void Speaker::Run() {
    std::optional<SpeechSynth> synth;
    bool failureLogged = false;
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stop || !m_pending.empty(); });
        if (m_stop)
            return;
        std::vector<Utterance> work = std::exchange(m_pending, {});
        const std::uint64_t generation = m_generation;
        lock.unlock();
        if (!synth)
            synth.emplace();  // espeak-ng starts on the first "listen", not at kiosk start
        for (const Utterance& u : work) {
            const std::string voice = VoiceFor(u.language, u.text);
            const std::string key = voice + '\n' + u.text;
            Clip clip;
            if (auto it = m_cache.find(key); it != m_cache.end()) {
                clip = it->second;
            } else if (auto samples = synth->Synthesize(voice, u.text)) {
                ApplyVolume(*samples, m_volumePct);
                clip = std::make_shared<const std::vector<std::int16_t>>(std::move(*samples));
                if (m_cache.size() >= kCacheEntries)
                    m_cache.clear();
                m_cache.emplace(key, clip);
                std::lock_guard count(m_mutex);
                ++m_synthesized;
            } else if (!failureLogged) {
                failureLogged = true;
                spdlog::warn("listen: {}", synth->Error());
            }
            std::lock_guard check(m_mutex);
            if (m_stop || generation != m_generation)
                break;  // the screen changed while this was synthesised
            // Queued under the lock: a Stop() after this check also drops this clip.
            m_player.Play(clip, AudioPlayer::Kind::Speech);
        }
        lock.lock();
    }
}

}  // namespace fk::audio
