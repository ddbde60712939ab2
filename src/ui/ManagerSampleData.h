#pragma once
// A realistic manager view made up from a seed: 50 reps (names in English, Hindi, Nepali, Telugu
// and Danish), about 30 days of ratings with reasons, misuse and quiet days, the store totals,
// trend, heatmap and reasons, sync health, roster and export places. For screenshots, the
// benchmark and demos; never shown to a real manager. Pure; thread-safe.

#include <cstdint>

#include "ui/ManagerView.h"

namespace fk::ui {

struct SampleOptions {
    int reps = 50;
    int days = 30;
    core::CivilDate lastDay{2026, 11, 22};
    std::uint32_t seed = 7;
    std::int64_t minResponses = core::kDefaultMinN;
};

ManagerView SampleManagerView(const SampleOptions& options = {});

}  // namespace fk::ui
