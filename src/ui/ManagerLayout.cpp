#include "ui/ManagerLayout.h"

#include <algorithm>

namespace fk::ui {

ManagerMetrics MetricsFor(const LayoutParams& p) {
    ManagerMetrics m;
    m.unit = std::min(p.width, p.height) / 100.0f;
    m.target = std::max(MmToPx(kMinTargetMm, p.dpi), 6.0f * m.unit);
    m.margin = std::max(MmToPx(3, p.dpi), 1.5f * m.unit);
    m.gap = std::max(MmToPx(2, p.dpi), 1.0f * m.unit);
    m.textPx = std::max(MmToPx(3.2f, p.dpi), 2.3f * m.unit);
    m.smallPx = std::max(MmToPx(2.8f, p.dpi), 1.9f * m.unit);
    m.titlePx = std::max(MmToPx(4.5f, p.dpi), 3.2f * m.unit);
    return m;
}

ManagerChromeLayout LayoutManagerChrome(const LayoutParams& p, bool custom, bool banner) {
    ManagerChromeLayout l;
    const ManagerMetrics m = MetricsFor(p);
    l.m = m;
    l.custom = custom;
    const float inner = p.width - 2 * m.margin;
    const bool landscape = p.width >= 1.2f * p.height;
    const float exitW = std::max(m.target * 1.6f, 12.0f * m.unit);
    float y = m.margin;

    if (landscape) {
        const float periodW = std::max(m.target * 2.0f, 15.0f * m.unit);
        const float periodsW = 4 * periodW + 3 * m.gap;
        float x = p.width - m.margin - exitW;
        l.exit = Rect{x, y, exitW, m.target};
        x -= 2 * m.gap + periodsW;
        for (std::size_t i = 0; i < 4; ++i) {
            l.periods[i] = Rect{x, y, periodW, m.target};
            x += periodW + m.gap;
        }
        l.title =
            Rect{m.margin, y, std::max(0.0f, l.periods[0].x - 2 * m.gap - m.margin), m.target};
        y += m.target + m.gap;
    } else {
        l.exit = Rect{p.width - m.margin - exitW, y, exitW, m.target};
        l.title = Rect{m.margin, y, std::max(0.0f, l.exit.x - m.gap - m.margin), m.target};
        y += m.target + m.gap;
        const float periodW = (inner - 3 * m.gap) / 4;
        for (std::size_t i = 0; i < 4; ++i) {
            l.periods[i] =
                Rect{m.margin + static_cast<float>(i) * (periodW + m.gap), y, periodW, m.target};
        }
        y += m.target + m.gap;
    }

    if (custom) {
        const float labelW = m.textPx * 6.5f;
        float x = m.margin;
        auto next = [&](float w) {
            Rect r{x, y, w, m.target};
            x += w + m.gap;
            return r;
        };
        l.firstMinus = next(m.target);
        l.firstLabel = next(labelW);
        l.firstPlus = next(m.target);
        x += m.textPx * 1.5f;
        l.lastMinus = next(m.target);
        l.lastLabel = next(labelW);
        l.lastPlus = next(m.target);
        l.info = Rect{m.margin, y, inner, m.target};
        l.closesIn = Rect{x, y, std::max(0.0f, p.width - m.margin - x), m.target};
        y += m.target + m.gap;
    } else {
        const float h = m.textPx * 1.8f;
        const float closesW = inner * 0.3f;
        l.info = Rect{m.margin, y, inner - closesW, h};
        l.closesIn = Rect{m.margin + inner - closesW, y, closesW, h};
        y += h + m.gap;
    }

    if (banner) {
        l.banner = Rect{m.margin, y, inner, m.textPx * 2.4f};
        y += l.banner.h + m.gap;
    } else {
        l.banner = Rect{m.margin, y, inner, 0};
    }

    const std::size_t tabs = l.tabs.size();
    const float tabW = (inner - static_cast<float>(tabs - 1) * m.gap) / static_cast<float>(tabs);
    for (std::size_t i = 0; i < tabs; ++i) {
        l.tabs[i] = Rect{m.margin + static_cast<float>(i) * (tabW + m.gap), y, tabW, m.target};
    }
    y += m.target + m.gap;
    l.content = Rect{m.margin, y, inner, std::max(0.0f, p.height - m.margin - y)};
    return l;
}

std::optional<core::RepColumn> SortKeyOf(RepTableColumn column) {
    switch (column) {
        case RepTableColumn::Rep:
            return core::RepColumn::Rep;
        case RepTableColumn::Responses:
            return core::RepColumn::Responses;
        case RepTableColumn::Distribution:
            return std::nullopt;
        case RepTableColumn::Satisfaction:
            return core::RepColumn::Satisfaction;
        case RepTableColumn::Score:
            return core::RepColumn::Score;
        case RepTableColumn::WilsonLower:
            return core::RepColumn::WilsonLower;
        case RepTableColumn::NotAboutRep:
            return core::RepColumn::NotAboutRep;
        case RepTableColumn::AgainstRep:
            return core::RepColumn::AgainstRep;
        case RepTableColumn::Misuse:
            return core::RepColumn::Misuse;
    }
    return std::nullopt;
}

std::string_view SortIdOf(core::RepColumn column) {
    switch (column) {
        case core::RepColumn::Rep:
            return "rep";
        case core::RepColumn::Responses:
            return "responses";
        case core::RepColumn::Satisfaction:
            return "satisfaction";
        case core::RepColumn::Score:
            return "score";
        case core::RepColumn::WilsonLower:
            return "wilson";
        case core::RepColumn::NotAboutRep:
            return "not_about_rep";
        case core::RepColumn::AgainstRep:
            return "against_rep";
        case core::RepColumn::Misuse:
            return "misuse";
    }
    return "unknown";
}

bool NextSortDescending(core::RepColumn clicked, core::RepColumn current, bool currentDescending) {
    if (clicked == current)
        return !currentDescending;
    return clicked != core::RepColumn::Rep;
}

RepTableLayout LayoutRepTable(const Rect& content, const ManagerMetrics& m) {
    // Relative widths; the name and the two bars get the room.
    static constexpr std::array<float, kRepTableColumns> kWeights = {2.3f, 0.9f, 1.8f, 1.0f, 0.9f,
                                                                     2.0f, 1.0f, 1.0f, 0.9f};
    float total = 0;
    for (float w : kWeights)
        total += w;
    RepTableLayout l;
    l.rowH = m.target;
    l.rowGap = std::max(1.0f, m.unit * 0.25f);
    const float headerH = std::max(m.target, m.smallPx * 2.6f);
    // Header targets sit a little apart so adjacent headers never touch.
    const float half = std::max(1.0f, m.unit * 0.2f);
    const float minCol = m.target + 2 * half;
    float x = content.x;
    for (std::size_t i = 0; i < kWeights.size(); ++i) {
        const float w = std::max(minCol, content.w * kWeights[i] / total);
        l.colX[i] = x;
        l.colW[i] = w;
        x += w;
    }
    // Minimum widths can push the last columns out; squeeze the flexible ones back in.
    const float over = x - content.Right();
    if (over > 0) {
        const float flex = l.colW[0] + l.colW[2] + l.colW[5] - 3 * minCol;
        float shift = 0;
        for (std::size_t i = 0; i < kWeights.size(); ++i) {
            l.colX[i] -= shift;
            if ((i == 0 || i == 2 || i == 5) && flex > 0) {
                const float cut = std::min(over, flex) * (l.colW[i] - minCol) / flex;
                l.colW[i] -= cut;
                shift += cut;
            }
        }
    }
    for (std::size_t i = 0; i < kWeights.size(); ++i) {
        l.header[i] = Rect{l.colX[i] + half, content.y, l.colW[i] - 2 * half, headerH};
    }
    l.rows = Rect{content.x, content.y + headerH + l.rowGap, content.w,
                  std::max(0.0f, content.h - headerH - l.rowGap)};
    return l;
}

Rect RepRowRect(const RepTableLayout& l, int index, float scrollY) {
    const float pitch = l.rowH + l.rowGap;
    return Rect{l.rows.x, l.rows.y + static_cast<float>(index) * pitch - scrollY, l.rows.w, l.rowH};
}

float MaxScroll(float contentHeight, float viewHeight) {
    return std::max(0.0f, contentHeight - viewHeight);
}

}  // namespace fk::ui
