// libFuzzer property check of CSV export escaping (core::CsvWriter). The input is cut into rows
// (byte 0x1E) and cells (byte 0x1F); a cell starting with 0x01 is written as an integer and one
// starting with 0x02 as a fixed-point number, every other cell as text. The written file is read
// back with a small, strict RFC 4180 parser written here, independently of the writer. Properties:
// the file parses; it has the same rows and cells; every text cell reads back as written, except
// that a cell a spreadsheet would run as a formula comes back with one leading single quote; no
// text cell reads back starting with = + - @ TAB or CR; numbers read back as the numbers written.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "FuzzCheck.h"
#include "core/Csv.h"
#include "support/CsvReader.h"

namespace {

using fk::test::ParseCsv;
using fk::test::Table;

std::vector<std::string_view> Split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos)
            return parts;
        start = end + 1;
    }
}

// 8 bytes after the marker, little-endian, zero-padded.
std::uint64_t Bits(std::string_view cell) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, cell.data() + 1, std::min<std::size_t>(8, cell.size() - 1));
    return bits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::ostringstream out;
    fk::core::CsvWriter writer(out);
    writer.WriteBom();
    Table expected;
    std::vector<std::vector<char>> kinds;  // 't' text, 'i' integer, 'd' decimal (value below)
    std::vector<std::vector<double>> decimals;
    for (std::string_view rowText : Split(input, '\x1e')) {
        expected.emplace_back();
        kinds.emplace_back();
        decimals.emplace_back();
        for (std::string_view cell : Split(rowText, '\x1f')) {
            if (cell.size() > 1 && cell[0] == '\x01') {
                const auto value = static_cast<std::int64_t>(Bits(cell));
                writer.Number(value);
                expected.back().push_back(std::to_string(value));
                kinds.back().push_back('i');
                decimals.back().push_back(0);
            } else if (cell.size() > 1 && cell[0] == '\x02') {
                double value = 0;
                const std::uint64_t bits = Bits(cell);
                std::memcpy(&value, &bits, sizeof value);
                const int places = static_cast<unsigned char>(cell.size() > 9 ? cell[9] : 2) % 8;
                writer.Number(value, places);
                expected.back().emplace_back();
                kinds.back().push_back(std::isfinite(value) ? 'd' : 'e');
                decimals.back().push_back(value);
            } else {
                writer.Text(cell);
                std::string written = fk::core::CsvNeedsFormulaGuard(cell) ? "'" : "";
                written.append(cell);
                expected.back().push_back(std::move(written));
                kinds.back().push_back('t');
                decimals.back().push_back(0);
            }
        }
        writer.EndRow();
    }
    const std::string csv = out.str();
    auto parsed = ParseCsv(csv);
    FK_FUZZ_CHECK(parsed.has_value(), csv);
    FK_FUZZ_CHECK(parsed->size() == expected.size(), csv);
    for (std::size_t r = 0; r < expected.size(); ++r) {
        FK_FUZZ_CHECK((*parsed)[r].size() == expected[r].size(), csv);
        for (std::size_t c = 0; c < expected[r].size(); ++c) {
            const std::string& got = (*parsed)[r][c];
            switch (kinds[r][c]) {
                case 't':
                    FK_FUZZ_CHECK(got == expected[r][c], got + " != " + expected[r][c]);
                    FK_FUZZ_CHECK(!fk::core::CsvNeedsFormulaGuard(got), got);
                    FK_FUZZ_CHECK(got.find_first_of("=+-@\t\r") != 0, got);
                    break;
                case 'i':
                    FK_FUZZ_CHECK(got == expected[r][c], got + " != " + expected[r][c]);
                    break;
                case 'e':
                    FK_FUZZ_CHECK(got.empty(), got);
                    break;
                case 'd': {
                    const double value = decimals[r][c];
                    char* end = nullptr;
                    const double back = std::strtod(got.c_str(), &end);
                    FK_FUZZ_CHECK(!got.empty() && end == got.c_str() + got.size(), got);
                    // Written with at most 7 decimals: within half a unit of the 7th place,
                    // relatively for large values.
                    FK_FUZZ_CHECK(std::fabs(back - value) <= 0.5 + std::fabs(value) * 1e-15, got);
                    break;
                }
                default:
                    break;
            }
        }
    }
    return 0;
}
