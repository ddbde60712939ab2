#pragma once
// Delivers the durable outbox (server/CallStore.h) of help calls, escalations and store alerts to
// webhooks and e-mail, and escalates calls nobody acknowledged. One background thread per server
// process; it claims each item before sending (Claim: a second process or a restart after a crash
// never sends an item while another holds it), retries a failure with exponential backoff
// (1 s doubling to 5 min, with jitter; given up after kMaxAttempts, kept for inspection) and marks
// success, so each (event, destination) is delivered once. A crash after the receiver answered
// but before the mark is the one case that repeats a delivery: X-Kiosk-Delivery (the outbox id)
// lets a receiver drop the repeat.
//
// Webhook: POST of the event JSON, Content-Type application/json, X-Kiosk-Signature:
// sha256=<hex HMAC-SHA256 of the body keyed with the webhook's secret>, X-Kiosk-Event, and
// X-Kiosk-Delivery; only to the URL stored by add-webhook, no redirects followed, http/https only,
// 5 s to connect, 10 s in all; any 2xx is success.
// E-mail: libcurl SMTP ([smtp] of the settings file), STARTTLS as configured.
//
// Thread-safe: Wake() from any thread; Start()/Stop() from the owner's.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/Clock.h"
#include "server/Backend.h"

namespace fk::server {

struct SmtpSettings {
    std::string url;  // smtp://host:port or smtps://host:port
    std::string from;
    std::vector<std::string> to;
    std::optional<std::string> username;
    std::optional<std::string> password;
    enum class Tls { None, Try, Required } starttls = Tls::Required;
    std::optional<std::string> caFile;  // PEM CA bundle for the server's certificate
};

struct DispatchOptions {
    std::optional<SmtpSettings> smtp;
    std::int64_t escalateAfterS = 0;  // 0: never escalate
    std::chrono::milliseconds poll{1000};
    std::chrono::milliseconds connectTimeout{5000};
    std::chrono::milliseconds totalTimeout{10000};
    std::chrono::milliseconds claimFor{30000};  // a crashed sender's item is due again after this
    static constexpr int kMaxAttempts = 15;
};

// hex(HMAC-SHA256(key, body)): what X-Kiosk-Signature carries after "sha256=".
std::string HmacSha256Hex(const std::string& key, const std::string& body);

class CallDispatcher {
  public:
    // Called on the dispatcher thread with each escalation's event body (the SSE stream shows it).
    using EventSink = std::function<void(const std::string& storeId, const std::string& body)>;

    CallDispatcher(Backend& backend, const core::Clock& clock, DispatchOptions options,
                   EventSink onEscalation = {});
    ~CallDispatcher();  // Stop()
    CallDispatcher(const CallDispatcher&) = delete;
    CallDispatcher& operator=(const CallDispatcher&) = delete;

    void Start();
    void Stop();
    void Wake();
    bool EmailEnabled() const { return m_options.smtp.has_value(); }

    // One pass (tests): escalations, then every due delivery. Returns deliveries attempted.
    int RunOnce();

  private:
    void Loop();
    // "" on success, else what failed (logged, stored as last_error).
    std::string Deliver(const OutboxItem& item);
    std::string SendWebhook(const WebhookRecord& hook, const OutboxItem& item);
    std::string SendEmail(const OutboxItem& item);

    Backend& m_backend;
    const core::Clock& m_clock;
    DispatchOptions m_options;
    EventSink m_onEscalation;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_woken = false;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace fk::server
