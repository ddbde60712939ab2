#include "app/LoopSignals.h"

#include <csignal>

#include "platform/Window.h"

namespace fk::app {

namespace {

volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_shot = 0;

void OnStop(int) {
    g_stop = 1;
    platform::Window::Wake();
}

void OnShot(int) {
    g_shot = 1;
    platform::Window::Wake();
}

}  // namespace

void InstallLoopSignals(bool screenshotOnSigusr1) {
    std::signal(SIGTERM, OnStop);
    std::signal(SIGINT, OnStop);
    if (screenshotOnSigusr1)
        std::signal(SIGUSR1, OnShot);
}

bool StopRequested() {
    return g_stop != 0;
}
bool ShotRequested() {
    return g_shot != 0;
}
void ClearShotRequest() {
    g_shot = 0;
}

}  // namespace fk::app
