// No English words for people in the kiosk app's source (src/app, src/ui): every word a customer
// or a member of staff reads comes from kiosk-config/locales (issue 22). A source scan finds string
// literals that read like English (two words with a space between, or one capitalised word such as
// "Exporting" or "OK") and fails on any that is not
//   - in a log line, a command-line message or an exception (the callee is in kLogCalls),
//   - in a built-in English fallback file, where it must be exactly a value of en.toml,
//   - in a file or literal of the explicit allow-lists below, each with its reason.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "i18n/Catalog.h"
#include "support/Paths.h"

namespace {

namespace fs = std::filesystem;

// Callees whose string arguments are never drawn: logs, the terminal, systemd, exceptions.
const std::set<std::string> kLogCalls = {
    "spdlog::trace",
    "spdlog::debug",
    "spdlog::info",
    "spdlog::warn",
    "spdlog::error",
    "spdlog::critical",
    "std::fprintf",
    "fprintf",
    "std::fputs",
    "fputs",
    "std::printf",
    "printf",
    "std::runtime_error",
    "std::invalid_argument",
    "std::logic_error",
    "std::system_error",
    "storage::StoreError",
    "Ready",   // platform::ServiceNotify: the status line systemd shows
    "Status",  // the same, later
};

// The built-in English for a kiosk without its locale files: every literal there must be
// exactly a string of en.toml (so it is a copy of a translated string, never a new one).
const std::set<std::string> kFallbackFiles = {"src/ui/Strings.cpp", "src/ui/ManagerStrings.cpp",
                                              "src/ui/PinPad.h", "src/app/Settings.h",
                                              "src/app/Settings.cpp"};

// Whole files whose words are not drawn for a configured kiosk's customers or staff.
const std::set<std::string> kAllowedFiles = {
    // The command line (usage, option help, errors on a technician's terminal).
    "src/app/main.cpp",
    // Made-up data for kiosk-bench and screenshots, never shown to a real manager.
    "src/ui/ManagerSampleData.cpp",
    // The not-set-up notice: there is no config, so no language; it names files and commands
    // for the technician.
    "src/ui/NotSetUp.cpp",
};

// Single literals that read like English but are not drawn, with why.
struct AllowedLiteral {
    const char* file;
    const char* literal;
};
const AllowedLiteral kAllowedLiterals[] = {
    // Error strings returned to callers that log them.
    {"src/app/PrivateFile.cpp", "cannot write "},
    {"src/app/PrivateFile.cpp", "cannot replace "},
    {"src/app/LayoutJson.cpp", "cannot write "},
    {"src/app/LayoutJson.cpp", "cannot rename "},
    // What a lockout file protects, named only in LoadPinLockout's log lines.
    {"src/app/ManagerEntry.cpp", "manager PIN"},
    {"src/app/StaffSignIn.cpp", "staff code"},
    // `kiosk set-pin`'s answer on the terminal.
    {"src/app/ManagerPin.cpp", "the config's [manager] pin_hash sets the PIN; change it there"},
};

struct Literal {
    std::string text;  // adjacent literals joined, escapes as written
    int line = 0;
    bool inLogCall = false;
};

bool IsIdentChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}

// The string literals of a C++ source, adjacent ones joined, with whether a log/terminal call
// encloses them. Comments, character literals and preprocessor lines are skipped.
std::vector<Literal> Literals(const std::string& src) {
    std::vector<Literal> out;
    std::vector<std::string> calls;  // the callee of every open parenthesis
    int line = 1;
    bool lineStart = true;
    bool joinNext = false;  // only whitespace since the last literal
    std::size_t i = 0;
    const std::size_t n = src.size();
    while (i < n) {
        const char c = src[i];
        if (c == '\n') {
            ++line;
            lineStart = true;
            ++i;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            ++i;
            continue;
        }
        if (lineStart && c == '#') {
            while (i < n && src[i] != '\n')
                i += (src[i] == '\\' && i + 1 < n) ? 2 : 1;
            continue;
        }
        lineStart = false;
        if (src.compare(i, 2, "//") == 0) {
            while (i < n && src[i] != '\n')
                ++i;
            continue;
        }
        if (src.compare(i, 2, "/*") == 0) {
            const std::size_t end = src.find("*/", i + 2);
            const std::size_t stop = end == std::string::npos ? n : end + 2;
            line += static_cast<int>(std::count(src.begin() + static_cast<long>(i),
                                                src.begin() + static_cast<long>(stop), '\n'));
            i = stop;
            continue;
        }
        if (c == '\'' && !(i > 0 && std::isalnum(static_cast<unsigned char>(src[i - 1])))) {
            ++i;
            while (i < n && src[i] != '\'')
                i += src[i] == '\\' ? 2 : 1;
            ++i;
            joinNext = false;
            continue;
        }
        if (c == '"') {
            std::size_t j = i + 1;
            while (j < n && src[j] != '"')
                j += src[j] == '\\' ? 2 : 1;
            const std::string text = src.substr(i + 1, j - i - 1);
            const bool inLog = std::any_of(calls.begin(), calls.end(),
                                           [](const std::string& f) { return kLogCalls.count(f); });
            if (joinNext && !out.empty())
                out.back().text += text;
            else
                out.push_back({text, line, inLog});
            joinNext = true;
            i = j + 1;
            continue;
        }
        joinNext = false;
        if (c == '(') {
            std::size_t b = i;
            while (b > 0 && (src[b - 1] == ' '))
                --b;
            std::size_t a = b;
            while (a > 0 && IsIdentChar(src[a - 1]))
                --a;
            calls.push_back(src.substr(a, b - a));
        } else if (c == ')' && !calls.empty()) {
            calls.pop_back();
        }
        ++i;
    }
    return out;
}

// Reads like English words for people: two words with a space between, or one capitalised word
// ("Exporting"), or a short all-capitals word alone ("OK").
bool ReadsLikeEnglish(const std::string& s) {
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    // Two words of two or more letters, a space between them (maybe with punctuation).
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if (s[i] != ' ')
            continue;
        std::size_t a = i;
        while (a > 0 && !letter(s[a - 1]) && s[a - 1] != ' ' && s[a - 1] != '{' && s[a - 1] != '}')
            --a;
        std::size_t before = 0;
        while (a > 0 && letter(s[a - 1])) {
            --a;
            ++before;
        }
        std::size_t after = 0;
        for (std::size_t b = i + 1; b < s.size() && letter(s[b]); ++b)
            ++after;
        if (before >= 2 && after >= 2)
            return true;
    }
    std::string word = s;
    while (!word.empty() &&
           (word.back() == '.' || word.back() == '!' || word.back() == '?' || word.back() == ':'))
        word.pop_back();
    if (word.size() >= 2 && std::all_of(word.begin(), word.end(), letter)) {
        const bool capitalised =
            word[0] >= 'A' && word[0] <= 'Z' && word[1] >= 'a' && word[1] <= 'z';
        const bool shortCaps =
            word.size() <= 3 &&
            std::all_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
        return capitalised || shortCaps;
    }
    return false;
}

// C++ escapes as TOML's basic strings hold them after parsing: \" and \\ only.
std::string Unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            ++i;
            out.push_back(s[i] == 'n' ? '\n' : s[i]);
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::string ReadFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Finding {
    std::string where;
    std::string text;
};

// The English literals of src/app and src/ui that none of the rules allows.
std::vector<Finding> UnallowedEnglish(const fs::path& root, const std::set<std::string>& english) {
    std::vector<Finding> found;
    for (const char* dir : {"src/app", "src/ui"}) {
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(root / dir)) {
            const auto ext = e.path().extension();
            if (ext == ".cpp" || ext == ".h")
                files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            const std::string rel = fs::relative(file, root).generic_string();
            if (kAllowedFiles.count(rel))
                continue;
            for (const Literal& l : Literals(ReadFile(file))) {
                if (l.inLogCall || !ReadsLikeEnglish(l.text))
                    continue;
                if (kFallbackFiles.count(rel) && english.count(Unescape(l.text)))
                    continue;
                const bool allowed = std::any_of(
                    std::begin(kAllowedLiterals), std::end(kAllowedLiterals),
                    [&](const AllowedLiteral& a) { return rel == a.file && l.text == a.literal; });
                if (!allowed)
                    found.push_back({rel + ":" + std::to_string(l.line), l.text});
            }
        }
    }
    return found;
}

std::set<std::string> EnglishValues() {
    auto loaded = fk::i18n::Catalog::Load(fk::test::SourceDir() / "kiosk-config" / "locales");
    REQUIRE(loaded.catalog);
    std::set<std::string> values;
    for (const auto& [key, text] : loaded.catalog->Find("en")->strings)
        values.insert(text);
    return values;
}

}  // namespace

TEST_CASE("no English words for people in src/app or src/ui outside the locale catalogs") {
    const auto found = UnallowedEnglish(fk::test::SourceDir(), EnglishValues());
    for (const auto& f : found)
        INFO(f.where, ": \"", f.text, "\"");
    std::string list;
    for (const auto& f : found)
        list += f.where + ": \"" + f.text + "\"\n";
    CHECK_MESSAGE(found.empty(),
                  "English for people outside kiosk-config/locales (add a locale key, or, when it "
                  "is never drawn, log it or allow-list it in this test with its reason):\n"
                      << list);
}

TEST_CASE("the scan sees a drawn English literal and passes logs, ids and catalog copies") {
    const auto lits = Literals(
        "#include \"ui/Strings.h\"\n"
        "// \"Not this\" in a comment\n"
        "void F() {\n"
        "  c.Label(box, \"Export finished\", px, kInk);\n"
        "  c.Button(\"tab.sync\", r, T(\"manager.tab.sync\"));\n"
        "  spdlog::warn(\"export to {} refused: {}\",\n"
        "               dir, Describe(\"nested words here\"));\n"
        "  auto s = std::string(\"Exporting\") + \"joined \"\n"
        "           \"words\";\n"
        "  char q = '\"';\n"
        "}\n");
    std::vector<std::string> flagged;
    for (const auto& l : lits) {
        if (!l.inLogCall && ReadsLikeEnglish(l.text))
            flagged.push_back(l.text);
    }
    CHECK(flagged == std::vector<std::string>{"Export finished", "Exporting", "joined words"});
    CHECK(ReadsLikeEnglish("OK"));
    CHECK_FALSE(ReadsLikeEnglish("FK_KIOSK_STALL_S"));
    CHECK_FALSE(ReadsLikeEnglish("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"));
    CHECK_FALSE(ReadsLikeEnglish("%02d-%02d"));
    CHECK_FALSE(ReadsLikeEnglish("{n} s"));
}
