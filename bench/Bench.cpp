#include "Bench.h"

#include <stdlib.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <stdexcept>

namespace fk::bench {

namespace {

std::string JsonNumber(double value) {
    if (!std::isfinite(value))
        return "null";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}

}  // namespace

std::map<std::string, SuiteInfo>& Suites() {
    static std::map<std::string, SuiteInfo> suites;
    return suites;
}

void Report::Add(const std::string& metric, double value, const std::string& unit) {
    Print({metric, value, unit, std::nullopt, std::nullopt});
}

void Report::AddRatio(const std::string& metric, double value, const std::string& unit,
                      const std::string& baselineMetric, double baseline) {
    Print({metric, value, unit, baselineMetric, baseline});
}

void Report::Print(const Figure& f) {
    if (m_json) {
        std::cout << "{\"bench\":\"" << m_bench << "\",";
        if (!m_backend.empty())
            std::cout << "\"backend\":\"" << m_backend << "\",";
        std::cout << "\"metric\":\"" << f.metric << "\",\"value\":" << JsonNumber(f.value)
                  << ",\"unit\":\"" << f.unit << "\"";
        if (f.baselineMetric && f.baseline) {
            std::cout << ",\"baseline_metric\":\"" << *f.baselineMetric
                      << "\",\"baseline\":" << JsonNumber(*f.baseline) << ",\"ratio\":"
                      << JsonNumber(*f.baseline != 0 ? f.value / *f.baseline : NAN);
        }
        std::cout << "}\n";
    } else {
        std::cout << m_bench << (m_backend.empty() ? "" : " [" + m_backend + "]") << " " << f.metric
                  << " = " << JsonNumber(f.value) << " " << f.unit;
        if (f.baselineMetric && f.baseline) {
            std::cout << "  (baseline " << *f.baselineMetric << " = " << JsonNumber(*f.baseline)
                      << ", ratio " << JsonNumber(*f.baseline != 0 ? f.value / *f.baseline : NAN)
                      << ")";
        }
        std::cout << "\n";
    }
    std::cout.flush();
}

bool Args::Flag(const std::string& name) const {
    return std::find(m_args.begin(), m_args.end(), name) != m_args.end();
}

std::string Args::Value(const std::string& name, const std::string& fallback) const {
    for (std::size_t i = 0; i + 1 < m_args.size(); ++i) {
        if (m_args[i] == name)
            return m_args[i + 1];
    }
    return fallback;
}

long long Args::Int(const std::string& name, long long fallback) const {
    std::string text = Value(name, "");
    if (text.empty())
        return fallback;
    std::size_t used = 0;
    long long v = 0;
    try {
        v = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size())
        throw std::invalid_argument(name + " " + text + " is not a whole number");
    return v;
}

std::string Args::Unknown(const std::string& help) const {
    // The options in the help text: "--name" followed by a placeholder (N, DIR, URL, 30000) takes a
    // value.
    std::map<std::string, bool> takesValue{{"--json", false}};
    std::vector<std::string> words;
    std::string word;
    for (char c : help + " ") {
        if (c == ' ' || c == '[' || c == ']' || c == '(' || c == ')' || c == ',' || c == '|') {
            if (!word.empty())
                words.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (words[i].rfind("--", 0) != 0)
            continue;
        const bool value = i + 1 < words.size() && words[i + 1].rfind("--", 0) != 0 &&
                           std::all_of(words[i + 1].begin(), words[i + 1].end(), [](char c) {
                               return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                           });
        takesValue[words[i]] = takesValue[words[i]] || value;
    }
    std::string known;
    for (const auto& [name, value] : takesValue)
        known += " " + name + (value ? " VALUE" : "");
    for (std::size_t i = 0; i < m_args.size(); ++i) {
        auto it = takesValue.find(m_args[i]);
        if (it == takesValue.end())
            return "unknown option '" + m_args[i] + "'; this suite takes:" + known;
        if (it->second) {
            if (i + 1 >= m_args.size())
                return "option " + m_args[i] + " needs a value";
            ++i;
        }
    }
    return "";
}

BenchDir::BenchDir(const std::string& given, const std::string& name) {
    namespace fs = std::filesystem;
    if (!given.empty()) {
        m_path = fs::path(given) / name;
        fs::remove_all(m_path);
        fs::create_directories(m_path);
        return;
    }
    std::string pattern = (fs::temp_directory_path() / (name + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("mkdtemp failed for " + pattern);
    m_path = pattern;
}

BenchDir::~BenchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

double Percentile(std::vector<double>& samples, double percent) {
    if (samples.empty())
        return NAN;
    std::sort(samples.begin(), samples.end());
    auto rank =
        static_cast<std::size_t>(std::ceil(percent / 100.0 * static_cast<double>(samples.size())));
    return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

}  // namespace fk::bench
