// TLS verification cannot be turned off without the explicit config key insecure_skip_tls_verify:
// without it, plain http:// to a non-loopback host is refused by the config loader and a
// self-signed https server is refused by the sync engine (nothing is sent); with it, sync works
// and SyncStatus::tlsVerificationOff says so, for the kiosk to show staff. Also covered elsewhere:
// tests/config/KioskConfigErrorTest.cpp "tls verification can only be turned off by the explicit
// key" (the exact messages), tests/sync/HttpClientTest.cpp (the client's options).

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "SecurityHelpers.h"
#include "ServerTestEnv.h"
#include "config/KioskConfig.h"
#include "server/HttpServer.h"
#include "storage/ResponseStore.h"
#include "support/TempDir.h"
#include "sync/SyncEngine.h"

using namespace fk;
using namespace std::chrono_literals;

namespace {

std::string Lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return text;
}

config::KioskConfig KioskConfigFor(const std::string& url, bool insecure,
                                   const std::string& extra = "") {
    std::string text =
        "[kiosk]\nid = \"k1\"\nstore_id = \"s1\"\n[sync]\nserver_url = \"" + url + "\"\n";
    if (insecure)
        text += "insecure_skip_tls_verify = true\n";
    return config::ParseKioskConfig(text + extra, "kiosk.toml");
}

// What the kiosk app does with its config (app::SyncSettingsFor in src/app/KioskApp.cpp).
sync::SyncSettings SyncSettingsFor(const config::KioskConfig& config, const test::TempDir& dir) {
    sync::SyncSettings s;
    s.serverUrl = config.sync.serverUrl;
    s.kioskId = config.kioskId;
    s.tokenFile = dir / "token";
    s.dataDir = dir.Path() / "data";
    s.http.verifyTls = !config.sync.insecureSkipTlsVerify;
    if (!config.sync.caFile.empty())
        s.http.caFile = config.sync.caFile;
    s.http.totalTimeout = 5000ms;
    s.seed = 11;
    return s;
}

}  // namespace

TEST_CASE("security: plain http to another host needs the explicit insecure key") {
    for (const char* url :
         {"http://192.0.2.10:8080", "http://hq.example.com", "http://localhost:80@evil.example"}) {
        CAPTURE(url);
        CHECK_THROWS_AS(KioskConfigFor(url, false), config::ConfigError);
    }
    const auto insecure = KioskConfigFor("http://192.0.2.10:8080", true);
    CHECK(insecure.sync.insecureSkipTlsVerify);
    CHECK_FALSE(KioskConfigFor("https://hq.example.com", false).sync.insecureSkipTlsVerify);
    CHECK_FALSE(KioskConfigFor("http://127.0.0.1:8080", false).sync.insecureSkipTlsVerify);
}

TEST_CASE(
    "security: a self-signed https server is refused unless the config says "
    "insecure_skip_tls_verify") {
    auto env = test::ServerEnv::Sqlite();
    test::TempDir dir("fk-tls");
    const std::string cert = (dir / "cert.pem").string();
    const std::string key = (dir / "key.pem").string();
    const std::string openssl =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
        key + " -out " + cert + " >/dev/null 2>&1";
    REQUIRE_MESSAGE(std::system(openssl.c_str()) == 0,
                    "openssl (scripts/setup-deps) could not make a certificate");
    server::ServerOptions options;
    options.tlsCert = cert;
    options.tlsKey = key;
    server::HttpServer tls(env->Backend(), env->Clock(), options);
    tls.Start();
    const std::string url = tls.BaseUrl();
    REQUIRE(url.starts_with("https://127.0.0.1:"));

    core::FakeClock clock{env->Clock().NowUtcMs(), 330};
    auto store = storage::ResponseStore::Open(dir.Path() / "data", clock);
    auto r = store->Begin({4, 3, "en", std::nullopt, std::nullopt, std::nullopt});
    store->Close(r.id, core::CloseReason::ThankYou);
    test::WriteTokenFile(dir / "token", env->kioskToken[1]);

    SUBCASE("verification on (the default): refused, nothing sent") {
        sync::SyncEngine engine(SyncSettingsFor(KioskConfigFor(url, false), dir), clock);
        auto status = engine.RunOnce();
        INFO(status.lastError);
        CHECK(status.phase == sync::SyncPhase::Retrying);
        CHECK_FALSE(status.tlsVerificationOff);
        const std::string error = Lower(status.lastError);
        CHECK((error.find("certificate") != std::string::npos ||
               error.find("tls") != std::string::npos || error.find("ssl") != std::string::npos));
        CHECK(status.pending == 1);
        CHECK(env->Backend().CountResponses() == 0);
    }
    SUBCASE("the right fix: the server's certificate as ca_file, verification stays on") {
        auto config = KioskConfigFor(url, false, "ca_file = \"" + cert + "\"\n");
        sync::SyncEngine engine(SyncSettingsFor(config, dir), clock);
        auto status = engine.RunOnce();
        INFO(status.lastError);
        CHECK(status.lastError.empty());
        CHECK(status.pending == 0);
        CHECK_FALSE(status.tlsVerificationOff);
        CHECK(env->Backend().CountResponses() == 1);
    }
    SUBCASE("insecure_skip_tls_verify = true: sync works and the status says verification is off") {
        sync::SyncEngine engine(SyncSettingsFor(KioskConfigFor(url, true), dir), clock);
        auto status = engine.RunOnce();
        INFO(status.lastError);
        CHECK(status.lastError.empty());
        CHECK(status.pending == 0);
        CHECK(status.tlsVerificationOff);
        CHECK(engine.Status().tlsVerificationOff);
        CHECK(env->Backend().CountResponses() == 1);
    }
    tls.Stop();
}
