#include "server/Cli.h"

int main(int argc, char** argv) {
    return fk::server::RunCli(argc, argv);
}
