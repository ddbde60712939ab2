#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ui/Layout.h"

using namespace fk::ui;

namespace {

void CheckTargets(const std::vector<Rect>& targets, const LayoutParams& p,
                  const std::string& what) {
    const float minPx = MmToPx(kMinTargetMm, p.dpi) - 0.01f;
    const float gapPx = MmToPx(kMinGapMm, p.dpi) - 0.01f;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const Rect& r = targets[i];
        INFO(what << " #" << i << " at " << p.width << "x" << p.height << " dpi " << p.dpi);
        CHECK(r.w >= minPx);
        CHECK(r.h >= minPx);
        CHECK(r.x >= 0);
        CHECK(r.y >= 0);
        CHECK(r.Right() <= p.width);
        CHECK(r.Bottom() <= p.height);
        for (std::size_t j = i + 1; j < targets.size(); ++j) {
            const Rect& o = targets[j];
            CHECK_FALSE(r.Overlaps(o));
            // Gap between neighbours: horizontal or vertical separation of at least kMinGapMm.
            const float dx = std::max(o.x - r.Right(), r.x - o.Right());
            const float dy = std::max(o.y - r.Bottom(), r.y - o.Bottom());
            CHECK(std::max(dx, dy) >= gapPx);
        }
    }
}

const LayoutParams kScreens[] = {
    {1280, 800, 96},   {800, 1280, 96},  {1920, 1080, 141},
    {1080, 1920, 141}, {1024, 600, 160}, {600, 1024, 160},
};

}  // namespace

TEST_CASE(
    "rate layout: faces and language buttons are big enough, apart, inside, for 4 and 5 faces") {
    for (const auto& p : kScreens) {
        for (int points : {4, 5}) {
            const RateLayout l = LayoutRate(p, points, 5);
            REQUIRE(l.targets.size() == static_cast<std::size_t>(points));
            REQUIRE(l.languages.size() == 5);
            std::vector<Rect> all = l.targets;
            all.insert(all.end(), l.languages.begin(), l.languages.end());
            CheckTargets(all, p, "rate target");
            // Faces are ordered left to right, most negative first, on one row.
            for (std::size_t i = 1; i < l.faces.size(); ++i) {
                CHECK(l.faces[i].x > l.faces[i - 1].x);
                CHECK(l.faces[i].y == doctest::Approx(l.faces[0].y));
            }
            CHECK(l.title.Bottom() <= l.faces[0].y);
        }
    }
}

TEST_CASE(
    "rate layout with the staff button: it sits in the bottom left corner, apart from every face, "
    "language button, the accessible switch and listen, with 0 to 5 languages") {
    for (const auto& p : kScreens) {
        for (int points : {4, 5}) {
            for (int languages : {0, 2, 5}) {
                const RateLayout l = LayoutRate(p, points, languages, true, true);
                const Rect staff = LayoutStaffButton(p);
                std::vector<Rect> all = l.targets;
                all.insert(all.end(), l.languages.begin(), l.languages.end());
                all.push_back(staff);
                all.push_back(LayoutUndo(p));
                all.push_back(LayoutListen(p));
                CheckTargets(all, p, "rate target with the staff button");
                CHECK(staff.x < p.width * 0.25f);
                CHECK(staff.Bottom() > p.height * 0.75f);
            }
        }
    }
}

TEST_CASE("rate layout without language choice has no language buttons") {
    CHECK(LayoutRate({1280, 800, 96}, 4, 1).languages.empty());
    // Room for "Served by <name>": under the question, above every face.
    for (const LayoutParams& p : {LayoutParams{1280, 800, 96}, LayoutParams{800, 1280, 141},
                                  LayoutParams{1024, 600, 160}}) {
        const RateLayout with = LayoutRate(p, 5, 3, true);
        CHECK(LayoutRate(p, 5, 3).servedBy.h == 0);
        CHECK(with.servedBy.h > 0);
        CHECK(with.servedBy.y >= with.title.Bottom());
        for (const Rect& t : with.targets) {
            CHECK(t.y >= with.servedBy.Bottom());
            CHECK(t.h >= MmToPx(kMinTargetMm, p.dpi) - 0.01f);
        }
    }
}

TEST_CASE(
    "tile layout: rep and reason tiles and skip are big enough and apart, landscape and portrait") {
    for (const auto& p : kScreens) {
        for (int n : {1, 2, 3, 5, 8}) {
            const TileLayout l = LayoutTiles(p, n);
            REQUIRE(l.tiles.size() == static_cast<std::size_t>(n));
            std::vector<Rect> all = l.tiles;
            all.push_back(l.skip);
            CheckTargets(all, p, "tile");
        }
    }
}

TEST_CASE("portrait uses at most two tile columns, landscape spreads wider") {
    const TileLayout portrait = LayoutTiles({800, 1280, 96}, 6);
    const TileLayout landscape = LayoutTiles({1280, 800, 96}, 6);
    auto columns = [](const TileLayout& l) {
        std::vector<float> xs;
        for (const auto& t : l.tiles) {
            if (std::find(xs.begin(), xs.end(), t.x) == xs.end())
                xs.push_back(t.x);
        }
        return xs.size();
    };
    CHECK(columns(portrait) <= 2);
    CHECK(columns(landscape) >= 2);
}

TEST_CASE("a high-DPI screen gets physically equal targets: more pixels") {
    const RateLayout lo = LayoutRate({1024, 600, 96}, 4, 2);
    const RateLayout hi = LayoutRate({1024, 600, 300}, 4, 2);
    CHECK(hi.languages[0].h > lo.languages[0].h);
    CHECK(hi.languages[0].h >= MmToPx(kMinTargetMm, 300) - 0.01f);
}

TEST_CASE("layout equality compares ids and rounded rects") {
    ScreenLayout a{"rate", {{"rating.1", {1, 2, 3, 4}}}, {}};
    ScreenLayout b = a;
    CHECK(a == b);
    b.elements[0].rect.x = 9;
    CHECK_FALSE(a == b);
    CHECK(a.Find("rating.1"));
    CHECK_FALSE(a.Find("rating.2"));
}

TEST_CASE("help layout: two large buttons, apart, inside, under the question, on every screen") {
    for (const auto& p : kScreens) {
        const HelpLayout l = LayoutHelp(p);
        CheckTargets({l.yes, l.no}, p, "help button");
        INFO(p.width << "x" << p.height);
        // Large: at least twice the minimum target in both directions.
        const float big = 2 * MmToPx(kMinTargetMm, p.dpi);
        CHECK(l.yes.w >= big);
        CHECK(l.yes.h >= big);
        CHECK(l.no.w == doctest::Approx(l.yes.w));
        CHECK(l.no.h == doctest::Approx(l.yes.h));
        CHECK(l.title.Bottom() <= l.yes.y);
        CHECK(l.title.Bottom() <= l.no.y);
        // "Yes" first: left in landscape, above in portrait.
        if (p.Portrait())
            CHECK(l.yes.y < l.no.y);
        else
            CHECK(l.yes.x < l.no.x);
    }
}
