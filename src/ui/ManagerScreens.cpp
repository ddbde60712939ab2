#include "ui/ManagerView.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "ui/FacePainter.h"
#include "ui/ManagerLayout.h"
#include "ui/ManagerMessages.h"
#include "ui/ManagerStrings.h"
#include "ui/ScreenWindow.h"

namespace fk::ui {

namespace {

constexpr ImU32 kBackground = IM_COL32(246, 244, 239, 255);
constexpr ImU32 kPanel = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kRowAlt = IM_COL32(250, 249, 246, 255);
constexpr ImU32 kInk = IM_COL32(31, 35, 40, 255);
constexpr ImU32 kSoftInk = IM_COL32(92, 98, 106, 255);
constexpr ImU32 kFaintInk = IM_COL32(88, 94, 102, 255);  // >= 4.5:1 on kBackground (issue 22)
constexpr ImU32 kBorder = IM_COL32(122, 128, 137, 255);  // target edges >= 3:1 (issue 22)
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

std::string Percent(double v) {
    return std::to_string(std::lround(v)) + "%";
}
std::string Int(std::int64_t v) {
    return std::to_string(v);
}

core::CivilDate AddDays(core::CivilDate d, std::int64_t days) {
    return core::CivilFromDays(core::DaysFromCivil(d) + days);
}

std::string_view TabId(ManagerTab tab) {
    switch (tab) {
        case ManagerTab::Reps:
            return "reps";
        case ManagerTab::Store:
            return "store";
        case ManagerTab::Sync:
            return "sync";
        case ManagerTab::Roster:
            return "roster";
        case ManagerTab::Export:
            return "export";
        case ManagerTab::Calls:
            return "calls";
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

    std::string T(std::string_view key,
                  const std::vector<std::pair<std::string_view, std::string>>& values = {}) const {
        return ManagerText(v.strings, key, values);
    }

    // Registers a touch target; true when it was tapped this frame. Only fully visible targets
    // count: half a row under the header is not tappable until scrolled into view.
    bool Target(const std::string& id, const Rect& r) {
        if (r.y < clip.y - 0.5f || r.Bottom() > clip.Bottom() + 0.5f || r.w <= 0 || r.h <= 0)
            return false;
        out.layout.elements.push_back(ElementRect{id, r});
        return in.released && !in.dragged && r.Contains(in.mouse.x, in.mouse.y) &&
               r.Contains(in.press.x, in.press.y);
    }
    bool Pressed(const Rect& r) const {
        return in.down && !in.dragged && r.Contains(in.mouse.x, in.mouse.y) &&
               r.Contains(in.press.x, in.press.y);
    }

    // One line in box, aligned, vertically centred; shrinks (to 60 %) rather than overflow.
    void Label(const Rect& box, std::string_view s, float px, ImU32 colour,
               Align align = Align::Left) {
        if (s.empty() || box.w <= 0)
            return;
        ImVec2 size = text.Measure(s, px, v.language);
        if (size.x > box.w && size.x > 0) {
            px = std::max(px * 0.6f, px * box.w / size.x);
            size = text.Measure(s, px, v.language);
        }
        // Still too long at 60 %: start at the left and cut at the box's edge.
        const bool clipped = size.x > box.w + 0.5f;
        float x = box.x;
        if (align == Align::Center && !clipped)
            x = box.CenterX() - size.x * 0.5f;
        if (align == Align::Right && !clipped)
            x = box.Right() - size.x;
        if (clipped)
            dl->PushClipRect(V(box.x, box.y - size.y), V(box.Right(), box.Bottom() + size.y), true);
        text.Draw(dl, V(x, box.CenterY() - size.y * 0.5f), s, px, v.language, colour);
        if (clipped)
            dl->PopClipRect();
    }

    // Text wrapped into width (TextPainter::WrapLines); returns the height used (draw false: only
    // measures).
    float Paragraph(float x, float y, float w, std::string_view s, float px, ImU32 colour,
                    bool draw = true) {
        const float lineH = px * 1.45f;
        float used = 0;
        for (const std::string& line : text.WrapLines(s, px, v.language, w)) {
            if (draw)
                Label(Rect{x, y + used, w, lineH}, line, px, colour);
            used += lineH;
        }
        return used;
    }

    // A button: rounded box with a centred label. Returns tapped.
    bool Button(const std::string& id, const Rect& r, std::string_view label,
                bool selected = false) {
        const bool tapped = Target(id, r);
        const bool pressed = Pressed(r);
        const float rounding = std::min(r.h * 0.25f, 10.0f);
        const ImU32 fill = selected ? kAccent : (pressed ? kPressed : kPanel);
        dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()), fill, rounding);
        dl->AddRect(V(r.x, r.y), V(r.Right(), r.Bottom()), selected ? kAccent : kBorder, rounding,
                    0, 1.5f);
        DrawTextCentered(text, dl, Rect{r.x + 4, r.y, r.w - 8, r.h}, label, m.textPx, v.language,
                         selected ? kOnAccent : kInk);
        return tapped;
    }

    // A square button with a drawn minus or plus (no font needed).
    bool StepButton(const std::string& id, const Rect& r, bool plus) {
        const bool tapped = Button(id, r, "");
        const float half = std::min(r.w, r.h) * 0.22f;
        const float t = std::max(2.0f, half * 0.28f);
        dl->AddRectFilled(V(r.CenterX() - half, r.CenterY() - t * 0.5f),
                          V(r.CenterX() + half, r.CenterY() + t * 0.5f), kInk);
        if (plus) {
            dl->AddRectFilled(V(r.CenterX() - t * 0.5f, r.CenterY() - half),
                              V(r.CenterX() + t * 0.5f, r.CenterY() + half), kInk);
        }
        return tapped;
    }
};

// Stacked bar of ratings 1..points in the faces' colours.
void DistributionBar(ImDrawList* dl, const Rect& r, const core::RatingCounts& counts) {
    const std::int64_t total = counts.Total();
    dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()), kTrack);
    if (total <= 0)
        return;
    const int points = counts.scale.Points();
    float x = r.x;
    for (int rating = 1; rating <= points; ++rating) {
        const auto n = counts.byRating[static_cast<std::size_t>(rating - 1)];
        if (n <= 0)
            continue;
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
    if (hi > lo)
        dl->AddRectFilled(V(lo, r.y), V(hi, r.Bottom()), kUnsure);
    if (lo > r.x)
        dl->AddRectFilled(V(r.x, r.y), V(lo, r.Bottom()), kSure);
    dl->AddLine(V(hi, r.y - 3), V(hi, r.Bottom() + 3), kInk, 2.0f);
}

void SortArrow(ImDrawList* dl, float cx, float cy, float size, bool descending) {
    const float h = size * 0.5f;
    if (descending) {
        dl->AddTriangleFilled(V(cx - h, cy - h * 0.6f), V(cx + h, cy - h * 0.6f),
                              V(cx, cy + h * 0.6f), kInk);
    } else {
        dl->AddTriangleFilled(V(cx - h, cy + h * 0.6f), V(cx + h, cy + h * 0.6f),
                              V(cx, cy - h * 0.6f), kInk);
    }
}

std::string_view ColumnKey(RepTableColumn c) {
    switch (c) {
        case RepTableColumn::Rep:
            return "manager.col.rep";
        case RepTableColumn::Responses:
            return "manager.col.responses";
        case RepTableColumn::Distribution:
            return "manager.col.distribution";
        case RepTableColumn::Satisfaction:
            return "manager.col.satisfaction";
        case RepTableColumn::Score:
            return "manager.col.score";
        case RepTableColumn::WilsonLower:
            return "manager.col.wilson";
        case RepTableColumn::NotAboutRep:
            return "manager.col.not_about_rep";
        case RepTableColumn::AgainstRep:
            return "manager.col.against_rep";
        case RepTableColumn::Misuse:
            return "manager.col.misuse";
    }
    return "";
}

std::string RepDisplayName(const ManagerView& v, const core::DashboardRepRow& row) {
    if (!row.repId)
        return ManagerText(v.strings, "manager.table.no_rep");
    auto it = v.repNames.find(*row.repId);
    return it != v.repNames.end() && !it->second.empty() ? it->second : *row.repId;
}

std::string PeriodText(const ManagerView& v) {
    const core::Period& p = v.data.period;
    const std::string first = core::FormatIsoDate(p.firstDay);
    if (p.Days() <= 1)
        return first;
    return ManagerText(
        v.strings, "manager.period.range",
        {{"first", first}, {"last", core::FormatIsoDate(p.lastDay)}, {"days", Int(p.Days())}});
}

void DrawChrome(Ctx& c, const ManagerChromeLayout& l) {
    const ManagerView& v = c.v;
    c.clip = Rect{0, 0, 1e6f, 1e6f};
    const std::string title = c.T("manager.title");
    c.Label(l.title, title, c.m.titlePx, kInk);
    if (v.autoExitInS <= 30) {
        // Right of the title, never over it.
        const float titleW = std::min(l.title.w, c.text.Measure(title, c.m.titlePx, v.language).x);
        const float gap = c.m.gap * 2;
        c.Label(Rect{l.title.x + titleW + gap, l.title.y, std::max(0.0f, l.title.w - titleW - gap),
                     l.title.h},
                c.T("manager.screen.closes_in",
                    {{"seconds", Int(std::max<std::int64_t>(0, v.autoExitInS))}}),
                c.m.textPx, kWarnInk, Align::Right);
    }
    static constexpr std::array<std::pair<core::PeriodKind, std::string_view>, 4> kPeriods = {
        std::pair{core::PeriodKind::Today, "today"}, std::pair{core::PeriodKind::Last7Days, "7d"},
        std::pair{core::PeriodKind::Last30Days, "30d"},
        std::pair{core::PeriodKind::Custom, "custom"}};
    static constexpr std::array<std::string_view, 4> kPeriodKeys = {
        "manager.today", "manager.last_7_days", "manager.last_30_days", "manager.period.custom"};
    for (std::size_t i = 0; i < kPeriods.size(); ++i) {
        const auto& [kind, id] = kPeriods[i];
        if (c.Button("period." + std::string(id), l.periods[i], c.T(kPeriodKeys[i]),
                     v.periodKind == kind)) {
            c.out.actions.push_back(mact::SelectPeriod{kind});
        }
    }
    if (c.Button("manager.exit", l.exit, c.T("manager.exit")))
        c.out.actions.push_back(mact::Exit{});

    if (l.custom) {
        core::CivilDate first = v.customFirst;
        core::CivilDate last = v.customLast;
        bool changed = false;
        if (c.StepButton("period.first.minus", l.firstMinus, false)) {
            first = AddDays(first, -1);
            changed = true;
        }
        if (c.StepButton("period.first.plus", l.firstPlus, true)) {
            first = AddDays(first, 1);
            if (last < first)
                last = first;
            changed = true;
        }
        if (c.StepButton("period.last.minus", l.lastMinus, false)) {
            last = AddDays(last, -1);
            if (last < first)
                first = last;
            changed = true;
        }
        if (c.StepButton("period.last.plus", l.lastPlus, true)) {
            last = AddDays(last, 1);
            changed = true;
        }
        if (changed)
            c.out.actions.push_back(mact::SetCustomRange{first, last});
        c.Label(l.firstLabel, core::FormatIsoDate(v.customFirst), c.m.textPx, kInk, Align::Center);
        c.Label(l.lastLabel, core::FormatIsoDate(v.customLast), c.m.textPx, kInk, Align::Center);
        const float dashX = (l.firstPlus.Right() + l.lastMinus.x) * 0.5f;
        c.dl->AddLine(V(dashX - c.m.textPx * 0.35f, l.info.CenterY()),
                      V(dashX + c.m.textPx * 0.35f, l.info.CenterY()), kSoftInk, 2.0f);
        if (v.periodError) {
            c.Label(l.closesIn, PeriodErrorText(v.strings, *v.periodError), c.m.smallPx, kWarnInk,
                    Align::Right);
        } else {
            c.Label(l.closesIn, PeriodText(v), c.m.smallPx, kSoftInk, Align::Right);
        }
    } else {
        c.Label(l.info, PeriodText(v), c.m.textPx, kSoftInk);
    }

    if ((v.alertBanner || v.storeAlertBanner) && l.banner.h > 0) {
        const Rect& b = l.banner;
        c.dl->AddRectFilled(V(b.x, b.y), V(b.Right(), b.Bottom()), kWarnBackground, 6.0f);
        c.dl->AddRectFilled(V(b.x, b.y), V(b.x + 6, b.Bottom()), IM_COL32(213, 94, 0, 255), 3.0f);
        std::vector<std::string> lines;
        if (v.alertBanner)
            lines.push_back(
                c.T("manager.alert.banner", {{"negative", Int(v.alertBanner->negative)},
                                             {"responses", Int(v.alertBanner->responses)},
                                             {"minutes", Int(v.alertBanner->minutes)}}));
        if (v.storeAlertBanner)
            lines.push_back(c.T("manager.alert.store_banner",
                                {{"negative", Int(v.storeAlertBanner->negative)},
                                 {"responses", Int(v.storeAlertBanner->responses)},
                                 {"minutes", Int(v.storeAlertBanner->minutes)},
                                 {"age", FormatAge(v.strings, v.storeAlertBanner->ageS)}}));
        // Both alerts: a line each, smaller, in the one banner.
        const float lineH = b.h / static_cast<float>(lines.size());
        const float px = lines.size() > 1 ? c.m.smallPx : c.m.textPx;
        for (std::size_t i = 0; i < lines.size(); ++i)
            c.Label(Rect{b.x + 18, b.y + lineH * static_cast<float>(i), b.w - 24, lineH}, lines[i],
                    px, kWarnInk);
    }

    static constexpr std::array<ManagerTab, kManagerTabCount> kTabs = {
        ManagerTab::Reps, ManagerTab::Store,  ManagerTab::Calls,
        ManagerTab::Sync, ManagerTab::Roster, ManagerTab::Export};
    for (std::size_t i = 0; i < kTabs.size(); ++i) {
        const std::string id(TabId(kTabs[i]));
        if (c.Button("tab." + id, l.tabs[i], c.T("manager.tab." + id), v.tab == kTabs[i])) {
            c.out.actions.push_back(mact::SelectTab{kTabs[i]});
        }
    }
}

// The per-rep table. Returns the rows' total height (for scrolling).
// What the numbers of one rep mean, in a sentence: the strip under the table when a row is tapped.
std::string RepDetail(const ManagerView& v, const core::DashboardRepRow& row) {
    const auto& s = row.summary;
    const std::string name = RepDisplayName(v, row);
    if (!s.fair.enoughData || !s.fair.wilsonLowerPct || !s.fair.satisfactionPct) {
        return name + ": " + Int(s.fair.responses) + " - " +
               ManagerText(v.strings, "manager.table.not_enough_data",
                           {{"min", Int(v.minResponses)}});
    }
    return name + ": " +
           ManagerText(v.strings, "manager.table.rep_detail",
                       {{"all", Int(s.raw.responses)},
                        {"removed", Int(s.notAboutRep)},
                        {"lower", Int(std::lround(*s.fair.wilsonLowerPct))},
                        {"sat", Int(std::lround(*s.fair.satisfactionPct))},
                        {"n", Int(s.fair.responses)}});
}

float DrawReps(Ctx& c, const Rect& fullContent, float scrollY,
               std::optional<std::string>& selected) {
    const ManagerView& v = c.v;
    const core::DashboardRepRow* selectedRow = nullptr;
    for (const auto& row : v.data.reps) {
        if (selected && *selected == (row.repId ? *row.repId : std::string()))
            selectedRow = &row;
    }
    if (!selectedRow)
        selected.reset();
    Rect content = fullContent;
    if (!v.data.reps.empty()) {
        // Under the table: what the tapped rep's numbers mean, or how to read the bars.
        const std::string text =
            selectedRow ? RepDetail(v, *selectedRow) : c.T("manager.table.hint");
        const float px = selectedRow ? c.m.textPx : c.m.smallPx;
        const float swatch = selectedRow ? 0.0f : c.m.smallPx * 1.2f;
        const float indent = 12 + (swatch > 0 ? 2 * swatch + 12 : 0.0f);
        const float w = content.w - indent - 12;
        const float h = c.Paragraph(0, 0, w, text, px, kInk, false) + 2 * c.m.gap;
        content.h -= h + c.m.gap;
        const Rect strip{content.x, content.Bottom() + c.m.gap, content.w, h};
        c.dl->AddRectFilled(V(strip.x, strip.y), V(strip.Right(), strip.Bottom()),
                            selectedRow ? kSelectedRow : kPanel, 6.0f);
        if (swatch > 0) {
            const float sy = strip.CenterY() - swatch * 0.35f;
            c.dl->AddRectFilled(V(strip.x + 12, sy), V(strip.x + 12 + swatch, sy + swatch * 0.7f),
                                kSure);
            c.dl->AddRectFilled(V(strip.x + 12 + swatch, sy),
                                V(strip.x + 12 + 2 * swatch, sy + swatch * 0.7f), kUnsure);
        }
        c.Paragraph(strip.x + indent, strip.y + c.m.gap, w, text, px,
                    selectedRow ? kInk : kSoftInk);
    }
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
                c.out.actions.push_back(
                    mact::SortBy{*key, NextSortDescending(*key, v.sortColumn, v.sortDescending)});
            }
            pressed = c.Pressed(h);
        }
        if (sorted || pressed)
            c.dl->AddRectFilled(V(h.x, h.y), V(h.Right(), h.Bottom()),
                                pressed ? kPressed : kSelectedRow, 4.0f);
        const float arrowW = sorted ? c.m.smallPx : 0.0f;
        DrawTextCentered(c.text, c.dl, Rect{h.x + 2, h.y + 2, h.w - 4 - arrowW, h.h - 4},
                         c.T(ColumnKey(col)), c.m.smallPx, v.language, key ? kInk : kSoftInk);
        if (sorted)
            SortArrow(c.dl, h.Right() - arrowW * 0.6f, h.CenterY(), c.m.smallPx * 0.7f,
                      v.sortDescending);
    }
    c.dl->AddLine(V(content.x, t.rows.y - t.rowGap * 0.5f),
                  V(content.Right(), t.rows.y - t.rowGap * 0.5f), kBorder, 1.0f);

    const Rect& rows = t.rows;
    c.clip = rows;
    c.dl->PushClipRect(V(rows.x, rows.y), V(rows.Right(), rows.Bottom()), true);
    const float pad = c.m.unit * 0.8f;
    if (v.data.reps.empty()) {
        c.Label(Rect{rows.x, rows.y, rows.w, t.rowH}, c.T("manager.table.no_reps"), c.m.textPx,
                kSoftInk, Align::Center);
    }
    for (std::size_t i = 0; i < v.data.reps.size(); ++i) {
        const Rect r = RepRowRect(t, static_cast<int>(i), scrollY);
        if (r.Bottom() < rows.y || r.y > rows.Bottom())
            continue;
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
        const ImU32 bg =
            c.Pressed(r) ? kPressed : (isSelected ? kSelectedRow : (i % 2 ? kRowAlt : kPanel));
        c.dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()), bg);

        auto cell = [&](RepTableColumn col) {
            const auto k = static_cast<std::size_t>(col);
            return Rect{t.colX[k] + pad, r.y, t.colW[k] - 2 * pad, r.h};
        };
        c.Label(cell(RepTableColumn::Rep), RepDisplayName(v, row), c.m.textPx,
                row.repId ? kInk : kSoftInk);
        const auto& fair = row.summary.fair;
        c.Label(cell(RepTableColumn::Responses), Int(fair.responses), c.m.textPx, kInk,
                Align::Center);
        const Rect dist = cell(RepTableColumn::Distribution);
        const float barH = r.h * 0.36f;
        DistributionBar(c.dl, Rect{dist.x, r.CenterY() - barH * 0.5f, dist.w, barH}, row.tally.all);
        if (!fair.enoughData || !fair.satisfactionPct || !fair.score100 || !fair.wilsonLowerPct) {
            const Rect a = cell(RepTableColumn::Satisfaction);
            const Rect b = cell(RepTableColumn::WilsonLower);
            c.Label(Rect{a.x, r.y, b.Right() - a.x, r.h},
                    c.T("manager.table.not_enough_data", {{"min", Int(v.minResponses)}}),
                    c.m.smallPx, kFaintInk, Align::Center);
        } else {
            c.Label(cell(RepTableColumn::Satisfaction), Percent(*fair.satisfactionPct), c.m.textPx,
                    kInk, Align::Center);
            c.Label(cell(RepTableColumn::Score), Int(std::lround(*fair.score100)), c.m.textPx, kInk,
                    Align::Center);
            const Rect w = cell(RepTableColumn::WilsonLower);
            const float numW = c.m.textPx * 2.6f;
            const float bh = r.h * 0.3f;
            BoundBar(c.dl, Rect{w.x, r.CenterY() - bh * 0.5f, std::max(1.0f, w.w - numW - pad), bh},
                     *fair.wilsonLowerPct, *fair.satisfactionPct);
            c.Label(Rect{w.Right() - numW, r.y, numW, r.h}, Percent(*fair.wilsonLowerPct),
                    c.m.textPx, kInk, Align::Right);
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
    // In the full content's terms (the detail strip takes from the view, not from the rows).
    return static_cast<float>(v.data.reps.size()) * pitch + (rows.y - content.y) +
           (fullContent.h - content.h);
}

// Colour of a 0..100 score: orange (low) through light grey to blue (high), an order that reads
// without red-green vision.
ImU32 ScoreColour(double score) {
    const float t = static_cast<float>(std::clamp(score, 0.0, 100.0) / 100.0);
    auto mix = [](float a, float b, float f) {
        return static_cast<int>(std::lround(a + (b - a) * f));
    };
    if (t < 0.5f) {
        const float f = t / 0.5f;
        return IM_COL32(mix(230, 236, f), mix(159, 236, f), mix(0, 236, f), 255);
    }
    const float f = (t - 0.5f) / 0.5f;
    return IM_COL32(mix(236, 0, f), mix(236, 114, f), mix(236, 178, f), 255);
}

ImU32 VolumeColour(double share) {
    const float f = static_cast<float>(std::clamp(share, 0.0, 1.0));
    auto mix = [](float a, float b, float g) {
        return static_cast<int>(std::lround(a + (b - a) * g));
    };
    return IM_COL32(mix(238, 20, f), mix(240, 60, f), mix(244, 110, f), 255);
}

// A section heading; returns the height used.
float Heading(Ctx& c, float x, float y, float w, std::string_view s) {
    const float h = c.m.textPx * 1.9f;
    c.Label(Rect{x, y, w, h}, s, c.m.textPx * 1.1f, kAccent);
    return h;
}

using TotalCards = std::vector<std::pair<std::string_view, std::string>>;

// The four figures of one view (every response, or rep-adjusted) as cards.
TotalCards SummaryCards(const core::RatingSummary& s) {
    return {{"manager.store.responses", Int(s.responses)},
            {"manager.store.satisfaction", s.satisfactionPct ? Percent(*s.satisfactionPct) : "-"},
            {"manager.store.score", s.score100 ? Int(std::lround(*s.score100)) : "-"},
            {"manager.store.wilson", s.wilsonLowerPct ? Percent(*s.wilsonLowerPct) : "-"}};
}

float DrawCards(Ctx& c, float x, float y, float w, const TotalCards& cards) {
    const int perRow = w > 900 ? 6 : 3;
    const float gap = c.m.gap;
    const float cardW = (w - gap * static_cast<float>(perRow - 1)) / static_cast<float>(perRow);
    const float cardH = c.m.titlePx * 1.4f + c.m.smallPx * 1.8f;
    for (std::size_t i = 0; i < cards.size(); ++i) {
        const float cx = x + static_cast<float>(static_cast<int>(i) % perRow) * (cardW + gap);
        const float cy = y + static_cast<float>(static_cast<int>(i) / perRow) * (cardH + gap);
        c.dl->AddRectFilled(V(cx, cy), V(cx + cardW, cy + cardH), kPanel, 6.0f);
        c.dl->AddRect(V(cx, cy), V(cx + cardW, cy + cardH), kBorder, 6.0f);
        c.Label(Rect{cx + 8, cy + 4, cardW - 16, c.m.titlePx * 1.4f}, cards[i].second, c.m.titlePx,
                kInk, Align::Center);
        c.Label(Rect{cx + 8, cy + c.m.titlePx * 1.4f, cardW - 16, c.m.smallPx * 1.6f},
                c.T(cards[i].first), c.m.smallPx, kSoftInk, Align::Center);
    }
    const int rowsOfCards = (static_cast<int>(cards.size()) + perRow - 1) / perRow;
    return static_cast<float>(rowsOfCards) * (cardH + gap);
}

// Every response (as the trend counts them), then the rep-adjusted view, each under its name.
float DrawTotals(Ctx& c, float x, float y, float w) {
    const auto& t = c.v.data.total.summary;
    TotalCards all = SummaryCards(t.raw);
    all.emplace_back("manager.store.not_about_rep", Int(t.notAboutRep));
    all.emplace_back("manager.store.misuse", Int(t.misuse));
    const float top = y;
    y += Heading(c, x, y, w, c.T("manager.store.totals"));
    y += DrawCards(c, x, y, w, all);
    y += Heading(c, x, y, w, c.T("manager.store.totals_adjusted"));
    y += DrawCards(c, x, y, w, SummaryCards(t.fair));
    return y - top;
}

// Satisfied % per day: filled points joined where days are consecutive and have enough data;
// days below the minimum are hollow at their raw share; volume as faint bars along the bottom.
float DrawTrend(Ctx& c, float x, float y, float w, float h) {
    const auto& trend = c.v.data.trend;
    const float axisW = c.m.smallPx * 2.6f;
    const float labelH = c.m.smallPx * 1.6f;
    const Rect plot{x + axisW, y + c.m.smallPx * 0.6f, w - axisW - c.m.smallPx,
                    h - labelH - c.m.smallPx * 0.6f};
    c.dl->AddRectFilled(V(plot.x, plot.y), V(plot.Right(), plot.Bottom()), kPanel);
    for (int pct : {0, 50, 100}) {
        const float gy = plot.Bottom() - plot.h * static_cast<float>(pct) / 100.0f;
        c.dl->AddLine(V(plot.x, gy), V(plot.Right(), gy), kTrack, 1.0f);
        c.Label(Rect{x, gy - c.m.smallPx, axisW - 6, c.m.smallPx * 2}, Int(pct), c.m.smallPx,
                kSoftInk, Align::Right);
    }
    if (trend.empty())
        return h;
    const auto n = static_cast<float>(trend.size());
    const float step = plot.w / n;
    std::int64_t maxCount = 1;
    for (const auto& d : trend)
        maxCount = std::max(maxCount, d.counts.Total());
    const int labelEvery = std::max(1, static_cast<int>(std::ceil(c.m.smallPx * 4.0f / step)));
    std::optional<ImVec2> prev;
    const float r = std::clamp(step * 0.3f, 2.5f, c.m.unit * 0.9f);
    for (std::size_t i = 0; i < trend.size(); ++i) {
        const auto& d = trend[i];
        const float cx = plot.x + step * (static_cast<float>(i) + 0.5f);
        const std::int64_t count = d.counts.Total();
        const float barH =
            plot.h * 0.22f * static_cast<float>(count) / static_cast<float>(maxCount);
        c.dl->AddRectFilled(V(cx - step * 0.35f, plot.Bottom() - barH),
                            V(cx + step * 0.35f, plot.Bottom()), IM_COL32(222, 226, 232, 255));
        if (static_cast<int>(i) % labelEvery == 0 || i + 1 == trend.size()) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "%02d-%02d", d.day.month, d.day.day);
            c.Label(Rect{cx - step * 2, plot.Bottom() + 2, step * 4, labelH}, buf, c.m.smallPx,
                    kSoftInk, Align::Center);
        }
        if (d.summary.enoughData && d.summary.satisfactionPct) {
            const ImVec2 p(
                cx,
                plot.Bottom() - plot.h * static_cast<float>(*d.summary.satisfactionPct) / 100.0f);
            if (prev)
                c.dl->AddLine(*prev, p, kSure, 2.5f);
            c.dl->AddCircleFilled(p, r, kSure);
            prev = p;
        } else {
            prev.reset();
            if (count > 0) {
                const double share =
                    100.0 * static_cast<double>(d.counts.Count(core::Sentiment::Positive)) /
                    static_cast<double>(count);
                const ImVec2 p(cx, plot.Bottom() - plot.h * static_cast<float>(share) / 100.0f);
                c.dl->AddCircleFilled(p, r, kPanel);
                c.dl->AddCircle(p, r, kSure, 0, 1.5f);
            }
        }
    }
    return h;
}

// An hour x weekday grid; score or volume. Returns the height used.
float DrawHeatmap(Ctx& c, float x, float y, float w, bool score) {
    const auto& heat = c.v.data.heatmap;
    const float labelW = c.m.smallPx * 2.6f;
    const float cellW = (w - labelW) / 24.0f;
    const float cellH = std::clamp(cellW * 1.1f, c.m.smallPx * 1.2f, c.m.smallPx * 2.0f);
    const float headH = c.m.smallPx * 1.5f;
    std::int64_t maxCount = 1;
    for (const auto& row : heat) {
        for (const auto& cell : row)
            maxCount = std::max(maxCount, cell.counts.Total());
    }
    for (int hour = 0; hour < 24; hour += 3) {
        c.Label(Rect{x + labelW + cellW * static_cast<float>(hour), y, cellW * 3, headH}, Int(hour),
                c.m.smallPx, kSoftInk);
    }
    for (std::size_t day = 0; day < 7; ++day) {
        const float ry = y + headH + static_cast<float>(day) * cellH;
        c.Label(Rect{x, ry, labelW - 4, cellH}, c.T("manager.day." + std::to_string(day + 1)),
                c.m.smallPx, kSoftInk);
        for (std::size_t hour = 0; hour < 24; ++hour) {
            const auto& cell = heat[day][hour];
            const float cx = x + labelW + cellW * static_cast<float>(hour);
            const ImVec2 a(cx + 1, ry + 1);
            const ImVec2 b(cx + cellW - 1, ry + cellH - 1);
            const std::int64_t count = cell.counts.Total();
            if (count == 0) {
                c.dl->AddRectFilled(a, b, IM_COL32(238, 238, 236, 255));
            } else if (!score) {
                c.dl->AddRectFilled(
                    a, b, VolumeColour(static_cast<double>(count) / static_cast<double>(maxCount)));
            } else if (cell.score100) {
                c.dl->AddRectFilled(a, b, ScoreColour(*cell.score100));
            } else {
                // Some ratings but too few for a score: an outline, no colour.
                c.dl->AddRect(a, b, kFaintInk, 0, 0, 1.0f);
            }
        }
    }
    float used = headH + 7 * cellH;
    if (score) {
        // Legend: the colour scale, and the outline for cells with too few ratings for a score.
        const float ly = y + used + c.m.smallPx * 0.4f;
        const float lh = c.m.smallPx * 0.8f;
        const float lw = std::min(w * 0.4f, 24 * cellW);
        const float lx = x + labelW;
        c.Label(Rect{x, ly - lh * 0.3f, labelW - 4, lh * 1.6f}, "0", c.m.smallPx, kSoftInk,
                Align::Right);
        for (int i = 0; i < 20; ++i) {
            const float x0 = lx + lw * static_cast<float>(i) / 20.0f;
            c.dl->AddRectFilled(V(x0, ly), V(x0 + lw / 20.0f + 0.5f, ly + lh),
                                ScoreColour(100.0 * (i + 0.5) / 20.0));
        }
        c.Label(Rect{lx + lw + 4, ly - lh * 0.3f, c.m.smallPx * 2.5f, lh * 1.6f}, "100",
                c.m.smallPx, kSoftInk);
        const float bx = lx + lw + c.m.smallPx * 3.5f;
        c.dl->AddRect(V(bx, ly), V(bx + lh, ly + lh), kFaintInk, 0, 0, 1.0f);
        c.Label(Rect{bx + lh + 6, ly - lh * 0.3f, x + w - bx - lh - 6, lh * 1.6f},
                c.T("manager.table.not_enough_data", {{"min", Int(c.v.heatmapMinResponses)}}),
                c.m.smallPx, kSoftInk);
        used += lh + c.m.smallPx * 0.8f;
    }
    return used;
}

float DrawReasons(Ctx& c, float x, float y, float w) {
    const auto& reasons = c.v.data.reasons;
    const float rowH = c.m.textPx * 1.8f;
    if (reasons.empty()) {
        c.Label(Rect{x, y, w, rowH}, c.T("manager.store.no_reasons"), c.m.textPx, kSoftInk);
        return rowH;
    }
    std::int64_t maxCount = 1;
    for (const auto& r : reasons)
        maxCount = std::max(maxCount, r.count);
    const float labelW = w * 0.3f;
    const float tagW = w * 0.25f;
    const float numW = c.m.textPx * 3;
    const float barW = w - labelW - tagW - numW - 3 * c.m.gap;
    float yy = y;
    for (const auto& r : reasons) {
        auto it = c.v.reasonLabels.find(r.code);
        const std::string label = it != c.v.reasonLabels.end() ? it->second : r.code;
        c.Label(Rect{x, yy, labelW, rowH}, label, c.m.textPx, kInk);
        const float bx = x + labelW + c.m.gap;
        const float bw = barW * static_cast<float>(r.count) / static_cast<float>(maxCount);
        const ImU32 colour =
            !r.known ? kFaintInk : (r.attributableToRep ? IM_COL32(213, 94, 0, 255) : kUnsure);
        c.dl->AddRectFilled(V(bx, yy + rowH * 0.25f), V(bx + std::max(2.0f, bw), yy + rowH * 0.75f),
                            colour, 3.0f);
        c.Label(Rect{bx + barW + c.m.gap, yy, numW, rowH}, Int(r.count), c.m.textPx, kInk,
                Align::Right);
        const std::string_view tag = !r.known
                                         ? "manager.reason.unknown"
                                         : (r.attributableToRep ? "manager.reason.about_rep"
                                                                : "manager.reason.not_about_rep");
        c.Label(Rect{x + w - tagW, yy, tagW, rowH}, c.T(tag), c.m.smallPx,
                r.attributableToRep ? kWarnInk : kSoftInk);
        yy += rowH;
    }
    return yy - y;
}

// A tab's scrolled page from its opening to its end: drawing clipped to `content`, only targets
// inside it tappable, the pen at the top less the scroll, `inset` in from each side. The clip is
// popped when the page goes out of scope.
struct ScrollPage {
    ScrollPage(Ctx& ctx, const Rect& content, float scrollY, float inset = 0.0f)
        : c(ctx), x(content.x + inset), w(content.w - 2 * inset), y(content.y - scrollY), top(y) {
        c.dl->PushClipRect(V(content.x, content.y), V(content.Right(), content.Bottom()), true);
        c.clip = content;
    }
    ~ScrollPage() { c.dl->PopClipRect(); }
    ScrollPage(const ScrollPage&) = delete;
    ScrollPage& operator=(const ScrollPage&) = delete;

    // The page's height so far: the tab's content height when it ends.
    float Height() const { return y - top; }
    // Writes a paragraph across the page and leaves `gapAfter` below it.
    auto Noter(float gapAfter) {
        return [this, gapAfter](const std::string& text, ImU32 colour) {
            y += c.Paragraph(x, y, w, text, c.m.textPx, colour) + gapAfter;
        };
    }

    Ctx& c;
    const float x;
    const float w;
    float y;
    const float top;
};

float DrawStore(Ctx& c, const Rect& content, float scrollY) {
    ScrollPage page(c, content, scrollY);
    const float x = page.x;
    const float w = page.w;
    float& y = page.y;
    y += DrawTotals(c, x, y, w) + c.m.gap;
    const float headH = Heading(c, x, y, w * 0.5f, c.T("manager.store.trend"));
    c.Label(Rect{x + w * 0.5f, y, w * 0.5f, headH},
            c.T("manager.store.trend_note", {{"min", Int(c.v.minResponses)}}), c.m.smallPx,
            kSoftInk, Align::Right);
    y += headH;
    y +=
        DrawTrend(c, x, y, w, std::clamp(content.h * 0.42f, c.m.target * 3.0f, c.m.target * 6.0f)) +
        c.m.gap;
    const bool sideBySide = w > 900;
    const float hw = sideBySide ? (w - 2 * c.m.gap) * 0.5f : w;
    y += Heading(c, x, y, hw, c.T("manager.store.heat_score"));
    float used = DrawHeatmap(c, x, y, hw, true);
    if (sideBySide) {
        const float x2 = x + hw + 2 * c.m.gap;
        Heading(c, x2, y - c.m.textPx * 1.9f, hw, c.T("manager.store.heat_volume"));
        used = std::max(used, DrawHeatmap(c, x2, y, hw, false));
        y += used + c.m.gap;
    } else {
        y += used + c.m.gap;
        y += Heading(c, x, y, w, c.T("manager.store.heat_volume"));
        y += DrawHeatmap(c, x, y, w, false) + c.m.gap;
    }
    y += Heading(c, x, y, w, c.T("manager.store.reasons"));
    y += DrawReasons(c, x, y, w) + c.m.gap;
    return page.Height();
}

float DrawSync(Ctx& c, const Rect& content, float scrollY) {
    const SyncHealthView& s = c.v.sync;
    ScrollPage page(c, content, scrollY, c.m.gap);
    const float x = page.x;
    const float w = page.w;
    float& y = page.y;
    auto line = page.Noter(c.m.gap * 0.5f);
    if (!s.configured) {
        line(c.T("manager.sync.not_configured"), kInk);
        return page.Height();
    }
    if (s.tlsVerificationOff) {
        const std::string warn = c.T("manager.sync.tls_off");
        const float hgt =
            c.Paragraph(x + 12, y, w - 12, warn, c.m.textPx, kWarnInk, false) + c.m.gap * 2;
        c.dl->AddRectFilled(V(content.x, y), V(content.Right(), y + hgt), kWarnBackground, 6.0f);
        c.dl->AddRectFilled(V(content.x, y), V(content.x + 6, y + hgt), IM_COL32(213, 94, 0, 255),
                            3.0f);
        c.Paragraph(x + 12, y + c.m.gap, w - 12, warn, c.m.textPx, kWarnInk);
        y += hgt + c.m.gap;
    }
    for (const std::string& text : SyncStateLines(c.v.strings, s))
        line(text, kInk);
    line(c.T("manager.sync.pending", {{"count", Int(s.pending)}}), kInk);
    if (s.oldestPendingAgeS)
        line(c.T("manager.sync.oldest", {{"age", FormatAge(c.v.strings, *s.oldestPendingAgeS)}}),
             kInk);
    line(s.lastSuccessAgeS ? c.T("manager.sync.last_success",
                                 {{"age", FormatAge(c.v.strings, *s.lastSuccessAgeS)}})
                           : c.T("manager.sync.never"),
         kInk);
    if (s.lastError.empty()) {
        line(c.T("manager.sync.ok"), kSoftInk);
    } else {
        line(c.T("manager.sync.last_error", {{"error", s.lastError}}), kWarnInk);
    }
    line(s.serverAckedSeq ? c.T("manager.sync.acked", {{"seq", Int(*s.serverAckedSeq)}})
                          : c.T("manager.sync.acked_unknown"),
         kInk);
    line(s.surveyVersion ? c.T("manager.sync.survey_version", {{"version", Int(*s.surveyVersion)}})
                         : c.T("manager.sync.survey_local"),
         kInk);
    if (s.surveyStale)
        line(c.T("manager.sync.survey_stale"), kWarnInk);
    if (!s.rejected.empty()) {
        y += c.m.gap;
        y += Heading(c, content.x, y, content.w,
                     c.T("manager.sync.rejected",
                         {{"count", Int(static_cast<std::int64_t>(s.rejected.size()))}}));
        for (const auto& r : s.rejected) {
            const float seqW = c.m.textPx * 5;
            c.Label(Rect{x, y, seqW, c.m.textPx * 1.45f}, "#" + Int(r.seq), c.m.textPx, kInk);
            c.Label(Rect{x + seqW, y, w - seqW, c.m.textPx * 1.45f}, r.id, c.m.smallPx, kSoftInk);
            y += c.m.textPx * 1.45f;
            y += c.Paragraph(x + seqW, y, w - seqW, r.reason, c.m.textPx, kInk) + c.m.gap;
        }
    }
    return page.Height();
}

float DrawRoster(Ctx& c, const Rect& content, float scrollY) {
    const RosterView& r = c.v.roster;
    ScrollPage page(c, content, scrollY);
    const float x = page.x;
    const float w = page.w;
    float& y = page.y;
    auto note = page.Noter(c.m.gap);
    auto nameOf = [&](const std::string& id) {
        for (const auto& e : r.reps) {
            if (e.id == id)
                return e.name;
        }
        auto it = c.v.repNames.find(id);
        return it != c.v.repNames.end() ? it->second : id;
    };
    if (r.mode == RosterMode::Off) {
        note(c.T("manager.roster.off"), kSoftInk);
        return page.Height();
    }
    if (r.mode == RosterMode::OnDuty) {
        note(r.signedInRep ? c.T("manager.roster.signed_in", {{"name", nameOf(*r.signedInRep)}})
                           : c.T("manager.roster.nobody"),
             kInk);
    } else {
        note(r.fromServer ? c.T("manager.roster.from_server") : c.T("manager.roster.local"),
             kSoftInk);
    }
    if (r.reps.empty())
        note(c.T("manager.roster.empty"), kSoftInk);
    const int columns = w > 900 ? 2 : 1;
    const float colGap = 3 * c.m.gap;
    const float colW = (w - colGap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    const float rowH = c.m.target;
    const float buttonW = std::max(c.m.target * 2.2f, colW * 0.3f);
    for (std::size_t i = 0; i < r.reps.size(); ++i) {
        const auto& e = r.reps[i];
        const float cx = x + static_cast<float>(static_cast<int>(i) % columns) * (colW + colGap);
        const float cy = y + static_cast<float>(static_cast<int>(i) / columns) * (rowH + c.m.gap);
        const Rect row{cx, cy, colW, rowH};
        const Rect button{row.Right() - buttonW, cy, buttonW, rowH};
        const bool signedIn = r.signedInRep && *r.signedInRep == e.id;
        c.dl->AddRectFilled(V(row.x, row.y), V(row.Right(), row.Bottom()),
                            signedIn ? kSelectedRow : kPanel, 6.0f);
        c.Label(Rect{cx + 10, cy, colW - buttonW - 20, rowH}, e.name, c.m.textPx,
                e.active || r.mode == RosterMode::OnDuty ? kInk : kFaintInk);
        if (r.mode == RosterMode::OnDuty) {
            if (signedIn) {
                if (c.Button("roster.signout", button, c.T("manager.roster.sign_out"), true))
                    c.out.actions.push_back(mact::SignOut{});
            } else if (c.Button("roster.signin." + e.id, button, c.T("manager.roster.sign_in"))) {
                c.out.actions.push_back(mact::SignIn{e.id});
            }
        } else if (c.Button("roster.active." + e.id, button,
                            c.T(e.active ? "manager.roster.active" : "manager.roster.inactive"),
                            e.active)) {
            c.out.actions.push_back(mact::SetRepActive{e.id, !e.active});
        }
    }
    const int rows = (static_cast<int>(r.reps.size()) + columns - 1) / columns;
    y += static_cast<float>(rows) * (rowH + c.m.gap);
    return page.Height();
}

float DrawExport(Ctx& c, const Rect& content, float scrollY) {
    const ExportView& e = c.v.exportJob;
    ScrollPage page(c, content, scrollY);
    const float x = page.x;
    const float w = page.w;
    float& y = page.y;
    y += c.Paragraph(x, y, w, c.T("manager.export.intro", {{"period", PeriodText(c.v)}}),
                     c.m.textPx, kInk) +
         c.m.gap;
    if (e.directories.empty()) {
        y += c.Paragraph(x, y, w, c.T("manager.export.none"), c.m.textPx, kSoftInk) + c.m.gap;
    }
    const float bw = std::min(w, std::max(c.m.target * 6, w * 0.6f));
    for (std::size_t i = 0; i < e.directories.size(); ++i) {
        const Rect r{x, y, bw, c.m.target};
        if (e.progress.Running()) {
            // No second export while one runs: drawn, not tappable.
            c.dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()), kTrack, 8.0f);
            DrawTextCentered(c.text, c.dl, r, e.directories[i], c.m.textPx, c.v.language,
                             kFaintInk);
        } else if (c.Button("export.dir." + std::to_string(i), r, e.directories[i])) {
            c.out.actions.push_back(mact::StartExport{e.directories[i]});
        }
        y += c.m.target + c.m.gap;
    }
    y += c.m.gap;
    const std::string status = ExportStatusText(c.v.strings, e.progress);
    if (e.progress.Running()) {
        const float barH = c.m.textPx * 1.2f;
        const float f = static_cast<float>(std::clamp(e.progress.fraction, 0.0, 1.0));
        c.dl->AddRectFilled(V(x, y), V(x + bw, y + barH), kTrack, 4.0f);
        c.dl->AddRectFilled(V(x, y), V(x + bw * f, y + barH), kSure, 4.0f);
        c.Label(Rect{x + bw + c.m.gap, y, w - bw - c.m.gap, barH}, Percent(100.0 * f), c.m.textPx,
                kInk);
        y += barH + c.m.gap;
        y += c.Paragraph(x, y, w, status, c.m.textPx, kInk);
    } else if (!status.empty()) {
        y += c.Paragraph(x, y, w, status, c.m.textPx,
                         e.progress.FailedOrRefused() ? kWarnInk : kInk);
    }
    return page.Height();
}

// The store's open help calls: one card per call, newest first, with "I'm going" and the four
// ways to close it.
float DrawCalls(Ctx& c, const Rect& content, float scrollY) {
    const CallsView& calls = c.v.calls;
    ScrollPage page(c, content, scrollY);
    const float x = page.x;
    const float w = page.w;
    float& y = page.y;
    auto note = page.Noter(c.m.gap);
    if (!calls.configured) {
        note(c.T("manager.calls.not_configured"), kSoftInk);
        return page.Height();
    }
    const float refreshW = std::max(c.m.target * 3, w * 0.22f);
    if (c.Button("calls.refresh", Rect{content.Right() - refreshW, y, refreshW, c.m.target},
                 c.T("manager.calls.refresh"))) {
        c.out.actions.push_back(mact::RefreshCalls{});
    }
    std::string state =
        calls.busy ? c.T("manager.calls.loading")
        : calls.listedAgeS
            ? c.T("manager.calls.listed", {{"age", FormatAge(c.v.strings, *calls.listedAgeS)}})
            : std::string();
    c.Label(Rect{x, y, w - refreshW - c.m.gap, c.m.target}, state, c.m.textPx, kSoftInk);
    y += c.m.target + c.m.gap;
    if (!calls.error.empty())
        note(c.T("manager.calls.error", {{"error", calls.error}}), kWarnInk);
    if (calls.report) {
        const core::CallSummary& r = *calls.report;
        auto age = [&c](const std::optional<double>& s) {
            return s ? FormatAge(c.v.strings, static_cast<std::int64_t>(std::lround(*s)))
                     : std::string("–");
        };
        note(r.calls == 0 ? c.T("manager.calls.report_none", {{"period", PeriodText(c.v)}})
                          : c.T("manager.calls.report", {{"period", PeriodText(c.v)},
                                                         {"calls", Int(r.calls)},
                                                         {"acknowledged", Int(r.acknowledged)},
                                                         {"p50", age(r.ackP50S)},
                                                         {"p90", age(r.ackP90S)},
                                                         {"helped", Int(r.helped)},
                                                         {"closed", Int(r.closed)},
                                                         {"overdue", Int(r.overdue)}}),
             kInk);
    }
    if (calls.calls.empty() && calls.listedAgeS)
        note(c.T("manager.calls.none"), kSoftInk);

    static constexpr std::array<std::string_view, 4> kOutcomes = {"helped", "refund_or_replacement",
                                                                  "customer_left", "other"};
    for (const CallRowView& call : calls.calls) {
        std::vector<std::pair<std::string, ImU32>> lines;
        lines.emplace_back(
            c.T(call.thisKiosk ? "manager.calls.summary_here" : "manager.calls.summary",
                {{"rating", Int(call.rating)},
                 {"scale", Int(call.scale)},
                 {"kiosk", call.kiosk},
                 {"age", FormatAge(c.v.strings, call.waitingS)}}),
            kInk);
        if (!call.repName.empty())
            lines.emplace_back(c.T("manager.calls.rep", {{"name", call.repName}}), kInk);
        if (!call.reasonLabel.empty())
            lines.emplace_back(c.T("manager.calls.reason", {{"reason", call.reasonLabel}}), kInk);
        if (call.repeats > 0) {
            lines.emplace_back(c.T("manager.calls.repeats", {{"count", Int(call.repeats)}}),
                               kSoftInk);
        }
        if (call.late)
            lines.emplace_back(c.T("manager.calls.late"), kSoftInk);
        if (call.overdue)
            lines.emplace_back(c.T("manager.calls.overdue"), kWarnInk);
        lines.emplace_back(call.acknowledged
                               ? c.T("manager.calls.acknowledged", {{"name", call.ackedBy}})
                               : c.T("manager.calls.open"),
                           call.acknowledged ? kInk : kWarnInk);
        const float pad = c.m.gap;
        float textH = 0;
        for (const auto& [text, colour] : lines)
            textH += c.Paragraph(x + pad + 6, 0, w - 2 * pad - 6, text, c.m.textPx, colour, false);
        const int buttonsPerRow = w > c.m.target * 14 ? 5 : 2;
        const int buttons = call.acknowledged ? 4 : 5;
        const int buttonRows = (buttons + buttonsPerRow - 1) / buttonsPerRow;
        const float cardH =
            pad + textH + pad + static_cast<float>(buttonRows) * (c.m.target + c.m.gap) + pad;
        const ImU32 edge = call.acknowledged ? kSure : IM_COL32(213, 94, 0, 255);
        c.dl->AddRectFilled(V(x, y), V(x + w, y + cardH), kPanel, 8.0f);
        c.dl->AddRectFilled(V(x, y), V(x + 6, y + cardH), edge, 3.0f);
        float ty = y + pad;
        for (const auto& [text, colour] : lines)
            ty += c.Paragraph(x + pad + 6, ty, w - 2 * pad - 6, text, c.m.textPx, colour);
        ty += pad;
        const float bx = x + pad + 6;
        const float bw = (w - 2 * pad - 6 - static_cast<float>(buttonsPerRow - 1) * c.m.gap) /
                         static_cast<float>(buttonsPerRow);
        int index = 0;
        auto place = [&] {
            const int col = index % buttonsPerRow;
            const int row = index / buttonsPerRow;
            ++index;
            return Rect{bx + static_cast<float>(col) * (bw + c.m.gap),
                        ty + static_cast<float>(row) * (c.m.target + c.m.gap), bw, c.m.target};
        };
        if (!call.acknowledged &&
            c.Button("call.ack." + call.id, place(), c.T("manager.calls.ack"), true)) {
            c.out.actions.push_back(mact::AcknowledgeCall{call.id});
        }
        for (std::string_view outcome : kOutcomes) {
            const std::string key = "manager.calls.close." + std::string(outcome);
            if (c.Button("call.close." + call.id + "." + std::string(outcome), place(), c.T(key)))
                c.out.actions.push_back(mact::CloseCall{call.id, std::string(outcome)});
        }
        y += cardH + c.m.gap;
    }
    return page.Height();
}

}  // namespace

std::string to_string(const ManagerAction& action) {
    return std::visit(
        [](const auto& a) -> std::string {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, mact::SelectTab>)
                return "select_tab(" + std::string(TabId(a.tab)) + ")";
            if constexpr (std::is_same_v<A, mact::SelectPeriod>)
                return "select_period(" + core::to_string(a.kind) + ")";
            if constexpr (std::is_same_v<A, mact::SetCustomRange>) {
                return "set_custom_range(" + core::FormatIsoDate(a.first) + ".." +
                       core::FormatIsoDate(a.last) + ")";
            }
            if constexpr (std::is_same_v<A, mact::SortBy>) {
                return "sort_by(" + std::string(SortIdOf(a.column)) +
                       (a.descending ? ",desc)" : ",asc)");
            }
            if constexpr (std::is_same_v<A, mact::SignIn>)
                return "sign_in(" + a.repId + ")";
            if constexpr (std::is_same_v<A, mact::SignOut>)
                return "sign_out";
            if constexpr (std::is_same_v<A, mact::SetRepActive>) {
                return "set_rep_active(" + a.repId + (a.active ? ",true)" : ",false)");
            }
            if constexpr (std::is_same_v<A, mact::StartExport>)
                return "start_export(" + a.directory + ")";
            if constexpr (std::is_same_v<A, mact::RefreshCalls>)
                return "refresh_calls";
            if constexpr (std::is_same_v<A, mact::AcknowledgeCall>)
                return "acknowledge_call(" + a.id + ")";
            if constexpr (std::is_same_v<A, mact::CloseCall>)
                return "close_call(" + a.id + "," + a.outcome + ")";
            if constexpr (std::is_same_v<A, mact::Exit>)
                return "exit";
        },
        action);
}

ManagerFrameOutput ManagerScreens::Frame(const ManagerView& view) {
    ManagerFrameOutput out;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const LayoutParams params{display.x, display.y, view.dpi};

    BeginScreenWindow("##manager",
                      ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(V(0, 0), display, kBackground);

    const ManagerChromeLayout chrome =
        LayoutManagerChrome(params, view.periodKind == core::PeriodKind::Custom,
                            view.alertBanner.has_value() || view.storeAlertBanner.has_value());
    Ctx c{view, *m_text, out, dl, ReadInput(view.dpi), chrome.m, Rect{}};
    out.layout.screen = "manager." + std::string(TabId(view.tab));

    // Scrolling: a drag that started in the content area, or the wheel.
    const auto tab = static_cast<std::size_t>(view.tab);
    float& scrollY = m_scrollY[tab];
    if (c.in.down && c.in.dragged && chrome.content.Contains(c.in.press.x, c.in.press.y))
        scrollY -= c.in.deltaY;
    if (c.in.wheel != 0 && chrome.content.Contains(c.in.mouse.x, c.in.mouse.y))
        scrollY -= c.in.wheel * chrome.m.target * 2;
    scrollY = std::clamp(scrollY, 0.0f, MaxScroll(m_contentH[tab], chrome.content.h));

    DrawChrome(c, chrome);
    float contentH = 0;
    switch (view.tab) {
        case ManagerTab::Reps:
            contentH = DrawReps(c, chrome.content, scrollY, m_selectedRep);
            break;
        case ManagerTab::Store:
            contentH = DrawStore(c, chrome.content, scrollY);
            break;
        case ManagerTab::Sync:
            contentH = DrawSync(c, chrome.content, scrollY);
            break;
        case ManagerTab::Roster:
            contentH = DrawRoster(c, chrome.content, scrollY);
            break;
        case ManagerTab::Export:
            contentH = DrawExport(c, chrome.content, scrollY);
            break;
        case ManagerTab::Calls:
            contentH = DrawCalls(c, chrome.content, scrollY);
            break;
    }
    m_contentH[tab] = contentH;
    scrollY = std::clamp(scrollY, 0.0f, MaxScroll(contentH, chrome.content.h));
    // A thin bar at the right edge says there is more below (or above).
    if (contentH > chrome.content.h + 1) {
        const Rect& r = chrome.content;
        const float trackX = r.Right() + chrome.m.margin * 0.5f - 2;
        const float thumbH = std::max(chrome.m.target * 0.5f, r.h * r.h / contentH);
        const float thumbY = r.y + (r.h - thumbH) * scrollY / std::max(1.0f, contentH - r.h);
        dl->AddRectFilled(V(trackX - 2, thumbY), V(trackX + 2, thumbY + thumbH),
                          IM_COL32(120, 126, 134, 160), 2.0f);
    }

    EndScreenWindow();
    out.touched = c.in.down || c.in.released || c.in.wheel != 0 || !out.actions.empty();
    return out;
}

}  // namespace fk::ui
