#include "server/Cli.h"

#include <fcntl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "config/KioskConfig.h"
#include "config/PinHash.h"
#include "core/Clock.h"
#include "core/TimeFormat.h"
#include "core/Uuid.h"
#include "logging/BuildInfo.h"
#include "logging/Logging.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/HttpServer.h"
#include "server/Migrate.h"
#include "server/Passwords.h"
#include "server/ServerSettings.h"
#include "server/Tokens.h"

namespace fk::server {

namespace {

constexpr int kExitOk = 0;
// Who stored a definition from a terminal: the Unix account, as the version's attribution.
std::string CliUser() {
    const char* user = std::getenv("USER");
    return std::string("cli:") + (user != nullptr && *user != '\0' ? user : "unknown");
}

constexpr int kExitFailed = 1;  // the operation failed (database, not found, exists, ...)
constexpr int kExitUsage = 2;   // bad command line

constexpr const char* kFooter =
    R"(Databases (--db): a file path or sqlite:PATH (embedded SQLite, the default; the package's
service uses sqlite:/var/lib/kiosk-server/server.db), or postgresql://user@host/db (libpq URL; the
password from ~/.pgpass or PGPASSWORD). The schema is created or upgraded on open.
Tokens: add-kiosk and add-manager print the new token alone on the last line of standard output.
People: add-user and reset-user print a one-time set-password link on the last line.

Exit codes:
  0  success
  1  the operation failed (database error, unknown id, already exists, target not empty, ...)
  2  bad command line (unknown option, missing value, bad --listen)
Logs go to standard error (journald reads their <N> priority prefixes under systemd).
Run `kiosk-server SUBCOMMAND --help` for a subcommand's options.)";

// A TOML basic string: quotes and backslashes escaped (ids and URLs have no control characters).
std::string TomlString(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string KioskTomlFor(const std::string& kioskId, const std::string& storeId,
                         const std::string& serverUrl, const std::string& tokenId,
                         const std::string& pinHash) {
    return "# Written by `kiosk-server add-kiosk --write-config` for kiosk " + kioskId +
           " in store " + storeId +
           ".\n"
           "# token id: " +
           tokenId +
           " (the sync-token's id, for kiosk-server revoke)\n"
           "# Copy this file (mode 0640, group kiosk: it holds the PIN's hash) and sync-token "
           "(mode 0600,\n"
           "# owned by the kiosk user) to /etc/feedback-kiosk/ on the kiosk. Every other key keeps "
           "its\n"
           "# default; all keys are documented in\n"
           "# /usr/share/doc/feedback-kiosk/examples/kiosk.toml.\n\n"
           "[kiosk]\n"
           "id = " +
           TomlString(kioskId) +
           "\n"
           "store_id = " +
           TomlString(storeId) +
           "\n"
           "data_dir = \"/var/lib/feedback-kiosk\"\n\n"
           "[sync]\n"
           "server_url = " +
           TomlString(serverUrl) +
           "\n"
           "# Relative to this file's directory: the sync-token file written beside it.\n"
           "token_file = \"sync-token\"\n\n"
           "[manager]\n"
           "# The manager PIN's argon2id hash, set at provisioning (never the PIN itself). To "
           "change it,\n"
           "# put a new `kiosk set-pin --print-hash` line here.\n"
           "pin_hash = " +
           TomlString(pinHash) + "\n";
}

// The kiosk's manager PIN hash for --write-config: --pin-hash as given (checked), else the PIN
// typed twice on the terminal or piped on standard input, hashed here. nullopt: err says why.
std::optional<std::string> ProvisioningPinHash(const std::string& given, std::string& err) {
    if (!given.empty()) {
        if (!config::LooksLikePinHash(given)) {
            err =
                "--pin-hash is not a complete argon2id hash: use the $argon2id$... line that "
                "`kiosk set-pin --print-hash` prints (quote it: it contains $)";
            return std::nullopt;
        }
        return given;
    }
    config::PinRead read = config::ReadNewPin(stdin, stderr);
    if (!read.pin) {
        err = "the kiosk's manager PIN: " + read.error +
              ". Type it twice when asked, pipe it on standard input, or give --pin-hash HASH";
        return std::nullopt;
    }
    std::string hash = config::HashPin(*read.pin);
    config::WipePin(*read.pin);
    return hash;
}

// Writes a new file with mode; refuses to replace an existing one. Empty string on success.
std::string WriteNewFile(const std::filesystem::path& path, const std::string& text, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        return "cannot create " + path.string() + ": " + std::strerror(errno) +
               (errno == EEXIST ? " (remove it or choose another --write-config DIR)" : "");
    }
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const std::string err = std::strerror(errno);
            ::close(fd);
            return "writing " + path.string() + " failed: " + err;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0)
        return "writing " + path.string() + " failed: " + std::strerror(errno);
    return {};
}

// What `serve` was given on the command line; each set value overrides the settings file.
struct ServeArgs {
    std::string config, db, listen, cert, key;
    std::optional<std::int64_t> staleAfterS, sessionLifetimeS;
    std::optional<int> dbPoolSize;
};

// The settings file's [limits] over the defaults (ranges checked when the file was read).
void ApplyLimits(const ServerSettings::Limits& in, ServerOptions& options) {
    auto& t = options.limits;
    auto size = [](std::int64_t v) { return static_cast<std::size_t>(v); };
    if (in.maxConnections)
        t.maxConnections = size(*in.maxConnections);
    if (in.maxConnectionsPerAddress)
        t.maxConnectionsPerAddress = size(*in.maxConnectionsPerAddress);
    if (in.headDeadlineS)
        t.headDeadline = std::chrono::seconds(*in.headDeadlineS);
    if (in.idleTimeoutS)
        t.idleTimeout = std::chrono::seconds(*in.idleTimeoutS);
    if (in.maxBodyBytes)
        options.maxBodyBytes = size(*in.maxBodyBytes);
    if (in.maxDecodedBodyBytes)
        options.maxDecodedBodyBytes = size(*in.maxDecodedBodyBytes);
    // A body larger on the wire than decoded is never meant: the decoded cap follows.
    options.maxDecodedBodyBytes = std::max(options.maxDecodedBodyBytes, options.maxBodyBytes);
    if (in.queueSize)
        t.queueCapacity = size(*in.queueSize);
    if (in.workers)
        options.threads = static_cast<int>(*in.workers);
}

int Serve(const ServeArgs& args) {
    ServerSettings settings;
    if (!args.config.empty()) {
        try {
            settings = LoadServerSettings(args.config);
        } catch (const config::ConfigError& e) {
            std::cerr << "kiosk-server: the settings file is refused:\n" << e.what() << "\n";
            return kExitUsage;
        }
    }
    const std::string db = !args.db.empty() ? args.db : settings.database.value_or("");
    const std::string listen = !args.listen.empty() ? args.listen : settings.listen.value_or("");
    if (db.empty() || listen.empty()) {
        std::cerr << "kiosk-server serve: give " << (db.empty() ? "--db" : "--listen")
                  << (db.empty() ? " (or url in [database] of --config FILE)"
                                 : " (or listen in [server] of --config FILE)")
                  << "\n";
        return kExitUsage;
    }
    ServerOptions options;
    options.staleAfterS =
        args.staleAfterS.value_or(settings.staleAfterS.value_or(options.staleAfterS));
    options.sessionLifetimeS = args.sessionLifetimeS.value_or(
        settings.sessionLifetimeS.value_or(options.sessionLifetimeS));
    options.accessLogKeepDays = settings.accessLogKeepDays.value_or(options.accessLogKeepDays);
    options.keepResponsesDays = settings.keepResponsesDays.value_or(options.keepResponsesDays);
    options.minGroupSize = settings.minGroupSize.value_or(options.minGroupSize);
    options.privacyContact = settings.privacyContact.value_or("");
    options.organisation = settings.organisation.value_or("");
    options.trustedProxies = settings.trustedProxies.value_or(std::vector<std::string>{});
    ApplyLimits(settings.limits, options);
    options.callBurstWindowS = settings.callBurstWindowS.value_or(options.callBurstWindowS);
    options.escalateAfterS = settings.escalateAfterS.value_or(options.escalateAfterS);
    options.storeAlerts = settings.storeAlerts.value_or(options.storeAlerts);
    if (settings.storeNegativePct)
        options.storeAlertRule.negativePct = static_cast<double>(*settings.storeNegativePct);
    if (settings.storeWindowMin)
        options.storeAlertRule.windowMs = *settings.storeWindowMin * 60'000;
    if (settings.storeMinResponses)
        options.storeAlertRule.minResponses = *settings.storeMinResponses;
    options.smtp = settings.smtp;
    BackendOptions dbOptions;
    dbOptions.poolSize = args.dbPoolSize.value_or(settings.poolSize.value_or(dbOptions.poolSize));
    if (!ParseListen(listen, options.host, options.port)) {
        std::cerr << "kiosk-server: --listen " << listen
                  << " is not HOST:PORT (e.g. 0.0.0.0:8443)\n";
        return kExitUsage;
    }
    // The command line's certificate pair replaces the file's as a whole.
    if (!args.cert.empty() || !args.key.empty()) {
        if (!args.cert.empty())
            options.tlsCert = args.cert;
        if (!args.key.empty())
            options.tlsKey = args.key;
    } else {
        options.tlsCert = settings.tlsCert;
        options.tlsKey = settings.tlsKey;
    }
    // Signals are taken by a dedicated thread (sigwait), so stopping is not done in a handler.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    auto backend = OpenBackend(db, dbOptions);
    core::SystemClock clock;
    HttpServer server(*backend, clock, options);
    int port = server.Bind();
    // The readiness line, unadorned so scripts and tests can wait for a line starting
    // "kiosk-server: serving" and read the port (journald files it at the default priority).
    std::cerr << "kiosk-server: serving " << backend->Describe() << " on " << options.host << ":"
              << port << (options.tlsCert ? " (TLS)" : "") << std::endl;
    spdlog::info("{}", logging::VersionLine("kiosk-server"));
    if (!args.config.empty())
        spdlog::info("settings from {} (command-line options override it)", args.config);
    const auto& lim = options.limits;
    spdlog::info(
        "limits: {} connections ({} per address), request head {} s, idle keep-alive {} "
        "s, body {} bytes ({} decoded), queue {}, {} workers",
        lim.maxConnections, lim.maxConnectionsPerAddress,
        std::chrono::duration_cast<std::chrono::seconds>(lim.headDeadline).count(),
        std::chrono::duration_cast<std::chrono::seconds>(lim.idleTimeout).count(),
        options.maxBodyBytes, options.maxDecodedBodyBytes, lim.queueCapacity, options.threads);
    // Retention (issue 20 item 4): at start and every hour; a failure is logged and tried again
    // at the next hour, serving goes on.
    std::mutex retentionMutex;
    std::condition_variable retentionWake;
    bool stopping = false;
    std::thread retention([&] {
        std::unique_lock lock(retentionMutex);
        while (!stopping) {
            lock.unlock();
            try {
                const auto deleted = ApplyRetention(backend->PersonalData(), clock.NowUtcMs(),
                                                    options.keepResponsesDays);
                if (deleted > 0) {
                    spdlog::info("retention: {} raw responses older than {} days deleted", deleted,
                                 options.keepResponsesDays);
                }
            } catch (const std::exception& e) {
                spdlog::error("retention: {}", e.what());
            }
            lock.lock();
            retentionWake.wait_for(lock, std::chrono::hours(1), [&] { return stopping; });
        }
    });
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        spdlog::info("stopping (signal {})", sig);
        server.Stop();
    });
    server.Serve();
    {
        std::lock_guard lock(retentionMutex);
        stopping = true;
    }
    retentionWake.notify_all();
    retention.join();
    // Serve returned on its own (listen failure): wake the waiter so it can be joined.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return kExitOk;
}

}  // namespace

int RunCli(int argc, char** argv) {
    if (sodium_init() < 0) {
        std::cerr << "kiosk-server: libsodium failed to initialise\n";
        return kExitFailed;
    }
    CLI::App app{"kiosk-server: the central ingest, config and reports server for Feedback Kiosks"};
    app.require_subcommand(1);
    app.fallthrough();  // --log-level also after the subcommand (KIOSK_SERVER_OPTS in the unit)
    app.footer(kFooter);
    app.set_version_flag("--version", logging::VersionLine("kiosk-server"),
                         "print the version and exit");
    std::string logLevel = "info";
    app.add_option("--log-level", logLevel,
                   "least severe messages logged: trace, debug, info, warn or error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
        ->capture_default_str();
    std::string db, id, name, store, kiosk, tokenId, file, writeConfig, serverUrl, from, to;
    std::string pinHash;
    bool all = false;
    bool merge = false;
    bool reissue = false;
    const char* dbHelp = "database: a file path, sqlite:PATH or postgresql://...";

    auto* serve = app.add_subcommand("serve", "serve the HTTP API");
    ServeArgs serveArgs;
    serve
        ->add_option("--config", serveArgs.config,
                     "settings file (TOML; /etc/kiosk-server/server.toml in the package); options "
                     "given here override it")
        ->check(CLI::ExistingFile);
    serve->add_option("--db", serveArgs.db,
                      std::string(dbHelp) + " (or [database] url in --config)");
    serve->add_option("--listen", serveArgs.listen,
                      "HOST:PORT to listen on (or [server] listen in --config)");
    serve->add_option("--tls-cert", serveArgs.cert, "PEM certificate (with --tls-key: HTTPS)");
    serve->add_option("--tls-key", serveArgs.key, "PEM private key");
    serve
        ->add_option("--stale-after", serveArgs.staleAfterS,
                     "fleet view: flag a kiosk silent this many seconds (default 3600)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{365} * 86400));
    serve
        ->add_option("--session-lifetime", serveArgs.sessionLifetimeS,
                     "web dashboard sessions end this many seconds after login (default 43200)")
        ->check(CLI::Range(std::int64_t{60}, std::int64_t{30} * 86400));
    serve
        ->add_option("--db-pool-size", serveArgs.dbPoolSize,
                     "PostgreSQL: connections for reads and writes; batches of this many kiosks "
                     "commit in parallel "
                     "(default 8; or [database] pool_size in --config)")
        ->check(CLI::Range(1, BackendOptions::kMaxPoolSize));

    auto* addStore = app.add_subcommand("add-store", "register a store");
    addStore->add_option("--db", db, dbHelp)->required();
    addStore->add_option("--id", id, "store id")->required();
    addStore->add_option("--name", name, "display name")->required();

    auto* addKiosk = app.add_subcommand(
        "add-kiosk", "register a kiosk and print its token (optionally write its config)");
    addKiosk->add_option("--db", db, dbHelp)->required();
    addKiosk->add_option("--store", store, "the kiosk's store")->required();
    addKiosk->add_option("--id", id, "kiosk id")->required();
    auto* writeConfigOpt =
        addKiosk->add_option("--write-config", writeConfig,
                             "also write DIR/kiosk.toml and DIR/sync-token (mode 0600), ready to "
                             "copy to /etc/feedback-kiosk/ on the kiosk");
    auto* serverUrlOpt = addKiosk->add_option(
        "--server-url", serverUrl,
        "with --write-config: the URL kiosks reach this server at (https://...)");
    addKiosk->add_flag("--reissue", reissue,
                       "the kiosk exists already: issue it a new token (token rotation; revoke the "
                       "old one after)");
    auto* pinHashOpt =
        addKiosk->add_option("--pin-hash", pinHash,
                             "with --write-config: the manager PIN's hash (from `kiosk set-pin "
                             "--print-hash`); without it "
                             "the PIN is asked for twice (or read from standard input)");
    pinHashOpt->needs(writeConfigOpt);
    writeConfigOpt->needs(serverUrlOpt);
    serverUrlOpt->needs(writeConfigOpt);

    auto* addManager = app.add_subcommand("add-manager", "print a new manager (reports) token");
    addManager->add_option("--db", db, dbHelp)->required();
    auto* storeOpt = addManager->add_option("--store", store, "the store it may read");
    auto* allOpt = addManager->add_flag("--all", all, "may read every store");
    storeOpt->excludes(allOpt);
    allOpt->excludes(storeOpt);

    std::string userName, role, baseUrl = "http://127.0.0.1:8080";
    std::vector<std::string> userStores;
    const char* urlHelp =
        "the dashboard's address as people reach it, for the link (default http://127.0.0.1:8080)";
    auto* addUser = app.add_subcommand(
        "add-user",
        "add a person who logs in to the web dashboard; prints a one-time set-password link "
        "(valid 72 hours) on the last line");
    addUser->add_option("NAME", userName, "user name: 1-64 of A-Z a-z 0-9 . _ @ -")->required();
    addUser->add_option("--db", db, dbHelp)->required();
    addUser
        ->add_option("--role", role,
                     "admin (everything, users), head_office (every store's reports), "
                     "store_manager (their stores' reports and calls), coach (per-rep detail of "
                     "their stores, no export)")
        ->required()
        ->check(CLI::IsMember({"admin", "head_office", "store_manager", "coach"}));
    addUser->add_option("--store", userStores,
                        "a store the person sees (store_manager and coach: at least one; repeat "
                        "for more)");
    addUser->add_option("--url", baseUrl, urlHelp);
    auto* resetUser = app.add_subcommand(
        "reset-user",
        "end a person's password and sessions and print a new one-time set-password link on the "
        "last line (also re-enables a disabled account)");
    resetUser->add_option("NAME", userName, "user name")->required();
    resetUser->add_option("--db", db, dbHelp)->required();
    resetUser->add_option("--url", baseUrl, urlHelp);

    auto* addWebhook = app.add_subcommand(
        "add-webhook",
        "send every help call, escalation and store alert to a URL (JSON POST signed with "
        "X-Kiosk-Signature); prints the signing secret on the last line");
    std::string url;
    addWebhook->add_option("--db", db, dbHelp)->required();
    auto* hookStore = addWebhook->add_option("--store", store, "the store whose calls it gets");
    auto* hookAll = addWebhook->add_flag("--all", all, "calls of every store");
    hookStore->excludes(hookAll);
    hookAll->excludes(hookStore);
    addWebhook->add_option("--url", url, "http:// or https:// URL the server POSTs to")->required();

    // Head office's links: the same person under ids of several stores (issue 18 item 6).
    std::string repId, person;
    auto* linkRep = app.add_subcommand(
        "link-rep",
        "link a store's rep id to one person, so the web page compares them across stores (ids "
        "are per store: without a link the same id in two stores is two people)");
    linkRep->add_option("--db", db, dbHelp)->required();
    linkRep->add_option("--store", store, "the store")->required();
    linkRep->add_option("--rep", repId, "the rep id in that store's roster")->required();
    linkRep
        ->add_option("--person", person,
                     "head office's name for the person (letters, digits, . _ -; at most 64)")
        ->required();
    auto* unlinkRep = app.add_subcommand("unlink-rep", "remove a link made by link-rep");
    unlinkRep->add_option("--db", db, dbHelp)->required();
    unlinkRep->add_option("--store", store, "the store")->required();
    unlinkRep->add_option("--rep", repId, "the rep id")->required();
    auto* listLinks = app.add_subcommand("list-rep-links", "print every link: store, rep, person");
    listLinks->add_option("--db", db, dbHelp)->required();

    std::string zone;
    auto* setZone = app.add_subcommand(
        "set-store-zone",
        "set a store's time zone (IANA name, e.g. Asia/Kolkata): its \"today\" and every report "
        "period are its own local dates there");
    setZone->add_option("--db", db, dbHelp)->required();
    setZone->add_option("--store", store, "the store")->required();
    setZone->add_option("--tz", zone, "IANA time zone name, e.g. Asia/Kolkata, Europe/Copenhagen")
        ->required();

    auto* revoke = app.add_subcommand("revoke", "revoke a token by its id");
    revoke->add_option("--db", db, dbHelp)->required();
    revoke->add_option("--token-id", tokenId, "token id printed by add-kiosk/add-manager")
        ->required();

    auto* setConfig =
        app.add_subcommand("set-config", "set the survey/roster/reasons served to kiosks");
    setConfig->add_option("--db", db, dbHelp)->required();
    setConfig->add_option("--store", store, "store")->required();
    setConfig->add_option("--kiosk", kiosk, "one kiosk only (overrides the store's config)");
    setConfig->add_option("--file", file, "config JSON file (docs/API.md)")
        ->required()
        ->check(CLI::ExistingFile);

    auto* listSurveys = app.add_subcommand(
        "config-versions", "list a store's survey definition versions: who stored each, when");
    listSurveys->add_option("--db", db, dbHelp)->required();
    listSurveys->add_option("--store", store, "store")->required();
    std::int64_t rollbackTo = 0;
    auto* rollback = app.add_subcommand(
        "rollback-config",
        "serve an earlier survey definition again (stored as a new version, attributed)");
    rollback->add_option("--db", db, dbHelp)->required();
    rollback->add_option("--store", store, "store")->required();
    rollback->add_option("--to-version", rollbackTo, "the version to serve again (config-versions)")
        ->required();

    auto* migrate = app.add_subcommand(
        "migrate",
        "copy a SQLite server database into PostgreSQL (stop the server first; one transaction)");
    migrate->add_option("--from", from, "the SQLite database: a path or sqlite:PATH")->required();
    migrate->add_option("--to", to, "the PostgreSQL database: postgresql://...")->required();
    migrate->add_flag("--merge", merge,
                      "copy into a target that already has rows: add only the missing ones (rows "
                      "there are kept)");

    auto* rebuild = app.add_subcommand("rebuild-rollups",
                                       "recompute the report roll-ups from the stored responses "
                                       "(after a restore or a manual data change; "
                                       "one transaction, ingest waits)");
    rebuild->add_option("--db", db, dbHelp)->required();

    auto* pseudonymise = app.add_subcommand(
        "pseudonymise-rep",
        "replace a rep who left (active = false in the store's roster) by a made-up id and name "
        "everywhere in the database and the roster pushed to the kiosks; reports' totals stay");
    auto* erase = app.add_subcommand(
        "erase-rep",
        "as pseudonymise-rep, but their responses become 'no rep named' and their roster entry "
        "goes");
    // --rep of the leaver commands is the same repId as link-rep's (one subcommand runs).
    for (auto* leaver : {pseudonymise, erase}) {
        leaver->add_option("--db", db, dbHelp)->required();
        leaver->add_option("--store", store, "the rep's store")->required();
        leaver->add_option("--rep", repId, "the rep's id in the roster")->required();
    }

    auto* purge = app.add_subcommand(
        "purge-responses",
        "delete raw responses older than the retention age now (serve does it every hour); "
        "reports keep every day through their roll-ups");
    purge->add_option("--db", db, dbHelp)->required();
    std::int64_t keepDays = 400;
    purge->add_option("--keep-days", keepDays, "days of raw responses kept")
        ->check(CLI::Range(std::int64_t{30}, std::int64_t{3650}))
        ->capture_default_str();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    logging::Configure(*logging::LevelFromString(logLevel), logging::DetectStyle());

    core::SystemClock clock;
    try {
        if (serve->parsed())
            return Serve(serveArgs);
        if (migrate->parsed()) {
            const MigrateReport report = MigrateDatabase(from, to, merge);
            std::cout << report.to_string() << "migrated " << from
                      << " into the PostgreSQL database" << std::endl;
            return kExitOk;
        }
        std::string kioskToml;
        if (addKiosk->parsed() && !writeConfig.empty()) {
            // Checked before anything is stored: the kiosk must accept the file it will be given.
            // A well-formed stand-in hash until the real one is known (its PIN is not used
            // anywhere).
            constexpr const char* kSampleHash =
                "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                "ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWhhc2g";
            kioskToml = KioskTomlFor(id, store, serverUrl, "tok_unknown", kSampleHash);
            try {
                config::ParseKioskConfig(
                    kioskToml, (std::filesystem::path(writeConfig) / "kiosk.toml").string());
            } catch (const config::ConfigError& e) {
                std::cerr << "kiosk-server add-kiosk: the kiosk config would not load:\n"
                          << e.what() << "\n";
                return kExitUsage;
            }
            for (const char* fileName : {"kiosk.toml", "sync-token"}) {
                if (std::filesystem::exists(std::filesystem::path(writeConfig) / fileName)) {
                    std::cerr
                        << "kiosk-server add-kiosk: "
                        << (std::filesystem::path(writeConfig) / fileName).string()
                        << " already exists (remove it or choose another --write-config DIR)\n";
                    return kExitFailed;
                }
            }
            // Asked for last, once nothing else can refuse the command; before anything is stored.
            std::string err;
            auto hash = ProvisioningPinHash(pinHash, err);
            if (!hash) {
                std::cerr << "kiosk-server add-kiosk: " << err << "\n";
                return kExitUsage;
            }
            pinHash = *hash;
        }
        auto backend = OpenBackend(db);
        core::UtcMs now = clock.NowUtcMs();
        if (pseudonymise->parsed() || erase->parsed()) {
            std::optional<std::string> toId;
            std::string toName;
            if (pseudonymise->parsed()) {
                unsigned char raw[4];
                core::FillRandom(raw, sizeof raw);
                static const char* hex = "0123456789abcdef";
                std::string tag;
                for (unsigned char b : raw) {
                    tag += hex[b >> 4];
                    tag += hex[b & 15];
                }
                toId = "former-" + tag;
                toName = "Former rep " + tag.substr(0, 4);
            }
            try {
                const auto changed = backend->PersonalData().ReplaceRep(
                    store, repId, toId, LeaverRoster(repId, toId, toName), now);
                backend->Compact();
                std::cout << "rep " << repId << " of store " << store
                          << (toId ? " is now " + *toId + " (" + toName + ")" : " erased") << "; "
                          << changed << " responses changed; kiosks get the roster at their next "
                          << "config check" << std::endl;
            } catch (const RepChangeError& e) {
                std::cerr << "kiosk-server " << (toId ? "pseudonymise-rep" : "erase-rep") << ": "
                          << e.what() << "\n";
                return kExitFailed;
            }
        } else if (purge->parsed()) {
            const auto deleted = ApplyRetention(backend->PersonalData(), now, keepDays);
            std::cout << deleted << " raw responses older than " << keepDays
                      << " days deleted from " << backend->Describe() << std::endl;
        } else if (rebuild->parsed()) {
            backend->RebuildRollups();
            std::cout << "report roll-ups rebuilt from " << backend->CountResponses()
                      << " responses in " << backend->Describe() << std::endl;
        } else if (addStore->parsed()) {
            backend->AddStore(id, name, now);
            std::cout << "store " << id << " added" << std::endl;
        } else if (addKiosk->parsed()) {
            if (reissue) {
                const auto existing = backend->FindKiosk(id);
                if (!existing || existing->storeId != store) {
                    std::cerr << "kiosk-server add-kiosk --reissue: no kiosk " << id << " in store "
                              << store << "\n";
                    return kExitFailed;
                }
            } else {
                backend->AddKiosk(id, store, now);
            }
            auto token = IssueKioskToken(*backend, KioskRecord{id, store}, now);
            if (!writeConfig.empty())
                kioskToml = KioskTomlFor(id, store, serverUrl, token.record.id, pinHash);
            if (!writeConfig.empty()) {
                const std::filesystem::path dir = writeConfig;
                std::error_code ec;
                std::filesystem::create_directories(dir, ec);
                std::string err = ec ? "cannot create " + dir.string() + ": " + ec.message() : "";
                if (err.empty())
                    err = WriteNewFile(dir / "sync-token", token.secret + "\n", 0600);
                // 0600: it holds the PIN's hash, and a 4-digit PIN falls to a guesser who has it.
                if (err.empty())
                    err = WriteNewFile(dir / "kiosk.toml", kioskToml, 0600);
                if (!err.empty()) {
                    // The kiosk is registered; its token is printed below so nothing is lost.
                    std::cerr << "kiosk-server add-kiosk: " << err << "\n";
                    std::cout << token.secret << std::endl;
                    return kExitFailed;
                }
                std::cout << "wrote " << (dir / "kiosk.toml").string() << " and "
                          << (dir / "sync-token").string()
                          << " (copy both to /etc/feedback-kiosk/ on the kiosk)\n";
            }
            std::cout << "kiosk " << id << " added to store " << store << "\n"
                      << "token id: " << token.record.id
                      << " (for revoke); the token, shown once:\n"
                      << token.secret << std::endl;
        } else if (addManager->parsed()) {
            if (!all && store.empty()) {
                std::cerr << "kiosk-server add-manager: give --store S or --all\n";
                return kExitUsage;
            }
            auto token = IssueManagerToken(
                *backend, all ? std::nullopt : std::optional<std::string>(store), now);
            std::cout << "manager token for "
                      << (all ? std::string("all stores") : "store " + store) << "\n"
                      << "token id: " << token.record.id
                      << " (for revoke); the token, shown once:\n"
                      << token.secret << std::endl;
        } else if (addUser->parsed() || resetUser->parsed()) {
            const char* cmd = addUser->parsed() ? "add-user" : "reset-user";
            if (auto problem = CheckUserName(userName); !problem.empty()) {
                std::cerr << "kiosk-server " << cmd << ": " << problem << "\n";
                return kExitUsage;
            }
            while (!baseUrl.empty() && baseUrl.back() == '/')
                baseUrl.pop_back();
            const bool web = baseUrl.rfind("http://", 0) == 0 || baseUrl.rfind("https://", 0) == 0;
            if (!web || baseUrl.find_first_of(" \t\r\n#?") != std::string::npos) {
                std::cerr << "kiosk-server " << cmd
                          << ": --url must be an http:// or https:// address without spaces, ? "
                             "or #\n";
                return kExitUsage;
            }
            if (addUser->parsed()) {
                const Role r = *RoleFromString(role);
                if (RoleIsStoreScoped(r) && userStores.empty()) {
                    std::cerr << "kiosk-server add-user: a " << role
                              << " sees only their stores: give --store ID (repeat for more)\n";
                    return kExitUsage;
                }
                if (!RoleIsStoreScoped(r) && !userStores.empty()) {
                    std::cerr << "kiosk-server add-user: " << role
                              << " sees every store; leave out --store\n";
                    return kExitUsage;
                }
                for (const auto& s : userStores) {
                    if (!backend->StoreExists(s)) {
                        std::cerr << "kiosk-server add-user: no store " << s << "\n";
                        return kExitFailed;
                    }
                }
                backend->Users().Add(UserRecord{userName, r, userStores}, now);
            } else if (!backend->Users().Find(userName)) {
                std::cerr << "kiosk-server reset-user: no user " << userName << "\n";
                return kExitFailed;
            } else {
                backend->Users().SetDisabled(userName, false, now);
            }
            const std::string secret = NewLinkSecret();
            backend->Users().SetLink(userName, HashToken(secret), now + kLinkLifetimeMs,
                                     resetUser->parsed(), now);
            std::cout << (addUser->parsed() ? "user " + userName + " added as " + role
                                            : "user " + userName + ": password and sessions ended")
                      << "\nsend them this one-time link to set their password (valid until "
                      << core::FormatRfc3339Ms(now + kLinkLifetimeMs) << "):\n"
                      << baseUrl << kLinkPath << secret << std::endl;
        } else if (addWebhook->parsed()) {
            if (!all && store.empty()) {
                std::cerr << "kiosk-server add-webhook: give --store S or --all\n";
                return kExitUsage;
            }
            const bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
            if (!web || url.size() > 2000 || url.find_first_of(" \t\r\n") != std::string::npos) {
                std::cerr << "kiosk-server add-webhook: --url must be an http:// or https:// URL "
                             "without spaces, at most 2000 bytes\n";
                return kExitUsage;
            }
            if (!all && !backend->StoreExists(store)) {
                std::cerr << "kiosk-server add-webhook: no store " << store << "\n";
                return kExitFailed;
            }
            unsigned char raw[32];
            core::FillRandom(raw, sizeof raw);
            static const char* hex = "0123456789abcdef";
            std::string secret = "whsec_";
            for (unsigned char b : raw) {
                secret += hex[b >> 4];
                secret += hex[b & 15];
            }
            unsigned char idRaw[6];
            core::FillRandom(idRaw, sizeof idRaw);
            std::string hookId = "wh_";
            for (unsigned char b : idRaw) {
                hookId += hex[b >> 4];
                hookId += hex[b & 15];
            }
            backend->Calls().AddWebhook(
                WebhookRecord{hookId, all ? std::nullopt : std::optional<std::string>(store), url,
                              secret},
                now);
            std::cout << "webhook " << hookId << " for "
                      << (all ? std::string("all stores") : "store " + store) << " -> " << url
                      << "\nsigning secret (X-Kiosk-Signature: sha256=HMAC-SHA256 of the body "
                         "with this key), shown once:\n"
                      << secret << std::endl;
        } else if (linkRep->parsed()) {
            if (!ValidPersonName(person) || repId.empty() || repId.size() > 64) {
                std::cerr
                    << "kiosk-server link-rep: --person must be 1 to 64 letters, digits, '.', "
                       "'_' or '-', and --rep 1 to 64 bytes\n";
                return kExitUsage;
            }
            if (!backend->StoreExists(store)) {
                std::cerr << "kiosk-server link-rep: no store " << store << "\n";
                return kExitFailed;
            }
            backend->Links().Link(RepLink{store, repId, person}, now);
            std::cout << "rep " << repId << " of store " << store << " is " << person << std::endl;
        } else if (unlinkRep->parsed()) {
            if (!backend->Links().Unlink(store, repId)) {
                std::cerr << "kiosk-server unlink-rep: rep " << repId << " of store " << store
                          << " is not linked\n";
                return kExitFailed;
            }
            std::cout << "rep " << repId << " of store " << store << " unlinked" << std::endl;
        } else if (listLinks->parsed()) {
            for (const auto& l : backend->Links().List(std::nullopt))
                std::cout << l.storeId << "\t" << l.repId << "\t" << l.person << "\n";
            std::cout << std::flush;
        } else if (setZone->parsed()) {
            if (!KnownZone(zone)) {
                std::cerr << "kiosk-server set-store-zone: --tz " << zone.substr(0, 64)
                          << " is not an IANA time zone name; use one like Asia/Kolkata or "
                             "Europe/Copenhagen (timedatectl list-timezones lists them)\n";
                return kExitUsage;
            }
            if (!backend->StoreExists(store)) {
                std::cerr << "kiosk-server set-store-zone: no store " << store << "\n";
                return kExitFailed;
            }
            backend->Zones().Set(store, zone, CliUser(), now);
            std::cout << "store " << store << " is in time zone " << zone << std::endl;
        } else if (revoke->parsed()) {
            if (!backend->RevokeToken(tokenId, now)) {
                std::cerr << "kiosk-server revoke: no active token " << tokenId << "\n";
                return kExitFailed;
            }
            std::cout << "token " << tokenId << " revoked" << std::endl;
        } else if (setConfig->parsed()) {
            std::ifstream in(file, std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            // The kiosk's own loader checks it: what a kiosk would refuse is never stored.
            const auto problems = CheckDefinition(text.str(), file);
            if (!problems.empty()) {
                std::cerr << "kiosk-server set-config: the definition is refused:\n";
                for (const auto& p : problems)
                    std::cerr << p << "\n";
                return kExitFailed;
            }
            const SurveyVersion stored =
                backend->Surveys().Store(store, kiosk, text.str(), CliUser(), "", now);
            std::cout << "config set for " << (kiosk.empty() ? "store " + store : "kiosk " + kiosk)
                      << ": version " << stored.version << std::endl;
        } else if (listSurveys->parsed()) {
            for (const auto& v : backend->Surveys().List(store, 1000)) {
                std::cout << "version " << v.version << "  "
                          << (v.kioskId.empty() ? "store " + v.storeId : "kiosk " + v.kioskId)
                          << "  " << core::FormatRfc3339Ms(v.createdAt) << "  by " << v.createdBy
                          << (v.note.empty() ? "" : "  (" + v.note + ")") << "\n";
            }
            std::cout << std::flush;
        } else if (rollback->parsed()) {
            auto old = backend->Surveys().Find(store, rollbackTo);
            if (!old) {
                std::cerr << "kiosk-server rollback-config: store " << store << " has no version "
                          << rollbackTo << " (survey-versions lists them)\n";
                return kExitFailed;
            }
            const SurveyVersion stored =
                backend->Surveys().Store(store, old->kioskId, old->body, CliUser(),
                                         "rollback to " + std::to_string(rollbackTo), now);
            std::cout << "rolled back to version " << rollbackTo << ": now version "
                      << stored.version << std::endl;
        }
        return kExitOk;
    } catch (const BackendError& e) {
        std::cerr << "kiosk-server: " << e.what() << "\n";
        return kExitFailed;
    } catch (const std::exception& e) {
        std::cerr << "kiosk-server: " << e.what() << "\n";
        return kExitFailed;
    }
}

}  // namespace fk::server
