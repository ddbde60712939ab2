#include "ui/Pictograms.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace fk::ui {

namespace {

constexpr float kPi = 3.14159265f;

// Coordinates in units of the disc's radius around its centre, like the faces' P().
struct Pen {
    ImDrawList* dl;
    ImVec2 c;
    float r;
    ImU32 ink;
    ImU32 paper;  // the disc's colour: holes and stripes cut into a filled shape
    float stroke;
    ImVec2 P(float x, float y) const { return ImVec2(c.x + x * r, c.y + y * r); }
    void Line(float x0, float y0, float x1, float y1) const {
        dl->AddLine(P(x0, y0), P(x1, y1), ink, stroke);
    }
    // A round cap at each end, so thick strokes look drawn rather than cut.
    void Cap(float x, float y) const { dl->AddCircleFilled(P(x, y), stroke * 0.5f, ink, 12); }
    void RoundLine(float x0, float y0, float x1, float y1) const {
        Line(x0, y0, x1, y1);
        Cap(x0, y0);
        Cap(x1, y1);
    }
};

void Clock(const Pen& p) {
    p.dl->AddCircle(p.c, p.r * 0.62f, p.ink, 40, p.stroke);
    // Marks at 12, 3, 6 and 9 and two hands: a clock face, readable at a glance in any language.
    for (int i = 0; i < 4; ++i) {
        const float a = kPi * 0.5f * static_cast<float>(i);
        p.Line(0.50f * std::cos(a), 0.50f * std::sin(a), 0.40f * std::cos(a), 0.40f * std::sin(a));
    }
    p.RoundLine(0, 0, 0, -0.40f);
    p.RoundLine(0, 0, 0.26f, 0.10f);
    p.dl->AddCircleFilled(p.c, p.stroke * 0.9f, p.ink, 12);
}

void Person(const Pen& p) {
    p.dl->AddCircleFilled(p.P(0, -0.26f), p.r * 0.22f, p.ink, 28);
    // Shoulders: the upper half of an ellipse, cut flat at the bottom.
    p.dl->PathClear();
    const int n = 24;
    for (int i = 0; i <= n; ++i) {
        const float a = kPi + kPi * static_cast<float>(i) / n;
        p.dl->PathLineTo(p.P(0.44f * std::cos(a), 0.52f + 0.42f * std::sin(a)));
    }
    p.dl->PathFillConvex(p.ink);
}

void EmptyShelf(const Pen& p) {
    // An open, empty carton: the body drawn in outline (nothing inside), both flaps folded out.
    p.dl->AddRect(p.P(-0.44f, -0.06f), p.P(0.44f, 0.52f), p.ink, p.r * 0.04f, 0, p.stroke);
    const std::array<ImVec2, 4> left = {p.P(-0.44f, -0.06f), p.P(-0.06f, -0.06f),
                                        p.P(-0.28f, -0.40f), p.P(-0.66f, -0.40f)};
    const std::array<ImVec2, 4> right = {p.P(0.06f, -0.06f), p.P(0.44f, -0.06f), p.P(0.66f, -0.40f),
                                         p.P(0.28f, -0.40f)};
    p.dl->AddConvexPolyFilled(left.data(), 4, p.ink);
    p.dl->AddConvexPolyFilled(right.data(), 4, p.ink);
    // The carton's dark inside seen over the front edge: it is open and there is nothing in it.
    p.dl->AddLine(p.P(-0.30f, 0.10f), p.P(0.30f, 0.10f), p.ink, std::max(1.5f, p.stroke * 0.5f));
}

void PriceTag(const Pen& p) {
    // A luggage-style tag at 45 degrees: its point to the upper left, a hole near the point.
    const std::array<ImVec2, 5> corners = {p.P(-0.56f, -0.56f), p.P(0.04f, -0.56f),
                                           p.P(0.56f, -0.04f), p.P(-0.04f, 0.56f),
                                           p.P(-0.56f, 0.04f)};
    p.dl->AddConvexPolyFilled(corners.data(), static_cast<int>(corners.size()), p.ink);
    p.dl->AddCircleFilled(p.P(-0.30f, -0.30f), p.r * 0.10f, p.paper, 16);
    // The string from the hole.
    p.dl->AddBezierQuadratic(p.P(-0.30f, -0.30f), p.P(-0.56f, -0.76f), p.P(-0.78f, -0.46f), p.ink,
                             std::max(1.5f, p.stroke * 0.5f));
    // Two stripes: a printed price without any digit a reader would need.
    p.dl->AddLine(p.P(-0.02f, 0.06f), p.P(0.22f, -0.18f), p.paper, p.stroke * 0.8f);
    p.dl->AddLine(p.P(0.10f, 0.18f), p.P(0.30f, -0.02f), p.paper, p.stroke * 0.8f);
}

// A four-pointed star (fan from the centre: the outline is star-shaped around it).
void Star(const Pen& p, float cx, float cy, float outer) {
    const float inner = outer * 0.30f;
    for (int i = 0; i < 8; ++i) {
        const float a0 = kPi * 0.25f * static_cast<float>(i) - kPi * 0.5f;
        const float a1 = a0 + kPi * 0.25f;
        const float r0 = (i % 2 == 0) ? outer : inner;
        const float r1 = (i % 2 == 0) ? inner : outer;
        p.dl->AddTriangleFilled(p.P(cx, cy), p.P(cx + r0 * std::cos(a0), cy + r0 * std::sin(a0)),
                                p.P(cx + r1 * std::cos(a1), cy + r1 * std::sin(a1)), p.ink);
    }
}

void Sparkles(const Pen& p) {
    Star(p, -0.14f, 0.10f, 0.46f);
    Star(p, 0.34f, -0.32f, 0.24f);
    Star(p, 0.38f, 0.40f, 0.14f);
}

void SpeechBubble(const Pen& p) {
    const ImVec2 a = p.P(-0.58f, -0.44f);
    const ImVec2 b = p.P(0.58f, 0.26f);
    p.dl->AddRect(a, b, p.ink, p.r * 0.2f, 0, p.stroke);
    // The tail, down to the lower left.
    p.dl->AddTriangleFilled(p.P(-0.34f, 0.22f), p.P(-0.06f, 0.22f), p.P(-0.40f, 0.56f), p.ink);
    for (float x : {-0.26f, 0.0f, 0.26f})
        p.dl->AddCircleFilled(p.P(x, -0.09f), p.r * 0.08f, p.ink, 14);
}

}  // namespace

void DrawPictogram(ImDrawList* dl, const Rect& box, core::Pictogram pictogram,
                   const PictogramColours& colours) {
    const float r = std::min(box.w, box.h) * 0.5f;
    if (r <= 1.0f)
        return;
    const ImVec2 c{box.CenterX(), box.CenterY()};
    dl->AddCircleFilled(c, r * 0.96f, colours.disc, 48);
    const Pen pen{dl, c, r, colours.ink, colours.disc, std::max(2.0f, r * 0.10f)};
    switch (pictogram) {
        case core::Pictogram::Clock:
            Clock(pen);
            break;
        case core::Pictogram::Person:
            Person(pen);
            break;
        case core::Pictogram::EmptyShelf:
            EmptyShelf(pen);
            break;
        case core::Pictogram::PriceTag:
            PriceTag(pen);
            break;
        case core::Pictogram::Sparkles:
            Sparkles(pen);
            break;
        case core::Pictogram::SpeechBubble:
            SpeechBubble(pen);
            break;
    }
}

}  // namespace fk::ui
