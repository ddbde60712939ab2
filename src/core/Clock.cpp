#include "core/Clock.h"

#include <chrono>
#include <ctime>

namespace fk::core {

UtcMs SystemClock::NowUtcMs() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t SystemClock::SteadyMs() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

int SystemClock::TzOffsetMinutes(UtcMs at) const {
    // localtime_r follows TZ and the system zone database, DST included.
    std::time_t seconds = static_cast<std::time_t>(at / 1000);
    std::tm local{};
    if (localtime_r(&seconds, &local) == nullptr) {
        return 0;
    }
    return static_cast<int>(local.tm_gmtoff / 60);
}

}  // namespace fk::core
