#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ui/RepPickerLayout.h"

using namespace fk::ui;

namespace {

std::string Where(const LayoutParams& p, int count, int page) {
    return std::to_string(static_cast<int>(p.width)) + "x" +
           std::to_string(static_cast<int>(p.height)) + "@" +
           std::to_string(static_cast<int>(p.dpi)) + " reps " + std::to_string(count) + " page " +
           std::to_string(page);
}

// Every target >= 12 mm, >= 4 mm apart, inside the window, none overlapping; tiles under the
// title and above the bar. Counts failures instead of one CHECK per pair (the grid is large).
int Problems(const RepPickerLayout& l, const LayoutParams& p) {
    const float minPx = MmToPx(kMinTargetMm, p.dpi) - 0.01f;
    const float gapPx = MmToPx(kMinGapMm, p.dpi) - 0.01f;
    std::vector<Rect> targets = l.tiles;
    targets.push_back(l.skip);
    if (l.Paged()) {
        targets.push_back(l.prev);
        targets.push_back(l.next);
    }
    int bad = 0;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const Rect& r = targets[i];
        bad += r.w < minPx || r.h < minPx || r.x < 0 || r.y < 0 || r.Right() > p.width ||
               r.Bottom() > p.height;
        for (std::size_t j = i + 1; j < targets.size(); ++j) {
            const Rect& o = targets[j];
            const float dx = std::max(o.x - r.Right(), r.x - o.Right());
            const float dy = std::max(o.y - r.Bottom(), r.y - o.Bottom());
            bad += r.Overlaps(o) || std::max(dx, dy) < gapPx;
        }
    }
    for (std::size_t i = 0; i < l.tiles.size(); ++i) {
        bad += l.tiles[i].y < l.title.Bottom();
        bad += l.avatars[i].w < MmToPx(6, p.dpi);  // a face-sized disc, not a dot
        bad += l.names[i].x < l.avatars[i].Right() || l.names[i].Right() > l.tiles[i].Right();
        if (l.Paged())
            bad += l.tiles[i].Bottom() > l.pageLabel.y;
    }
    return bad;
}

}  // namespace

TEST_CASE(
    "rep picker layout grid: 1..200 reps, 800x480..3840x2160, 96..220 dpi, both "
    "orientations: no overlap, nothing off-screen, every rep on exactly one page") {
    const std::vector<std::pair<float, float>> sizes = {{800, 480},  {1024, 600},  {1280, 800},
                                                        {1366, 768}, {1920, 1080}, {2560, 1440},
                                                        {3840, 2160}};
    int layouts = 0;
    for (const auto& [w, h] : sizes) {
        for (const float dpi : {96.0f, 120.0f, 141.0f, 160.0f, 220.0f}) {
            for (const bool portrait : {false, true}) {
                const LayoutParams p{portrait ? h : w, portrait ? w : h, dpi};
                // Three 12 mm buttons, two 4 mm gaps and 6 mm margins need 56 mm across, and
                // title, a row of tiles and the bar need as much down: a 480-pixel side at
                // 220 dpi (55 mm) is a phone, not a kiosk (7-inch 800x480 panels are ~133 dpi).
                if (std::min(p.width, p.height) / dpi * 25.4f < 56.0f)
                    continue;
                for (int count = 1; count <= 200; ++count) {
                    const RepPickerLayout first = LayoutRepPicker(p, count, 0);
                    REQUIRE(first.perPage > 0);
                    REQUIRE(first.pages == (count + first.perPage - 1) / first.perPage);
                    int shown = 0;
                    for (int page = 0; page < first.pages; ++page) {
                        const RepPickerLayout l = LayoutRepPicker(p, count, page);
                        INFO(Where(p, count, page));
                        REQUIRE(l.page == page);
                        REQUIRE(l.first == shown);
                        REQUIRE(l.tiles.size() == l.avatars.size());
                        REQUIRE(l.tiles.size() == l.names.size());
                        CHECK(Problems(l, p) == 0);
                        CHECK(l.Paged() == (first.pages > 1));
                        shown += static_cast<int>(l.tiles.size());
                        ++layouts;
                    }
                    INFO(Where(p, count, 0));
                    // Every rep is shown once; the last page is reached in pages - 1 taps.
                    CHECK(shown == count);
                }
            }
        }
    }
    MESSAGE(layouts << " picker layouts checked");
}

TEST_CASE(
    "rep picker at the issue's limits: 1, 8, 32, 50 and 200 reps at 1280x800@96, "
    "1920x1080@141 and 800x1280 portrait") {
    struct Case {
        LayoutParams p;
        int count;
        int pages;  // expected
    };
    // One page while the roster fits; 32 reps no longer overlap Skip at 1920x1080@141, and 50
    // reps at 1280x800@96 go onto a second page instead of off-screen.
    const Case cases[] = {
        {{1280, 800, 96}, 1, 1},     {{1280, 800, 96}, 8, 1},    {{1280, 800, 96}, 32, 2},
        {{1280, 800, 96}, 50, 2},    {{1280, 800, 96}, 200, 8},  {{1920, 1080, 141}, 1, 1},
        {{1920, 1080, 141}, 8, 1},   {{1920, 1080, 141}, 32, 2}, {{1920, 1080, 141}, 50, 2},
        {{1920, 1080, 141}, 200, 8}, {{800, 1280, 96}, 1, 1},    {{800, 1280, 96}, 8, 1},
        {{800, 1280, 96}, 32, 2},    {{800, 1280, 96}, 50, 2},   {{800, 1280, 96}, 200, 7},
    };
    for (const auto& c : cases) {
        const RepPickerLayout l = LayoutRepPicker(c.p, c.count, 0);
        INFO(Where(c.p, c.count, 0) << ": " << l.columns << " x " << l.rows << " per page");
        CHECK(l.pages == c.pages);
        CHECK(Problems(l, c.p) == 0);
        CHECK(l.Paged() == (c.pages > 1));
        CHECK((l.prev.w > 0) == (c.pages > 1));
        CHECK((l.next.w > 0) == (c.pages > 1));
        if (c.count == 1) {
            // One rep: one large tile, centred.
            REQUIRE(l.tiles.size() == 1);
            CHECK(l.tiles[0].CenterX() == doctest::Approx(c.p.width / 2).epsilon(0.01));
        }
    }
}

TEST_CASE("rep picker pages keep every slot in place and the page of a rep is where it shows") {
    const LayoutParams p{1280, 800, 96};
    const RepPickerLayout a = LayoutRepPicker(p, 200, 0);
    const RepPickerLayout b = LayoutRepPicker(p, 200, 3);
    REQUIRE(a.tiles.size() == b.tiles.size());
    for (std::size_t i = 0; i < a.tiles.size(); ++i) {
        CHECK(a.tiles[i].x == b.tiles[i].x);
        CHECK(a.tiles[i].y == b.tiles[i].y);
    }
    // The 150th rep (index 149).
    const int page = RepPickerPageOf(p, 200, 149);
    const RepPickerLayout l = LayoutRepPicker(p, 200, page);
    CHECK(l.first <= 149);
    CHECK(149 < l.first + static_cast<int>(l.tiles.size()));
    // Out of range pages are clamped, never empty.
    CHECK(LayoutRepPicker(p, 200, 99).page == a.pages - 1);
    CHECK(LayoutRepPicker(p, 200, -1).page == 0);
    CHECK(LayoutRepPicker(p, 0, 0).tiles.empty());
    CHECK(LayoutRepPicker(p, 0, 0).skip.w > 0);
}

TEST_CASE("rep picker: a high-DPI screen fits fewer, physically equal tiles") {
    const RepPickerLayout lo = LayoutRepPicker({1920, 1080, 96}, 200, 0);
    const RepPickerLayout hi = LayoutRepPicker({1920, 1080, 220}, 200, 0);
    CHECK(hi.perPage < lo.perPage);
    CHECK(hi.tiles[0].h >= MmToPx(kMinTargetMm, 220) - 0.01f);
}
