#include "audio/SoxStats.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "audio/Tone.h"

namespace fk::test {

namespace {

std::string Run(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (p == nullptr)
        return out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    ::pclose(p);
    return out;
}

std::string RawFormat() {
    return "-t raw -r " + std::to_string(audio::kSampleRate) + " -e signed -b 16 -c 1 ";
}

double Field(const std::string& text, const std::string& name) {
    const auto at = text.find(name);
    if (at == std::string::npos)
        return -1000;
    std::istringstream in(text.substr(at + name.size()));
    std::string value;
    in >> value;
    if (value == "-inf")
        return -1000;
    return std::strtod(value.c_str(), nullptr);
}

}  // namespace

bool SoxAvailable() {
    return std::system("sox --version >/dev/null 2>&1") == 0;
}

std::optional<SoxStats> MeasureRaw(const std::filesystem::path& raw) {
    const std::string text = Run("sox " + RawFormat() + "'" + raw.string() + "' -n stats 2>&1");
    if (text.find("Length s") == std::string::npos)
        return std::nullopt;
    SoxStats s;
    s.text = text;
    s.lengthS = Field(text, "Length s");
    s.rmsDb = Field(text, "RMS lev dB");
    s.peakDb = Field(text, "Pk lev dB");
    return s;
}

bool RawToWav(const std::filesystem::path& raw, const std::filesystem::path& wav) {
    return std::system(
               ("sox " + RawFormat() + "'" + raw.string() + "' '" + wav.string() + "' 2>/dev/null")
                   .c_str()) == 0;
}

}  // namespace fk::test
