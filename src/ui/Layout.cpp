#include "ui/Layout.h"

#include <algorithm>
#include <cmath>

namespace fk::ui {

float MmToPx(float mm, float dpi) {
    return mm * dpi / 25.4f;
}

const ElementRect* ScreenLayout::Find(const std::string& id) const {
    for (const auto& e : elements) {
        if (e.id == id)
            return &e;
    }
    return nullptr;
}

bool operator==(const ScreenLayout& a, const ScreenLayout& b) {
    if (a.screen != b.screen || a.call != b.call || a.elements.size() != b.elements.size())
        return false;
    for (std::size_t i = 0; i < a.elements.size(); ++i) {
        const auto& x = a.elements[i];
        const auto& y = b.elements[i];
        if (x.id != y.id || std::lround(x.rect.x) != std::lround(y.rect.x) ||
            std::lround(x.rect.y) != std::lround(y.rect.y) ||
            std::lround(x.rect.w) != std::lround(y.rect.w) ||
            std::lround(x.rect.h) != std::lround(y.rect.h)) {
            return false;
        }
    }
    return true;
}

ScreenFrame FrameFor(const LayoutParams& p) {
    ScreenFrame f;
    f.unit = std::min(p.width, p.height) / 100.0f * p.scale;
    f.minTarget = MmToPx(kMinTargetMm, p.dpi) * p.scale;
    f.margin = std::max(MmToPx(6, p.dpi), 4.0f * f.unit);
    f.gap = std::max(MmToPx(kMinGapMm, p.dpi), 3.0f * f.unit);
    return f;
}

namespace {

// A screen's question, clear of the "listen" button in the top right corner and of "change my
// answer" / the accessible switch in the top left (right of the manager corner, so that inset is a
// little wider than the right one: the question is off centre by the difference, not narrower on
// both sides).
Rect TitleRect(const LayoutParams& p, const ScreenFrame& f, float heightPx) {
    const float right = f.margin + LayoutListen(p).w + f.gap;
    const float left = std::max(right, LayoutUndo(p).Right() + f.gap);
    return Rect{left, f.margin, std::max(f.minTarget, p.width - left - right), heightPx};
}

}  // namespace

Rect LayoutListen(const LayoutParams& p) {
    const ScreenFrame f = FrameFor(p);
    const float side = std::max(f.minTarget, 11.0f * f.unit);
    return Rect{p.width - f.margin - side, f.margin, side, side};
}

Rect LayoutUndo(const LayoutParams& p) {
    const ScreenFrame f = FrameFor(p);
    const Rect listen = LayoutListen(p);
    const float x = std::max(f.margin, MmToPx(kCornerHoldMm, p.dpi) + f.gap);
    return Rect{x, listen.y, listen.w, listen.h};
}

Rect LayoutStaffButton(const LayoutParams& p) {
    const ScreenFrame f = FrameFor(p);
    // In the corner when the most language buttons a kiosk offers (five) still fit beside it at
    // their minimum size; on a narrow screen it stands above the language row instead.
    const float reserve = f.margin + f.minTarget + f.gap;
    const float row = 5 * f.minTarget + 4 * f.gap;
    float y = p.height - f.margin - f.minTarget;
    if (row > p.width - 2 * reserve)
        y -= std::max(f.minTarget, 9.0f * f.unit) + f.gap;
    return Rect{f.margin, y, f.minTarget, f.minTarget};
}

RateLayout LayoutRate(const LayoutParams& p, int points, int languageCount, bool servedByLine,
                      bool staffButton) {
    const ScreenFrame f = FrameFor(p);
    const Rect staff = LayoutStaffButton(p);
    // The language row stays centred, clear of the staff button on both sides when it shares the
    // bottom edge with it.
    const bool staffInCorner = staffButton && staff.Bottom() >= p.height - f.margin - 0.5f;
    const float sideReserve = staffInCorner ? staff.Right() + f.gap : f.margin;
    RateLayout out;
    out.titlePx = std::max(MmToPx(6, p.dpi), 6.0f * f.unit);
    out.labelPx = std::max(MmToPx(4, p.dpi), 3.6f * f.unit);
    out.buttonPx = std::max(MmToPx(3.5f, p.dpi), 3.2f * f.unit);
    out.title = TitleRect(p, f, out.titlePx * 1.8f);

    float bottom = p.height - f.margin;
    if (languageCount > 1) {
        const float h = std::max(f.minTarget, 9.0f * f.unit);
        const float y = p.height - f.margin - h;
        const auto n = static_cast<float>(languageCount);
        const float w = std::clamp((p.width - 2 * sideReserve - (n - 1) * f.gap) / n, f.minTarget,
                                   std::max(f.minTarget * 2.5f, 20.0f * f.unit));
        const float total = n * w + (n - 1) * f.gap;
        float x = (p.width - total) * 0.5f;
        for (int i = 0; i < languageCount; ++i) {
            out.languages.push_back(Rect{x, y, w, h});
            x += w + f.gap;
        }
        bottom = y - f.margin;
    }
    if (staffButton)
        bottom = std::min(bottom, staff.y - f.gap);

    out.servedBy = Rect{f.margin, out.title.Bottom(), p.width - 2 * f.margin,
                        servedByLine ? out.labelPx * 1.6f : 0.0f};
    const float top = out.servedBy.Bottom() + f.margin;
    const float areaH = std::max(0.0f, bottom - top);
    const float labelH = out.labelPx * 1.6f;
    const auto n = static_cast<float>(points);
    float d = (p.width - 2 * f.margin - (n - 1) * f.gap) / n;
    d = std::min({d, areaH - labelH - f.gap * 0.5f, 0.34f * std::max(p.width, p.height)});
    d = std::max(d, f.minTarget);
    // Spread the faces: the spare width goes into the gaps, within reason.
    const float gap =
        points > 1 ? std::clamp((p.width - 2 * f.margin - n * d) / (n - 1), f.gap, d * 0.6f) : 0.0f;
    const float total = n * d + (n - 1) * gap;
    const float startX = (p.width - total) * 0.5f;
    const float y = top + std::max(0.0f, (areaH - d - labelH) * 0.5f);
    for (int i = 0; i < points; ++i) {
        const float x = startX + static_cast<float>(i) * (d + gap);
        out.faces.push_back(Rect{x, y, d, d});
        // Labels (and so targets) may reach into the gap, leaving at least kMinGapMm between
        // targets.
        const float lw = d + std::max(0.0f, gap - MmToPx(kMinGapMm, p.dpi));
        const Rect label{x + d * 0.5f - lw * 0.5f, y + d + f.gap * 0.25f, lw, labelH};
        out.faceLabels.push_back(label);
        out.targets.push_back(Rect{label.x, y, lw, label.Bottom() - y});
    }
    return out;
}

TileLayout LayoutTiles(const LayoutParams& p, int count) {
    const ScreenFrame f = FrameFor(p);
    TileLayout out;
    out.titlePx = std::max(MmToPx(6, p.dpi), 5.5f * f.unit);
    out.tilePx = std::max(MmToPx(4, p.dpi), 4.0f * f.unit);
    out.title = TitleRect(p, f, out.titlePx * 1.8f);

    const float skipH = std::max(f.minTarget, 10.0f * f.unit);
    const float skipW = std::max(f.minTarget * 3, 0.3f * p.width);
    out.skip = Rect{(p.width - skipW) * 0.5f, p.height - f.margin - skipH, skipW, skipH};

    const float top = out.title.Bottom() + f.margin * 0.5f;
    const float areaH = std::max(0.0f, out.skip.y - f.margin - top);
    const float areaW = p.width - 2 * f.margin;
    if (count <= 0)
        return out;
    const float wantH = std::max(f.minTarget, 11.0f * f.unit);
    const int maxCols = std::min(count, p.Portrait() ? 2 : 4);
    int cols = maxCols;
    for (int c = 1; c <= maxCols; ++c) {
        const int rows = (count + c - 1) / c;
        if (static_cast<float>(rows) * wantH + static_cast<float>(rows - 1) * f.gap <= areaH) {
            cols = c;
            break;
        }
    }
    // Never a single column of wide bars on a landscape screen when two fit.
    if (!p.Portrait() && cols == 1 && count > 2)
        cols = std::min(2, maxCols);
    const int rows = (count + cols - 1) / cols;
    const float fc = static_cast<float>(cols);
    const float fr = static_cast<float>(rows);
    const float tileW = std::min((areaW - (fc - 1) * f.gap) / fc, 60.0f * f.unit);
    const float fitH = (areaH - (fr - 1) * f.gap) / fr;
    const float tileH = std::max(f.minTarget, std::min(fitH, std::max(wantH, 16.0f * f.unit)));
    const float gridW = fc * tileW + (fc - 1) * f.gap;
    const float gridH = fr * tileH + (fr - 1) * f.gap;
    const float x0 = (p.width - gridW) * 0.5f;
    const float y0 = top + std::max(0.0f, (areaH - gridH) * 0.5f);
    for (int i = 0; i < count; ++i) {
        const int r = i / cols;
        const int c = i % cols;
        // An incomplete last row is centred under the full ones.
        const int inRow = std::min(cols, count - r * cols);
        const float rowX = x0 + static_cast<float>(cols - inRow) * (tileW + f.gap) * 0.5f;
        out.tiles.push_back(Rect{rowX + static_cast<float>(c) * (tileW + f.gap),
                                 y0 + static_cast<float>(r) * (tileH + f.gap), tileW, tileH});
    }
    return out;
}

HelpLayout LayoutHelp(const LayoutParams& p) {
    const ScreenFrame f = FrameFor(p);
    HelpLayout out;
    out.titlePx = std::max(MmToPx(6, p.dpi), 5.5f * f.unit);
    out.buttonPx = std::max(MmToPx(6, p.dpi), 6.0f * f.unit);
    // The question is a sentence: room for two lines (or three in portrait) of it.
    out.title = TitleRect(p, f, out.titlePx * (p.Portrait() ? 4.0f : 2.8f));
    const float top = out.title.Bottom() + f.margin;
    const float areaH = std::max(f.minTarget, p.height - f.margin - top);
    const float areaW = p.width - 2 * f.margin;
    if (p.Portrait()) {
        const float h = std::max(f.minTarget, std::min((areaH - f.gap * 2) / 2, 30.0f * f.unit));
        const float w = std::max(f.minTarget, std::min(areaW, 80.0f * f.unit));
        const float y0 = top + std::max(0.0f, (areaH - 2 * h - f.gap * 2) * 0.5f);
        out.yes = Rect{(p.width - w) * 0.5f, y0, w, h};
        out.no = Rect{(p.width - w) * 0.5f, y0 + h + f.gap * 2, w, h};
    } else {
        const float w = std::max(f.minTarget, std::min((areaW - f.gap * 3) / 2, 60.0f * f.unit));
        const float h = std::max(f.minTarget, std::min(areaH, 36.0f * f.unit));
        const float x0 = (p.width - 2 * w - f.gap * 3) * 0.5f;
        const float y = top + std::max(0.0f, (areaH - h) * 0.5f);
        out.yes = Rect{x0, y, w, h};
        out.no = Rect{x0 + w + f.gap * 3, y, w, h};
    }
    return out;
}

MessageLayout LayoutMessage(const LayoutParams& p) {
    const ScreenFrame f = FrameFor(p);
    MessageLayout out;
    out.titlePx = std::max(MmToPx(8, p.dpi), 8.0f * f.unit);
    out.bodyPx = std::max(MmToPx(4, p.dpi), 4.0f * f.unit);
    const float faceD = 0.22f * std::min(p.width, p.height);
    const float total = faceD + f.gap + out.titlePx * 1.6f + out.bodyPx * 4.0f;
    const float y = std::max(f.margin, (p.height - total) * 0.5f);
    out.face = Rect{(p.width - faceD) * 0.5f, y, faceD, faceD};
    out.title =
        Rect{f.margin, out.face.Bottom() + f.gap, p.width - 2 * f.margin, out.titlePx * 1.6f};
    out.body = Rect{f.margin, out.title.Bottom(), p.width - 2 * f.margin, out.bodyPx * 4.0f};
    return out;
}

}  // namespace fk::ui
