#pragma once
// What --version prints: the project's VERSION and, when the build was configured inside a git
// checkout, `git describe --always --dirty` at configure time.

namespace fk::logging {

const char* ProjectVersion();  // "0.1.0"
const char* GitDescribe();     // "9e0250e-dirty", or "" outside git
// "<program> 0.1.0 (git 9e0250e)" or "<program> 0.1.0".
const char* VersionLine(const char* program);

}  // namespace fk::logging
