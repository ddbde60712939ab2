#pragma once
// kiosk-server's command line: serve, add-store, add-kiosk (--write-config DIR: also the kiosk's
// kiosk.toml, with the manager PIN's hash from --pin-hash or typed twice / piped on stdin, and
// 0600 sync-token; --reissue: a new token for an existing kiosk), add-manager,
// revoke, set-config, migrate (SQLite -> PostgreSQL); --version, --log-level.
// Returns the process exit code: 0 success, 1 the operation failed, 2 bad command line. Errors go
// to stderr in words; logs through spdlog (fk::logging). Tokens are printed alone on the last
// line of stdout. Main thread only (serve blocks until SIGINT/SIGTERM).

namespace fk::server {

int RunCli(int argc, char** argv);

}  // namespace fk::server
