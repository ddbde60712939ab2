// kiosk-bench fleet --http-layers (issue 13 item 1): the HTTP layer alone, answering every request
// with a constant 200 JSON body after reading its body, so the fleet measures the connection
// handling and nothing of ours behind it. Built twice: FK_HTTP_LAYER_MHD (GNU libmicrohttpd, epoll,
// two threads) and otherwise kiosk-server's own transport (server/HttpTransport: Boost.Beast on
// one event thread, 32 workers, with its limits; it also gunzips the batches, as kiosk-server
// does, which libmicrohttpd here does not). Started like kiosk-server (`serve ...`, arguments
// ignored); prints "serving on 127.0.0.1:PORT" on stderr; runs until killed.
#include <netinet/in.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#ifdef FK_HTTP_LAYER_MHD
#include <microhttpd.h>
#else
#include "server/HttpTransport.h"
#endif

namespace {

constexpr const char* kBody = "{\"status\":\"ok\"}";

#ifdef FK_HTTP_LAYER_MHD
MHD_Result Answer(void* /*cls*/, MHD_Connection* connection, const char* /*url*/,
                  const char* /*method*/, const char* /*version*/, const char* /*uploadData*/,
                  size_t* uploadSize, void** state) {
    if (*state == nullptr) {  // the head: wait for the body
        static int started;
        *state = &started;
        return MHD_YES;
    }
    if (*uploadSize != 0) {  // a piece of the body: read and dropped
        *uploadSize = 0;
        return MHD_YES;
    }
    MHD_Response* response = MHD_create_response_from_buffer(
        std::strlen(kBody), const_cast<char*>(kBody), MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(response, "Content-Type", "application/json");
    const MHD_Result ret = MHD_queue_response(connection, 200, response);
    MHD_destroy_response(response);
    return ret;
}

int Serve() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    MHD_Daemon* daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD, 0, nullptr, nullptr, &Answer, nullptr, MHD_OPTION_SOCK_ADDR,
        &addr, MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_CONNECTION_LIMIT, 16384u,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_LISTEN_BACKLOG_SIZE, 4096u, MHD_OPTION_END);
    if (daemon == nullptr) {
        std::fprintf(stderr, "libmicrohttpd did not start\n");
        return 1;
    }
    const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    std::fprintf(stderr, "serving on 127.0.0.1:%u\n", info != nullptr ? info->port : 0u);
    for (;;)
        pause();
}
#else
class Constant final : public fk::server::http::Handler {
  public:
    fk::server::http::RoutePlan Inspect(const std::string&, const std::string&) override {
        fk::server::http::RoutePlan plan;
        plan.found = true;
        plan.maxBodyBytes = 4 * 1024 * 1024;
        plan.compressedBody = true;
        plan.label = "all";
        return plan;
    }
    void Handle(fk::server::http::Request&, fk::server::http::Response& response) override {
        response.set_content(kBody, "application/json");
    }
    void Count(const std::string&, int) override {}
};

int Serve() {
    Constant handler;
    fk::server::http::TransportOptions options;
    fk::server::http::Transport transport(options, handler);
    std::fprintf(stderr, "serving on 127.0.0.1:%d\n", transport.Bind());
    transport.Run();
    return 0;
}
#endif

}  // namespace

int main() {
    signal(SIGPIPE, SIG_IGN);
    return Serve();
}
