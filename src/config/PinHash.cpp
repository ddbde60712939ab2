#include "config/PinHash.h"

#include <termios.h>
#include <unistd.h>

#include <stdexcept>

#include <sodium.h>

namespace fk::config {

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
        // A line longer than any PIN is not one: read to its end, keep a bounded part.
        if (line.size() < 256)
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

}  // namespace

void WipePin(std::string& pin) {
    if (!pin.empty())
        sodium_memzero(pin.data(), pin.size());
    pin.clear();
}

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
    if (hash.substr(0, 10) != "$argon2id$" || hash.size() >= crypto_pwhash_STRBYTES)
        return false;
    // crypto_pwhash_str always writes a 16-byte salt and a 32-byte hash (22 and 43 base64
    // characters); libsodium would also accept a shorter hash, so a cut-short file needs this.
    const auto lastDollar = hash.rfind('$');
    const auto saltDollar = hash.rfind('$', lastDollar - 1);
    if (hash.size() - lastDollar - 1 != 43 || lastDollar - saltDollar - 1 != 22)
        return false;
    InitSodium();
    // -1: not a hash string libsodium can parse (truncated, damaged, wrong fields).
    const std::string text(hash);
    return crypto_pwhash_str_needs_rehash(text.c_str(), kPinOpsLimit, kPinMemLimit) != -1;
}

bool VerifyPin(const std::string& hash, std::string_view pin) {
    if (!LooksLikePinHash(hash))
        return false;
    return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

PinRead ReadNewPin(std::FILE* in, std::FILE* err) {
    PinRead r;
    auto first = ReadLine(in, err, "New manager PIN (4 to 8 digits): ");
    if (!first) {
        r.error = "no PIN given (type it, or pipe it on standard input)";
        return r;
    }
    if (auto bad = CheckPinFormat(*first); !bad.empty()) {
        WipePin(*first);
        r.error = bad;
        return r;
    }
    // From a script the second line is optional; from a terminal it is the confirmation.
    auto second = ReadLine(in, err, "The same PIN again: ");
    const bool tty = ::isatty(::fileno(in)) != 0;
    if ((second || tty) && (!second || *second != *first)) {
        WipePin(*first);
        if (second)
            WipePin(*second);
        r.error = "the two PINs differ; nothing was changed";
        return r;
    }
    if (second)
        WipePin(*second);
    r.pin = std::move(*first);
    return r;
}

}  // namespace fk::config
