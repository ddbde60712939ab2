#pragma once
// The manager PIN: 4 to 8 digits, kept only as an argon2id hash (config/PinHash.h), either in the
// config ([manager] pin_hash, which wins; written by `kiosk-server add-kiosk --write-config`) or
// in <dataDir>/manager-pin (mode 0600, written by `kiosk set-pin` at the kiosk's console). The
// screen never sets it: a kiosk without a valid PIN keeps manager mode shut (PinState::Missing or
// Damaged) until a technician sets one, so a customer cannot take the first-use PIN.
//
// Thread affinity: any thread (no shared state beyond the files). Failure: HashPin throws
// std::runtime_error (out of memory); the rest return values.

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "config/PinHash.h"

namespace fk::app {

using config::CheckPinFormat;
using config::HashPin;
using config::kMaxPinDigits;
using config::kMinPinDigits;
using config::LooksLikePinHash;
using config::VerifyPin;

inline constexpr const char* kPinFileName = "manager-pin";

// Set: a valid hash (config or file). Missing: no hash in the config and no file. Damaged: the file
// (or the config's hash) exists but holds no hash libsodium can verify, or cannot be read. Both
// Missing and Damaged keep the pad shut.
enum class PinState { Set, Missing, Damaged };

// Where the hash lives and how to check or change it.
class PinStore {
  public:
    PinStore(std::optional<std::string> configHash, std::filesystem::path dataDir);

    // Rereads the file, so `kiosk set-pin` takes effect at once.
    PinState State() const;
    bool HasPin() const { return State() == PinState::Set; }
    bool Verify(std::string_view pin) const;
    // Writes <dataDir>/manager-pin (for `kiosk set-pin`). Empty on success, else what went wrong.
    // Refused when the config holds the hash (the file would be ignored).
    std::string SetPin(std::string_view pin);
    bool FromConfig() const { return m_configHash.has_value(); }
    std::filesystem::path FilePath() const { return m_dataDir / kPinFileName; }

  private:
    std::optional<std::string> StoredHash(PinState* state) const;

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
