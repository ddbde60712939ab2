#pragma once
// Runs tests/storage/StoreHelper (store_helper) as a real child process: the crash, full-disk and
// read-only tests need a process that can be killed, size-limited or run as another user.
// Single-threaded test use; throws std::runtime_error when a process cannot be started.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fk::test {

std::filesystem::path StoreHelperPath();

// A running child whose standard output is a pipe to us. The destructor kills and reaps it.
class Child {
  public:
    explicit Child(const std::vector<std::string>& args);
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    pid_t Pid() const { return m_pid; }
    void Kill(int signal);
    // Waits for exit; returns the wait status (use WIFEXITED etc.).
    int Wait();
    // Reads standard output until a line starting with prefix has arrived; false on end of file
    // or timeout. What was read is kept for ReadToEnd.
    bool WaitForLine(const std::string& prefix, int timeoutMs);
    // Reads standard output until end of file (call after the child is gone), including anything
    // WaitForLine already read.
    std::string ReadToEnd();

  private:
    std::string m_buffer;
    pid_t m_pid = -1;
    int m_out = -1;
    bool m_reaped = false;
};

struct HelperResult {
    int exitCode = -1;  // -1 when killed by a signal
    std::string output;
};
// Runs store_helper with args to completion.
HelperResult RunHelper(const std::vector<std::string>& args);

}  // namespace fk::test
