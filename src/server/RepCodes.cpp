#include "server/RepCodes.h"

#include <map>

namespace fk::server {

namespace {

constexpr const char* kHash = "code_hash";
constexpr const char* kHasCode = "has_code";

nlohmann::json* Roster(nlohmann::json& definition) {
    if (!definition.is_object())
        return nullptr;
    auto it = definition.find("roster");
    if (it == definition.end() || !it->is_array())
        return nullptr;
    return &*it;
}

}  // namespace

nlohmann::json HideRepCodes(nlohmann::json definition) {
    if (nlohmann::json* roster = Roster(definition)) {
        for (auto& rep : *roster) {
            if (!rep.is_object())
                continue;
            const bool has = rep.contains(kHash);
            rep.erase(kHash);
            if (has)
                rep[kHasCode] = true;
        }
    }
    return definition;
}

std::string KeepRepCodes(const std::string& incoming, const std::optional<std::string>& stored) {
    nlohmann::json in = nlohmann::json::parse(incoming, nullptr, false);
    nlohmann::json* roster = Roster(in);
    if (!roster)
        return incoming;
    std::map<std::string, nlohmann::json> codes;  // rep id -> stored hash
    if (stored) {
        nlohmann::json old = nlohmann::json::parse(*stored, nullptr, false);
        if (nlohmann::json* oldRoster = Roster(old)) {
            for (const auto& rep : *oldRoster) {
                if (rep.is_object() && rep.contains(kHash) && rep.contains("id") &&
                    rep["id"].is_string())
                    codes[rep["id"].get<std::string>()] = rep[kHash];
            }
        }
    }
    for (auto& rep : *roster) {
        if (!rep.is_object())
            continue;
        rep.erase(kHasCode);
        if (rep.contains(kHash) || !rep.contains("id") || !rep["id"].is_string())
            continue;
        if (auto it = codes.find(rep["id"].get<std::string>()); it != codes.end())
            rep[kHash] = it->second;
    }
    return in.dump();
}

std::optional<std::string> SetRepCode(const std::string& definition, const std::string& repId,
                                      const std::optional<std::string>& hash) {
    nlohmann::json d = nlohmann::json::parse(definition, nullptr, false);
    nlohmann::json* roster = Roster(d);
    if (!roster)
        return std::nullopt;
    for (auto& rep : *roster) {
        if (!rep.is_object() || !rep.contains("id") || rep["id"] != repId)
            continue;
        if (hash) {
            rep[kHash] = *hash;
        } else {
            rep.erase(kHash);
        }
        return d.dump();
    }
    return std::nullopt;
}

}  // namespace fk::server
