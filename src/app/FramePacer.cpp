#include "app/FramePacer.h"

#include <algorithm>

namespace fk::app {

FramePacer::FramePacer(Options options)
    : m_options(options),
      m_minGap(std::chrono::microseconds(1'000'000 / std::max(1, options.animationFpsCap))) {}

void FramePacer::Want(int frames) {
    m_framesWanted = std::max(m_framesWanted, frames);
}

bool FramePacer::FrameDue() const {
    return m_options.continuous || m_framesWanted > 0 || m_animating;
}

double FramePacer::WaitTimeoutS(
    std::int64_t nowMs, std::initializer_list<std::optional<std::int64_t>> deadlinesMs) const {
    if (FrameDue())
        return 0.0;
    double timeout = m_options.idleWaitS;
    for (const auto& deadline : deadlinesMs) {
        if (!deadline)
            continue;
        timeout = std::clamp(static_cast<double>(*deadline - nowMs) / 1000.0, 0.001, timeout);
    }
    return timeout;
}

std::chrono::microseconds FramePacer::HoldBack(TimePoint now) const {
    if (m_framesWanted > 0 || !(m_animating || m_options.continuous) || !m_lastFrame)
        return std::chrono::microseconds(0);
    const auto next = *m_lastFrame + m_minGap;
    if (now >= next)
        return std::chrono::microseconds(0);
    return std::chrono::ceil<std::chrono::microseconds>(next - now);
}

void FramePacer::FrameDrawn(bool animating, bool hadActions) {
    m_animating = animating;
    if (m_framesWanted > 0)
        --m_framesWanted;
    if (hadActions)
        Want(2);
}

}  // namespace fk::app
