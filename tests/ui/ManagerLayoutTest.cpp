#include <doctest/doctest.h>

#include "core/RepStats.h"
#include "ui/ManagerLayout.h"
#include "ui/ManagerSort.h"

using namespace fk;
using namespace fk::ui;

TEST_CASE(
    "manager chrome: buttons and tabs at least 12 mm, apart, inside the window, content below "
    "them") {
    for (auto [w, h] :
         {std::pair{1280.0f, 800.0f}, std::pair{800.0f, 1280.0f}, std::pair{1024.0f, 768.0f},
          std::pair{1920.0f, 1080.0f}, std::pair{1080.0f, 1920.0f}}) {
        for (float dpi : {96.0f, 160.0f}) {
            for (bool custom : {false, true}) {
                for (bool banner : {false, true}) {
                    INFO(w << "x" << h << " dpi " << dpi << " custom " << custom << " banner "
                           << banner);
                    const auto l = LayoutManagerChrome({w, h, dpi}, custom, banner);
                    std::vector<Rect> targets(l.periods.begin(), l.periods.end());
                    targets.insert(targets.end(), l.tabs.begin(), l.tabs.end());
                    targets.push_back(l.exit);
                    if (custom) {
                        for (const Rect& r : {l.firstMinus, l.firstPlus, l.lastMinus, l.lastPlus})
                            targets.push_back(r);
                    }
                    const float min = MmToPx(kMinTargetMm, dpi) - 0.01f;
                    for (std::size_t i = 0; i < targets.size(); ++i) {
                        CHECK(targets[i].w >= min);
                        CHECK(targets[i].h >= min);
                        CHECK(targets[i].x >= 0);
                        CHECK(targets[i].Right() <= w);
                        CHECK(targets[i].Bottom() <= l.content.y);
                        for (std::size_t j = i + 1; j < targets.size(); ++j)
                            CHECK_FALSE(targets[i].Overlaps(targets[j]));
                    }
                    CHECK(l.title.w > 0);
                    CHECK_FALSE(l.title.Overlaps(l.exit));
                    CHECK_FALSE(l.title.Overlaps(l.periods[0]));
                    CHECK(l.banner.h == doctest::Approx(banner ? l.m.textPx * 2.4f : 0.0f));
                    // At least half the window is left for the tab's content.
                    CHECK(l.content.h >= h * 0.5f);
                    CHECK(l.content.Bottom() <= h);
                }
            }
        }
    }
}

TEST_CASE("rep table: nine columns fill the width, none narrower than a target, headers apart") {
    for (float w : {600.0f, 800.0f, 1280.0f, 1920.0f}) {
        for (float dpi : {96.0f, 130.0f}) {
            // Nine 12 mm columns need a screen about 120 mm wide (a 7" kiosk display has 150 mm).
            if (w / dpi * 25.4f < 120.0f)
                continue;
            INFO(w << " dpi " << dpi);
            const auto chrome = LayoutManagerChrome({w, 800, dpi}, false, false);
            const auto t = LayoutRepTable(chrome.content, chrome.m);
            const float min = MmToPx(kMinTargetMm, dpi) - 0.01f;
            for (std::size_t i = 0; i < t.header.size(); ++i) {
                CHECK(t.header[i].w >= min);
                CHECK(t.header[i].h >= min);
                if (i > 0) {
                    CHECK(t.colX[i] == doctest::Approx(t.colX[i - 1] + t.colW[i - 1]));
                    CHECK_FALSE(t.header[i].Overlaps(t.header[i - 1]));
                }
            }
            CHECK(t.colX[0] == doctest::Approx(chrome.content.x));
            CHECK(t.colX[8] + t.colW[8] <= chrome.content.Right() + 0.5f);
            CHECK(t.colX[8] + t.colW[8] >= chrome.content.Right() - 0.5f);
            CHECK(t.rows.y >= t.header[0].Bottom());
            // Rows are targets, one pitch apart, never touching.
            const Rect r0 = RepRowRect(t, 0, 0);
            const Rect r1 = RepRowRect(t, 1, 0);
            CHECK(r0.h >= min);
            CHECK_FALSE(r0.Overlaps(r1));
            CHECK(RepRowRect(t, 1, 30).y == doctest::Approx(r1.y - 30));
        }
    }
}

TEST_CASE("sorting: the same header flips, a new one starts descending except the name") {
    CHECK_FALSE(
        NextSortDescending(core::RepColumn::WilsonLower, core::RepColumn::WilsonLower, true));
    CHECK(NextSortDescending(core::RepColumn::WilsonLower, core::RepColumn::WilsonLower, false));
    CHECK(NextSortDescending(core::RepColumn::Score, core::RepColumn::WilsonLower, false));
    CHECK_FALSE(NextSortDescending(core::RepColumn::Rep, core::RepColumn::Score, true));
    CHECK(NextSortDescending(core::RepColumn::Rep, core::RepColumn::Rep, false));
    CHECK(SortIdOf(core::RepColumn::NotAboutRep) == "not_about_rep");
    CHECK_FALSE(SortKeyOf(RepTableColumn::Distribution));
    CHECK(SortKeyOf(RepTableColumn::Misuse) == core::RepColumn::Misuse);
    CHECK(MaxScroll(100, 300) == 0);
    CHECK(MaxScroll(500, 300) == 200);
}

TEST_CASE("the rep column sorts by the names shown, no rep first ascending and last descending") {
    auto row = [](std::optional<std::string> id, int positives, int total) {
        core::DashboardRepRow r;
        r.repId = std::move(id);
        r.tally.all.Add(4, positives);
        r.tally.all.Add(1, total - positives);
        r.summary = core::SummarizeRep(r.tally, 20);
        return r;
    };
    const std::map<std::string, std::string, std::less<>> names = {
        {"r1", "Zoe"}, {"r2", "Anna"}, {"r3", "Mette"}};
    std::vector<core::DashboardRepRow> rows = {row("r1", 30, 40), row(std::nullopt, 5, 10),
                                               row("r2", 10, 12), row("r3", 20, 25),
                                               row("r4", 1, 1)};  // r4: no name, shown as its id
    auto ids = [&]() {
        std::string out;
        for (const auto& r : rows)
            out += (r.repId ? *r.repId : std::string("-")) + " ";
        return out;
    };
    SortManagerRows(rows, core::RepColumn::Rep, false, names);
    CHECK(ids() == "- r2 r3 r1 r4 ");
    SortManagerRows(rows, core::RepColumn::Rep, true, names);
    CHECK(ids() == "r4 r1 r3 r2 - ");
    // Metric columns are core's: not enough data (r2: 12, r4: 1, no rep: 10) last.
    SortManagerRows(rows, core::RepColumn::Satisfaction, true, names);
    CHECK(ids() == "r3 r1 - r2 r4 ");
}
