#include "server/CallDispatcher.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>

#include "core/TimeFormat.h"

namespace fk::server {

std::string HmacSha256Hex(const std::string& key, const std::string& body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[mac[i] >> 4];
        out += hex[mac[i] & 15];
    }
    return out;
}

namespace {

struct Upload {
    const std::string& text;
    std::size_t at = 0;
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t n, void* user) {
    auto* up = static_cast<Upload*>(user);
    std::size_t take = std::min(size * n, up->text.size() - up->at);
    std::memcpy(buffer, up->text.data() + up->at, take);
    up->at += take;
    return take;
}

std::size_t DiscardBody(char*, std::size_t size, std::size_t n, void*) {
    return size * n;
}

void InitCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Text for a mail header: no CR, LF or other control characters (header injection).
std::string HeaderSafe(std::string text) {
    for (auto& c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' ';
    return text.substr(0, 200);
}

std::string MailDate(core::UtcMs ms) {
    return core::FormatUtc(ms, "%a, %d %b %Y %H:%M:%S +0000");
}

// Subject and plain text of an event (the JSON follows for machines).
std::pair<std::string, std::string> DescribeEvent(const std::string& body) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    std::string kind = j.is_object() ? j.value("event", "event") : "event";
    if (kind == "alert") {
        std::string store = j.value("store_id", "?");
        return {"Alert at store " + store + ": " + j.value("alert", ""),
                "A store alert rule fired at store " + store + " (kiosk " +
                    j.value("kiosk_id", "?") + "): " + j.value("alert", "") + "\n"};
    }
    if (kind == "store_alert") {
        std::string store = j.value("store_id", "?");
        std::string counts = std::to_string(j.value("negative", 0)) + " of " +
                             std::to_string(j.value("responses", 0)) +
                             " responses negative at all tills in the last " +
                             std::to_string(j.value("window_min", 0)) + " minutes";
        return {"Store alert at store " + store + ": " + counts,
                "The store-level alert rule fired at store " + store + " (every till counted, " +
                    j.value("raised_at", "?") + "): " + counts + "\n"};
    }
    const auto call = j.is_object() && j.contains("call") ? j["call"] : nlohmann::json::object();
    std::string store = call.value("store_id", "?");
    std::string kiosk = call.value("kiosk_id", "?");
    std::string text = "A customer at kiosk " + kiosk + " in store " + store +
                       " asked for help (rating " + std::to_string(call.value("rating", 0)) +
                       " of " + std::to_string(call.value("scale", 0)) + ", asked at " +
                       call.value("asked_at", "?") + ").\n";
    if (kind == "escalation") {
        return {"Help call NOT acknowledged at store " + store,
                "Nobody has acknowledged this call yet.\n" + text};
    }
    return {"Help call at store " + store + " (kiosk " + kiosk + ")", text};
}

}  // namespace

CallDispatcher::CallDispatcher(Backend& backend, const core::Clock& clock, DispatchOptions options,
                               EventSink onEscalation)
    : m_backend(backend),
      m_clock(clock),
      m_options(std::move(options)),
      m_onEscalation(std::move(onEscalation)) {
    InitCurlOnce();
}

CallDispatcher::~CallDispatcher() {
    Stop();
}

void CallDispatcher::Start() {
    if (m_thread.joinable())
        return;
    m_thread = std::thread([this] { Loop(); });
}

void CallDispatcher::Stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void CallDispatcher::Wake() {
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_cv.notify_all();
}

void CallDispatcher::Loop() {
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait_for(lock, m_options.poll, [this] { return m_stop || m_woken; });
            if (m_stop)
                return;
            m_woken = false;
        }
        try {
            // Keep going while there is work (a burst of calls), then wait again.
            while (RunOnce() > 0) {
                std::lock_guard lock(m_mutex);
                if (m_stop)
                    return;
            }
        } catch (const std::exception& e) {
            spdlog::error("call outbox: {}", e.what());
        }
    }
}

int CallDispatcher::RunOnce() {
    CallStore& store = m_backend.Calls();
    const core::UtcMs now = m_clock.NowUtcMs();
    if (m_options.escalateAfterS > 0) {
        for (const auto& call : store.DueEscalations(now - m_options.escalateAfterS * 1000, 100)) {
            EventSpec event = EscalationEvent(call, EmailEnabled());
            store.Enqueue(event, now);
            store.MarkEscalated(call.call.responseId.ToString(), now);
            spdlog::warn("help call {} at store {} not acknowledged within {} s: escalated",
                         call.call.responseId.ToString(), call.storeId, m_options.escalateAfterS);
            if (m_onEscalation)
                m_onEscalation(call.storeId, event.body);
        }
    }
    int attempted = 0;
    static thread_local std::mt19937 jitter{std::random_device{}()};
    for (const auto& item : store.DueDeliveries(now, 50)) {
        if (!store.Claim(item.id, now, now + m_options.claimFor.count()))
            continue;
        ++attempted;
        std::string error = Deliver(item);
        const core::UtcMs after = m_clock.NowUtcMs();
        if (error.empty()) {
            store.MarkDelivered(item.id, after);
            spdlog::info("outbox {}: {} delivered to {}", item.id, item.eventKey, item.destination);
            continue;
        }
        const int attempts = item.attempts + 1;
        const bool giveUp = attempts >= DispatchOptions::kMaxAttempts;
        std::int64_t delay = std::min<std::int64_t>(300'000, 1000LL << std::min(attempts - 1, 9));
        delay += static_cast<std::int64_t>(jitter() % static_cast<unsigned>(delay / 4 + 1));
        store.MarkFailed(item.id, after + delay, error, giveUp);
        spdlog::warn("outbox {}: {} to {} failed (attempt {}): {}{}", item.id, item.eventKey,
                     item.destination, attempts, error,
                     giveUp ? "; given up" : "; retry in " + std::to_string(delay / 1000) + " s");
    }
    return attempted;
}

std::string CallDispatcher::Deliver(const OutboxItem& item) {
    if (item.destination == "email") {
        if (!m_options.smtp)
            return "no [smtp] settings on this server";
        return SendEmail(item);
    }
    if (item.destination.rfind("webhook:", 0) == 0) {
        auto hook = m_backend.Calls().FindWebhook(item.destination.substr(8));
        if (!hook)
            return "the webhook was removed";
        return SendWebhook(*hook, item);
    }
    return "unknown destination";
}

std::string CallDispatcher::SendWebhook(const WebhookRecord& hook, const OutboxItem& item) {
    CURL* curl = curl_easy_init();
    if (curl == nullptr)
        return "libcurl failed to initialise";
    std::string event = "call";
    if (item.eventKey.rfind("escalation:", 0) == 0)
        event = "escalation";
    else if (item.eventKey.rfind("alert:", 0) == 0)
        event = "alert";
    else if (item.eventKey.rfind("store_alert:", 0) == 0)
        event = "store_alert";
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(
        headers, ("X-Kiosk-Signature: sha256=" + HmacSha256Hex(hook.secret, item.body)).c_str());
    headers = curl_slist_append(headers, ("X-Kiosk-Event: " + event).c_str());
    headers = curl_slist_append(headers, ("X-Kiosk-Delivery: " + std::to_string(item.id)).c_str());
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, hook.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, item.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(item.body.size()));
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(m_options.connectTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.totalTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, DiscardBody);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "kiosk-server");
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK)
        return std::string("webhook: ") + curl_easy_strerror(rc);
    if (status < 200 || status > 299)
        return "webhook answered HTTP " + std::to_string(status);
    return "";
}

std::string CallDispatcher::SendEmail(const OutboxItem& item) {
    const SmtpSettings& smtp = *m_options.smtp;
    CURL* curl = curl_easy_init();
    if (curl == nullptr)
        return "libcurl failed to initialise";
    auto [subject, text] = DescribeEvent(item.body);
    std::string to;
    for (const auto& t : smtp.to)
        to += (to.empty() ? "" : ", ") + HeaderSafe(t);
    std::string message = "Date: " + MailDate(m_clock.NowUtcMs()) +
                          "\r\nFrom: " + HeaderSafe(smtp.from) + "\r\nTo: " + to +
                          "\r\nSubject: [Feedback Kiosk] " + HeaderSafe(subject) +
                          "\r\nMessage-ID: <outbox-" + std::to_string(item.id) +
                          "@kiosk-server>\r\nMIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n\r\n";
    // Body lines: CRLF endings; a line of a single "." is dot-stuffed by libcurl.
    std::string bodyText = text + "\n" + item.body + "\n";
    for (char c : bodyText) {
        if (c == '\n')
            message += "\r\n";
        else if (c != '\r')
            message += c;
    }
    curl_slist* rcpt = nullptr;
    for (const auto& t : smtp.to)
        rcpt = curl_slist_append(rcpt, ("<" + HeaderSafe(t) + ">").c_str());
    Upload upload{message};
    curl_easy_setopt(curl, CURLOPT_URL, smtp.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + HeaderSafe(smtp.from) + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(m_options.connectTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.totalTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
                     smtp.starttls == SmtpSettings::Tls::Required ? CURLUSESSL_ALL
                     : smtp.starttls == SmtpSettings::Tls::Try    ? CURLUSESSL_TRY
                                                                  : CURLUSESSL_NONE);
    if (smtp.caFile)
        curl_easy_setopt(curl, CURLOPT_CAINFO, smtp.caFile->c_str());
    if (smtp.username)
        curl_easy_setopt(curl, CURLOPT_USERNAME, smtp.username->c_str());
    if (smtp.password)
        curl_easy_setopt(curl, CURLOPT_PASSWORD, smtp.password->c_str());
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK)
        return std::string("e-mail: ") + curl_easy_strerror(rc);
    return "";
}

}  // namespace fk::server
