#include "app/RepOrder.h"

#include <algorithm>
#include <map>

#include "text/Collation.h"

namespace fk::app {

OrderedReps OrderReps(const std::vector<ui::RepTile>& roster, std::string_view language,
                      const std::vector<std::string>& firstIds) {
    std::vector<const ui::RepTile*> first;
    std::vector<const ui::RepTile*> rest;
    std::map<std::string, std::size_t, std::less<>> rank;
    for (const auto& id : firstIds)
        rank.emplace(id, rank.size());
    for (const auto& rep : roster) {
        const bool isFirst = rank.contains(rep.id) &&
                             std::none_of(first.begin(), first.end(),
                                          [&](const ui::RepTile* t) { return t->id == rep.id; });
        (isFirst ? first : rest).push_back(&rep);
    }
    std::sort(first.begin(), first.end(), [&](const ui::RepTile* a, const ui::RepTile* b) {
        return rank.find(a->id)->second < rank.find(b->id)->second;
    });
    const text::NameCollator collator(language);
    std::stable_sort(rest.begin(), rest.end(), [&](const ui::RepTile* a, const ui::RepTile* b) {
        if (collator.Less(a->name, b->name))
            return true;
        if (collator.Less(b->name, a->name))
            return false;
        return a->id < b->id;
    });
    OrderedReps out;
    out.reps.reserve(roster.size());
    out.initials.reserve(roster.size());
    for (const auto* list : {&first, &rest}) {
        for (const ui::RepTile* rep : *list) {
            out.reps.push_back(*rep);
            out.initials.push_back(text::Initials(rep->name));
        }
    }
    return out;
}

void RecentReps::Chosen(const std::string& id) {
    if (id.empty())
        return;
    std::erase(m_ids, id);
    m_ids.insert(m_ids.begin(), id);
    if (m_ids.size() > kKeep)
        m_ids.resize(kKeep);
}

}  // namespace fk::app
