#include "config/ConfigError.h"

namespace fk::config {

std::string to_string(const ConfigProblem& problem) {
    std::string text = problem.file;
    if (problem.line > 0) {
        text += ":" + std::to_string(problem.line);
    }
    text += ": ";
    if (!problem.key.empty()) {
        text += problem.key + ": ";
    }
    return text + problem.message;
}

namespace {

std::string JoinProblems(const std::vector<ConfigProblem>& problems) {
    std::string text;
    for (const ConfigProblem& problem : problems) {
        if (!text.empty()) {
            text += '\n';
        }
        text += to_string(problem);
    }
    return text;
}

}  // namespace

ConfigError::ConfigError(std::vector<ConfigProblem> problems)
    : std::runtime_error(JoinProblems(problems)), m_problems(std::move(problems)) {}

}  // namespace fk::config
