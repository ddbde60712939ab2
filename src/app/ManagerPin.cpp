#include "app/ManagerPin.h"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <sodium.h>

#include "app/PrivateFile.h"

namespace fk::app {

namespace {

void InitSodium() {
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not be initialised");
}

// Reads one line; with echo off when fd is a terminal. Returns nullopt at end of input.
std::optional<std::string> ReadLine(std::FILE* in, std::FILE* err, const char* prompt) {
    const int fd = ::fileno(in);
    const bool tty = ::isatty(fd) != 0;
    termios saved{};
    if (tty) {
        std::fputs(prompt, err);
        std::fflush(err);
        ::tcgetattr(fd, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    std::string line;
    bool any = false;
    for (int c = std::fgetc(in); c != EOF; c = std::fgetc(in)) {
        any = true;
        if (c == '\n')
            break;
        line.push_back(static_cast<char>(c));
    }
    if (tty) {
        ::tcsetattr(fd, TCSAFLUSH, &saved);
        std::fputs("\n", err);
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    if (!any)
        return std::nullopt;
    return line;
}

void Wipe(std::string& s) {
    if (!s.empty())
        sodium_memzero(s.data(), s.size());
    s.clear();
}

}  // namespace

std::string CheckPinFormat(std::string_view pin) {
    if (pin.size() < kMinPinDigits || pin.size() > kMaxPinDigits) {
        return "a PIN has 4 to 8 digits (this one is " + std::to_string(pin.size()) + " long)";
    }
    for (char c : pin) {
        if (c < '0' || c > '9')
            return "a PIN has digits 0-9 only";
    }
    return {};
}

std::string HashPin(std::string_view pin) {
    InitSodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, pin.data(), pin.size(), kPinOpsLimit, kPinMemLimit) != 0) {
        throw std::runtime_error("hashing the PIN failed (out of memory?)");
    }
    return std::string(out);
}

bool LooksLikePinHash(std::string_view hash) {
    return hash.substr(0, 10) == "$argon2id$" && hash.size() < crypto_pwhash_STRBYTES;
}

bool VerifyPin(const std::string& hash, std::string_view pin) {
    InitSodium();
    if (!LooksLikePinHash(hash))
        return false;
    return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

PinStore::PinStore(std::optional<std::string> configHash, std::filesystem::path dataDir)
    : m_configHash(std::move(configHash)), m_dataDir(std::move(dataDir)) {
    if (m_configHash && m_configHash->empty())
        m_configHash.reset();
}

std::optional<std::string> PinStore::StoredHash() const {
    if (m_configHash)
        return m_configHash;
    auto text = ReadSmallFile(FilePath());
    if (!text)
        return std::nullopt;
    while (!text->empty() && (text->back() == '\n' || text->back() == '\r' || text->back() == ' '))
        text->pop_back();
    if (!LooksLikePinHash(*text))
        return std::nullopt;
    return text;
}

bool PinStore::HasPin() const {
    return StoredHash().has_value();
}

bool PinStore::Verify(std::string_view pin) const {
    auto hash = StoredHash();
    return hash && VerifyPin(*hash, pin);
}

std::string PinStore::SetPin(std::string_view pin) {
    if (m_configHash)
        return "the config's [manager] pin_hash sets the PIN; change it there";
    if (auto bad = CheckPinFormat(pin); !bad.empty())
        return bad;
    std::error_code ec;
    std::filesystem::create_directories(m_dataDir, ec);
    return WritePrivateFile(FilePath(), HashPin(pin) + "\n");
}

int SetPinCommand(const std::optional<std::string>& configHash,
                  const std::filesystem::path& dataDir, bool printHash, std::FILE* in,
                  std::FILE* out, std::FILE* err) {
    auto first = ReadLine(in, err, "New manager PIN (4 to 8 digits): ");
    if (!first) {
        std::fputs("kiosk set-pin: no PIN given (type it, or pipe it on standard input)\n", err);
        return 1;
    }
    if (auto bad = CheckPinFormat(*first); !bad.empty()) {
        Wipe(*first);
        std::fprintf(err, "kiosk set-pin: %s\n", bad.c_str());
        return 1;
    }
    // From a script the second line is optional; from a terminal it is the confirmation.
    auto second = ReadLine(in, err, "The same PIN again: ");
    const bool tty = ::isatty(::fileno(in)) != 0;
    if ((second || tty) && (!second || *second != *first)) {
        Wipe(*first);
        if (second)
            Wipe(*second);
        std::fputs("kiosk set-pin: the two PINs differ; nothing was changed\n", err);
        return 1;
    }
    if (second)
        Wipe(*second);
    int code = 0;
    try {
        if (printHash) {
            std::fprintf(out, "%s\n", HashPin(*first).c_str());
            std::fputs("Put this line in the config as [manager] pin_hash = \"...\"\n", err);
        } else {
            if (configHash && !configHash->empty()) {
                std::fputs(
                    "kiosk set-pin: the config's [manager] pin_hash sets the PIN and would win "
                    "over the file; "
                    "remove it there, or use --print-hash and put the new hash in the config\n",
                    err);
                code = 1;
            } else {
                PinStore store(std::nullopt, dataDir);
                if (auto problem = store.SetPin(*first); !problem.empty()) {
                    std::fprintf(err, "kiosk set-pin: %s\n", problem.c_str());
                    code = 1;
                } else {
                    std::fprintf(err, "manager PIN set (hash in %s)\n", store.FilePath().c_str());
                }
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(err, "kiosk set-pin: %s\n", e.what());
        code = 1;
    }
    Wipe(*first);
    return code;
}

}  // namespace fk::app
