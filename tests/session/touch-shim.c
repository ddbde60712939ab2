// An LD_PRELOAD shim for cage 0.1.4 (wlroots 0.15) in the session test: cage has no virtual
// input protocol, so this adds a touch device and a pointer device to cage's headless backend
// with wlroots' public wlr_headless_add_input_device, and drives them from lines written to the
// FIFO named by FK_TOUCH_FIFO (coordinates 0..1 of the output layout):
//   tap X Y      touch down and up at X,Y (one frame each)
//   down X Y / up
//   pointer X Y  absolute pointer motion to X,Y
// The events go through cage's own seat code to Xwayland and the kiosk, as a touchscreen's would.
// It resolves wlroots at run time (no link to it) and removes itself from LD_PRELOAD so cage's
// children (Xwayland, the kiosk) never load it. Test-only; never installed.
#define _GNU_SOURCE
#define WLR_USE_UNSTABLE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <wayland-server-core.h>
#include <wlr/backend.h>
#include <wlr/backend/headless.h>
#include <wlr/backend/multi.h>
#include <wlr/types/wlr_input_device.h>
#include <wlr/types/wlr_pointer.h>
#include <wlr/types/wlr_touch.h>

static struct wl_display* g_display;
static struct wlr_backend* g_headless;
static struct wlr_input_device* g_touch;
static struct wlr_input_device* g_pointer;
static int g_depth;
static int g_done;
static char g_buf[4096];
static size_t g_len;

__attribute__((constructor)) static void shim_init(void) {
    // cage's children inherit its environment: they must not load this. Processes before cage
    // (env, setpriv) pass it on.
    if (dlsym(RTLD_NEXT, "wlr_backend_start"))
        unsetenv("LD_PRELOAD");
}

static void* next(const char* name) {
    void* f = dlsym(RTLD_NEXT, name);
    if (!f) {
        fprintf(stderr, "touch-shim: %s not found\n", name);
        abort();
    }
    return f;
}

static uint32_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void find_headless(struct wlr_backend* backend, void* data) {
    (void)data;
    bool (*is_headless)(struct wlr_backend*) = next("wlr_backend_is_headless");
    if (is_headless(backend))
        g_headless = backend;
}

static void run_line(const char* line) {
    double x = 0, y = 0;
    char cmd[16] = {0};
    const int n = sscanf(line, "%15s %lf %lf", cmd, &x, &y);
    if (n < 1)
        return;
    if ((!strcmp(cmd, "tap") || !strcmp(cmd, "down")) && n == 3) {
        struct wlr_event_touch_down down = {g_touch, now_ms(), 0, x, y};
        wl_signal_emit(&g_touch->touch->events.down, &down);
        wl_signal_emit(&g_touch->touch->events.frame, NULL);
    }
    if (!strcmp(cmd, "tap") || !strcmp(cmd, "up")) {
        struct wlr_event_touch_up up = {g_touch, now_ms(), 0};
        wl_signal_emit(&g_touch->touch->events.up, &up);
        wl_signal_emit(&g_touch->touch->events.frame, NULL);
    }
    if (!strcmp(cmd, "pointer") && n == 3) {
        struct wlr_event_pointer_motion_absolute motion = {g_pointer, now_ms(), x, y};
        wl_signal_emit(&g_pointer->pointer->events.motion_absolute, &motion);
        wl_signal_emit(&g_pointer->pointer->events.frame, g_pointer->pointer);
    }
    fprintf(stderr, "touch-shim: %s\n", line);
}

static int on_fifo(int fd, uint32_t mask, void* data) {
    (void)mask;
    (void)data;
    const ssize_t r = read(fd, g_buf + g_len, sizeof g_buf - 1 - g_len);
    if (r <= 0)
        return 0;
    g_len += (size_t)r;
    g_buf[g_len] = 0;
    char* start = g_buf;
    char* nl;
    while ((nl = strchr(start, '\n'))) {
        *nl = 0;
        run_line(start);
        start = nl + 1;
    }
    g_len = strlen(start);
    memmove(g_buf, start, g_len);
    if (g_len == sizeof g_buf - 1)
        g_len = 0;  // a line longer than the buffer: drop it
    return 0;
}

static void setup(struct wlr_backend* backend) {
    bool (*is_multi)(struct wlr_backend*) = next("wlr_backend_is_multi");
    bool (*is_headless)(struct wlr_backend*) = next("wlr_backend_is_headless");
    if (is_multi(backend)) {
        void (*for_each)(struct wlr_backend*, void (*)(struct wlr_backend*, void*), void*) =
            next("wlr_multi_for_each_backend");
        for_each(backend, find_headless, NULL);
    } else if (is_headless(backend)) {
        g_headless = backend;
    }
    const char* fifo = getenv("FK_TOUCH_FIFO");
    if (!g_headless || !g_display || !fifo) {
        fprintf(stderr, "touch-shim: no headless backend, display or FK_TOUCH_FIFO\n");
        return;
    }
    struct wlr_input_device* (*add)(struct wlr_backend*, enum wlr_input_device_type) =
        next("wlr_headless_add_input_device");
    g_touch = add(g_headless, WLR_INPUT_DEVICE_TOUCH);
    if (getenv("FK_TOUCH_POINTER"))
        g_pointer = add(g_headless, WLR_INPUT_DEVICE_POINTER);
    const int fd = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 || !g_touch) {
        fprintf(stderr, "touch-shim: cannot open %s or add the touch device\n", fifo);
        return;
    }
    wl_event_loop_add_fd(wl_display_get_event_loop(g_display), fd, WL_EVENT_READABLE, on_fifo,
                         NULL);
    fprintf(stderr, "touch-shim: touch%s device added, reading %s\n",
            g_pointer ? " and pointer" : "", fifo);
}

struct wlr_backend* wlr_backend_autocreate(struct wl_display* display) {
    struct wlr_backend* (*real)(struct wl_display*) = next("wlr_backend_autocreate");
    g_display = display;
    return real(display);
}

bool wlr_backend_start(struct wlr_backend* backend) {
    bool (*real)(struct wlr_backend*) = next("wlr_backend_start");
    ++g_depth;
    const bool ok = real(backend);
    --g_depth;
    if (ok && g_depth == 0 && !g_done) {
        g_done = 1;
        setup(backend);
    }
    return ok;
}
