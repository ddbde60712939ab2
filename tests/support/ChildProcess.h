#pragma once
// Real child processes for tests that must kill, restart or limit a program (crash tests, the
// kiosk <-> server fault test). Single-threaded test use; throws std::runtime_error when a
// process cannot be started.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fk::test {

// A running child whose standard output is a pipe to us. The destructor kills and reaps it.
class Child {
  public:
    // Runs program with args. With mergeStderr the child's standard error goes into the
    // same pipe (to read a server's "listening on" line). Under a cross build's ctest,
    // FK_TEST_EMULATOR (e.g. "qemu-aarch64 -L /usr/aarch64-linux-gnu", set by fk_test) runs the
    // program through that emulator: qemu-user does not follow exec without binfmt_misc. The
    // child's pid is then the emulator's, which is the emulated process itself.
    Child(const std::filesystem::path& program, const std::vector<std::string>& args,
          bool mergeStderr = false);
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
    // Everything read from the child so far.
    const std::string& Output() const { return m_buffer; }
    // Reads whatever output is waiting, without blocking (keeps a chatty child from filling the
    // pipe and stalling).
    void Drain();
    // Reads standard output until end of file (call after the child is gone), including anything
    // WaitForLine already read.
    std::string ReadToEnd();

  private:
    std::string m_buffer;
    pid_t m_pid = -1;
    int m_out = -1;
    bool m_reaped = false;
};

}  // namespace fk::test
