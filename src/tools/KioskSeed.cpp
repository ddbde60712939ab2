// kiosk-seed: fills a kiosk data dir with weeks of believable responses, through the kiosk's own
// ResponseStore on a fake clock, so manager mode can be looked at (and screenshotted) with the
// volume a real store has: the roster and reasons come from the kiosk config, each rep has their
// own level of service and traffic share (some too few for a score), rush hours and weekends are
// busier, most complaints are about the queue or the price, and now and then someone hammers the
// faces (stored flagged as misuse, as the kiosk does).
// Usage: kiosk-seed --config kiosk.toml --data-dir DIR [--days 30] [--per-day 250] [--seed 1]
// Refuses a data dir that already holds responses (it never mixes made-up rows with real ones).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/KioskConfig.h"
#include "core/Calendar.h"
#include "core/Clock.h"
#include "storage/ResponseStore.h"

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

struct RepProfile {
    std::string id;
    double quality = 0.7;  // chance a rating is positive
    double weight = 1;     // share of the traffic
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{
        "kiosk-seed: fill a kiosk data dir with weeks of made-up responses (for looking at manager "
        "mode)"};
    std::string configPath;
    std::string dataDir;
    int days = 30;
    int perDay = 250;
    unsigned seed = 1;
    cli.add_option("--config", configPath, "kiosk TOML config (roster, reasons, scale)")
        ->required();
    cli.add_option("--data-dir", dataDir, "data dir to fill (must hold no responses yet)")
        ->required();
    cli.add_option("--days", days, "days back from now")
        ->check(CLI::Range(1, 400))
        ->capture_default_str();
    cli.add_option("--per-day", perDay, "responses on an ordinary weekday")
        ->check(CLI::Range(1, 5000))
        ->capture_default_str();
    cli.add_option("--seed", seed, "random seed")->capture_default_str();
    CLI11_PARSE(cli, argc, argv);

    fk::config::KioskConfig config;
    try {
        config = fk::config::LoadKioskConfig(configPath);
    } catch (const fk::config::ConfigError& e) {
        std::cerr << "kiosk-seed: " << e.what() << "\n";
        return 1;
    }
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> unit(0, 1);

    std::vector<RepProfile> reps;
    for (const auto& rep : config.ActiveReps()) {
        RepProfile p;
        p.id = rep.id;
        p.quality = 0.45 + 0.5 * unit(random);
        // A few reps work rarely (part-timers): their n stays under the minimum.
        p.weight = unit(random) < 0.12 ? 0.05 : 0.5 + unit(random);
        reps.push_back(p);
    }
    std::vector<double> weights;
    for (const auto& r : reps)
        weights.push_back(r.weight);
    weights.push_back(reps.empty() ? 1.0 : 3.0);  // customers who skip the rep step
    std::discrete_distribution<std::size_t> pickRep(weights.begin(), weights.end());

    std::vector<std::string> aboutRep;
    std::vector<std::string> notAboutRep;
    for (const auto& reason : config.reasons) {
        (reason.attributableToRep ? aboutRep : notAboutRep).push_back(reason.code);
    }
    const int points = config.survey.scale.Points();

    fk::core::SystemClock system;
    const fk::core::UtcMs now = system.NowUtcMs();
    const int tz = system.TzOffsetMinutes(now);
    const fk::core::UtcMs localNow = now + tz * kMinute;
    const fk::core::UtcMs firstLocalMidnight = (localNow / kDay - (days - 1)) * kDay;
    fk::core::FakeClock clock(firstLocalMidnight - tz * kMinute, tz);

    std::unique_ptr<fk::storage::ResponseStore> store;
    try {
        store = fk::storage::ResponseStore::Open(dataDir, clock);
        if (store->MaxSeq() > 0) {
            std::cerr << "kiosk-seed: " << dataDir
                      << " already holds responses; give an empty data dir\n";
            return 1;
        }
    } catch (const std::exception& e) {
        std::cerr << "kiosk-seed: " << e.what() << "\n";
        return 1;
    }

    // Traffic by local hour (open 9-21): a lunch and an after-work rush.
    const std::vector<double> hourShare = {0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 6,
                                           9, 8, 5, 4, 5, 7, 9, 7, 5, 3, 0, 0};
    double shareSum = 0;
    for (double s : hourShare)
        shareSum += s;

    std::int64_t written = 0;
    std::int64_t misuse = 0;
    for (int day = 0; day < days; ++day) {
        const fk::core::UtcMs dayStartUtc = firstLocalMidnight + day * kDay - tz * kMinute;
        const std::int64_t weekday = fk::core::WeekdayIndex(
            fk::core::FloorDiv(firstLocalMidnight, kDay) + day);  // 0 = Monday
        const double dayFactor = (weekday >= 5 ? 1.4 : 1.0) * (0.8 + 0.4 * unit(random));
        std::vector<fk::core::UtcMs> times;
        for (int hour = 0; hour < 24; ++hour) {
            const double expected =
                perDay * dayFactor * hourShare[static_cast<std::size_t>(hour)] / shareSum;
            std::poisson_distribution<int> count(expected);
            for (int i = count(random); i > 0; --i) {
                times.push_back(dayStartUtc + hour * 60 * kMinute +
                                static_cast<std::int64_t>(unit(random) * 60 * kMinute));
            }
        }
        std::sort(times.begin(), times.end());
        for (fk::core::UtcMs at : times) {
            if (at > now)
                break;
            clock.SetUtc(at);
            const std::size_t pick = pickRep(random);
            const RepProfile* rep = pick < reps.size() ? &reps[pick] : nullptr;
            // An afternoon slump on Fridays makes the heatmap worth reading.
            double quality = rep ? rep->quality : 0.7;
            if (weekday == 4 && at - dayStartUtc >= 16 * 60 * kMinute)
                quality -= 0.2;
            const bool positive = unit(random) < quality;
            int rating =
                positive ? points - (unit(random) < 0.55 ? 0 : 1) : (unit(random) < 0.45 ? 1 : 2);
            if (!positive && points == 5 && unit(random) < 0.35)
                rating = 3;  // neutral
            rating = std::clamp(rating, 1, points);
            fk::storage::BeginRequest begin;
            begin.scale = points;
            begin.rating = rating;
            const char* languages[] = {"en", "en", "en", "hi", "te", "ne", "da"};
            begin.language = languages[static_cast<std::size_t>(unit(random) * 7) % 7];
            if (rep)
                begin.repId = rep->id;
            const bool burst = unit(random) < 0.004;
            if (burst)
                begin.misuse = "burst";
            const auto response = store->Begin(begin);
            if (config.survey.AsksReasonFor(rating) && unit(random) < 0.8) {
                const bool aboutTheRep =
                    !aboutRep.empty() && (notAboutRep.empty() || unit(random) < 0.3);
                const auto& pool = aboutTheRep ? aboutRep : notAboutRep;
                if (!pool.empty()) {
                    store->SetReason(
                        response.id,
                        pool[static_cast<std::size_t>(unit(random) * pool.size()) % pool.size()]);
                }
            }
            store->Close(response.id, unit(random) < 0.85 ? fk::core::CloseReason::ThankYou
                                                          : fk::core::CloseReason::IdleTimeout);
            ++written;
            if (burst) {
                // The hammering that got it flagged: a few more taps seconds apart, all flagged.
                for (int k = 0; k < 4; ++k) {
                    clock.SetUtc(at + (k + 1) * 1500);
                    fk::storage::BeginRequest again = begin;
                    again.rating = 1 + static_cast<int>(unit(random) * points) % points;
                    const auto extra = store->Begin(again);
                    store->Close(extra.id, fk::core::CloseReason::ThankYou);
                    ++written;
                    ++misuse;
                }
                ++misuse;
            }
        }
    }
    std::printf(
        "kiosk-seed: %lld responses over %d days (%lld flagged as misuse), %zu reps, into %s\n",
        static_cast<long long>(written), days, static_cast<long long>(misuse), reps.size(),
        dataDir.c_str());
    return 0;
}
