#include "app/ManagerPin.h"

#include <stdexcept>

#include "app/PrivateFile.h"

namespace fk::app {

PinStore::PinStore(std::optional<std::string> configHash, std::filesystem::path dataDir)
    : m_configHash(std::move(configHash)), m_dataDir(std::move(dataDir)) {
    if (m_configHash && m_configHash->empty())
        m_configHash.reset();
}

std::optional<std::string> PinStore::StoredHash(PinState* state) const {
    std::optional<std::string> text;
    if (m_configHash) {
        text = m_configHash;
    } else {
        std::string error;
        text = ReadSmallFile(FilePath(), &error);
        if (!text) {
            // No file at all is Missing; a file that cannot be read is as bad as a damaged one.
            *state = error.empty() ? PinState::Missing : PinState::Damaged;
            return std::nullopt;
        }
        while (!text->empty() &&
               (text->back() == '\n' || text->back() == '\r' || text->back() == ' '))
            text->pop_back();
    }
    if (!LooksLikePinHash(*text)) {
        *state = PinState::Damaged;
        return std::nullopt;
    }
    *state = PinState::Set;
    return text;
}

PinState PinStore::State() const {
    PinState state = PinState::Missing;
    StoredHash(&state);
    return state;
}

bool PinStore::Verify(std::string_view pin) const {
    PinState state = PinState::Missing;
    auto hash = StoredHash(&state);
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
    config::PinRead read = config::ReadNewPin(in, err);
    if (!read.pin) {
        std::fprintf(err, "kiosk set-pin: %s\n", read.error.c_str());
        return 1;
    }
    int code = 0;
    try {
        if (printHash) {
            std::fprintf(out, "%s\n", HashPin(*read.pin).c_str());
            std::fputs("Put this line in the config as [manager] pin_hash = \"...\"\n", err);
        } else if (configHash && !configHash->empty()) {
            std::fputs(
                "kiosk set-pin: the config's [manager] pin_hash sets the PIN and would win "
                "over the file; remove it there, or use --print-hash and put the new hash in the "
                "config\n",
                err);
            code = 1;
        } else {
            PinStore store(std::nullopt, dataDir);
            if (auto problem = store.SetPin(*read.pin); !problem.empty()) {
                std::fprintf(err, "kiosk set-pin: %s\n", problem.c_str());
                code = 1;
            } else {
                std::fprintf(err, "manager PIN set (hash in %s)\n", store.FilePath().c_str());
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(err, "kiosk set-pin: %s\n", e.what());
        code = 1;
    }
    config::WipePin(*read.pin);
    return code;
}

}  // namespace fk::app
