#include "app/LoopSignals.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "platform/Window.h"

namespace fk::app {

namespace {

volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_shot = 0;
// The self-pipe: a handler only sets its flag and writes one byte (both async-signal-safe); the
// waker thread reads the byte and wakes the frame loop (glfwPostEmptyEvent is not signal-safe).
int g_pipe[2] = {-1, -1};

void Poke() {
    const int saved = errno;
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &byte, 1);  // full pipe: a wake is due
    errno = saved;
}

void OnStop(int) {
    g_stop = 1;
    Poke();
}

void OnShot(int) {
    g_shot = 1;
    Poke();
}

void WakerLoop() {
    char buffer[64];
    while (true) {
        const ssize_t n = ::read(g_pipe[0], buffer, sizeof buffer);
        if (n > 0)
            platform::Window::Wake();
        else if (n == 0 || errno != EINTR)
            return;
    }
}

// Once per process: the pipe and its waker thread live as long as the process (both loops share
// them; RunNotSetUp may hand over to RunKiosk).
bool StartWaker() {
    if (::pipe2(g_pipe, O_CLOEXEC) != 0) {
        spdlog::error("signal pipe: {}; SIGTERM will end the kiosk only at its next frame",
                      std::strerror(errno));
        return false;
    }
    // The write end never blocks a handler; a full pipe already holds a pending wake.
    ::fcntl(g_pipe[1], F_SETFL, ::fcntl(g_pipe[1], F_GETFL) | O_NONBLOCK);
    std::thread(WakerLoop).detach();
    return true;
}

void Install(int signal, void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(signal, &action, nullptr);
}

}  // namespace

void InstallLoopSignals(bool screenshotOnSigusr1) {
    static std::once_flag once;
    std::call_once(once, [] { StartWaker(); });
    Install(SIGTERM, OnStop);
    Install(SIGINT, OnStop);
    if (screenshotOnSigusr1)
        Install(SIGUSR1, OnShot);
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
