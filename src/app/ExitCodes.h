#pragma once
// The kiosk's process exit codes (kiosk --help lists them; the service and the GUI tests rely on
// them). Plain constants; no thread affinity.

namespace fk::app::exit_code {

// Normal exit: window closed, SIGTERM/SIGINT, or the config file appeared while not set up.
inline constexpr int kOk = 0;
// Bad command line or unusable config (export-csv, set-pin), or export-csv failed.
inline constexpr int kUsage = 1;
// No display or no OpenGL 3.3.
inline constexpr int kNoDisplay = 2;
// Too many frames failed in a row (the service manager restarts the kiosk).
inline constexpr int kFramesFailing = 3;
// A testing hook failed (--screenshot could not be written).
inline constexpr int kTestHookFailed = 4;

}  // namespace fk::app::exit_code
