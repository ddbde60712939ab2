#pragma once
// Sorting the per-rep table as the manager sees it: core::SortRepRows for the metric columns
// (rows with "not enough data" last either way), and for the rep column the display names
// (byte order of the UTF-8 names, ties by id; "no rep" first ascending, last descending), since
// ids mean nothing on screen. Pure; thread-safe.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/DashboardData.h"

namespace fk::ui {

void SortManagerRows(std::vector<core::DashboardRepRow>& rows, core::RepColumn column,
                     bool descending,
                     const std::map<std::string, std::string, std::less<>>& repNames);

}  // namespace fk::ui
