#pragma once
// <dataDir>/manager-roster.json: manager mode's local roster edits (ask mode: which reps are
// active) and who is signed in on duty, so a restart keeps them. Format:
//   {"active": {"<rep id>": true|false, ...}, "on_duty": "<rep id>" | null,
//    "on_duty_since": <UTC ms the sign-in began> (only with an on_duty rep)}
// Thread affinity: any thread, no shared state. Ownership: none. Failure: a missing file is
// "no edits"; an unreadable or damaged one is logged and treated as no edits; a failed save is
// logged (the edits still apply until the kiosk restarts).

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace fk::app {

struct RosterEdits {
    std::map<std::string, bool> active;  // by rep id
    // Outer nullopt: the file says nothing about on-duty; inner nullopt: nobody is signed in.
    std::optional<std::optional<std::string>> onDuty;
    std::optional<std::int64_t> onDutySinceUtc;  // absent in files written before shifts counted
};

class RosterFile {
  public:
    static constexpr const char* kFileName = "manager-roster.json";

    explicit RosterFile(const std::filesystem::path& dataDir) : m_path(dataDir / kFileName) {}

    // nullopt when there is no file or it cannot be used (logged).
    std::optional<RosterEdits> Load() const;
    void Save(const std::map<std::string, bool>& active, const std::optional<std::string>& onDuty,
              std::optional<std::int64_t> onDutySinceUtc) const;
    const std::filesystem::path& Path() const { return m_path; }

  private:
    std::filesystem::path m_path;
};

}  // namespace fk::app
