#include "support/ChildProcess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <utility>

extern char** environ;

namespace fk::test {

Child::Child(const std::filesystem::path& programPath, const std::vector<std::string>& args,
             bool mergeStderr) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    if (mergeStderr)
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    std::vector<std::string> words;
    if (const char* emulator = std::getenv("FK_TEST_EMULATOR"); emulator && *emulator) {
        std::istringstream in(emulator);
        for (std::string word; in >> word;)
            words.push_back(word);
    }
    words.push_back(programPath.string());
    const std::string program = words.front();
    std::vector<char*> argv;
    for (auto& w : words)
        argv.push_back(w.data());
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int rc = posix_spawnp(&m_pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        throw std::runtime_error("cannot start " + program + ": " + std::strerror(rc));
    }
    m_out = fds[0];
}

Child::~Child() {
    if (!m_reaped) {
        kill(m_pid, SIGKILL);
        Wait();
    }
    if (m_out >= 0)
        close(m_out);
}

void Child::Kill(int signal) {
    if (!m_reaped)
        kill(m_pid, signal);
}

int Child::Wait() {
    int status = 0;
    while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_reaped = true;
    return status;
}

void Child::Drain() {
    char buffer[4096];
    for (;;) {
        pollfd pfd{m_out, POLLIN, 0};
        if (poll(&pfd, 1, 0) <= 0)
            return;
        ssize_t got = read(m_out, buffer, sizeof buffer);
        if (got <= 0)
            return;
        m_buffer.append(buffer, static_cast<std::size_t>(got));
    }
}

bool Child::WaitForLine(const std::string& prefix, int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        for (std::size_t start = 0; start < m_buffer.size();) {
            const auto end = m_buffer.find('\n', start);
            if (end == std::string::npos)
                break;
            if (m_buffer.compare(start, prefix.size(), prefix) == 0)
                return true;
            start = end + 1;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0)
            return false;
        pollfd pfd{m_out, POLLIN, 0};
        int ready = poll(&pfd, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return false;
        char buffer[4096];
        ssize_t got = read(m_out, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        m_buffer.append(buffer, static_cast<std::size_t>(got));
    }
}

std::string Child::ReadToEnd() {
    std::string out = std::exchange(m_buffer, std::string());
    char buffer[65536];
    for (;;) {
        ssize_t got = read(m_out, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        out.append(buffer, static_cast<std::size_t>(got));
    }
    return out;
}

}  // namespace fk::test
