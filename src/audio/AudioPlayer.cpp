#include "audio/AudioPlayer.h"

#include <algorithm>
#include <optional>
#include <span>

#include <spdlog/spdlog.h>

#include "audio/AlsaOutput.h"
#include "audio/Tone.h"

namespace fk::audio {

namespace {
constexpr std::size_t kChunk = kSampleRate / 50;  // 20 ms: how soon a stopped speech goes quiet
}

AudioPlayer::AudioPlayer(std::string device) : m_device(std::move(device)) {
    if (m_device.empty()) {
        m_unavailable = true;
        return;
    }
    m_worker = std::thread([this] { Run(); });
}

AudioPlayer::~AudioPlayer() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_queue.clear();
    }
    m_wake.notify_all();
    if (m_worker.joinable())
        m_worker.join();
}

void AudioPlayer::Play(Clip clip, Kind kind) {
    if (!clip || clip->empty())
        return;
    {
        std::lock_guard lock(m_mutex);
        if (m_unavailable || m_stop)
            return;
        m_queue.push_back({std::move(clip), kind, m_speechGeneration});
    }
    m_wake.notify_one();
}

void AudioPlayer::StopSpeech() {
    std::lock_guard lock(m_mutex);
    ++m_speechGeneration;
    std::erase_if(m_queue, [](const Item& item) { return item.kind == Kind::Speech; });
}

bool AudioPlayer::WaitIdle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    return m_idle.wait_for(lock, timeout,
                           [this] { return m_unavailable || (m_queue.empty() && !m_busy); });
}

bool AudioPlayer::Available() const {
    std::lock_guard lock(m_mutex);
    return !m_unavailable;
}

std::uint64_t AudioPlayer::ClipsPlayed() const {
    std::lock_guard lock(m_mutex);
    return m_played;
}

void AudioPlayer::Run() {
    std::optional<AlsaOutput> out;
    out.emplace();
    bool lostLogged = false;
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
        if (m_stop)
            break;
        Item item = std::move(m_queue.front());
        m_queue.pop_front();
        m_busy = true;
        lock.unlock();

        bool opened = out->IsOpen() || out->Open(m_device);
        if (!opened) {
            spdlog::warn("sound off: {} (the kiosk stays silent)", out->error());
            lock.lock();
            m_unavailable = true;
            m_queue.clear();
            m_busy = false;
            m_idle.notify_all();
            break;
        }
        bool stopped = false;
        const std::span<const std::int16_t> all(*item.clip);
        for (std::size_t at = 0; at < all.size() && !stopped; at += kChunk) {
            if (!out->Write(all.subspan(at, std::min(kChunk, all.size() - at)))) {
                if (!lostLogged)
                    spdlog::warn("sound: {}; reopening on the next sound", out->error());
                lostLogged = true;
                out.emplace();
                break;
            }
            if (item.kind == Kind::Speech) {
                std::lock_guard check(m_mutex);
                stopped = m_stop || item.speechGeneration != m_speechGeneration;
            }
        }
        if (stopped)
            out->DropQueued();

        lock.lock();
        if (m_queue.empty() && !m_stop) {
            // Let the last sound finish so the stream is prepared, not underrun, for the next.
            lock.unlock();
            out->Drain();
            lock.lock();
        }
        ++m_played;
        m_busy = false;
        if (m_queue.empty())
            m_idle.notify_all();
    }
    m_busy = false;
    m_idle.notify_all();
}

}  // namespace fk::audio
