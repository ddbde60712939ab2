#pragma once
// Internal to the config module: the kiosk.toml schema, one function per table. Each gets a
// reader over its table, reads it into the config, records problems and calls Finish();
// ReadRoster/ReadReasons get the document root. Checks across tables: KioskConfigChecks.cpp.

#include <filesystem>
#include <map>
#include <string>
#include <tuple>

#include "config/KioskConfig.h"
#include "config/TomlReader.h"

namespace fk::config::detail {

// Where things were found, for problems that span tables.
struct KioskConfigLines {
    int askReasonFor = 0;
    int helpOfferFor = 0;
    int repMode = 0;
    bool repModeGiven = false;
    int firstReason = 0;
    bool reasonsGiven = false;
    std::size_t reasonEntries = 0;  // [[reason]] entries in the file, valid or not
    // Per reason: label key path, its line, whether the code is built in (catalog-labelled).
    std::vector<std::tuple<std::string, int, bool>> reasonLabels;
};

struct ReadContext {
    ProblemList& problems;
    std::filesystem::path baseDir;  // relative paths in the file are resolved against this
    KioskConfigLines lines;
};

void ReadKioskTable(TableReader table, ReadContext& context, KioskConfig& config);
void ReadSurveyTable(TableReader table, ReadContext& context, KioskConfig& config);
void ReadHelpTable(TableReader table, ReadContext& context, KioskConfig& config);
void ReadLanguagesTable(TableReader table, KioskConfig& config);
void ReadMisuseTable(TableReader table, KioskConfig& config);
void ReadHoursTable(TableReader table, KioskConfig& config);
void ReadDisplayTable(TableReader table, KioskConfig& config);
void ReadSoundTable(TableReader table, KioskConfig& config);
void ReadSyncTable(TableReader table, ReadContext& context, KioskConfig& config);
void ReadFontsTable(TableReader table, ReadContext& context, KioskConfig& config);
void ReadManagerTable(TableReader table, ReadContext& context, KioskConfig& config);
void ReadRoster(TableReader& root, ReadContext& context, KioskConfig& config);
void ReadReasons(TableReader& root, ReadContext& context, KioskConfig& config);

// Checks between tables: rep mode vs roster, reasons vs ask_reason_for and scale, labels vs
// offered languages.
void CheckKioskConfig(ReadContext& context, const KioskConfig& config);

}  // namespace fk::config::detail
