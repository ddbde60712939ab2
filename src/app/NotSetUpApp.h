#pragma once
// The kiosk program when it has no usable config: a window showing the "not set up" notice
// (ui/NotSetUp.h) instead of the customer screens. It watches the config file and exits with 0
// when the file differs from what was seen when it was read (ConfigStamp before loading: it
// appeared, changed or went away), so the service manager (Restart=always) starts the real kiosk
// with it. Honors the testing hooks of AppOptions (screenshot, exit after frames, layout
// JSON). Main thread only.

#include <filesystem>
#include <optional>
#include <vector>

#include "app/KioskApp.h"
#include "ui/NotSetUp.h"

namespace fk::app {

// Exit codes as RunKiosk's: 0 normal exit (closed, signal, or the config file changed),
// 2 window/GL could not start, 4 a hook (screenshot) failed.
using ConfigStamp = std::optional<std::filesystem::file_time_type>;
// The file's modification time, nullopt when it does not exist.
ConfigStamp StampOf(const std::filesystem::path& file);

int RunNotSetUp(const AppOptions& options, const ui::NotSetUpView& view,
                const std::filesystem::path& configPath, const ConfigStamp& seen,
                const std::vector<std::filesystem::path>& fonts);

}  // namespace fk::app
