#include "server/Cli.h"

#include <CLI/CLI.hpp>
#include <sodium.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "core/Clock.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/HttpServer.h"
#include "server/Tokens.h"

namespace fk::server {

namespace {

bool ParseListen(const std::string& listen, std::string& host, int& port) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) return false;
    host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    try {
        std::size_t used = 0;
        port = std::stoi(listen.substr(colon + 1), &used);
        return used == listen.size() - colon - 1 && port >= 0 && port <= 65535 && !host.empty();
    } catch (const std::exception&) {
        return false;
    }
}

int Serve(const std::string& db, const std::string& listen, const std::string& cert, const std::string& key,
          std::int64_t staleAfterS) {
    ServerOptions options;
    options.staleAfterS = staleAfterS;
    if (!ParseListen(listen, options.host, options.port)) {
        std::cerr << "kiosk-server: --listen " << listen << " is not HOST:PORT (e.g. 0.0.0.0:8443)\n";
        return 2;
    }
    if (!cert.empty()) options.tlsCert = cert;
    if (!key.empty()) options.tlsKey = key;
    // Signals are taken by a dedicated thread (sigwait), so stopping is not done in a handler.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    auto backend = OpenBackend(db);
    core::SystemClock clock;
    HttpServer server(*backend, clock, options);
    int port = server.Bind();
    std::cerr << "kiosk-server: serving " << backend->Describe() << " on " << options.host << ":" << port
              << (options.tlsCert ? " (TLS)" : "") << std::endl;
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        std::cerr << "kiosk-server: stopping (signal " << sig << ")" << std::endl;
        server.Stop();
    });
    server.Serve();
    // Serve returned on its own (listen failure): wake the waiter so it can be joined.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
    if (sodium_init() < 0) {
        std::cerr << "kiosk-server: libsodium failed to initialise\n";
        return 1;
    }
    CLI::App app{"kiosk-server: central ingest, config and reports server for feedback kiosks"};
    app.require_subcommand(1);
    std::string db, listen, cert, key, id, name, store, kiosk, tokenId, file;
    bool all = false;
    const char* dbHelp = "database: a file path, sqlite:PATH or postgresql://...";

    auto* serve = app.add_subcommand("serve", "serve the HTTP API");
    serve->add_option("--db", db, dbHelp)->required();
    serve->add_option("--listen", listen, "HOST:PORT to listen on")->required();
    serve->add_option("--tls-cert", cert, "PEM certificate (with --tls-key: HTTPS)");
    serve->add_option("--tls-key", key, "PEM private key");
    std::int64_t staleAfterS = 3600;
    serve->add_option("--stale-after", staleAfterS, "fleet view: flag a kiosk silent this many seconds (default 3600)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{365} * 86400));

    auto* addStore = app.add_subcommand("add-store", "register a store");
    addStore->add_option("--db", db, dbHelp)->required();
    addStore->add_option("--id", id, "store id")->required();
    addStore->add_option("--name", name, "display name")->required();

    auto* addKiosk = app.add_subcommand("add-kiosk", "register a kiosk and print its token");
    addKiosk->add_option("--db", db, dbHelp)->required();
    addKiosk->add_option("--store", store, "the kiosk's store")->required();
    addKiosk->add_option("--id", id, "kiosk id")->required();

    auto* addManager = app.add_subcommand("add-manager", "print a new manager (reports) token");
    addManager->add_option("--db", db, dbHelp)->required();
    auto* storeOpt = addManager->add_option("--store", store, "the store it may read");
    auto* allOpt = addManager->add_flag("--all", all, "may read every store");
    storeOpt->excludes(allOpt);
    allOpt->excludes(storeOpt);

    auto* revoke = app.add_subcommand("revoke", "revoke a token by its id");
    revoke->add_option("--db", db, dbHelp)->required();
    revoke->add_option("--token-id", tokenId, "token id printed by add-kiosk/add-manager")->required();

    auto* setConfig = app.add_subcommand("set-config", "set the survey/roster/reasons served to kiosks");
    setConfig->add_option("--db", db, dbHelp)->required();
    setConfig->add_option("--store", store, "store")->required();
    setConfig->add_option("--kiosk", kiosk, "one kiosk only (overrides the store's config)");
    setConfig->add_option("--file", file, "config JSON file (docs/API.md)")->required()->check(CLI::ExistingFile);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    core::SystemClock clock;
    try {
        if (serve->parsed()) return Serve(db, listen, cert, key, staleAfterS);
        auto backend = OpenBackend(db);
        core::UtcMs now = clock.NowUtcMs();
        if (addStore->parsed()) {
            backend->AddStore(id, name, now);
            std::cout << "store " << id << " added" << std::endl;
        } else if (addKiosk->parsed()) {
            backend->AddKiosk(id, store, now);
            auto token = IssueKioskToken(*backend, KioskRecord{id, store}, now);
            std::cout << "kiosk " << id << " added to store " << store << "\n"
                      << "token id: " << token.record.id << " (for revoke); the token, shown once:\n"
                      << token.secret << std::endl;
        } else if (addManager->parsed()) {
            if (!all && store.empty()) {
                std::cerr << "kiosk-server add-manager: give --store S or --all\n";
                return 2;
            }
            auto token = IssueManagerToken(*backend, all ? std::nullopt : std::optional<std::string>(store), now);
            std::cout << "manager token for " << (all ? std::string("all stores") : "store " + store) << "\n"
                      << "token id: " << token.record.id << " (for revoke); the token, shown once:\n"
                      << token.secret << std::endl;
        } else if (revoke->parsed()) {
            if (!backend->RevokeToken(tokenId, now)) {
                std::cerr << "kiosk-server revoke: no active token " << tokenId << "\n";
                return 1;
            }
            std::cout << "token " << tokenId << " revoked" << std::endl;
        } else if (setConfig->parsed()) {
            std::ifstream in(file, std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            auto config = protocol::DecodeKioskConfig(text.str());
            if (!config) {
                std::cerr << "kiosk-server set-config: " << file << ": " << to_string(config.Error()) << "\n";
                return 1;
            }
            std::string body = protocol::EncodeKioskConfig(*config);
            std::string etag = "\"" + HashToken(body).substr(0, 32) + "\"";
            backend->SetConfig(store, kiosk, ConfigRecord{body, etag}, now);
            std::cout << "config set for " << (kiosk.empty() ? "store " + store : "kiosk " + kiosk) << " (ETag "
                      << etag << ")" << std::endl;
        }
        return 0;
    } catch (const BackendError& e) {
        std::cerr << "kiosk-server: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "kiosk-server: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace fk::server
