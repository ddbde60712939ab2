#pragma once
// The customer screens' sounds: a tick on every accepted tap, a chime when "thank you" comes, and
// the screen read aloud when "listen" is tapped (stopped when the screen or language changes).
//
// Thread affinity: UI thread (AfterFrame/Stop); playing and speech synthesis run on the
// AudioPlayer's and Speaker's own threads, so a frame only queues work.
// Ownership: owns the player and the speaker. Failure: sound disabled in the config, or no
// device: silent (the player logs once); nothing throws.

#include <memory>
#include <string>

#include "audio/AudioPlayer.h"
#include "audio/Speaker.h"
#include "core/FeedbackSession.h"
#include "ui/KioskScreens.h"

namespace fk::app {

struct SoundSettings {
    bool enabled = true;
    int volumePct = 60;
    std::string device = "default";
};

class KioskSound {
  public:
    explicit KioskSound(const SoundSettings& settings);

    // After a customer frame: out is what the screens returned, view the core's view after their
    // taps were handled.
    void AfterFrame(const ui::FrameOutput& out, const ui::KioskView& view);
    // The customer screens are not shown (manager mode): no speech.
    void Stop();
    audio::AudioPlayer& Player() { return m_player; }

  private:
    audio::AudioPlayer m_player;
    audio::Speaker m_speaker;
    audio::Clip m_tap;
    audio::Clip m_thankYou;
    core::Step m_lastStep = core::Step::Rate;
    std::string m_lastScreen;
};

}  // namespace fk::app
