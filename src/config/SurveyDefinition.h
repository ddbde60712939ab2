#pragma once
// The survey definition head office pushes through kiosk-server (docs/API.md "Survey
// definition"): what a kiosk asks (scale, question, languages, reasons, help step, opening hours,
// misuse and alert rules, roster) as one JSON document. The server checks a definition with this
// before storing it, and the kiosk applies it with this over its own kiosk.toml (which keeps the
// device settings and a fallback survey). Both run the kiosk.toml table readers, so a problem is
// worded as in kiosk.toml, with the key as a JSON pointer ("def.json: /survey/scale: ...").
// Pure functions; thread-safe.

#include <string_view>

#include "config/KioskConfig.h"

namespace fk::config {

// base with the sections the definition gives replaced by the definition's (a section left out
// keeps base's: the fallback survey). The checks across sections run on the definition over the
// documented defaults, never on base, so a definition the server accepts no kiosk refuses. Throws
// ConfigError listing every problem (file = name, line 0, key = JSON pointer into the definition).
// Legacy names are accepted: "roster" entries {id, name, active}, "reasons" entries {id, labels,
// attributable_to_rep}, "locales".
KioskConfig ApplySurveyDefinition(KioskConfig base, std::string_view json, std::string_view name);

// A kiosk.toml key path as the definition's JSON pointer: "rep[2].name" -> "/roster/1/name",
// "reason[1].label.hi" -> "/reasons/0/labels/hi", "manager.alert.window_min" ->
// "/alert/window_min", "survey.scale" -> "/survey/scale".
std::string DefinitionPointer(std::string_view tomlKey);

}  // namespace fk::config
