#pragma once
// The order of the "who helped" picker: the reps on duty or recently chosen at this till first
// (in that order), then everyone else by name in the customer's language's collation
// (text::NameCollator), each with their initials for the avatar (text::Initials).
// RecentReps remembers who was chosen at this till, newest first, without repeats.
// Thread affinity: UI thread (a NameCollator is not shared). Never throws for any input.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ui/KioskScreens.h"

namespace fk::app {

struct OrderedReps {
    std::vector<ui::RepTile> reps;
    std::vector<std::string> initials;  // parallel to reps
};

// firstIds: ids to put first, in this order; ids not in the roster are ignored.
OrderedReps OrderReps(const std::vector<ui::RepTile>& roster, std::string_view language,
                      const std::vector<std::string>& firstIds);

class RecentReps {
  public:
    static constexpr std::size_t kKeep = 4;  // about one row of the picker
    void Chosen(const std::string& id);
    const std::vector<std::string>& Ids() const { return m_ids; }

  private:
    std::vector<std::string> m_ids;  // newest first
};

}  // namespace fk::app
