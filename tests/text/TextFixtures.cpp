#include "TextFixtures.h"

#include <fstream>

namespace fk::test {

fk::text::FontSet& NotoFonts() {
    static fk::text::FontSet fonts = fk::text::FontSet::Open(fk::text::DefaultFontSetConfig());
    return fonts;
}

std::vector<std::string> ReadLines(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (!line.empty())
            lines.push_back(line);
    }
    return lines;
}

}  // namespace fk::test
