#include "app/KioskSound.h"

#include "audio/Tone.h"
#include "ui/ListenScript.h"

namespace fk::app {

namespace {
audio::Clip Cue(audio::Cue cue, int volumePct) {
    return std::make_shared<const std::vector<std::int16_t>>(audio::SynthesizeCue(cue, volumePct));
}
}  // namespace

KioskSound::KioskSound(const SoundSettings& settings)
    : m_player(settings.enabled ? settings.device : std::string()),
      m_speaker(m_player, settings.volumePct),
      m_tap(Cue(audio::Cue::Tap, settings.volumePct)),
      m_thankYou(Cue(audio::Cue::ThankYou, settings.volumePct)) {}

void KioskSound::AfterFrame(const ui::FrameOutput& out, const ui::KioskView& view) {
    const std::string screen = ui::ScreenName(view) + '/' + view.language;
    if (screen != m_lastScreen) {
        m_speaker.Stop();
        m_lastScreen = screen;
    }
    const bool thanks = view.step == core::Step::ThankYou && m_lastStep != core::Step::ThankYou;
    m_lastStep = view.step;
    if (thanks) {
        m_player.Play(m_thankYou, audio::AudioPlayer::Kind::Cue);
    } else if (!out.actions.empty()) {
        m_player.Play(m_tap, audio::AudioPlayer::Kind::Cue);
    }
    if (out.listen && m_player.Available()) {
        std::vector<audio::Utterance> lines;
        for (auto& line : ui::ListenScript(view))
            lines.push_back({std::move(line.language), std::move(line.text)});
        m_speaker.Speak(std::move(lines));
    }
}

void KioskSound::Stop() {
    m_speaker.Stop();
    m_lastScreen.clear();
}

}  // namespace fk::app
