#pragma once
// kiosk-bench: one program, one suite per subcommand. A suite registers itself with
// FK_BENCH_SUITE and prints figures through Report, one JSON object per line:
//   {"bench":"store","metric":"tap_to_durable_p50_us","value":812.5,"unit":"us"}
// and for ratios also "baseline_metric","baseline","ratio" (value / baseline).
// Single-threaded use; printing goes to stdout, human notes to stderr.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fk::bench {

struct Figure {
    std::string metric;
    double value = 0;
    std::string unit;
    std::optional<std::string> baselineMetric;
    std::optional<double> baseline;
};

class Report {
  public:
    explicit Report(std::string bench, bool json) : m_bench(std::move(bench)), m_json(json) {}
    // Names the store backend ("sqlite", "postgresql") in every following line.
    void SetBackend(std::string backend) { m_backend = std::move(backend); }
    void Add(const std::string& metric, double value, const std::string& unit);
    void AddRatio(const std::string& metric, double value, const std::string& unit,
                  const std::string& baselineMetric, double baseline);

  private:
    void Print(const Figure& figure);
    std::string m_bench;
    bool m_json;
    std::string m_backend;
};

// Arguments after the suite name, e.g. {"--json", "--rows", "1000"}.
class Args {
  public:
    explicit Args(std::vector<std::string> args) : m_args(std::move(args)) {}
    bool Flag(const std::string& name) const;
    std::string Value(const std::string& name, const std::string& fallback) const;
    long long Int(const std::string& name, long long fallback) const;
    // Empty when every argument is --json or an option the suite's help names ("--rows N" takes
    // a value, a bare "--flag" does not); otherwise what is wrong, for the user.
    std::string Unknown(const std::string& help) const;

  private:
    std::vector<std::string> m_args;
};

using SuiteFn = std::function<int(const Args&, Report&)>;
struct SuiteInfo {
    SuiteFn run;
    std::string help;
};
std::map<std::string, SuiteInfo>& Suites();

struct SuiteRegistration {
    SuiteRegistration(const std::string& name, const std::string& help, SuiteFn fn) {
        Suites()[name] = {std::move(fn), help};
    }
};

// A scratch data directory: <given>/<name> (emptied first) when --data-dir was given, else a
// fresh temporary one. Removed with its contents on destruction.
class BenchDir {
  public:
    BenchDir(const std::string& given, const std::string& name);
    ~BenchDir();
    BenchDir(const BenchDir&) = delete;
    BenchDir& operator=(const BenchDir&) = delete;
    const std::filesystem::path& Path() const { return m_path; }

  private:
    std::filesystem::path m_path;
};

// Percentile (0..100) of samples by nearest rank; samples are sorted in place.
double Percentile(std::vector<double>& samples, double percent);

}  // namespace fk::bench

#define FK_BENCH_CONCAT2(a, b) a##b
#define FK_BENCH_CONCAT(a, b) FK_BENCH_CONCAT2(a, b)
#define FK_BENCH_SUITE(name, help, fn) \
    static ::fk::bench::SuiteRegistration FK_BENCH_CONCAT(fkBenchSuite_, __LINE__)(name, help, fn)
