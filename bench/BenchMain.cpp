#include <iostream>
#include <string>
#include <vector>

#include "Bench.h"

int main(int argc, char** argv) {
    auto& suites = fk::bench::Suites();
    if (argc < 2 || std::string(argv[1]) == "--help" || suites.count(argv[1]) == 0) {
        std::cerr << "usage: kiosk-bench SUITE [--json] [suite options]\nsuites:\n";
        for (const auto& [name, info] : suites)
            std::cerr << "  " << name << "  " << info.help << "\n";
        if (argc >= 2 && std::string(argv[1]) != "--help") {
            std::cerr << "unknown suite '" << argv[1] << "'\n";
            return 2;
        }
        return argc < 2 ? 2 : 0;
    }
    std::vector<std::string> args(argv + 2, argv + argc);
    fk::bench::Args parsed(args);
    if (std::string wrong = parsed.Unknown(suites[argv[1]].help); !wrong.empty()) {
        std::cerr << "kiosk-bench " << argv[1] << ": " << wrong << "\n";
        return 2;
    }
    fk::bench::Report report(argv[1], parsed.Flag("--json"));
    try {
        return suites[argv[1]].run(parsed, report);
    } catch (const std::exception& e) {
        std::cerr << "kiosk-bench " << argv[1] << ": " << e.what() << "\n";
        return 1;
    }
}
