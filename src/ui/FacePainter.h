#pragma once
// Smiley faces. Faces differ by mouth and eyes, not only by colour, and the palette is
// colour-blind safe (Okabe-Ito). FacePainter is an interface so the GL shader faces (platform)
// and the ImDrawList faces (here; the fallback and the headless renderer) are interchangeable.
// UI thread only; calls happen between ImGui::NewFrame() and ImGui::Render().

#include <imgui.h>

#include "ui/Layout.h"

namespace fk::ui {

// The five moods a face can show; a 4-point scale skips Neutral.
enum class FaceKind { VeryNegative = 0, Negative = 1, Neutral = 2, Positive = 3, VeryPositive = 4 };

// rating 1..points (1 = most negative) -> the face it shows.
FaceKind FaceKindFor(int rating, int points);
// Fill colour of a face (Okabe-Ito: vermillion, orange, yellow, sky blue, bluish green).
ImU32 FaceColour(FaceKind kind);
// The same as linear 0..1 RGB, for shaders.
void FaceColourRgb(FaceKind kind, float rgb[3]);

struct FaceStyle {
    float squash = 0;      // 0..1: tap animation (wider and flatter at 1)
    bool pressed = false;  // darker while a finger is on it
    float alpha = 1;       // dimmed faces (closed screen)
};

class FacePainter {
  public:
    virtual ~FacePainter() = default;
    // Draws the face inscribed in the square box.
    virtual void DrawFace(ImDrawList* drawList, const Rect& box, FaceKind kind,
                          const FaceStyle& style) = 0;
};

// Faces from ImDrawList primitives (circles, bezier mouths). Always works; no GL needed.
class DrawListFacePainter final : public FacePainter {
  public:
    void DrawFace(ImDrawList* drawList, const Rect& box, FaceKind kind,
                  const FaceStyle& style) override;
};

}  // namespace fk::ui
