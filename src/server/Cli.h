#pragma once
// kiosk-server's command line (serve, add-store, add-kiosk, add-manager, revoke, set-config).
// Returns the process exit code; errors go to stderr in words. Tokens are printed alone on the
// last line of stdout.

namespace fk::server {

int RunCli(int argc, char** argv);

}  // namespace fk::server
