#include "audio/AlsaOutput.h"

#include <alsa/asoundlib.h>

#include "audio/Tone.h"

namespace fk::audio {

namespace {
// alsa-lib prints its own lines to stderr (e.g. "cannot find card '0'" for every open on a
// machine without sound): the kiosk says it once, in its own log, from Open's error instead.
void QuietAlsa(const char*, int, const char*, int, const char*, ...) {}
}  // namespace

AlsaOutput::~AlsaOutput() {
    if (m_pcm != nullptr) {
        snd_pcm_drain(m_pcm);
        snd_pcm_close(m_pcm);
    }
}

bool AlsaOutput::Open(const std::string& device) {
    if (m_pcm != nullptr)
        return true;
    static const bool quiet = snd_lib_error_set_handler(QuietAlsa) == 0;
    (void)quiet;
    snd_pcm_t* pcm = nullptr;
    int rc = snd_pcm_open(&pcm, device.c_str(), SND_PCM_STREAM_PLAYBACK, 0);
    if (rc < 0) {
        m_error = "cannot open ALSA device \"" + device + "\": " + snd_strerror(rc);
        return false;
    }
    // 80 ms of buffer: a tap's tick starts within a frame or two, and resampling is allowed so
    // a card without 22050 Hz still plays.
    rc = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                            kSampleRate, 1, 80000);
    if (rc < 0) {
        m_error = "ALSA device \"" + device + "\" refuses mono 16-bit " +
                  std::to_string(kSampleRate) + " Hz: " + snd_strerror(rc);
        snd_pcm_close(pcm);
        return false;
    }
    m_pcm = pcm;
    m_error.clear();
    return true;
}

bool AlsaOutput::Write(std::span<const std::int16_t> samples) {
    if (m_pcm == nullptr)
        return false;
    std::size_t done = 0;
    bool recovered = false;
    while (done < samples.size()) {
        const snd_pcm_sframes_t n =
            snd_pcm_writei(m_pcm, samples.data() + done, samples.size() - done);
        if (n >= 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (recovered || snd_pcm_recover(m_pcm, static_cast<int>(n), 1) < 0) {
            m_error = std::string("ALSA write failed: ") + snd_strerror(static_cast<int>(n));
            return false;
        }
        recovered = true;
    }
    return true;
}

void AlsaOutput::DropQueued() {
    if (m_pcm != nullptr) {
        snd_pcm_drop(m_pcm);
        snd_pcm_prepare(m_pcm);
    }
}

void AlsaOutput::Drain() {
    if (m_pcm != nullptr) {
        snd_pcm_drain(m_pcm);
        snd_pcm_prepare(m_pcm);
    }
}

}  // namespace fk::audio
