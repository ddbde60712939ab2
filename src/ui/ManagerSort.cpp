#include "ui/ManagerSort.h"

#include <algorithm>
#include <optional>
#include <tuple>

namespace fk::ui {

void SortManagerRows(std::vector<core::DashboardRepRow>& rows, core::RepColumn column,
                     bool descending,
                     const std::map<std::string, std::string, std::less<>>& repNames) {
    if (column != core::RepColumn::Rep) {
        core::SortRepRows(rows, column, descending);
        return;
    }
    // (has a rep, display name, id): "no rep" sorts before every named rep.
    auto key = [&](const core::DashboardRepRow& r) {
        if (!r.repId)
            return std::tuple<bool, std::string, std::string>(false, "", "");
        auto it = repNames.find(*r.repId);
        const std::string& name =
            it != repNames.end() && !it->second.empty() ? it->second : *r.repId;
        return std::tuple<bool, std::string, std::string>(true, name, *r.repId);
    };
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const core::DashboardRepRow& a, const core::DashboardRepRow& b) {
                         return descending ? key(b) < key(a) : key(a) < key(b);
                     });
}

}  // namespace fk::ui
