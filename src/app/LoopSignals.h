#pragma once
// The frame loops' signals: SIGTERM/SIGINT ask the loop to end, SIGUSR1 (when asked for) asks for
// a screenshot. A handler only sets its flag and writes a byte to a self-pipe; a waker thread
// (started by the first install, alive for the process) reads it and wakes the GLFW loop, since
// glfwPostEmptyEvent is not async-signal-safe. One set per process, shared by RunKiosk and
// RunNotSetUp. Install from the UI thread before the loop; read the flags from the UI thread.

namespace fk::app {

void InstallLoopSignals(bool screenshotOnSigusr1);
bool StopRequested();
bool ShotRequested();
void ClearShotRequest();

}  // namespace fk::app
