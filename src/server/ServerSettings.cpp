#include "server/ServerSettings.h"

#include <fstream>
#include <iterator>

// The config module's typed TOML reader (line numbers, unknown-key suggestions): the kiosk's
// file and the server's file refuse mistakes the same way.
#include "config/ConfigError.h"
#include "config/TomlReader.h"
#include "server/Sessions.h"

namespace fk::server {

bool ParseListen(const std::string& listen, std::string& host, int& port) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos)
        return false;
    host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    try {
        std::size_t used = 0;
        port = std::stoi(listen.substr(colon + 1), &used);
        return used == listen.size() - colon - 1 && port >= 0 && port <= 65535 && !host.empty();
    } catch (const std::exception&) {
        return false;
    }
}

ServerSettings ParseServerSettings(std::string_view text, std::string_view fileName) {
    using config::detail::TableReader;
    config::detail::ProblemList problems{std::string(fileName)};
    const toml::table document = config::detail::ParseDocument(text, fileName, problems);
    ServerSettings out;
    TableReader root(problems, &document, "", 1);

    TableReader server = root.Table("server");
    if (auto listen =
            server.String("listen", "use HOST:PORT, e.g. \"127.0.0.1:8080\" or \"[::]:8080\"")) {
        std::string host;
        int port = 0;
        if (ParseListen(*listen, host, port)) {
            out.listen = *listen;
        } else {
            server.Problem("listen",
                           "\"" + *listen +
                               "\" is not HOST:PORT; use e.g. \"127.0.0.1:8080\" or \"[::]:8080\"");
        }
    }
    out.tlsCert = server.String("tls_cert", "use the path of a PEM certificate");
    out.tlsKey = server.String("tls_key", "use the path of a PEM private key");
    if (out.tlsCert.has_value() != out.tlsKey.has_value()) {
        server.Problem(out.tlsCert ? "tls_cert" : "tls_key",
                       "TLS needs both tls_cert and tls_key; set both or neither");
    }
    const std::string proxiesFix =
        "use a list of IP addresses or CIDR ranges, e.g. [\"127.0.0.1\", \"10.0.0.0/8\"]";
    if (const toml::array* proxies = server.Array("trusted_proxies", proxiesFix)) {
        std::vector<std::string> entries;
        bool ok = true;
        for (const auto& item : *proxies) {
            const int line = config::detail::LineOf(item, server.LineOf("trusted_proxies"));
            if (!item.is_string()) {
                problems.Add(line, server.KeyPath("trusted_proxies"),
                             "every entry must be a string; " + proxiesFix);
                ok = false;
                continue;
            }
            const std::string entry = item.as_string()->get();
            if (auto problem = TrustedProxies::Check(entry)) {
                problems.Add(line, server.KeyPath("trusted_proxies"), *problem);
                ok = false;
                continue;
            }
            entries.push_back(entry);
        }
        if (entries.size() > 1000) {
            server.Problem("trusted_proxies", "more than 1000 entries; use CIDR ranges");
            ok = false;
        }
        if (ok)
            out.trustedProxies = std::move(entries);
    }
    server.Finish();

    TableReader database = root.Table("database");
    out.database = database.String("url", "use sqlite:PATH or postgresql://user@host/db");
    if (out.database && out.database->empty()) {
        database.Problem("url", "is empty; use sqlite:PATH or postgresql://user@host/db");
        out.database.reset();
    }
    if (auto pool = database.Int("pool_size", 1, 256, "use 1 to 256 connections"))
        out.poolSize = static_cast<int>(*pool);
    database.Finish();

    TableReader web = root.Table("web");
    out.sessionLifetimeS =
        web.Int("session_lifetime_s", 60, 30 * 86400,
                "use 60 (one minute) to 2592000 (30 days) seconds; the default is 43200 (12 h)");
    out.accessLogKeepDays = web.Int("access_log_keep_days", 1, 3650,
                                    "use 1 to 3650 days; the default is 365 (one year)");
    web.Finish();

    TableReader reports = root.Table("reports");
    out.staleAfterS = reports.Int("stale_after_s", 1, 365 * 86400,
                                  "use 1 to 31536000 seconds; the default is 3600 (one hour)");
    out.minGroupSize = reports.Int(
        "min_group_size", 1, 100000,
        "use 1 to 100000 responses; the default is 5 (per-rep figures seen above store level)");
    reports.Finish();

    TableReader retention = root.Table("retention");
    out.keepResponsesDays = retention.Int(
        "responses_days", 30, 3650,
        "use 30 to 3650 days of raw responses kept; the default is 400 (reports keep every day)");
    retention.Finish();

    // The staff notice (web/notice.html): who runs the kiosks and whom staff ask.
    TableReader privacy = root.Table("privacy");
    for (auto [key, field] : {std::pair{"contact", &out.privacyContact},
                              std::pair{"organisation", &out.organisation}}) {
        *field = privacy.String(key, "use plain text of at most 200 bytes");
        if (*field && ((*field)->empty() || (*field)->size() > 200)) {
            privacy.Problem(key, "must be 1 to 200 bytes of plain text");
            field->reset();
        }
    }
    privacy.Finish();

    using R = LimitRanges;
    TableReader limits = root.Table("limits");
    auto& l = out.limits;
    l.maxConnections =
        limits.Int("max_connections", 1, R::kMaxConnections,
                   "use 1 to 100000 open connections; the default is 16384 (the service's open "
                   "file limit must be higher)");
    l.maxConnectionsPerAddress =
        limits.Int("max_connections_per_address", 1, R::kMaxConnections,
                   "use 1 to 100000 connections from one address; the default is 256 (a store "
                   "behind one NAT address needs one per kiosk)");
    if (l.maxConnections && l.maxConnectionsPerAddress &&
        *l.maxConnectionsPerAddress > *l.maxConnections) {
        limits.Problem("max_connections_per_address", "is above max_connections (" +
                                                          std::to_string(*l.maxConnections) +
                                                          "); use at most max_connections");
        l.maxConnectionsPerAddress.reset();
    }
    l.headDeadlineS = limits.Int("head_deadline_s", 1, R::kMaxHeadDeadlineS,
                                 "use 1 to 10 seconds for a whole request head; the default is 10");
    l.idleTimeoutS =
        limits.Int("idle_timeout_s", 1, R::kMaxIdleTimeoutS,
                   "use 1 to 300 seconds an idle keep-alive connection is kept; the default is 30");
    l.maxBodyBytes = limits.Int("max_body_bytes", R::kMinBodyBytes, R::kMaxBodyBytes,
                                "use 65536 to 67108864 bytes for a batch body on the wire; the "
                                "default is 4194304 (4 MiB)");
    l.maxDecodedBodyBytes =
        limits.Int("max_decoded_body_bytes", R::kMinBodyBytes, R::kMaxDecodedBodyBytes,
                   "use 65536 to 268435456 bytes for a body after gzip; the default is 16777216 "
                   "(16 MiB)");
    if (l.maxDecodedBodyBytes &&
        *l.maxDecodedBodyBytes < l.maxBodyBytes.value_or(4 * 1024 * 1024)) {
        limits.Problem("max_decoded_body_bytes",
                       "is below max_body_bytes (" +
                           std::to_string(l.maxBodyBytes.value_or(4 * 1024 * 1024)) +
                           "); use at least max_body_bytes");
        l.maxDecodedBodyBytes.reset();
    }
    l.queueSize = limits.Int("queue_size", 1, R::kMaxQueueSize,
                             "use 1 to 65536 waiting requests (beyond: 503 with Retry-After); the "
                             "default is 512");
    l.workers =
        limits.Int("workers", 1, R::kMaxWorkers, "use 1 to 256 request threads; the default is 32");
    limits.Finish();

    TableReader calls = root.Table("calls");
    out.callBurstWindowS =
        calls.Int("burst_window_s", 0, 3600, "use 0 (off) to 3600 seconds; the default is 120");
    out.escalateAfterS = calls.Int("escalate_after_s", 0, 86400,
                                   "use 0 (never) to 86400 seconds; the default is 300");
    calls.Finish();

    TableReader alerts = root.Table("alerts");
    out.storeAlerts = alerts.Bool("store");
    out.storeNegativePct = alerts.Int("store_negative_pct", 1, 100,
                                      "use 1 to 100 percent negative; the default is 50");
    out.storeWindowMin =
        alerts.Int("store_window_min", 1, 1440, "use 1 to 1440 minutes; the default is 15");
    out.storeMinResponses =
        alerts.Int("store_min_responses", 1, 100000, "use 1 to 100000 responses; the default is 4");
    alerts.Finish();

    TableReader smtp = root.Table("smtp");
    auto smtpUrl = smtp.String("url", "use smtp://HOST:PORT or smtps://HOST:PORT");
    auto from = smtp.String("from", "use the sender address, e.g. \"kiosk@example.com\"");
    std::vector<std::string> to;
    if (const toml::array* list = smtp.Array("to", "use a list of addresses")) {
        for (const auto& item : *list) {
            if (!item.is_string() || item.as_string()->get().empty() ||
                item.as_string()->get().size() > 254) {
                smtp.Problem("to", "every entry must be an e-mail address (a string)");
                continue;
            }
            to.push_back(item.as_string()->get());
        }
        if (to.size() > 50)
            smtp.Problem("to", "at most 50 addresses; use a mailing list");
    }
    auto user = smtp.String("username", "use the SMTP user name");
    auto password = smtp.String("password", "use the SMTP password");
    auto caFile = smtp.String("ca_file", "use the path of a PEM CA bundle");
    auto tls = smtp.String("starttls", "use \"required\", \"try\" or \"none\"");
    if (smtpUrl || from || !to.empty()) {
        if (!smtpUrl || !from || to.empty()) {
            smtp.Problem(!smtpUrl ? "url"
                         : !from  ? "from"
                                  : "to",
                         "e-mail needs url, from and to together; set all three or none");
        } else if (smtpUrl->rfind("smtp://", 0) != 0 && smtpUrl->rfind("smtps://", 0) != 0) {
            smtp.Problem("url",
                         "\"" + *smtpUrl + "\" is not smtp://HOST:PORT or smtps://HOST:PORT");
        } else {
            SmtpSettings settings;
            settings.url = *smtpUrl;
            settings.from = *from;
            settings.to = to;
            settings.username = user;
            settings.password = password;
            settings.caFile = caFile;
            if (tls && *tls == "try")
                settings.starttls = SmtpSettings::Tls::Try;
            else if (tls && *tls == "none")
                settings.starttls = SmtpSettings::Tls::None;
            else if (tls && *tls != "required")
                smtp.Problem("starttls", "use \"required\", \"try\" or \"none\"");
            out.smtp = settings;
        }
    }
    smtp.Finish();

    root.Finish();
    if (!problems.Empty())
        throw config::ConfigError(problems.Take());
    return out;
}

ServerSettings LoadServerSettings(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw config::ConfigError(
            {{file.string(), 0, "",
              "cannot read the settings file; check the path given to --config (the package "
              "installs /etc/kiosk-server/server.toml)"}});
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.size() > 1024 * 1024) {
        throw config::ConfigError(
            {{file.string(), 0, "", "is over 1 MiB; a settings file is a few lines"}});
    }
    return ParseServerSettings(text, file.string());
}

}  // namespace fk::server
