#pragma once
// Pure layout: rectangles in window pixels for every screen, from the window size and the
// configured DPI. Landscape and portrait; every touch target at least kMinTargetMm square, gaps at
// least kMinGapMm. No ImGui calls: testable and shared by drawing and --layout-json.
// Thread-safe (pure functions).

#include <string>
#include <vector>

namespace fk::ui {

inline constexpr float kMinTargetMm = 12.0f;
inline constexpr float kMinGapMm = 4.0f;
// The top-left square that a 3 s press opens manager mode from (app::CornerHold): no customer
// target is ever placed in it.
inline constexpr float kCornerHoldMm = 15.0f;

float MmToPx(float mm, float dpi);

struct Rect {
    float x = 0;
    float y = 0;
    float w = 0;
    float h = 0;
    bool Contains(float px, float py) const {
        return px >= x && px < x + w && py >= y && py < y + h;
    }
    float CenterX() const { return x + w * 0.5f; }
    float CenterY() const { return y + h * 0.5f; }
    float Right() const { return x + w; }
    float Bottom() const { return y + h; }
    bool Overlaps(const Rect& o) const {
        return x < o.Right() && o.x < Right() && y < o.Bottom() && o.y < Bottom();
    }
};

struct ElementRect {
    std::string id;  // "rating.1", "rep.r7", "rep.skip", "reason.wait_time", "reason.skip",
                     // "lang.hi", "help.yes", "help.no", "listen", "undo", "accessible"
    Rect rect;
};

// What a screen shows, for --layout-json and tests: its name and its touch targets.
struct ScreenLayout {
    std::string screen;  // "rate", "who_helped", "reason", "help", "thank_you", "closed", "notice"
    std::vector<ElementRect> elements;
    // What the thank-you screen says about a call for help ("waiting", "confirmed",
    // "ask_at_counter"); empty otherwise. In --layout-json as "call" when set.
    std::string call;
    const ElementRect* Find(const std::string& id) const;
    friend bool operator==(const ScreenLayout& a, const ScreenLayout& b);
};

struct LayoutParams {
    float width = 1280;
    float height = 800;
    float dpi = 96;
    float scale = 1;  // the accessible mode's larger targets and text (KioskScreens)
    bool Portrait() const { return height > width; }
};

// The measures every customer screen shares, in pixels.
struct ScreenFrame {
    float unit = 0;  // 1 % of the short side
    float margin = 0;
    float gap = 0;
    float minTarget = 0;  // kMinTargetMm
};
ScreenFrame FrameFor(const LayoutParams& p);

// The "listen" button (reads the screen aloud) in the top right corner of every customer screen;
// the screens' titles keep clear of it.
Rect LayoutListen(const LayoutParams& p);
// "Change my answer" (issue 22) at the top left, right of the manager corner (kCornerHoldMm), on
// the screen right after a rating; the accessible mode's switch in the same place on Rate. The
// titles keep clear of it and of "listen".
Rect LayoutUndo(const LayoutParams& p);

struct RateLayout {
    Rect title;
    Rect servedBy;  // "Served by <name>" under the question (zero height when not asked for)
    std::vector<Rect> faces;       // the face discs' bounding squares
    std::vector<Rect> faceLabels;  // the short label under each face
    std::vector<Rect> targets;     // face + label: the touch target
    std::vector<Rect> languages;   // language buttons (empty when only one language)
    float titlePx = 0;
    float labelPx = 0;
    float buttonPx = 0;
};
// The discreet staff button (issue 18: a rep signs in or out at the till with their own code) in
// the bottom left corner of Rate, one minimum target square; the faces and language buttons
// keep clear of it when staffButton is set.
Rect LayoutStaffButton(const LayoutParams& p);
// servedByLine: room for the on-duty rep's line under the question.
RateLayout LayoutRate(const LayoutParams& p, int points, int languageCount,
                      bool servedByLine = false, bool staffButton = false);

struct TileLayout {
    Rect title;
    std::vector<Rect> tiles;
    Rect skip;
    float titlePx = 0;
    float tilePx = 0;
};
TileLayout LayoutTiles(const LayoutParams& p, int count);

// The help question: the question on top, two large buttons ("yes" first: left in landscape,
// top in portrait).
struct HelpLayout {
    Rect title;
    Rect yes;
    Rect no;
    float titlePx = 0;
    float buttonPx = 0;
};
HelpLayout LayoutHelp(const LayoutParams& p);

struct MessageLayout {
    Rect face;  // a decorative face (thank-you) or an icon area
    Rect title;
    Rect body;
    float titlePx = 0;
    float bodyPx = 0;
};
MessageLayout LayoutMessage(const LayoutParams& p);

}  // namespace fk::ui
