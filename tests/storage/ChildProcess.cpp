#include "storage/ChildProcess.h"

#include <sys/wait.h>

namespace fk::test {

std::filesystem::path StoreHelperPath() {
    return FK_STORE_HELPER;
}

HelperResult RunHelper(const std::vector<std::string>& args) {
    Child child(StoreHelperPath(), args);
    HelperResult result;
    result.output = child.ReadToEnd();
    int status = child.Wait();
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

}  // namespace fk::test
