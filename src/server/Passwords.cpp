#include "server/Passwords.h"

#include <sodium.h>

#include <array>
#include <semaphore>
#include <stdexcept>

#include "core/Uuid.h"

namespace fk::server {

namespace {

constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19u * 1024u * 1024u;
constexpr std::string_view kLinkPrefix = "fkl_";

std::counting_semaphore<kMaxConcurrentHashes>& HashSlots() {
    static std::counting_semaphore<kMaxConcurrentHashes> slots(kMaxConcurrentHashes);
    return slots;
}

struct Slot {
    Slot() { HashSlots().acquire(); }
    ~Slot() { HashSlots().release(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
};

void InitSodium() {
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace

std::string CheckUserName(std::string_view name) {
    if (name.empty() || name.size() > 64)
        return "a user name has 1 to 64 characters";
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' || c == '-';
        if (!ok)
            return "a user name has only letters A-Z a-z, digits and . _ @ -";
    }
    return {};
}

std::string CheckNewPassword(std::string_view password) {
    if (password.size() < kMinPasswordLength)
        return "a password has at least " + std::to_string(kMinPasswordLength) + " characters";
    if (password.size() > kMaxPasswordLength)
        return "a password has at most " + std::to_string(kMaxPasswordLength) + " bytes";
    for (unsigned char c : password) {
        if (c < 0x20 || c == 0x7f)
            return "a password cannot contain control characters";
    }
    return {};
}

std::string HashPassword(std::string_view password) {
    InitSodium();
    Slot slot;
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), kOpsLimit, kMemLimit) != 0)
        throw std::runtime_error("hashing the password failed (out of memory?)");
    return std::string(out);
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
    if (hash.rfind("$argon2id$", 0) != 0 || hash.size() >= crypto_pwhash_STRBYTES ||
        password.size() > kMaxPasswordLength)
        return false;
    InitSodium();
    Slot slot;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void SpendVerificationTime(std::string_view password) {
    static const std::string dummy = HashPassword("not a password of anyone");
    (void)VerifyPassword(dummy, password.substr(0, kMaxPasswordLength));
}

std::string NewLinkSecret() {
    std::array<unsigned char, 32> random{};
    core::FillRandom(random.data(), random.size());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(kLinkPrefix);
    for (unsigned char b : random) {
        out += kHex[b >> 4];
        out += kHex[b & 0xf];
    }
    return out;
}

bool LooksLikeLinkSecret(std::string_view text) {
    if (text.size() != kLinkPrefix.size() + 64 || text.substr(0, kLinkPrefix.size()) != kLinkPrefix)
        return false;
    for (char c : text.substr(kLinkPrefix.size())) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

}  // namespace fk::server
