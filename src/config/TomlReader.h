#pragma once
// Internal to the config module: typed reads from toml++ tables that turn every wrong type,
// out-of-range value and unknown key into a ConfigProblem with its line. toml++ is a private
// dependency of fk::config and fk::server, so nothing outside src/config/ and
// src/server/ServerSettings.cpp (the server's settings file) may include this header.
// Not thread-safe; one reader per parse.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/ConfigError.h"

namespace fk::config::detail {

// Problems collected while reading one file.
class ProblemList {
  public:
    explicit ProblemList(std::string file) : m_file(std::move(file)) {}
    void Add(int line, std::string key, std::string message,
             ProblemKind kind = ProblemKind::Invalid);
    bool Empty() const { return m_problems.empty(); }
    // Sorted by line; problems on one line keep the order they were found in.
    std::vector<ConfigProblem> Take();

  private:
    std::string m_file;
    std::vector<ConfigProblem> m_problems;
};

// The TOML document in text; a syntax error throws ConfigError with its line (named fileName).
toml::table ParseDocument(std::string_view text, std::string_view fileName, ProblemList& problems);

// "a string", "an integer", ... as used in messages.
std::string DescribeType(const toml::node& node);

// Reads one table. Every key asked for is remembered, so Finish() can report the others as
// unknown. A reader over an absent table (nullptr) returns nullopt everywhere.
class TableReader {
  public:
    // path: the dotted key path of this table ("survey", "rep[2]"), empty for the document root.
    // line: where the table starts, used for problems about missing keys.
    TableReader(ProblemList& problems, const toml::table* table, std::string path, int line);

    bool Present() const { return m_table != nullptr; }
    int Line() const { return m_line; }
    const std::string& Path() const { return m_path; }
    std::string KeyPath(std::string_view key) const;
    // The line of key's value, or of the table when the key is absent.
    int LineOf(std::string_view key) const;
    void Problem(std::string_view key, std::string message,
                 ProblemKind kind = ProblemKind::Invalid);

    // Marks key as known and returns its node, or nullptr when absent.
    const toml::node* Node(std::string_view key);

    // allowed: how to fix it, appended to wrong-type and out-of-range messages ("use 4 or 5").
    std::optional<std::string> String(std::string_view key, std::string_view allowed);
    std::optional<bool> Bool(std::string_view key);
    std::optional<std::int64_t> Int(std::string_view key, std::int64_t min, std::int64_t max,
                                    std::string_view allowed);
    // Accepts integers and floats.
    std::optional<double> Number(std::string_view key, double min, double max,
                                 std::string_view allowed);
    const toml::array* Array(std::string_view key, std::string_view allowed);
    // A nested table; a reader over nothing when absent or of the wrong type.
    TableReader Table(std::string_view key);
    // An array of tables ([[key]]); nullptr when absent or of the wrong type.
    const toml::array* TableArray(std::string_view key);

    // Reports every key never asked for as unknown, suggesting the closest known one.
    void Finish();

  private:
    bool CheckType(std::string_view key, const toml::node& node, bool ok, std::string_view expected,
                   std::string_view allowed);

    ProblemList* m_problems;
    const toml::table* m_table;
    std::string m_path;
    int m_line;
    std::vector<std::string> m_known;
};

// The line a node starts on, or fallback when toml++ has none (implicit tables).
int LineOf(const toml::node& node, int fallback);

}  // namespace fk::config::detail
