#pragma once
// --layout-json: {"screen": NAME, "elements": [{"id", "x", "y", "w", "h"}]} in window pixels,
// written atomically (temp file + rename) so a reader never sees half a file.

#include <filesystem>
#include <string>

#include "ui/Layout.h"

namespace fk::app {

std::string LayoutToJson(const ui::ScreenLayout& layout);
// Returns an empty string on success, else why the file could not be written.
std::string WriteLayoutJson(const std::filesystem::path& path, const ui::ScreenLayout& layout);

}  // namespace fk::app
