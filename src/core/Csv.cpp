#include "core/Csv.h"

#include <cmath>
#include <cstdio>

namespace fk::core {

bool CsvNeedsFormulaGuard(std::string_view text) {
    if (text.empty())
        return false;
    switch (text.front()) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
            return true;
        default:
            return false;
    }
}

std::string CsvText(std::string_view text) {
    std::string value;
    value.reserve(text.size() + 3);
    if (CsvNeedsFormulaGuard(text))
        value.push_back('\'');
    value.append(text);
    if (value.find_first_of(",\"\r\n") == std::string::npos)
        return value;
    std::string quoted;
    quoted.reserve(value.size() + 8);
    quoted.push_back('"');
    for (char c : value) {
        if (c == '"')
            quoted.push_back('"');
        quoted.push_back(c);
    }
    quoted.push_back('"');
    return quoted;
}

void CsvWriter::WriteBom() {
    m_out << "\xEF\xBB\xBF";
}

void CsvWriter::Separator() {
    if (m_rowStarted)
        m_out << ',';
    m_rowStarted = true;
}

CsvWriter& CsvWriter::Text(std::string_view text) {
    Separator();
    m_out << CsvText(text);
    return *this;
}

CsvWriter& CsvWriter::Number(std::int64_t value) {
    Separator();
    m_out << value;
    return *this;
}

CsvWriter& CsvWriter::Number(double value, int decimals) {
    Separator();
    if (!std::isfinite(value))
        return *this;
    // Sized to fit: a fixed buffer truncated large values (1e300 has 301 digits; found by
    // fuzz/CsvFuzz.cpp).
    const int length = std::snprintf(nullptr, 0, "%.*f", decimals, value);
    std::string text(static_cast<std::size_t>(length) + 1, '\0');
    std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
    text.pop_back();
    m_out << text;
    return *this;
}

CsvWriter& CsvWriter::Empty() {
    Separator();
    return *this;
}

void CsvWriter::EndRow() {
    m_out << "\r\n";
    m_rowStarted = false;
}

}  // namespace fk::core
