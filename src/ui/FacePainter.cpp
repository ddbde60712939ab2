#include "ui/FacePainter.h"

#include <algorithm>
#include <cmath>

namespace fk::ui {

FaceKind FaceKindFor(int rating, int points) {
    if (points == 5)
        return static_cast<FaceKind>(std::clamp(rating, 1, 5) - 1);
    switch (std::clamp(rating, 1, 4)) {
        case 1:
            return FaceKind::VeryNegative;
        case 2:
            return FaceKind::Negative;
        case 3:
            return FaceKind::Positive;
        default:
            return FaceKind::VeryPositive;
    }
}

void FaceColourRgb(FaceKind kind, float rgb[3]) {
    static const float kPalette[5][3] = {
        {0.835f, 0.369f, 0.0f},    // vermillion #D55E00
        {0.902f, 0.624f, 0.0f},    // orange     #E69F00
        {0.941f, 0.894f, 0.259f},  // yellow     #F0E442
        {0.337f, 0.706f, 0.914f},  // sky blue   #56B4E9
        {0.0f, 0.620f, 0.451f},    // bluish green #009E73
    };
    const auto i = static_cast<std::size_t>(kind);
    rgb[0] = kPalette[i][0];
    rgb[1] = kPalette[i][1];
    rgb[2] = kPalette[i][2];
}

ImU32 FaceColour(FaceKind kind) {
    float c[3];
    FaceColourRgb(kind, c);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c[0], c[1], c[2], 1.0f));
}

namespace {

ImU32 WithAlpha(ImU32 colour, float alpha) {
    ImVec4 v = ImGui::ColorConvertU32ToFloat4(colour);
    v.w *= alpha;
    return ImGui::ColorConvertFloat4ToU32(v);
}

ImU32 Darker(ImU32 colour, float f) {
    ImVec4 v = ImGui::ColorConvertU32ToFloat4(colour);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(v.x * f, v.y * f, v.z * f, v.w));
}

}  // namespace

void DrawListFacePainter::DrawFace(ImDrawList* dl, const Rect& box, FaceKind kind,
                                   const FaceStyle& style) {
    const float r = std::min(box.w, box.h) * 0.5f * 0.96f;
    const float sx = 1.0f + 0.12f * style.squash;
    const float sy = 1.0f - 0.12f * style.squash;
    const ImVec2 c{box.CenterX(), box.CenterY() + r * (1.0f - sy)};
    auto P = [&](float x, float y) { return ImVec2(c.x + x * r * sx, c.y + y * r * sy); };
    ImU32 fill = FaceColour(kind);
    if (style.pressed)
        fill = Darker(fill, 0.8f);
    fill = WithAlpha(fill, style.alpha);
    const ImU32 ink = WithAlpha(IM_COL32(30, 30, 34, 255), style.alpha);
    const float stroke = std::max(2.0f, r * 0.075f);

    // Face disc (an ellipse when squashed: a scaled polygon).
    const int segments = 64;
    dl->PathClear();
    for (int i = 0; i < segments; ++i) {
        const float a = 6.2831853f * static_cast<float>(i) / segments;
        dl->PathLineTo(P(std::cos(a), std::sin(a)));
    }
    dl->PathFillConvex(fill);
    for (int i = 0; i < segments; ++i) {
        const float a = 6.2831853f * static_cast<float>(i) / segments;
        dl->PathLineTo(P(std::cos(a), std::sin(a)));
    }
    dl->PathStroke(ink, ImDrawFlags_Closed, stroke * 0.6f);

    // Eyes.
    const float ex = 0.34f;
    const float ey = -0.22f;
    if (kind == FaceKind::VeryPositive) {
        // Happy closed eyes: upward arcs.
        for (float side : {-1.0f, 1.0f}) {
            dl->AddBezierQuadratic(P(side * ex - 0.14f, ey + 0.06f), P(side * ex, ey - 0.14f),
                                   P(side * ex + 0.14f, ey + 0.06f), ink, stroke);
        }
    } else {
        const float er = r * 0.1f;
        for (float side : {-1.0f, 1.0f})
            dl->AddCircleFilled(P(side * ex, ey), er, ink, 20);
    }
    if (kind == FaceKind::VeryNegative) {
        // Sad brows: inner ends raised.
        for (float side : {-1.0f, 1.0f}) {
            dl->AddLine(P(side * (ex - 0.16f), ey - 0.26f), P(side * (ex + 0.16f), ey - 0.16f), ink,
                        stroke);
        }
    }

    // Mouth: curvature from a deep frown to a wide smile; the happiest face has an open mouth.
    const float my = 0.36f;
    switch (kind) {
        case FaceKind::VeryNegative:
            dl->AddBezierQuadratic(P(-0.42f, my + 0.14f), P(0.0f, my - 0.30f), P(0.42f, my + 0.14f),
                                   ink, stroke);
            break;
        case FaceKind::Negative:
            dl->AddBezierQuadratic(P(-0.36f, my + 0.06f), P(0.0f, my - 0.12f), P(0.36f, my + 0.06f),
                                   ink, stroke);
            break;
        case FaceKind::Neutral:
            dl->AddLine(P(-0.34f, my), P(0.34f, my), ink, stroke);
            break;
        case FaceKind::Positive:
            dl->AddBezierQuadratic(P(-0.38f, my - 0.06f), P(0.0f, my + 0.20f), P(0.38f, my - 0.06f),
                                   ink, stroke);
            break;
        case FaceKind::VeryPositive: {
            dl->PathClear();
            for (int i = 0; i <= 24; ++i) {
                const float a = 3.14159265f * static_cast<float>(i) / 24;
                dl->PathLineTo(P(0.46f * std::cos(a), my - 0.1f + 0.36f * std::sin(a)));
            }
            dl->PathFillConvex(ink);
            break;
        }
    }
}

}  // namespace fk::ui
