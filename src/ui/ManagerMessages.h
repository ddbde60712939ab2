#pragma once
// Manager mode's sentences built from facts the app puts in the view (sync state, export
// progress, a refused date range), in the view's language through ManagerText (manager.* keys).
// The app never writes staff-facing words itself: it reports what happened, these say it.
// Pure; thread-safe.

#include <string>
#include <vector>

#include "ui/ExportProgress.h"
#include "ui/ManagerStrings.h"
#include "ui/ManagerView.h"

namespace fk::ui {

// "Sync: retrying", then one line per recovery fact and stuck help calls (none when nothing
// happened).
std::vector<std::string> SyncStateLines(const ManagerStringMap& strings, const SyncHealthView& s);

// The export's state in a sentence; empty when nothing was exported yet.
std::string ExportStatusText(const ManagerStringMap& strings, const ExportProgress& p);

// Why the period's numbers are not shown.
std::string PeriodErrorText(const ManagerStringMap& strings, const PeriodErrorView& e);

}  // namespace fk::ui
