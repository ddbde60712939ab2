// Manager screens in a real window with the shaped-text painter: one PNG per tab (and the reps
// tab in portrait) in <build>/screenshots, for people to look at; the test checks they are not
// blank and that the rep names left ink.
#include <doctest/doctest.h>

#include "support/Skip.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include <stb_image.h>

#include "TestWindow.h"
#include "i18n/Catalog.h"
#include "platform/Screenshot.h"
#include "platform/ShapedTextPainter.h"
#include "platform/Window.h"
#include "support/Paths.h"
#include "ui/ManagerLayout.h"
#include "ui/ManagerSampleData.h"
#include "ui/ManagerStrings.h"
#include "ui/ManagerView.h"

using namespace fk;

namespace {

struct Image {
    int w = 0;
    int h = 0;
    std::vector<unsigned char> rgb;
    const unsigned char* At(int x, int y) const {
        return &rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) +
                     static_cast<std::size_t>(x)) *
                    3];
    }
};

Image Load(const std::string& path) {
    Image img;
    int n = 0;
    unsigned char* data = stbi_load(path.c_str(), &img.w, &img.h, &n, 3);
    REQUIRE_MESSAGE(data != nullptr, "cannot read " << path);
    img.rgb.assign(data,
                   data + static_cast<std::size_t>(img.w) * static_cast<std::size_t>(img.h) * 3);
    stbi_image_free(data);
    return img;
}

int DarkPixels(const Image& img, const ui::Rect& r) {
    int dark = 0;
    for (int y = std::max(0, static_cast<int>(r.y));
         y < std::min(img.h, static_cast<int>(r.Bottom())); ++y) {
        for (int x = std::max(0, static_cast<int>(r.x));
             x < std::min(img.w, static_cast<int>(r.Right())); ++x) {
            const unsigned char* p = img.At(x, y);
            if (p[0] < 140 && p[1] < 140 && p[2] < 140)
                ++dark;
        }
    }
    return dark;
}

// Draws the view for a few frames (the glyph atlas fills on the first) and saves the last one.
ui::ManagerFrameOutput Shoot(platform::Window& window, platform::ShapedTextPainter& painter,
                             ui::ManagerScreens& screens, const ui::ManagerView& view,
                             const std::string& path) {
    ui::ManagerFrameOutput out;
    for (int i = 0; i < 3; ++i) {
        window.WaitEvents(0);
        window.BeginFrame();
        out = screens.Frame(view);
        painter.EndFrame();
        window.RenderFrame();
        if (i < 2)
            window.Swap();
    }
    const platform::Size fb = window.FramebufferSize();
    REQUIRE(platform::SaveScreenshotPng(path, fb.width, fb.height).empty());
    window.Swap();
    return out;
}

void CheckNotBlank(const Image& img) {
    std::set<std::uint32_t> colours;
    for (std::size_t i = 0; i + 2 < img.rgb.size(); i += 3 * 89) {
        colours.insert(img.rgb[i] | (img.rgb[i + 1] << 8) | (img.rgb[i + 2] << 16));
    }
    CHECK(colours.size() > 12);
}

}  // namespace

TEST_CASE("manager screens render every tab with shaped names into PNGs") {
    const std::filesystem::path dir = test::BuildDir() / "screenshots";
    std::filesystem::create_directories(dir);
    for (auto [w, h] : {std::pair{1280, 800}, std::pair{800, 1280}}) {
        auto window = test::OpenTestWindow(w, h);
        if (!window)
            return;
        platform::ShapedTextPainter painter;
        ui::ManagerScreens screens(painter);
        ui::ManagerView view = ui::SampleManagerView();
        const bool portrait = h > w;
        for (ui::ManagerTab tab :
             {ui::ManagerTab::Reps, ui::ManagerTab::Store, ui::ManagerTab::Sync,
              ui::ManagerTab::Roster, ui::ManagerTab::Export, ui::ManagerTab::Calls}) {
            view.tab = tab;
            if (portrait && tab == ui::ManagerTab::Export)
                view.periodKind = core::PeriodKind::Custom;
            static constexpr const char* kNames[] = {"reps",   "store",  "sync",
                                                     "roster", "export", "calls"};
            const std::string name = kNames[static_cast<int>(tab)];
            const std::string path =
                (dir / ("manager-" + name + (portrait ? "-portrait" : "") + ".png")).string();
            const auto out = Shoot(*window, painter, screens, view, path);
            CHECK(out.layout.screen == "manager." + name);
            INFO(path);
            const Image img = Load(path);
            CHECK(img.w == window->FramebufferSize().width);
            CheckNotBlank(img);
            if (tab == ui::ManagerTab::Reps) {
                // Every visible rep row has ink in its name cell (shaped names, whatever the
                // script).
                int rows = 0;
                const auto table = ui::LayoutRepTable(
                    ui::LayoutManagerChrome(
                        {static_cast<float>(w), static_cast<float>(h), view.dpi}, false,
                        view.alertBanner.has_value())
                        .content,
                    ui::MetricsFor({static_cast<float>(w), static_cast<float>(h), view.dpi}));
                for (const auto& e : out.layout.elements) {
                    if (e.id.rfind("rep.", 0) != 0)
                        continue;
                    ++rows;
                    const ui::Rect nameCell{e.rect.x, e.rect.y, table.colW[0], e.rect.h};
                    CHECK_MESSAGE(DarkPixels(img, nameCell) > 60, e.id);
                }
                CHECK(rows >= 8);
            }
        }
    }
}

TEST_CASE("manager screens in Hindi, Nepali, Telugu and Danish draw their shaped words into PNGs") {
    auto loaded = i18n::Catalog::Load(test::SourceDir() / "kiosk-config" / "locales");
    REQUIRE(loaded.catalog);
    const std::filesystem::path dir = test::BuildDir() / "screenshots";
    std::filesystem::create_directories(dir);
    struct Shot {
        const char* lang;
        ui::ManagerTab tab;
        bool portrait;
    };
    const Shot shots[] = {
        {"hi", ui::ManagerTab::Reps, false},  {"ne", ui::ManagerTab::Sync, false},
        {"te", ui::ManagerTab::Store, false}, {"da", ui::ManagerTab::Roster, false},
        {"te", ui::ManagerTab::Calls, false}, {"hi", ui::ManagerTab::Calls, true},
        {"te", ui::ManagerTab::Reps, true}};
    for (const auto& [lang, tab, portrait] : shots) {
        auto window = test::OpenTestWindow(portrait ? 800 : 1280, portrait ? 1280 : 800);
        if (!window)
            return;
        platform::ShapedTextPainter painter;
        ui::ManagerScreens screens(painter);
        ui::ManagerView view = ui::SampleManagerView();
        view.language = lang;
        view.tab = tab;
        for (const auto& d : ui::ManagerStringDefaults()) {
            view.strings[std::string(d.key)] = std::string(loaded.catalog->Get(lang, d.key));
        }
        const std::string path = (dir / ("manager-" + std::string(lang) +
                                         (tab == ui::ManagerTab::Calls ? "-calls" : "") +
                                         (portrait ? "-portrait" : "") + ".png"))
                                     .string();
        const auto out = Shoot(*window, painter, screens, view, path);
        INFO(path);
        const Image img = Load(path);
        CheckNotBlank(img);
        // The selected tab's label is drawn (white on the accent colour) in the language's script.
        const ui::ElementRect* selected = out.layout.Find("tab." + out.layout.screen.substr(8));
        REQUIRE(selected);
        const ui::Rect& tabRect = selected->rect;
        int white = 0;
        for (int y = static_cast<int>(tabRect.y); y < static_cast<int>(tabRect.Bottom()); ++y) {
            for (int x = static_cast<int>(tabRect.x); x < static_cast<int>(tabRect.Right()); ++x) {
                const unsigned char* p = img.At(x, y);
                if (p[0] > 200 && p[1] > 200 && p[2] > 200)
                    ++white;
            }
        }
        CHECK(white > 40);
    }
}

// Issue 22: every tab, both alert banners, an export result and a refused date range in English,
// Telugu and Hindi, with the sample's reasons and call cards in the language too, so the PNGs
// show what a manager of that language reads (the server's and the system's own words, the last
// sync error and the rejection reasons, stay as they came).
TEST_CASE("manager mode in English, Telugu and Hindi: every tab, banners, export and range error") {
    auto loaded = i18n::Catalog::Load(test::SourceDir() / "kiosk-config" / "locales");
    REQUIRE(loaded.catalog);
    const i18n::Catalog& catalog = *loaded.catalog;
    const std::filesystem::path dir = test::BuildDir() / "screenshots";
    std::filesystem::create_directories(dir);
    auto window = test::OpenTestWindow(1280, 800);
    if (!window)
        return;
    platform::ShapedTextPainter painter;
    ui::ManagerScreens screens(painter);
    for (const char* lang : {"en", "te", "hi"}) {
        ui::ManagerView view = ui::SampleManagerView();
        view.language = lang;
        for (const auto& d : ui::ManagerStringDefaults())
            view.strings[std::string(d.key)] = std::string(catalog.Get(lang, d.key));
        auto reason = [&](const char* code) {
            return std::string(catalog.Get(lang, std::string("reason.label.") + code));
        };
        view.reasonLabels = {{"rude", reason("staff_attitude")},
                             {"slow_service", reason("other")},
                             {"wait_time", reason("wait_time")},
                             {"price", reason("price")},
                             {"stock", reason("product_availability")}};
        view.calls.calls[0].reasonLabel = reason("wait_time");
        view.calls.calls[1].reasonLabel = reason("price");
        view.calls.calls[1].ackedBy =
            ui::ManagerText(view.strings, "manager.calls.by", {{"kiosk", "till-1"}});
        struct Shot {
            std::string name;
            ui::ManagerTab tab;
        };
        std::vector<Shot> shots = {
            {"reps", ui::ManagerTab::Reps},     {"store", ui::ManagerTab::Store},
            {"calls", ui::ManagerTab::Calls},   {"sync", ui::ManagerTab::Sync},
            {"roster", ui::ManagerTab::Roster}, {"export", ui::ManagerTab::Export}};
        for (const auto& shot : shots) {
            view.tab = shot.tab;
            const std::string path =
                (dir / ("a11y22-" + std::string(lang) + "-" + shot.name + ".png")).string();
            const auto out = Shoot(*window, painter, screens, view, path);
            INFO(path);
            CHECK(out.layout.screen == "manager." + shot.name);
            CheckNotBlank(Load(path));
        }
        // The export's result, then a refused place.
        view.tab = ui::ManagerTab::Export;
        view.exportJob.progress = {};
        view.exportJob.progress.stage = ui::ExportStage::Written;
        view.exportJob.progress.place = "/media/usb0";
        view.exportJob.progress.repsFile = "feedback-till-1-2026-11-16_2026-11-22-reps.csv";
        view.exportJob.progress.responsesFile =
            "feedback-till-1-2026-11-16_2026-11-22-responses.csv";
        view.exportJob.progress.rows = 2941;
        Shoot(*window, painter, screens, view,
              (dir / ("a11y22-" + std::string(lang) + "-export-written.png")).string());
        view.exportJob.progress = {};
        view.exportJob.progress.stage = ui::ExportStage::PlaceRefused;
        view.exportJob.progress.placeProblem = ui::ExportPlaceProblem::Unusable;
        view.exportJob.progress.place = "/media/usb0";
        Shoot(*window, painter, screens, view,
              (dir / ("a11y22-" + std::string(lang) + "-export-refused.png")).string());
        // A custom range whose end is before its start.
        view.tab = ui::ManagerTab::Reps;
        view.periodKind = core::PeriodKind::Custom;
        view.customFirst = core::CivilDate{2026, 11, 20};
        view.customLast = core::CivilDate{2026, 11, 12};
        view.periodError = ui::PeriodErrorView{
            ui::PeriodErrorView::Kind::EndBeforeStart, view.customFirst, view.customLast, {}};
        const std::string rangePath =
            (dir / ("a11y22-" + std::string(lang) + "-range-error.png")).string();
        Shoot(*window, painter, screens, view, rangePath);
        CheckNotBlank(Load(rangePath));
    }
}
