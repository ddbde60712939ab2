#include <algorithm>
#include <cmath>
#include <string>

#include "ui/FacePainter.h"
#include "ui/ManagerLayout.h"
#include "ui/ManagerStrings.h"
#include "ui/ManagerView.h"

namespace fk::ui {

namespace {

constexpr ImU32 kBackground = IM_COL32(246, 244, 239, 255);
constexpr ImU32 kPanel = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kRowAlt = IM_COL32(250, 249, 246, 255);
constexpr ImU32 kInk = IM_COL32(31, 35, 40, 255);
constexpr ImU32 kSoftInk = IM_COL32(92, 98, 106, 255);
constexpr ImU32 kFaintInk = IM_COL32(150, 155, 162, 255);
constexpr ImU32 kBorder = IM_COL32(200, 204, 210, 255);
constexpr ImU32 kAccent = IM_COL32(47, 62, 78, 255);
constexpr ImU32 kOnAccent = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kPressed = IM_COL32(205, 220, 236, 255);
constexpr ImU32 kSelectedRow = IM_COL32(226, 236, 246, 255);
constexpr ImU32 kWarnBackground = IM_COL32(253, 233, 214, 255);
constexpr ImU32 kWarnInk = IM_COL32(140, 52, 0, 255);
constexpr ImU32 kTrack = IM_COL32(228, 230, 233, 255);
// Okabe-Ito blue and sky blue: the sure part and the uncertain part of a satisfaction share.
constexpr ImU32 kSure = IM_COL32(0, 114, 178, 255);
constexpr ImU32 kUnsure = IM_COL32(86, 180, 233, 255);

ImVec2 V(float x, float y) { return ImVec2(x, y); }

std::string Percent(double v) { return std::to_string(std::lround(v)) + "%"; }
std::string Int(std::int64_t v) { return std::to_string(v); }

core::CivilDate AddDays(core::CivilDate d, std::int64_t days) {
    return core::CivilFromDays(core::DaysFromCivil(d) + days);
}

std::string_view TabId(ManagerTab tab) {
    switch (tab) {
        case ManagerTab::Reps: return "reps";
        case ManagerTab::Store: return "store";
        case ManagerTab::Sync: return "sync";
        case ManagerTab::Roster: return "roster";
        case ManagerTab::Export: return "export";
    }
    return "reps";
}

struct Input {
    ImVec2 mouse;
    ImVec2 press;
    bool down = false;
    bool released = false;
    bool dragged = false;  // moved further than a tap allows since the press
    float wheel = 0;
    float deltaY = 0;
};

Input ReadInput(float dpi) {
    const ImGuiIO& io = ImGui::GetIO();
    Input in;
    in.mouse = io.MousePos;
    in.press = io.MouseClickedPos[0];
    in.down = io.MouseDown[0];
    in.released = io.MouseReleased[0];
    const float slop = MmToPx(3, dpi);
    in.dragged = io.MouseDragMaxDistanceSqr[0] > slop * slop;
    in.wheel = io.MouseWheel;
    in.deltaY = io.MouseDelta.y;
    return in;
}

enum class Align { Left, Center, Right };

// One frame's drawing state: the view, the painter, the output, input.
struct Ctx {
    const ManagerView& v;
    TextPainter& text;
    ManagerFrameOutput& out;
    ImDrawList* dl;
    Input in;
    ManagerMetrics m;
    Rect clip;  // targets outside it are not tappable (scrolled away)

    std::string T(std::string_view key, const std::vector<std::pair<std::string_view, std::string>>& values = {}) const {
        return ManagerText(v.strings, key, values);
    }

    // Registers a touch target; true when it was tapped this frame. Only fully visible targets
    // count: half a row under the header is not tappable until scrolled into view.
    bool Target(const std::string& id, const Rect& r) {
        if (r.y < clip.y - 0.5f || r.Bottom() > clip.Bottom() + 0.5f || r.w <= 0 || r.h <= 0) return false;
        out.layout.elements.push_back(ElementRect{id, r});
        return in.released && !in.dragged && r.Contains(in.mouse.x, in.mouse.y) && r.Contains(in.press.x, in.press.y);
    }
    bool Pressed(const Rect& r) const {
        return in.down && !in.dragged && r.Contains(in.mouse.x, in.mouse.y) && r.Contains(in.press.x, in.press.y);
    }

    // One line in box, aligned, vertically centred; shrinks (to 60 %) rather than overflow.
    void Label(const Rect& box, std::string_view s, float px, ImU32 colour, Align align = Align::Left) {
        if (s.empty() || box.w <= 0) return;
        ImVec2 size = text.Measure(s, px, v.language);
        if (size.x > box.w && size.x > 0) {
            px = std::max(px * 0.6f, px * box.w / size.x);
            size = text.Measure(s, px, v.language);
        }
        float x = box.x;
        if (align == Align::Center) x = box.CenterX() - size.x * 0.5f;
        if (align == Align::Right) x = box.Right() - size.x;
        text.Draw(dl, V(x, box.CenterY() - size.y * 0.5f), s, px, v.language, colour);
    }

    // Text wrapped at spaces into width; returns the height used.
    float Paragraph(float x, float y, float w, std::string_view s, float px, ImU32 colour) {
        const float lineH = px * 1.45f;
        float used = 0;
        std::string line;
        auto flush = [&]() {
            if (line.empty()) return;
            Label(Rect{x, y + used, w, lineH}, line, px, colour);
            used += lineH;
            line.clear();
        };
        std::size_t pos = 0;
        while (pos <= s.size()) {
            std::size_t end = s.find(' ', pos);
            if (end == std::string_view::npos) end = s.size();
            const std::string_view word = s.substr(pos, end - pos);
            if (!word.empty()) {
                std::string candidate = line.empty() ? std::string(word) : line + " " + std::string(word);
                if (!line.empty() && text.Measure(candidate, px, v.language).x > w) {
                    flush();
                    line = std::string(word);
                } else {
                    line = std::move(candidate);
                }
            }
            pos = end + 1;
        }
        flush();
        return used;
    }

    // A button: rounded box with a centred label. Returns tapped.
    bool Button(const std::string& id, const Rect& r, std::string_view label, bool selected = false) {
        const bool tapped = Target(id, r);
        const bool pressed = Pressed(r);
        const float rounding = std::min(r.h * 0.25f, 10.0f);
        const ImU32 fill = selected ? kAccent : (pressed ? kPressed : kPanel);
        dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()), fill, rounding);
        dl->AddRect(V(r.x, r.y), V(r.Right(), r.Bottom()), selected ? kAccent : kBorder, rounding, 0, 1.5f);
        DrawTextCentered(text, dl, Rect{r.x + 4, r.y, r.w - 8, r.h}, label, m.textPx, v.language,
                         selected ? kOnAccent : kInk);
        return tapped;
    }
};

// Stacked bar of ratings 1..points in the faces' colours.
void DistributionBar(ImDrawList* dl, const Rect& r, const core::RatingCounts& counts) {
    const std::int64_t total = counts.Total();
    dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()), kTrack);
    if (total <= 0) return;
    const int points = counts.scale.Points();
    float x = r.x;
    for (int rating = 1; rating <= points; ++rating) {
        const auto n = counts.byRating[static_cast<std::size_t>(rating - 1)];
        if (n <= 0) continue;
        const float w = r.w * static_cast<float>(n) / static_cast<float>(total);
        dl->AddRectFilled(V(x, r.y), V(x + w, r.Bottom()), FaceColour(FaceKindFor(rating, points)));
        x += w;
    }
}

// The lower bound drawn as a solid bar and the rest up to the measured share as a pale one: the
// pale part is what the data cannot yet vouch for.
void BoundBar(ImDrawList* dl, const Rect& r, double lowerPct, double satPct) {
    dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()), kTrack, 2.0f);
    const float lo = r.x + r.w * static_cast<float>(std::clamp(lowerPct, 0.0, 100.0) / 100.0);
    const float hi = r.x + r.w * static_cast<float>(std::clamp(satPct, 0.0, 100.0) / 100.0);
    if (hi > lo) dl->AddRectFilled(V(lo, r.y), V(hi, r.Bottom()), kUnsure);
    if (lo > r.x) dl->AddRectFilled(V(r.x, r.y), V(lo, r.Bottom()), kSure);
    dl->AddLine(V(hi, r.y - 3), V(hi, r.Bottom() + 3), kInk, 2.0f);
}

void SortArrow(ImDrawList* dl, float cx, float cy, float size, bool descending) {
    const float h = size * 0.5f;
    if (descending) {
        dl->AddTriangleFilled(V(cx - h, cy - h * 0.6f), V(cx + h, cy - h * 0.6f), V(cx, cy + h * 0.6f), kInk);
    } else {
        dl->AddTriangleFilled(V(cx - h, cy + h * 0.6f), V(cx + h, cy + h * 0.6f), V(cx, cy - h * 0.6f), kInk);
    }
}

std::string_view ColumnKey(RepTableColumn c) {
    switch (c) {
        case RepTableColumn::Rep: return "manager.col.rep";
        case RepTableColumn::Responses: return "manager.col.responses";
        case RepTableColumn::Distribution: return "manager.col.distribution";
        case RepTableColumn::Satisfaction: return "manager.col.satisfaction";
        case RepTableColumn::Score: return "manager.col.score";
        case RepTableColumn::WilsonLower: return "manager.col.wilson";
        case RepTableColumn::NotAboutRep: return "manager.col.not_about_rep";
        case RepTableColumn::AgainstRep: return "manager.col.against_rep";
        case RepTableColumn::Misuse: return "manager.col.misuse";
    }
    return "";
}

std::string RepDisplayName(const ManagerView& v, const core::DashboardRepRow& row) {
    if (!row.repId) return ManagerText(v.strings, "manager.no_rep");
    auto it = v.repNames.find(*row.repId);
    return it != v.repNames.end() && !it->second.empty() ? it->second : *row.repId;
}

std::string PeriodText(const ManagerView& v) {
    const core::Period& p = v.data.period;
    const std::string first = core::FormatIsoDate(p.firstDay);
    if (p.Days() <= 1) return ManagerText(v.strings, "manager.period_one_day", {{"first", first}});
    return ManagerText(v.strings, "manager.period_range",
                       {{"first", first}, {"last", core::FormatIsoDate(p.lastDay)}, {"days", Int(p.Days())}});
}

void DrawChrome(Ctx& c, const ManagerChromeLayout& l) {
    const ManagerView& v = c.v;
    c.clip = Rect{0, 0, 1e6f, 1e6f};
    c.Label(l.title, c.T("manager.title"), c.m.titlePx, kInk);
    if (v.autoExitInS <= 30) {
        c.Label(l.title, c.T("manager.closes_in", {{"seconds", Int(std::max<std::int64_t>(0, v.autoExitInS))}}), c.m.textPx,
                kWarnInk, Align::Right);
    }
    static constexpr std::array<std::pair<core::PeriodKind, std::string_view>, 4> kPeriods = {
        std::pair{core::PeriodKind::Today, "today"}, std::pair{core::PeriodKind::Last7Days, "7d"},
        std::pair{core::PeriodKind::Last30Days, "30d"}, std::pair{core::PeriodKind::Custom, "custom"}};
    static constexpr std::array<std::string_view, 4> kPeriodKeys = {"manager.today", "manager.last_7_days",
                                                                    "manager.last_30_days", "manager.custom"};
    for (std::size_t i = 0; i < kPeriods.size(); ++i) {
        const auto& [kind, id] = kPeriods[i];
        if (c.Button("period." + std::string(id), l.periods[i], c.T(kPeriodKeys[i]), v.periodKind == kind)) {
            c.out.actions.push_back(mact::SelectPeriod{kind});
        }
    }
    if (c.Button("manager.exit", l.exit, c.T("manager.exit"))) c.out.actions.push_back(mact::Exit{});

    if (l.custom) {
        core::CivilDate first = v.customFirst;
        core::CivilDate last = v.customLast;
        bool changed = false;
        if (c.Button("period.first.minus", l.firstMinus, "-")) {
            first = AddDays(first, -1);
            changed = true;
        }
        if (c.Button("period.first.plus", l.firstPlus, "+")) {
            first = AddDays(first, 1);
            if (last < first) last = first;
            changed = true;
        }
        if (c.Button("period.last.minus", l.lastMinus, "-")) {
            last = AddDays(last, -1);
            if (last < first) first = last;
            changed = true;
        }
        if (c.Button("period.last.plus", l.lastPlus, "+")) {
            last = AddDays(last, 1);
            changed = true;
        }
        if (changed) c.out.actions.push_back(mact::SetCustomRange{first, last});
        c.Label(l.firstLabel, core::FormatIsoDate(v.customFirst), c.m.textPx, kInk, Align::Center);
        c.Label(l.lastLabel, core::FormatIsoDate(v.customLast), c.m.textPx, kInk, Align::Center);
        c.Label(Rect{l.firstPlus.Right(), l.info.y, l.lastMinus.x - l.firstPlus.Right(), l.info.h}, "-", c.m.textPx,
                kSoftInk, Align::Center);
        if (v.periodError) {
            c.Label(l.closesIn, *v.periodError, c.m.smallPx, kWarnInk, Align::Right);
        } else {
            c.Label(l.closesIn, PeriodText(v), c.m.smallPx, kSoftInk, Align::Right);
        }
    } else {
        c.Label(l.info, PeriodText(v), c.m.textPx, kSoftInk);
    }

    if (v.alertBanner && l.banner.h > 0) {
        const Rect& b = l.banner;
        c.dl->AddRectFilled(V(b.x, b.y), V(b.Right(), b.Bottom()), kWarnBackground, 6.0f);
        c.dl->AddRectFilled(V(b.x, b.y), V(b.x + 6, b.Bottom()), IM_COL32(213, 94, 0, 255), 3.0f);
        c.Label(Rect{b.x + 18, b.y, b.w - 24, b.h}, *v.alertBanner, c.m.textPx, kWarnInk);
    }

    static constexpr std::array<ManagerTab, 5> kTabs = {ManagerTab::Reps, ManagerTab::Store, ManagerTab::Sync,
                                                        ManagerTab::Roster, ManagerTab::Export};
    for (std::size_t i = 0; i < kTabs.size(); ++i) {
        const std::string id(TabId(kTabs[i]));
        if (c.Button("tab." + id, l.tabs[i], c.T("manager.tab." + id), v.tab == kTabs[i])) {
            c.out.actions.push_back(mact::SelectTab{kTabs[i]});
        }
    }
}

// The per-rep table. Returns the rows' total height (for scrolling).
float DrawReps(Ctx& c, const Rect& content, float scrollY, std::optional<std::string>& selected) {
    const ManagerView& v = c.v;
    const RepTableLayout t = LayoutRepTable(content, c.m);
    c.clip = Rect{0, 0, 1e6f, 1e6f};
    for (int i = 0; i < kRepTableColumns; ++i) {
        const auto col = static_cast<RepTableColumn>(i);
        const auto idx = static_cast<std::size_t>(i);
        const Rect& h = t.header[idx];
        const auto key = SortKeyOf(col);
        const bool sorted = key && *key == v.sortColumn;
        bool pressed = false;
        if (key) {
            if (c.Target("sort." + std::string(SortIdOf(*key)), h)) {
                c.out.actions.push_back(mact::SortBy{*key, NextSortDescending(*key, v.sortColumn, v.sortDescending)});
            }
            pressed = c.Pressed(h);
        }
        if (sorted || pressed) c.dl->AddRectFilled(V(h.x, h.y), V(h.Right(), h.Bottom()), pressed ? kPressed : kSelectedRow, 4.0f);
        const float arrowW = sorted ? c.m.smallPx : 0.0f;
        DrawTextCentered(c.text, c.dl, Rect{h.x + 2, h.y + 2, h.w - 4 - arrowW, h.h - 4}, c.T(ColumnKey(col)),
                         c.m.smallPx, v.language, key ? kInk : kSoftInk);
        if (sorted) SortArrow(c.dl, h.Right() - arrowW * 0.6f, h.CenterY(), c.m.smallPx * 0.7f, v.sortDescending);
    }
    c.dl->AddLine(V(content.x, t.rows.y - t.rowGap * 0.5f), V(content.Right(), t.rows.y - t.rowGap * 0.5f), kBorder, 1.0f);

    const Rect& rows = t.rows;
    c.clip = rows;
    c.dl->PushClipRect(V(rows.x, rows.y), V(rows.Right(), rows.Bottom()), true);
    const float pad = c.m.unit * 0.8f;
    if (v.data.reps.empty()) {
        c.Label(Rect{rows.x, rows.y, rows.w, t.rowH}, c.T("manager.no_reps"), c.m.textPx, kSoftInk, Align::Center);
    }
    for (std::size_t i = 0; i < v.data.reps.size(); ++i) {
        const Rect r = RepRowRect(t, static_cast<int>(i), scrollY);
        if (r.Bottom() < rows.y || r.y > rows.Bottom()) continue;
        const core::DashboardRepRow& row = v.data.reps[i];
        const std::string key = row.repId ? *row.repId : std::string();
        const std::string id = row.repId ? "rep." + *row.repId : std::string("rep.none");
        if (c.Target(id, r)) {
            if (selected && *selected == key) {
                selected.reset();
            } else {
                selected = key;
            }
        }
        const bool isSelected = selected && *selected == key;
        const ImU32 bg = c.Pressed(r) ? kPressed : (isSelected ? kSelectedRow : (i % 2 ? kRowAlt : kPanel));
        c.dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()), bg);

        auto cell = [&](RepTableColumn col) {
            const auto k = static_cast<std::size_t>(col);
            return Rect{t.colX[k] + pad, r.y, t.colW[k] - 2 * pad, r.h};
        };
        c.Label(cell(RepTableColumn::Rep), RepDisplayName(v, row), c.m.textPx, row.repId ? kInk : kSoftInk);
        const auto& fair = row.summary.fair;
        c.Label(cell(RepTableColumn::Responses), Int(fair.responses), c.m.textPx, kInk, Align::Center);
        const Rect dist = cell(RepTableColumn::Distribution);
        const float barH = r.h * 0.36f;
        DistributionBar(c.dl, Rect{dist.x, r.CenterY() - barH * 0.5f, dist.w, barH}, row.tally.all);
        if (!fair.enoughData || !fair.satisfactionPct || !fair.score100 || !fair.wilsonLowerPct) {
            const Rect a = cell(RepTableColumn::Satisfaction);
            const Rect b = cell(RepTableColumn::WilsonLower);
            c.Label(Rect{a.x, r.y, b.Right() - a.x, r.h}, c.T("manager.not_enough_data", {{"min", Int(v.minResponses)}}),
                    c.m.smallPx, kFaintInk, Align::Center);
        } else {
            c.Label(cell(RepTableColumn::Satisfaction), Percent(*fair.satisfactionPct), c.m.textPx, kInk, Align::Center);
            c.Label(cell(RepTableColumn::Score), Int(std::lround(*fair.score100)), c.m.textPx, kInk, Align::Center);
            const Rect w = cell(RepTableColumn::WilsonLower);
            const float numW = c.m.textPx * 2.6f;
            const float bh = r.h * 0.3f;
            BoundBar(c.dl, Rect{w.x, r.CenterY() - bh * 0.5f, std::max(1.0f, w.w - numW - pad), bh}, *fair.wilsonLowerPct,
                     *fair.satisfactionPct);
            c.Label(Rect{w.Right() - numW, r.y, numW, r.h}, Percent(*fair.wilsonLowerPct), c.m.textPx, kInk, Align::Right);
        }
        const auto count = [&](RepTableColumn col, std::int64_t n) {
            c.Label(cell(col), Int(n), c.m.textPx, n ? kInk : kFaintInk, Align::Center);
        };
        count(RepTableColumn::NotAboutRep, row.summary.notAboutRep);
        count(RepTableColumn::AgainstRep, row.summary.againstRep);
        count(RepTableColumn::Misuse, row.summary.misuse);
    }
    c.dl->PopClipRect();
    const float pitch = t.rowH + t.rowGap;
    return static_cast<float>(v.data.reps.size()) * pitch + (rows.y - content.y);
}

}  // namespace

std::string to_string(const ManagerAction& action) {
    return std::visit(
        [](const auto& a) -> std::string {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, mact::SelectTab>) return "select_tab(" + std::string(TabId(a.tab)) + ")";
            if constexpr (std::is_same_v<A, mact::SelectPeriod>) return "select_period(" + core::to_string(a.kind) + ")";
            if constexpr (std::is_same_v<A, mact::SetCustomRange>) {
                return "set_custom_range(" + core::FormatIsoDate(a.first) + ".." + core::FormatIsoDate(a.last) + ")";
            }
            if constexpr (std::is_same_v<A, mact::SortBy>) {
                return "sort_by(" + std::string(SortIdOf(a.column)) + (a.descending ? ",desc)" : ",asc)");
            }
            if constexpr (std::is_same_v<A, mact::SignIn>) return "sign_in(" + a.repId + ")";
            if constexpr (std::is_same_v<A, mact::SignOut>) return "sign_out";
            if constexpr (std::is_same_v<A, mact::SetRepActive>) {
                return "set_rep_active(" + a.repId + (a.active ? ",true)" : ",false)");
            }
            if constexpr (std::is_same_v<A, mact::StartExport>) return "start_export(" + a.directory + ")";
            if constexpr (std::is_same_v<A, mact::Exit>) return "exit";
        },
        action);
}

ManagerFrameOutput ManagerScreens::Frame(const ManagerView& view) {
    ManagerFrameOutput out;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const LayoutParams params{display.x, display.y, view.dpi};

    ImGui::SetNextWindowPos(V(0, 0));
    ImGui::SetNextWindowSize(display);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, V(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
    ImGui::Begin("##manager", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoBackground |
                     ImGuiWindowFlags_NoScrollWithMouse);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(V(0, 0), display, kBackground);

    const ManagerChromeLayout chrome =
        LayoutManagerChrome(params, view.periodKind == core::PeriodKind::Custom, view.alertBanner.has_value());
    Ctx c{view, *m_text, out, dl, ReadInput(view.dpi), chrome.m, Rect{}};
    out.layout.screen = "manager." + std::string(TabId(view.tab));

    // Scrolling: a drag that started in the content area, or the wheel.
    const auto tab = static_cast<std::size_t>(view.tab);
    float& scrollY = m_scrollY[tab];
    if (c.in.down && c.in.dragged && chrome.content.Contains(c.in.press.x, c.in.press.y)) scrollY -= c.in.deltaY;
    if (c.in.wheel != 0 && chrome.content.Contains(c.in.mouse.x, c.in.mouse.y)) scrollY -= c.in.wheel * chrome.m.target * 2;
    scrollY = std::clamp(scrollY, 0.0f, MaxScroll(m_contentH[tab], chrome.content.h));

    DrawChrome(c, chrome);
    float contentH = 0;
    switch (view.tab) {
        case ManagerTab::Reps: contentH = DrawReps(c, chrome.content, scrollY, m_selectedRep); break;
        case ManagerTab::Store:
        case ManagerTab::Sync:
        case ManagerTab::Roster:
        case ManagerTab::Export: break;
    }
    m_contentH[tab] = contentH;
    scrollY = std::clamp(scrollY, 0.0f, MaxScroll(contentH, chrome.content.h));

    ImGui::End();
    ImGui::PopStyleVar(3);
    out.touched = c.in.down || c.in.released || c.in.wheel != 0 || !out.actions.empty();
    return out;
}

}  // namespace fk::ui
