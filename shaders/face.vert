// Face quad: a unit square stretched over the face's box (with room for the squash), in
// ImGui's display pixels (origin top-left, y down).
in vec2 a_corner;
uniform vec4 u_rect;     // x, y, w, h of the quad in display pixels
uniform vec2 u_display;  // display size in pixels
uniform float u_extent;  // local half-extent of the quad (face radius = 1)
out vec2 v_local;        // face-local coordinates, radius 1, y down

void main() {
    vec2 px = u_rect.xy + a_corner * u_rect.zw;
    gl_Position = vec4(px.x / u_display.x * 2.0 - 1.0, 1.0 - px.y / u_display.y * 2.0, 0.0, 1.0);
    v_local = (a_corner * 2.0 - 1.0) * u_extent;
}
