#pragma once
// The manager PIN: 4 to 8 digits, kept only as a libsodium argon2id hash (crypto_pwhash_str),
// either in the config ([manager] pin_hash, which wins) or in <dataDir>/manager-pin (mode 0600,
// written by `kiosk set-pin` or by the pad at first use). Neither the PIN nor its hash is ever
// logged. Hashing costs kOpsLimit passes over kMemLimit bytes (OWASP's argon2id minimum: 19 MiB,
// t=2): about 50-100 ms on a kiosk, fine for a human, slow for a guesser, small for a kiosk's RAM.
//
// Thread affinity: any thread (no shared state beyond the files). Failure: HashPin throws
// std::runtime_error (out of memory); the rest return values.

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace fk::app {

inline constexpr std::size_t kMinPinDigits = 4;
inline constexpr std::size_t kMaxPinDigits = 8;
inline constexpr unsigned long long kPinOpsLimit = 2;
inline constexpr std::size_t kPinMemLimit = 19u * 1024u * 1024u;
inline constexpr const char* kPinFileName = "manager-pin";

// Empty when pin is 4-8 ASCII digits, else what is wrong with it (never echoing the PIN).
std::string CheckPinFormat(std::string_view pin);
// "$argon2id$v=19$m=19456,t=2,p=1$..." for pin.
std::string HashPin(std::string_view pin);
// True when pin matches hash; false for a wrong PIN or a hash that is not argon2id.
bool VerifyPin(const std::string& hash, std::string_view pin);
bool LooksLikePinHash(std::string_view hash);

// Where the hash lives and how to check or change it.
class PinStore {
  public:
    PinStore(std::optional<std::string> configHash, std::filesystem::path dataDir);

    // A PIN is set (config or file). Rereads the file, so `kiosk set-pin` takes effect at once.
    bool HasPin() const;
    bool Verify(std::string_view pin) const;
    // Writes <dataDir>/manager-pin. Empty on success, else what went wrong. Refused when the
    // config holds the hash (the file would be ignored).
    std::string SetPin(std::string_view pin);
    bool FromConfig() const { return m_configHash.has_value(); }
    std::filesystem::path FilePath() const { return m_dataDir / kPinFileName; }

  private:
    std::optional<std::string> StoredHash() const;

    std::optional<std::string> m_configHash;
    std::filesystem::path m_dataDir;
};

// `kiosk set-pin`: reads the PIN twice (from the terminal without echo, or lines from in when it
// is not a terminal) and writes the file or, with printHash, prints the hash for the config.
// Returns the process exit code; messages go to err, the hash (printHash) to out.
int SetPinCommand(const std::optional<std::string>& configHash,
                  const std::filesystem::path& dataDir, bool printHash, std::FILE* in,
                  std::FILE* out, std::FILE* err);

}  // namespace fk::app
