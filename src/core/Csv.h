#pragma once
// CSV writing for exports (RFC 4180): fields separated by commas, records ended by CRLF, a field
// quoted when it holds a comma, quote, CR or LF, quotes doubled inside. Text is UTF-8 as given.
//
// Spreadsheet formula injection: a TEXT field starting with = + - @ TAB or CR would be run as a
// formula by Excel/LibreOffice (a rep named =HYPERLINK("x")), so it gets a leading single quote,
// which spreadsheets show as text and which a program reading the file sees as one extra
// character. Numbers we produce ourselves go through Number() untouched (-300 stays a number).
//
// Byte order mark: WriteBom() writes EF BB BF. Excel needs it to read UTF-8 at all and LibreOffice
// uses it to pick UTF-8 without asking; Python reads such a file with encoding="utf-8-sig" (which
// also reads files without one). Exporters write it by default.
//
// Thread affinity: a CsvWriter belongs to the thread using its stream. Failure: stream errors are
// the caller's to check (the exporter checks after every flush).

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace fk::core {

// The field as written: quoted/escaped per RFC 4180, formula-neutralised.
std::string CsvText(std::string_view text);
// True when a spreadsheet would treat text starting like this as a formula.
bool CsvNeedsFormulaGuard(std::string_view text);

class CsvWriter {
  public:
    explicit CsvWriter(std::ostream& out) : m_out(out) {}

    void WriteBom();
    CsvWriter& Text(std::string_view text);
    CsvWriter& Number(std::int64_t value);
    CsvWriter& Number(double value, int decimals);
    CsvWriter& Empty();
    void EndRow();

  private:
    void Separator();
    std::ostream& m_out;
    bool m_rowStarted = false;
};

}  // namespace fk::core
