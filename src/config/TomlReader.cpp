#include "config/TomlReader.h"

#include <algorithm>
#include <sstream>

namespace fk::config::detail {

namespace {

std::string Preview(const toml::node& node) {
    std::ostringstream out;
    if (const auto* text = node.as_string()) {
        out << '"' << text->get() << '"';
    } else if (const auto* integer = node.as_integer()) {
        out << integer->get();
    } else if (const auto* floating = node.as_floating_point()) {
        out << floating->get();
    } else if (const auto* boolean = node.as_boolean()) {
        out << (boolean->get() ? "true" : "false");
    } else {
        return {};
    }
    return " (" + out.str() + ")";
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions ("scael").
std::size_t EditDistance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) {
        d[i][0] = i;
    }
    for (std::size_t j = 0; j <= b.size(); ++j) {
        d[0][j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

std::string FormatNumber(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

std::string WithAllowed(std::string message, std::string_view allowed) {
    if (!allowed.empty()) {
        message += ", ";
        message += allowed;
    }
    return message;
}

}  // namespace

void ProblemList::Add(int line, std::string key, std::string message, ProblemKind kind) {
    m_problems.push_back({m_file, line, std::move(key), std::move(message), kind});
}

std::vector<ConfigProblem> ProblemList::Take() {
    std::stable_sort(
        m_problems.begin(), m_problems.end(),
        [](const ConfigProblem& a, const ConfigProblem& b) { return a.line < b.line; });
    return std::move(m_problems);
}

toml::table ParseDocument(std::string_view text, std::string_view fileName, ProblemList& problems) {
    try {
        return toml::parse(text, fileName);
    } catch (const toml::parse_error& error) {
        problems.Add(static_cast<int>(error.source().begin.line), "",
                     "TOML syntax error: " + std::string(error.description()));
        throw ConfigError(problems.Take());
    }
}

std::string DescribeType(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a float";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

int LineOf(const toml::node& node, int fallback) {
    int line = static_cast<int>(node.source().begin.line);
    return line > 0 ? line : fallback;
}

TableReader::TableReader(ProblemList& problems, const toml::table* table, std::string path,
                         int line)
    : m_problems(&problems), m_table(table), m_path(std::move(path)), m_line(line) {}

std::string TableReader::KeyPath(std::string_view key) const {
    return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

int TableReader::LineOf(std::string_view key) const {
    if (m_table == nullptr) {
        return m_line;
    }
    const toml::node* node = m_table->get(key);
    return node == nullptr ? m_line : detail::LineOf(*node, m_line);
}

void TableReader::Problem(std::string_view key, std::string message, ProblemKind kind) {
    m_problems->Add(LineOf(key), KeyPath(key), std::move(message), kind);
}

const toml::node* TableReader::Node(std::string_view key) {
    if (std::find(m_known.begin(), m_known.end(), key) == m_known.end()) {
        m_known.emplace_back(key);
    }
    return m_table == nullptr ? nullptr : m_table->get(key);
}

bool TableReader::CheckType(std::string_view key, const toml::node& node, bool ok,
                            std::string_view expected, std::string_view allowed) {
    if (!ok) {
        Problem(key, WithAllowed("got " + DescribeType(node) + Preview(node) + ", expected " +
                                     std::string(expected),
                                 allowed));
    }
    return ok;
}

std::optional<std::string> TableReader::String(std::string_view key, std::string_view allowed) {
    const toml::node* node = Node(key);
    if (node == nullptr || !CheckType(key, *node, node->is_string(), "a string", allowed)) {
        return std::nullopt;
    }
    return node->as_string()->get();
}

std::optional<bool> TableReader::Bool(std::string_view key) {
    const toml::node* node = Node(key);
    if (node == nullptr ||
        !CheckType(key, *node, node->is_boolean(), "a boolean", "use true or false")) {
        return std::nullopt;
    }
    return node->as_boolean()->get();
}

std::optional<std::int64_t> TableReader::Int(std::string_view key, std::int64_t min,
                                             std::int64_t max, std::string_view allowed) {
    const toml::node* node = Node(key);
    if (node == nullptr || !CheckType(key, *node, node->is_integer(), "an integer", allowed)) {
        return std::nullopt;
    }
    std::int64_t value = node->as_integer()->get();
    if (value < min || value > max) {
        Problem(key, WithAllowed(std::to_string(value) + " is out of range", allowed));
        return std::nullopt;
    }
    return value;
}

std::optional<double> TableReader::Number(std::string_view key, double min, double max,
                                          std::string_view allowed) {
    const toml::node* node = Node(key);
    if (node == nullptr || !CheckType(key, *node, node->is_number(), "a number", allowed)) {
        return std::nullopt;
    }
    double value = node->is_integer() ? static_cast<double>(node->as_integer()->get())
                                      : node->as_floating_point()->get();
    if (!(value >= min && value <= max)) {
        Problem(key, WithAllowed(FormatNumber(value) + " is out of range", allowed));
        return std::nullopt;
    }
    return value;
}

const toml::array* TableReader::Array(std::string_view key, std::string_view allowed) {
    const toml::node* node = Node(key);
    if (node == nullptr || !CheckType(key, *node, node->is_array(), "an array", allowed)) {
        return nullptr;
    }
    return node->as_array();
}

TableReader TableReader::Table(std::string_view key) {
    const toml::node* node = Node(key);
    const toml::table* table = nullptr;
    if (node != nullptr && CheckType(key, *node, node->is_table(), "a table",
                                     "write it as [" + KeyPath(key) + "] followed by its keys")) {
        table = node->as_table();
    }
    int line = node == nullptr ? m_line : detail::LineOf(*node, m_line);
    return TableReader(*m_problems, table, KeyPath(key), line);
}

const toml::array* TableReader::TableArray(std::string_view key) {
    const toml::node* node = Node(key);
    if (node == nullptr) {
        return nullptr;
    }
    const std::string fix = "write each entry as [[" + KeyPath(key) + "]] followed by its keys";
    bool empty = node->is_array() && node->as_array()->empty();  // `key = []`: none
    if (!CheckType(key, *node, empty || node->is_array_of_tables(), "an array of tables", fix)) {
        return nullptr;
    }
    return node->as_array();
}

void TableReader::Finish() {
    if (m_table == nullptr) {
        return;
    }
    std::string allowedList;
    for (const std::string& known : m_known) {
        allowedList += (allowedList.empty() ? "" : ", ") + known;
    }
    for (const auto& [key, node] : *m_table) {
        std::string_view name = key.str();
        if (std::find(m_known.begin(), m_known.end(), name) != m_known.end()) {
            continue;
        }
        std::string message = "unknown key";
        const std::string* closest = nullptr;
        // Short keys only get a suggestion for a single slip; "fr" is not a typo of "en".
        std::size_t best = name.size() <= 4 ? 2 : 3;
        for (const std::string& known : m_known) {
            std::size_t distance = EditDistance(name, known);
            if (distance < best) {
                best = distance;
                closest = &known;
            }
        }
        if (closest != nullptr) {
            message += ", did you mean \"" + *closest + "\"?";
        }
        message += m_known.empty()
                       ? ", this table takes no keys"
                       : (closest != nullptr ? " Allowed: " : ", allowed: ") + allowedList;
        int line = static_cast<int>(key.source().begin.line);
        m_problems->Add(line > 0 ? line : detail::LineOf(node, m_line), KeyPath(name),
                        std::move(message));
    }
}

}  // namespace fk::config::detail
