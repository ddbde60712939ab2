// The player and the speaker through a real ALSA stream: ALSA's `file` plugin (slave: the null
// PCM) given as the device string, the file measured with sox. The raw and WAV files stay in
// <build>/audio-out for listening and spectrograms.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "audio/AudioPlayer.h"
#include "audio/SoxStats.h"
#include "audio/Speaker.h"
#include "audio/Tone.h"
#include "support/Skip.h"

namespace {

using namespace std::chrono_literals;
using fk::audio::AudioPlayer;

std::filesystem::path OutDir() {
    const std::filesystem::path dir = std::filesystem::path(FK_BUILD_DIR) / "audio-out";
    std::filesystem::create_directories(dir);
    return dir;
}

// A fresh raw file and the ALSA device string that writes into it.
std::string FileDevice(const std::filesystem::path& raw) {
    std::filesystem::remove(raw);
    return "file:FILE=" + raw.string() + ",FORMAT=raw";
}

bool NeedSox() {
    if (fk::test::SoxAvailable())
        return true;
    const char* require = std::getenv("FK_REQUIRE_SOX");
    if (require != nullptr && std::string(require) == "1")
        FAIL("FK_REQUIRE_SOX=1 but sox does not run (scripts/setup-deps installs it)");
    fk::test::Skip("sox is not installed: the audio written cannot be measured");
    return false;
}

fk::audio::Clip ClipOf(fk::audio::Cue cue) {
    return std::make_shared<const std::vector<std::int16_t>>(fk::audio::SynthesizeCue(cue, 60));
}

}  // namespace

TEST_CASE("audio: a tap tick and the thank-you chime reach the ALSA file sink, measured by sox") {
    if (!NeedSox())
        return;
    const auto raw = OutDir() / "cues.raw";
    {
        AudioPlayer player(FileDevice(raw));
        player.Play(ClipOf(fk::audio::Cue::Tap), AudioPlayer::Kind::Cue);
        player.Play(ClipOf(fk::audio::Cue::ThankYou), AudioPlayer::Kind::Cue);
        REQUIRE(player.WaitIdle(10s));
        CHECK(player.Available());
        CHECK(player.ClipsPlayed() == 2);
    }  // closed: the file plugin has written everything
    const auto stats = fk::test::MeasureRaw(raw);
    REQUIRE(stats);
    const double expected = (fk::audio::CueSamples(fk::audio::Cue::Tap) +
                             fk::audio::CueSamples(fk::audio::Cue::ThankYou)) /
                            static_cast<double>(fk::audio::kSampleRate);
    INFO(stats->text);
    CHECK(stats->lengthS == doctest::Approx(expected).epsilon(0.02));
    CHECK(stats->rmsDb > -30);    // non-silent
    CHECK(stats->peakDb < -0.5);  // not clipped
    CHECK(fk::test::RawToWav(raw, OutDir() / "cues.wav"));
}

TEST_CASE("audio: with no sound device the player stays silent, says so, and never throws") {
    AudioPlayer missing("hw:97,0");
    missing.Play(ClipOf(fk::audio::Cue::Tap), AudioPlayer::Kind::Cue);
    REQUIRE(missing.WaitIdle(10s));
    CHECK_FALSE(missing.Available());
    missing.Play(ClipOf(fk::audio::Cue::ThankYou), AudioPlayer::Kind::Cue);  // dropped
    CHECK(missing.WaitIdle(1s));
    CHECK(missing.ClipsPlayed() == 0);

    AudioPlayer off("");  // [sound] enabled = false: the device is never opened
    CHECK_FALSE(off.Available());
    off.Play(ClipOf(fk::audio::Cue::Tap), AudioPlayer::Kind::Cue);
    CHECK(off.WaitIdle(1s));
}

TEST_CASE("audio: listen speaks through the sink, synthesises each string once, and stops") {
    if (!NeedSox())
        return;
    const auto raw = OutDir() / "speech-en.raw";
    const std::vector<fk::audio::Utterance> lines = {{"en", "How was your visit today?"},
                                                     {"en", "Very good"}};
    {
        AudioPlayer player(FileDevice(raw));
        fk::audio::Speaker speaker(player, 80);
        speaker.Speak(lines);
        // The worker synthesises and queues; wait for both strings to be played.
        const auto until = std::chrono::steady_clock::now() + 20s;
        while (player.ClipsPlayed() < 2 && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(20ms);
        REQUIRE(player.ClipsPlayed() == 2);
        speaker.Speak(lines);  // the same screen read again: from the cache
        while (player.ClipsPlayed() < 4 && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(20ms);
        CHECK(player.ClipsPlayed() == 4);
        CHECK(speaker.Synthesized() == 2);
    }
    const auto stats = fk::test::MeasureRaw(raw);
    REQUIRE(stats);
    INFO(stats->text);
    CHECK(stats->lengthS > 2.0);  // two sentences, twice
    CHECK(stats->lengthS < 12.0);
    CHECK(stats->rmsDb > -35);
    CHECK(fk::test::RawToWav(raw, OutDir() / "speech-en.wav"));

    // Stopped at once (the screen changed): at most what was already queued is heard.
    const auto cut = OutDir() / "speech-stopped.raw";
    std::uint64_t played = 0;
    {
        AudioPlayer player(FileDevice(cut));
        fk::audio::Speaker speaker(player, 80);
        speaker.Speak(
            {{"en", "We are sorry your visit was not good. We will use this to do better."},
             {"en", "Please ask at the counter, a colleague will be glad to help you."},
             {"en", "Your feedback helps us improve."}});
        speaker.Stop();
        std::this_thread::sleep_for(500ms);
        CHECK(player.WaitIdle(10s));
        played = player.ClipsPlayed();
    }
    CHECK(played <= 1);
}
