#pragma once
// One shaped run printed as `hb-shape --no-glyph-names --no-positions` prints it for the run's
// bytes alone: "[gid=cluster|gid=cluster|...]", clusters counted in characters (code points)
// from the start of the run, as hb-shape does without --utf8-clusters. Pure; any thread.

#include "text/Shaper.h"

#include <string>

namespace fk::text {

std::string FormatRunLikeHbShape(const ShapedText& shaped, const TextRun& run);

}  // namespace fk::text
