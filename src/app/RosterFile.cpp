#include "app/RosterFile.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "app/PrivateFile.h"

namespace fk::app {

std::optional<RosterEdits> RosterFile::Load() const {
    std::string error;
    auto text = ReadSmallFile(m_path, &error);
    if (!text) {
        if (!error.empty())
            spdlog::warn("manager roster edits: {}", error);
        return std::nullopt;
    }
    const nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object()) {
        spdlog::warn("{} is damaged; local roster edits and sign-in ignored", m_path.string());
        return std::nullopt;
    }
    RosterEdits edits;
    if (auto it = j.find("active"); it != j.end() && it->is_object()) {
        for (const auto& [id, value] : it->items()) {
            if (value.is_boolean())
                edits.active[id] = value.get<bool>();
        }
    }
    if (auto it = j.find("on_duty"); it != j.end()) {
        if (it->is_string()) {
            edits.onDuty = std::optional<std::string>(it->get<std::string>());
        } else if (it->is_null()) {
            edits.onDuty = std::optional<std::string>();
        }
    }
    if (auto it = j.find("on_duty_since"); it != j.end() && it->is_number_integer())
        edits.onDutySinceUtc = it->get<std::int64_t>();
    return edits;
}

void RosterFile::Save(const std::map<std::string, bool>& active,
                      const std::optional<std::string>& onDuty,
                      std::optional<std::int64_t> onDutySinceUtc) const {
    nlohmann::json j = nlohmann::json::object();
    nlohmann::json activeJson = nlohmann::json::object();
    for (const auto& [id, on] : active)
        activeJson[id] = on;
    if (!active.empty())
        j["active"] = activeJson;
    j["on_duty"] = onDuty ? nlohmann::json(*onDuty) : nlohmann::json(nullptr);
    if (onDuty && onDutySinceUtc)
        j["on_duty_since"] = *onDutySinceUtc;
    if (auto err = WritePrivateFile(m_path, j.dump(2) + "\n"); !err.empty()) {
        spdlog::error("manager roster edits not saved: {}", err);
    }
}

}  // namespace fk::app
