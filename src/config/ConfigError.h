#pragma once
// Why a configuration file was refused. Plain values; thread-safe to copy and read.

#include <stdexcept>
#include <string>
#include <vector>

namespace fk::config {

// One thing wrong with a configuration file. line is 1-based; 0 when the problem is about the
// file as a whole (missing, unreadable). key is the dotted key path ("survey.scale", "rep[2].id"),
// empty when there is no key.
// Missing: a required key is absent (a config not yet filled in, e.g. the packaged one without
// [kiosk] id); Invalid: anything else.
enum class ProblemKind { Invalid, Missing };

struct ConfigProblem {
    std::string file;
    int line = 0;
    std::string key;
    std::string message;  // "what is wrong, what is allowed"
    ProblemKind kind = ProblemKind::Invalid;
    friend bool operator==(const ConfigProblem&, const ConfigProblem&) = default;
};

// "file:line: key: message" (line and key left out when absent).
std::string to_string(const ConfigProblem& problem);

// Thrown when a configuration cannot be used: the caller cannot continue (the kiosk refuses to
// start). Carries every problem found, in file order; what() is one problem per line.
class ConfigError : public std::runtime_error {
  public:
    explicit ConfigError(std::vector<ConfigProblem> problems);
    const std::vector<ConfigProblem>& Problems() const { return m_problems; }

  private:
    std::vector<ConfigProblem> m_problems;
};

}  // namespace fk::config
