#include "ui/RepPickerLayout.h"

#include <algorithm>
#include <cmath>

namespace fk::ui {

namespace {

struct Grid {
    float top = 0;     // the tile area
    float bottom = 0;  // its lower edge (the page label or the bar sits under it)
    float left = 0;
    float width = 0;
    float minTileW = 0;
    float minTileH = 0;
    int maxColumns = 1;
    int maxRows = 1;
};

int Fit(float space, float item, float gap) {
    return std::max(1, static_cast<int>(std::floor((space + gap) / (item + gap))));
}

}  // namespace

RepPickerLayout LayoutRepPicker(const LayoutParams& p, int count, int page) {
    const ScreenFrame f = FrameFor(p);
    RepPickerLayout out;
    count = std::max(0, count);
    out.titlePx = std::max(MmToPx(6, p.dpi), 5.5f * f.unit);
    out.namePx = std::max(MmToPx(3.5f, p.dpi), 3.4f * f.unit);
    out.title = Rect{f.margin, f.margin, p.width - 2 * f.margin, out.titlePx * 1.8f};

    // The bar: Skip in the middle; previous and next at the ends when paged. One height for all
    // three, so the bar is the same whether or not the roster pages.
    const float barH = std::max(f.minTarget * 1.15f, 10.0f * f.unit);
    const float barY = p.height - f.margin - barH;
    // Narrow screens shrink the three buttons towards 12 mm each before anything else.
    const float barW = p.width - 2 * f.margin - 2 * f.gap;
    const float pageButtonW =
        std::max(f.minTarget,
                 std::min(std::max(f.minTarget * 2.2f, 20.0f * f.unit), (barW - f.minTarget) / 2));
    const float skipW =
        std::max(f.minTarget,
                 std::min(std::max(0.28f * p.width, f.minTarget * 2.2f), barW - 2 * pageButtonW));
    out.skip = Rect{(p.width - skipW) * 0.5f, barY, skipW, barH};

    Grid g;
    g.top = out.title.Bottom() + f.margin * 0.5f;
    g.left = f.margin;
    g.width = p.width - 2 * f.margin;
    // A tile holds the initials disc and a name of about ten letters; never under 12 mm.
    g.minTileH = std::max(f.minTarget, 9.0f * f.unit);
    g.minTileW = std::max({f.minTarget * 3.0f, 28.0f * f.unit, g.minTileH * 2.6f});
    g.maxColumns = std::min(p.Portrait() ? 3 : 5, Fit(g.width, g.minTileW, f.gap));
    const float labelH = out.namePx * 1.5f;

    auto rowsFor = [&](float bottom) {
        return Fit(std::max(0.0f, bottom - g.top), g.minTileH, f.gap);
    };
    g.bottom = barY - f.gap;
    g.maxRows = rowsFor(g.bottom);
    if (count > g.maxColumns * g.maxRows) {
        // Paged: the page label takes a line above the bar.
        g.bottom = barY - f.gap * 0.5f - labelH;
        g.maxRows = rowsFor(g.bottom - f.gap * 0.5f);
        out.columns = g.maxColumns;
        out.rows = g.maxRows;
        out.perPage = out.columns * out.rows;
        out.pages = (count + out.perPage - 1) / out.perPage;
    } else if (count > 0) {
        // One page: the fewest columns that fit (at least two in landscape), for larger tiles.
        const int minColumns = p.Portrait() ? 1 : std::min(2, count);
        out.columns = g.maxColumns;
        for (int c = std::min(minColumns, g.maxColumns); c <= g.maxColumns; ++c) {
            if ((count + c - 1) / c <= g.maxRows) {
                out.columns = c;
                break;
            }
        }
        out.rows = (count + out.columns - 1) / out.columns;
        out.perPage = out.columns * out.rows;
        out.pages = 1;
    } else {
        out.pages = 1;
        return out;
    }
    out.page = std::clamp(page, 0, out.pages - 1);
    out.first = out.page * out.perPage;

    const float areaH = std::max(0.0f, g.bottom - g.top);
    const float fc = static_cast<float>(out.columns);
    const float fr = static_cast<float>(out.rows);
    const float tileW =
        std::max(g.minTileW, std::min((g.width - (fc - 1) * f.gap) / fc, 60.0f * f.unit));
    const float fitH = (areaH - (fr - 1) * f.gap) / fr;
    const float tileH = std::max(g.minTileH, std::min(fitH, 16.0f * f.unit));
    const float gridW = fc * tileW + (fc - 1) * f.gap;
    const float gridH = fr * tileH + (fr - 1) * f.gap;
    const float x0 = (p.width - gridW) * 0.5f;
    const float y0 = g.top + std::max(0.0f, (areaH - gridH) * 0.5f);
    const int onPage = std::min(out.perPage, count - out.first);
    const float disc = tileH * 0.72f;
    const float pad = (tileH - disc) * 0.5f;
    out.initialsPx = disc * 0.42f;
    for (int i = 0; i < onPage; ++i) {
        const int r = i / out.columns;
        const int c = i % out.columns;
        // A one-page roster centres its incomplete last row; pages keep every slot in place, so
        // the next page's tiles sit where the customer is already looking.
        const int inRow =
            out.Paged() ? out.columns : std::min(out.columns, onPage - r * out.columns);
        const float rowX = x0 + static_cast<float>(out.columns - inRow) * (tileW + f.gap) * 0.5f;
        const Rect tile{rowX + static_cast<float>(c) * (tileW + f.gap),
                        y0 + static_cast<float>(r) * (tileH + f.gap), tileW, tileH};
        out.tiles.push_back(tile);
        out.avatars.push_back(Rect{tile.x + pad, tile.y + pad, disc, disc});
        const float nameX = tile.x + pad * 2 + disc;
        out.names.push_back(Rect{nameX, tile.y, tile.Right() - pad - nameX, tileH});
    }
    if (out.Paged()) {
        out.prev = Rect{f.margin, barY, pageButtonW, barH};
        out.next = Rect{p.width - f.margin - pageButtonW, barY, pageButtonW, barH};
        out.pageLabel =
            Rect{f.margin, barY - f.gap * 0.25f - labelH, p.width - 2 * f.margin, labelH};
    }
    return out;
}

int RepPickerPageOf(const LayoutParams& p, int count, int index) {
    if (index < 0 || index >= count)
        return 0;
    const RepPickerLayout l = LayoutRepPicker(p, count, 0);
    return l.perPage > 0 ? index / l.perPage : 0;
}

}  // namespace fk::ui
