// Signed-distance smiley faces, anti-aliased at any size. Faces differ by mouth and eyes, not
// only by colour: 0 very negative (sad brows, deep frown), 1 negative (frown), 2 neutral
// (straight mouth), 3 positive (smile), 4 very positive (happy eyes, open smile).
in vec2 v_local;
uniform int u_kind;
uniform vec3 u_fill;
uniform float u_squash;  // 0..1 tap animation: wider and flatter, bottom anchored
uniform float u_alpha;
out vec4 o_color;

const vec3 kInk = vec3(0.118, 0.118, 0.133);
const float kHalfStroke = 0.0375;

float sdSegment(vec2 p, vec2 a, vec2 b) {
    vec2 pa = p - a, ba = b - a;
    float h = clamp(dot(pa, ba) / dot(ba, ba), 0.0, 1.0);
    return length(pa - ba * h);
}

// Circular arc through (-w, ye), (0, ym), (w, ye), as a stroke.
float sdMouthArc(vec2 p, float w, float ye, float ym) {
    float cy = (ym * ym - ye * ye - w * w) / (2.0 * (ym - ye));
    float r = abs(ym - cy);
    // Inside the wedge from the centre through the two end points: distance to the circle;
    // outside it: distance to the nearer end point (round caps).
    vec2 q = p - vec2(0.0, cy);
    float side = sign(ym - cy);
    bool inWedge = q.y * side > 0.0 && abs(q.x) * abs(ye - cy) <= w * abs(q.y);
    float d = inWedge ? abs(length(q) - r) : length(vec2(abs(p.x), p.y) - vec2(w, ye));
    return d - kHalfStroke;
}

// Upper half of a ring (a closed happy eye), as a stroke.
float sdHappyEye(vec2 p, vec2 c, float r) {
    vec2 q = p - c;
    float d = q.y < 0.0 ? abs(length(q) - r) : length(vec2(abs(q.x) - r, q.y));
    return d - kHalfStroke;
}

void main() {
    float sx = 1.0 + 0.12 * u_squash;
    float sy = 1.0 - 0.12 * u_squash;
    vec2 p = vec2(v_local.x / sx, (v_local.y - (1.0 - sy)) / sy);

    float face = length(p) - 0.96;
    float ink = 1e3;
    vec2 q = vec2(abs(p.x), p.y);  // faces are symmetric
    if (u_kind == 4) {
        ink = min(ink, sdHappyEye(q, vec2(0.34, -0.16), 0.14));
        // Open smile: the lower half of an ellipse.
        vec2 e = (p - vec2(0.0, 0.26)) / vec2(0.46, 0.36);
        float ell = (length(e) - 1.0) * 0.36;
        ink = min(ink, max(ell, 0.26 - p.y));
    } else {
        ink = min(ink, length(q - vec2(0.34, -0.22)) - 0.1);
    }
    if (u_kind == 0) {
        ink = min(ink, sdSegment(q, vec2(0.18, -0.48), vec2(0.50, -0.38)) - kHalfStroke);
        ink = min(ink, sdMouthArc(p, 0.42, 0.50, 0.28));
    } else if (u_kind == 1) {
        ink = min(ink, sdMouthArc(p, 0.36, 0.42, 0.33));
    } else if (u_kind == 2) {
        ink = min(ink, sdSegment(q, vec2(0.0, 0.36), vec2(0.34, 0.36)) - kHalfStroke);
    } else if (u_kind == 3) {
        ink = min(ink, sdMouthArc(p, 0.38, 0.30, 0.43));
    }
    float outline = abs(face) - 0.0225;

    float aa = fwidth(face);
    float aFace = 1.0 - smoothstep(-aa, aa, face);
    float aInk = (1.0 - smoothstep(-aa, aa, ink)) * aFace;
    float aOutline = 1.0 - smoothstep(-aa, aa, outline);
    float alpha = max(aFace, aOutline);
    vec3 colour = mix(u_fill, kInk, max(aInk, aOutline));
    o_color = vec4(colour, alpha * u_alpha);
}
