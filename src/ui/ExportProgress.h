#pragma once
// Where manager mode's CSV export stands, as facts for the screens to put into words
// (manager.export.* in the manager's language): filled by app/ExportJob on its worker thread and
// copied into the view on the UI thread. Plain values; thread-safe to copy.

#include <cstdint>
#include <string>

namespace fk::ui {

enum class ExportStage {
    Idle,          // nothing exported since manager mode opened
    Starting,      // accepted, the worker is starting
    Running,       // done of total rows written
    Written,       // both files written
    AlreadyThere,  // refused: file is already on the stick (nothing overwritten)
    PlaceRefused,  // refused: the place is not one exports may go to (placeProblem)
    Failed,        // the write failed (detail)
};
enum class ExportPlaceProblem { NotListed, Unusable, NotFolder, Outside };

struct ExportProgress {
    ExportStage stage = ExportStage::Idle;
    double fraction = 0;  // 0..1 while running
    std::int64_t done = 0;
    std::int64_t total = 0;
    std::string place;     // the folder written to or refused
    std::string repsFile;  // Written: the two file names
    std::string responsesFile;
    std::int64_t rows = 0;  // Written: responses in the file
    std::string file;       // AlreadyThere: the file already on the stick
    ExportPlaceProblem placeProblem = ExportPlaceProblem::NotListed;
    std::string detail;  // Failed: the system's own words, untranslated (technical)

    bool Running() const { return stage == ExportStage::Starting || stage == ExportStage::Running; }
    bool FailedOrRefused() const {
        return stage == ExportStage::AlreadyThere || stage == ExportStage::PlaceRefused ||
               stage == ExportStage::Failed;
    }
    friend bool operator==(const ExportProgress&, const ExportProgress&) = default;
};

}  // namespace fk::ui
