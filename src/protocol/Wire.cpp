#include "protocol/Wire.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/Rating.h"
#include "core/TimeFormat.h"
#include "protocol/JsonReader.h"

namespace fk::protocol {

using namespace json_reader;

std::string to_string(const DecodeError& error) {
    return error.path.empty() ? error.message : error.path + ": " + error.message;
}

std::string to_string(ItemStatus status) {
    switch (status) {
        case ItemStatus::Accepted:
            return "accepted";
        case ItemStatus::Duplicate:
            return "duplicate";
        case ItemStatus::Rejected:
            return "rejected";
    }
    return "unknown";
}

namespace {

std::map<std::string, std::string> StringMap(const Json& v, const std::string& path) {
    if (!v.is_object()) {
        Fail(code::kWrongType, path,
             std::string("expected an object of language -> text, got ") + TypeName(v));
    }
    std::map<std::string, std::string> out;
    for (auto it = v.begin(); it != v.end(); ++it) {
        out[it.key()] = Obj::AsStr(it.value(), Join(path, it.key()), "text");
    }
    return out;
}

int CheckProtocol(const Obj& o) {
    std::int64_t version = o.Int("protocol", "the protocol version, 1");
    if (version != kProtocolVersion) {
        Fail(code::kUnsupportedProtocol, Join(o.Path(), "protocol"),
             "protocol version " + std::to_string(version) +
                 " is not supported; this server speaks protocol 1, update the kiosk software");
    }
    return static_cast<int>(version);
}

core::Response ReadResponse(const Json& j, const std::string& path) {
    Obj o(j, path);
    core::Response r;
    r.id = Obj::AsUuid(o.Need("id", "the response's UUIDv7"), Join(path, "id"),
                       "the response's UUIDv7");
    r.seq = o.Int("seq", "the kiosk's sequence number, from 1");
    r.createdAtMs = o.Time("created_at");
    r.closedAtMs = o.Time("closed_at");
    std::int64_t tz = o.Int("tz_offset_min", "minutes east of UTC, e.g. 330");
    std::int64_t scale = o.Int("scale", "4 or 5");
    std::int64_t rating = o.Int("rating", "1..scale");
    // Range checks belong to ValidateResponse (per item); here only keep the values representable.
    auto clampInt = [&](std::int64_t v, std::string_view key) {
        if (v < INT32_MIN || v > INT32_MAX)
            Fail(code::kInvalidValue, Join(path, key), "number out of range");
        return static_cast<int>(v);
    };
    r.tzOffsetMin = clampInt(tz, "tz_offset_min");
    r.scale = clampInt(scale, "scale");
    r.rating = clampInt(rating, "rating");
    r.repId = o.NullableStr("rep_id", "the representative's id");
    r.reason = o.NullableStr("reason", "the reason id");
    r.language = o.Str("language", "the UI language code, e.g. \"hi\"");
    r.misuse = o.NullableStr("misuse", "the misuse rule name");
    // Optional since issue 16 (older kiosks never send it): absent or null = help not offered.
    if (auto help = o.OptStr("help", "\"yes\" or \"no\"")) {
        r.help = core::HelpAnswerFromString(*help);
        if (!r.help)
            Fail(code::kInvalidValue, Join(path, "help"),
                 "\"" + help->substr(0, 16) + "\" is not an answer; use \"yes\", \"no\" or null");
    }
    // Optional since issue 22 (older kiosks never send it, older servers ignore it): the face first
    // tapped when the customer changed their answer; `rating` is the one that counts.
    if (auto first = o.OptInt("first_rating", "the rating first tapped, 1..scale")) {
        if (*first < 1 || *first > 5)
            Fail(code::kInvalidValue, Join(path, "first_rating"), "number out of range");
        r.firstRating = static_cast<int>(*first);
    }
    // Optional since issue 17 (older kiosks never send it, older servers ignore it): the survey
    // definition version the kiosk ran; reports judge the response by that version's policy.
    if (auto version = o.OptInt("survey_version", "the survey definition version, from 1")) {
        if (*version < 1 || *version > kMaxSurveyVersion)
            Fail(code::kInvalidValue, Join(path, "survey_version"), "number out of range");
        r.surveyVersion = *version;
    }
    r.syncState = core::SyncState::Sent;
    return r;
}

OJson ResponseJson(const core::Response& r) {
    OJson j;
    j["id"] = r.id.ToString();
    j["seq"] = r.seq;
    j["created_at"] = core::FormatRfc3339Ms(r.createdAtMs);
    j["closed_at"] = core::FormatRfc3339Ms(r.closedAtMs.value_or(r.createdAtMs));
    j["tz_offset_min"] = r.tzOffsetMin;
    j["scale"] = r.scale;
    j["rating"] = r.rating;
    j["rep_id"] = r.repId ? OJson(*r.repId) : OJson(nullptr);
    j["reason"] = r.reason ? OJson(*r.reason) : OJson(nullptr);
    j["language"] = r.language;
    j["misuse"] = r.misuse ? OJson(*r.misuse) : OJson(nullptr);
    if (r.help)
        j["help"] = core::to_string(*r.help);
    if (r.firstRating)
        j["first_rating"] = *r.firstRating;
    if (r.surveyVersion)
        j["survey_version"] = *r.surveyVersion;
    return j;
}

RepStats ReadStats(const Obj& o) {
    RepStats s;
    s.responses = o.Int("responses", "count");
    s.misuse = o.Int("misuse_excluded", "count");
    // A rep row below min_n (servers since issue 20): the count only, the rest null.
    if (const Json* withheld = o.Find("withheld"); withheld != nullptr && withheld->is_boolean())
        s.withheld = withheld->get<bool>();
    if (s.withheld)
        return s;
    s.negative = o.Int("negative", "count");
    s.neutral = o.Int("neutral", "count");
    s.positive = o.Int("positive", "count");
    const Json& csat = o.Need("csat", "percent");
    const Json& score = o.Need("score", "0..100");
    if (!csat.is_number() || !score.is_number())
        Fail(code::kWrongType, o.Path(), "csat and score must be numbers");
    s.csat = csat.get<double>();
    s.score = score.get<double>();
    return s;
}

core::CivilDate ReadDate(const Obj& o, std::string_view key) {
    std::string text = o.Str(key, "a date YYYY-MM-DD");
    auto d = core::ParseIsoDate(text);
    if (!d)
        Fail(code::kInvalidValue, Join(o.Path(), key), "expected a date YYYY-MM-DD");
    return *d;
}

// A strict one-pass reader for the well-formed batch, the shape EncodeBatch writes (keys in any
// order). nlohmann's DOM costs more than the rest of the server path per row. It gives up
// (nullopt) on anything unusual: escapes, non-ASCII bytes, unknown or repeated keys, fractions,
// exponents, long numbers, and any value the general path would reject. DecodeBatch then takes
// the general path, so every error keeps its exact code, path and message; this reader only
// ever accepts input that the general path accepts with the same values.
class FastBatchReader {
  public:
    explicit FastBatchReader(std::string_view text)
        : m_p(text.data()), m_end(text.data() + text.size()) {}

    std::optional<Batch> Read(std::size_t maxResponses) {
        Batch b;
        unsigned seen = 0;
        bool ok = Object([&](std::string_view key) {
            unsigned bit = 0;
            if (key == "protocol") {
                bit = 1;
                std::int64_t v = 0;
                if (!Int(v) || v != kProtocolVersion)
                    return false;
                b.protocol = static_cast<int>(v);
            } else if (key == "kiosk_id") {
                bit = 2;
                std::string_view v;
                if (!Str(v) || v.empty())
                    return false;
                b.kioskId = std::string(v);
            } else if (key == "batch_id") {
                bit = 4;
                std::string_view v;
                if (!Str(v))
                    return false;
                auto id = core::Uuid::Parse(v);
                if (!id)
                    return false;
                b.batchId = *id;
            } else if (key == "responses") {
                bit = 8;
                if (!Responses(b.responses, maxResponses))
                    return false;
            } else {
                return false;
            }
            if ((seen & bit) != 0)
                return false;
            seen |= bit;
            return true;
        });
        if (!ok || seen != 15)
            return std::nullopt;
        Ws();
        if (m_p != m_end)
            return std::nullopt;
        return b;
    }

  private:
    void Ws() {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }
    bool Eat(char c) {
        Ws();
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    // A string without escapes, control characters or non-ASCII bytes.
    bool Str(std::string_view& out) {
        Ws();
        if (m_p >= m_end || *m_p != '"')
            return false;
        const char* start = ++m_p;
        while (m_p < m_end) {
            auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                out = std::string_view(start, static_cast<std::size_t>(m_p - start));
                ++m_p;
                return true;
            }
            if (c == '\\' || c < 0x20 || c >= 0x80)
                return false;
            ++m_p;
        }
        return false;
    }
    bool NullableStr(std::optional<std::string>& out) {
        Ws();
        if (m_p < m_end && *m_p == 'n') {
            if (m_end - m_p < 4 || std::memcmp(m_p, "null", 4) != 0)
                return false;
            m_p += 4;
            out.reset();
            return true;
        }
        std::string_view v;
        if (!Str(v))
            return false;
        out = std::string(v);
        return true;
    }
    // Plain integers of at most 18 digits (no -0, no leading zeros, no fraction or exponent).
    bool Int(std::int64_t& out) {
        Ws();
        bool negative = false;
        if (m_p < m_end && *m_p == '-') {
            negative = true;
            ++m_p;
        }
        const char* start = m_p;
        std::int64_t v = 0;
        // A 19th digit is read only to refuse the number; it is not added (it could overflow).
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9' && m_p - start < 19) {
            if (m_p - start < 18)
                v = v * 10 + (*m_p - '0');
            ++m_p;
        }
        auto digits = m_p - start;
        if (digits == 0 || digits > 18 || (digits > 1 && *start == '0') || (negative && v == 0))
            return false;
        if (m_p < m_end &&
            ((*m_p >= '0' && *m_p <= '9') || *m_p == '.' || *m_p == 'e' || *m_p == 'E'))
            return false;
        out = negative ? -v : v;
        return true;
    }
    bool Int32(int& out) {
        std::int64_t v = 0;
        if (!Int(v) || v < INT32_MIN || v > INT32_MAX)
            return false;
        out = static_cast<int>(v);
        return true;
    }
    bool Time(core::UtcMs& out) {
        std::string_view v;
        if (!Str(v))
            return false;
        auto ms = core::ParseRfc3339(v);
        if (!ms)
            return false;
        out = *ms;
        return true;
    }
    // {"key": value, ...}; onKey reads the value after the colon.
    template <typename F>
    bool Object(F&& onKey) {
        if (!Eat('{'))
            return false;
        if (Eat('}'))
            return true;
        for (;;) {
            std::string_view key;
            if (!Str(key) || !Eat(':') || !onKey(key))
                return false;
            if (Eat(','))
                continue;
            return Eat('}');
        }
    }
    bool Responses(std::vector<core::Response>& out, std::size_t maxResponses) {
        if (!Eat('['))
            return false;
        if (Eat(']'))
            return true;
        out.reserve(std::min<std::size_t>(maxResponses, 1000));
        for (;;) {
            if (out.size() >= maxResponses)
                return false;
            if (!Response(out.emplace_back()))
                return false;
            if (Eat(','))
                continue;
            return Eat(']');
        }
    }
    bool Response(core::Response& r) {
        unsigned seen = 0;
        bool ok = Object([&](std::string_view key) {
            unsigned bit = 0;
            bool valueOk = false;
            if (key == "id") {
                bit = 1;
                std::string_view v;
                std::optional<core::Uuid> id;
                valueOk = Str(v) && (id = core::Uuid::Parse(v)).has_value();
                if (valueOk)
                    r.id = *id;
            } else if (key == "seq") {
                bit = 2;
                valueOk = Int(r.seq);
            } else if (key == "created_at") {
                bit = 4;
                valueOk = Time(r.createdAtMs);
            } else if (key == "closed_at") {
                bit = 8;
                core::UtcMs closed = 0;
                valueOk = Time(closed);
                r.closedAtMs = closed;
            } else if (key == "tz_offset_min") {
                bit = 16;
                valueOk = Int32(r.tzOffsetMin);
            } else if (key == "scale") {
                bit = 32;
                valueOk = Int32(r.scale);
            } else if (key == "rating") {
                bit = 64;
                valueOk = Int32(r.rating);
            } else if (key == "rep_id") {
                bit = 128;
                valueOk = NullableStr(r.repId);
            } else if (key == "reason") {
                bit = 256;
                valueOk = NullableStr(r.reason);
            } else if (key == "language") {
                bit = 512;
                std::string_view v;
                valueOk = Str(v);
                r.language = std::string(v);
            } else if (key == "misuse") {
                bit = 1024;
                valueOk = NullableStr(r.misuse);
            } else if (key == "help") {
                // Optional; anything but "yes", "no" or null goes to the DOM decoder's error.
                bit = 2048;
                std::optional<std::string> help;
                valueOk = NullableStr(help);
                if (valueOk && help) {
                    r.help = core::HelpAnswerFromString(*help);
                    valueOk = r.help.has_value();
                }
            } else if (key == "first_rating") {
                // Optional; null and out-of-range values go to the DOM decoder.
                bit = 4096;
                int first = 0;
                valueOk = Int32(first) && first >= 1 && first <= 5;
                if (valueOk)
                    r.firstRating = first;
            } else if (key == "survey_version") {
                // Optional; null and out-of-range values go to the DOM decoder.
                bit = 8192;
                std::int64_t version = 0;
                valueOk = Int(version) && version >= 1 && version <= kMaxSurveyVersion;
                if (valueOk)
                    r.surveyVersion = version;
            }
            if (!valueOk || (seen & bit) != 0)
                return false;
            seen |= bit;
            return true;
        });
        r.syncState = core::SyncState::Sent;
        return ok && (seen & 2047U) == 2047U;
    }

    const char* m_p;
    const char* m_end;
};

}  // namespace

std::string EncodeResponse(const core::Response& response) {
    return Dump(ResponseJson(response));
}

namespace {
OJson LostJson(const std::vector<LostRange>& lost) {
    OJson list = OJson::array();
    for (const auto& l : lost)
        list.push_back(OJson{{"from", l.from}, {"to", l.to}, {"reason", l.reason}});
    return list;
}
}  // namespace

std::string EncodeBatch(const Batch& batch) {
    OJson j;
    j["protocol"] = batch.protocol;
    j["kiosk_id"] = batch.kioskId;
    j["batch_id"] = batch.batchId.ToString();
    OJson list = OJson::array();
    for (const auto& r : batch.responses)
        list.push_back(ResponseJson(r));
    j["responses"] = std::move(list);
    if (!batch.lost.empty())
        j["lost"] = LostJson(batch.lost);
    return Dump(j);
}

std::string EncodeReceipt(const Receipt& receipt) {
    // Written directly: a DOM of one object per item cost as much as the decode. The bytes are
    // what nlohmann's compact dump gives; error objects (free text) still go through it.
    std::string out;
    out.reserve(64 + receipt.results.size() * 64);
    out += "{\"results\":[";
    for (std::size_t i = 0; i < receipt.results.size(); ++i) {
        const auto& item = receipt.results[i];
        if (i > 0)
            out += ',';
        out += "{\"id\":\"";
        out += item.id.ToString();
        out += "\",\"status\":\"";
        out += to_string(item.status);
        out += '"';
        if (item.error) {
            out += ",\"error\":";
            out += Dump(OJson{{"code", item.error->code}, {"message", item.error->message}});
        }
        out += '}';
    }
    out += "],\"server_time\":\"";
    out += core::FormatRfc3339Ms(receipt.serverTime);
    out += "\",\"acked_seq\":";
    out += std::to_string(receipt.ackedSeq);
    if (receipt.maxSeq) {
        out += ",\"max_seq\":";
        out += std::to_string(*receipt.maxSeq);
    }
    if (receipt.lostRecorded) {
        out += ",\"lost_recorded\":";
        out += std::to_string(*receipt.lostRecorded);
    }
    out += '}';
    return out;
}

std::string EncodeHeartbeat(const Heartbeat& h) {
    OJson j;
    j["protocol"] = kProtocolVersion;
    j["pending"] = h.pending;
    j["oldest_pending_age_ms"] = OptJson(h.oldestPendingAgeMs);
    j["clock"] = core::FormatRfc3339Ms(h.clock);
    j["version"] = h.version;
    j["last_error"] = OptJson(h.lastError);
    j["alert"] = OptJson(h.alert);
    j["config_version"] = OptJson(h.configVersion);
    return Dump(j);
}

std::string EncodeHeartbeatAck(const HeartbeatAck& ack) {
    OJson j;
    j["server_time"] = core::FormatRfc3339Ms(ack.serverTime);
    if (ack.ackedSeq)
        j["acked_seq"] = *ack.ackedSeq;
    if (ack.maxSeq)
        j["max_seq"] = *ack.maxSeq;
    if (ack.storeAlert) {
        OJson a;
        a["raised_at"] = core::FormatRfc3339Ms(ack.storeAlert->raisedAt);
        a["checked_at"] = core::FormatRfc3339Ms(ack.storeAlert->checkedAt);
        a["negative"] = ack.storeAlert->negative;
        a["responses"] = ack.storeAlert->responses;
        a["window_min"] = ack.storeAlert->windowMin;
        j["store_alert"] = std::move(a);
    }
    if (ack.keepDays)
        j["keep_days"] = *ack.keepDays;
    return Dump(j);
}

std::string EncodeKioskStatus(const KioskStatus& s) {
    OJson j;
    j["kiosk_id"] = s.kioskId;
    j["store_id"] = s.storeId;
    j["acked_seq"] = s.ackedSeq;
    OJson gaps = OJson::array();
    for (const auto& [from, to] : s.gaps)
        gaps.push_back(OJson::array({from, to}));
    j["gaps"] = std::move(gaps);
    j["max_seq"] = s.maxSeq;
    j["responses"] = s.responses;
    j["rejected"] = s.rejected;
    j["last_seen"] = OptTimeJson(s.lastSeen);
    j["pending_reported"] = OptJson(s.pendingReported);
    j["oldest_pending_age_ms"] = OptJson(s.oldestPendingAgeMs);
    j["clock_skew_ms"] = OptJson(s.clockSkewMs);
    j["version"] = OptJson(s.version);
    j["last_error"] = OptJson(s.lastError);
    j["alert"] = OptJson(s.alert);
    j["config_version"] = OptJson(s.configVersion);
    j["latest_config_version"] = OptJson(s.latestConfigVersion);
    j["config_behind"] = s.configBehind;
    j["lost"] = LostJson(s.lost);
    return Dump(j);
}

std::string EncodeKioskConfig(const KioskConfig& c) {
    OJson j;
    j["protocol"] = kProtocolVersion;
    if (c.version)
        j["version"] = *c.version;
    j["survey"] = OJson{{"scale", c.scale}, {"question", c.question}};
    OJson roster = OJson::array();
    for (const auto& r : c.roster)
        roster.push_back(OJson{{"id", r.id}, {"name", r.name}, {"active", r.active}});
    j["roster"] = std::move(roster);
    OJson reasons = OJson::array();
    for (const auto& r : c.reasons)
        reasons.push_back(OJson{
            {"id", r.id}, {"labels", r.labels}, {"attributable_to_rep", r.attributableToRep}});
    j["reasons"] = std::move(reasons);
    j["locales"] = c.locales;
    if (!c.leavers.empty()) {
        OJson leavers = OJson::array();
        for (const auto& l : c.leavers) {
            leavers.push_back(
                OJson{{"from_sha256", l.fromSha256}, {"to", l.to ? OJson(*l.to) : OJson(nullptr)}});
        }
        j["leavers"] = std::move(leavers);
    }
    return Dump(j);
}

std::string EncodeError(const ErrorBody& error) {
    OJson j;
    j["error"] = OJson{{"code", error.code}, {"message", error.message}};
    return Dump(j);
}

namespace {
// The optional "lost" list of a batch or status, bounded: a kiosk splits a longer report.
std::vector<LostRange> ReadLost(const Obj& o) {
    std::vector<LostRange> out;
    const Json* list = o.Find("lost");
    if (list == nullptr || list->is_null())
        return out;
    if (!list->is_array())
        Fail(code::kWrongType, "lost", "expected [{from, to, reason}, ...]");
    if (list->size() > kMaxLostRanges) {
        Fail(code::kTooManyItems, "lost",
             std::to_string(list->size()) + " ranges; send at most " +
                 std::to_string(kMaxLostRanges) + " per batch");
    }
    std::int64_t total = 0;
    for (std::size_t i = 0; i < list->size(); ++i) {
        Obj item((*list)[i], Index("lost", i));
        LostRange r;
        r.from = item.Int("from", "the first lost seq");
        r.to = item.Int("to", "the last lost seq");
        r.reason = item.Str("reason", "why the seqs are lost, in words");
        if (r.from < 1 || r.to < r.from) {
            Fail(code::kInvalidValue, item.Path(), "needs 1 <= from <= to");
        }
        if (r.reason.empty() || r.reason.size() > kMaxLostReason) {
            Fail(code::kInvalidValue, Join(item.Path(), "reason"),
                 "must be 1.." + std::to_string(kMaxLostReason) + " bytes");
        }
        total += std::min<std::int64_t>(r.to - r.from + 1, kMaxLostSeqs + 1);
        if (total > kMaxLostSeqs) {
            Fail(code::kTooManyItems, "lost",
                 "more than " + std::to_string(kMaxLostSeqs) +
                     " seqs in one batch; split the report");
        }
        out.push_back(std::move(r));
    }
    return out;
}
}  // namespace

Result<Batch> DecodeBatch(std::string_view json, std::size_t maxResponses) {
    if (auto fast = FastBatchReader(json).Read(maxResponses))
        return std::move(*fast);
    return Guard<Batch>([&]() -> Batch {
        Json j = Parse(json, "batch");
        Obj o(j, "");
        Batch b;
        b.protocol = CheckProtocol(o);
        b.kioskId = o.Str("kiosk_id", "the sending kiosk's id");
        if (b.kioskId.empty())
            Fail(code::kInvalidValue, "kiosk_id", "must not be empty; send the kiosk's id");
        b.batchId = Obj::AsUuid(o.Need("batch_id", "a UUID for this batch"), "batch_id",
                                "a UUID for this batch");
        const Json& list = o.Array("responses", "the closed responses, in seq order");
        if (list.size() > maxResponses) {
            Fail(code::kTooManyItems, "responses",
                 std::to_string(list.size()) + " responses in one batch; send at most " +
                     std::to_string(maxResponses) + " per batch");
        }
        b.responses.reserve(list.size());
        for (std::size_t i = 0; i < list.size(); ++i) {
            b.responses.push_back(ReadResponse(list[i], Index("responses", i)));
        }
        b.lost = ReadLost(o);
        return b;
    });
}

Result<core::Response> DecodeResponse(std::string_view json) {
    return Guard<core::Response>([&] { return ReadResponse(Parse(json, "response"), ""); });
}

Result<Receipt> DecodeReceipt(std::string_view json) {
    return Guard<Receipt>([&]() -> Receipt {
        Json j = Parse(json, "receipt");
        Obj o(j, "");
        Receipt r;
        const Json& list = o.Array("results", "one result per response");
        for (std::size_t i = 0; i < list.size(); ++i) {
            Obj item(list[i], Index("results", i));
            ItemResult result;
            result.id = Obj::AsUuid(item.Need("id", "the response id"), Join(item.Path(), "id"),
                                    "the response id");
            std::string status = item.Str("status", "accepted, duplicate or rejected");
            if (status == "accepted") {
                result.status = ItemStatus::Accepted;
            } else if (status == "duplicate") {
                result.status = ItemStatus::Duplicate;
            } else if (status == "rejected") {
                result.status = ItemStatus::Rejected;
            } else {
                Fail(code::kInvalidValue, Join(item.Path(), "status"),
                     "\"" + status + "\" is not one of accepted, duplicate, rejected");
            }
            if (const Json* err = item.Find("error"); err != nullptr && !err->is_null()) {
                Obj e(*err, Join(item.Path(), "error"));
                result.error =
                    ErrorBody{e.Str("code", "error code"), e.Str("message", "error text")};
            }
            r.results.push_back(std::move(result));
        }
        r.serverTime = o.Time("server_time");
        r.ackedSeq = o.Int("acked_seq", "the contiguous high-water mark");
        r.maxSeq = o.OptInt("max_seq", "the highest seq held");
        r.lostRecorded = o.OptInt("lost_recorded", "count");
        return r;
    });
}

Result<Heartbeat> DecodeHeartbeat(std::string_view json) {
    return Guard<Heartbeat>([&]() -> Heartbeat {
        Json j = Parse(json, "heartbeat");
        Obj o(j, "");
        if (o.Find("protocol") != nullptr)
            CheckProtocol(o);
        Heartbeat h;
        h.pending = o.Int("pending", "the number of rows waiting to sync");
        if (h.pending < 0)
            Fail(code::kInvalidValue, "pending", "must be 0 or more");
        h.oldestPendingAgeMs = o.OptInt("oldest_pending_age_ms", "milliseconds, or null");
        h.clock = o.Time("clock");
        h.version = o.Str("version", "the kiosk software version");
        h.lastError = o.OptStr("last_error", "the last sync error in words");
        h.alert = o.OptStr("alert", "a manager alert firing now, in words");
        h.configVersion = o.OptInt("config_version", "the survey definition version, or null");
        return h;
    });
}

Result<HeartbeatAck> DecodeHeartbeatAck(std::string_view json) {
    return Guard<HeartbeatAck>([&]() -> HeartbeatAck {
        Json j = Parse(json, "heartbeat answer");
        Obj o(j, "");
        HeartbeatAck a;
        a.serverTime = o.Time("server_time");
        a.ackedSeq = o.OptInt("acked_seq", "the contiguous high-water mark");
        a.maxSeq = o.OptInt("max_seq", "the highest seq held");
        if (const Json* s = o.Find("store_alert"); s && !s->is_null()) {
            if (!s->is_object())
                Fail(code::kWrongType, "store_alert", "expected an object or null");
            Obj st(*s, "store_alert");
            StoreAlert alert;
            alert.raisedAt = st.Time("raised_at");
            alert.checkedAt = st.Time("checked_at");
            alert.negative = st.Int("negative", "negative responses in the window");
            alert.responses = st.Int("responses", "responses in the window");
            alert.windowMin = st.Int("window_min", "the rule's window in minutes");
            if (alert.negative < 0 || alert.responses < alert.negative || alert.windowMin < 0 ||
                alert.windowMin > 7 * 24 * 60)
                Fail(code::kInvalidValue, "store_alert", "counts or window out of range");
            a.storeAlert = alert;
        }
        a.keepDays = o.OptInt("keep_days", "days of raw responses kept");
        if (a.keepDays && *a.keepDays < 1)
            a.keepDays.reset();  // never "keep nothing": a broken value keeps everything
        return a;
    });
}

Result<KioskStatus> DecodeKioskStatus(std::string_view json) {
    return Guard<KioskStatus>([&]() -> KioskStatus {
        Json j = Parse(json, "status");
        Obj o(j, "");
        KioskStatus s;
        s.kioskId = o.Str("kiosk_id", "kiosk id");
        s.storeId = o.Str("store_id", "store id");
        s.ackedSeq = o.Int("acked_seq", "high-water mark");
        const Json& gaps = o.Array("gaps", "[[from, to], ...]");
        for (std::size_t i = 0; i < gaps.size(); ++i) {
            const Json& g = gaps[i];
            if (!g.is_array() || g.size() != 2)
                Fail(code::kWrongType, Index("gaps", i), "expected [from, to]");
            s.gaps.emplace_back(Obj::AsInt(g[0], Index("gaps", i), "seq"),
                                Obj::AsInt(g[1], Index("gaps", i), "seq"));
        }
        s.maxSeq = o.OptInt("max_seq", "seq").value_or(0);
        s.responses = o.OptInt("responses", "count").value_or(0);
        s.rejected = o.OptInt("rejected", "count").value_or(0);
        s.lastSeen = o.OptTime("last_seen");
        s.pendingReported = o.OptInt("pending_reported", "count");
        s.oldestPendingAgeMs = o.OptInt("oldest_pending_age_ms", "ms");
        s.clockSkewMs = o.OptInt("clock_skew_ms", "ms");
        s.configVersion = o.OptInt("config_version", "version");
        s.latestConfigVersion = o.OptInt("latest_config_version", "version");
        s.configBehind = o.Bool("config_behind", false);
        s.version = o.OptStr("version", "version");
        s.lastError = o.OptStr("last_error", "text");
        s.alert = o.OptStr("alert", "text");
        s.lost = ReadLost(o);
        return s;
    });
}

Result<KioskConfig> DecodeKioskConfig(std::string_view json) {
    return Guard<KioskConfig>([&]() -> KioskConfig {
        Json j = Parse(json, "kiosk config");
        Obj o(j, "");
        if (o.Find("protocol") != nullptr)
            CheckProtocol(o);
        KioskConfig c;
        c.version = o.OptInt("version", "the definition version the server gave it");
        c.source = std::string(json);
        if (const Json* survey = o.Find("survey"); survey != nullptr) {
            Obj s(*survey, "survey");
            c.scale = static_cast<int>(s.OptInt("scale", "4 or 5").value_or(4));
            if (!core::RatingScale::Make(c.scale)) {
                Fail(code::kInvalidValue, "survey.scale", "must be 4 or 5 (the number of faces)");
            }
            if (const Json* q = s.Find("question"); q != nullptr)
                c.question = StringMap(*q, "survey.question");
        }
        if (const Json* roster = o.Find("roster"); roster != nullptr) {
            if (!roster->is_array())
                Fail(code::kWrongType, "roster", "expected an array of {id, name}");
            for (std::size_t i = 0; i < roster->size(); ++i) {
                Obj r((*roster)[i], Index("roster", i));
                RosterEntry e{r.Str("id", "the rep's id"), r.Str("name", "the name shown"),
                              r.Bool("active", true)};
                if (e.id.empty())
                    Fail(code::kInvalidValue, Join(r.Path(), "id"), "must not be empty");
                c.roster.push_back(std::move(e));
            }
        }
        if (const Json* reasons = o.Find("reasons"); reasons != nullptr) {
            if (!reasons->is_array())
                Fail(code::kWrongType, "reasons", "expected an array of {id, labels}");
            for (std::size_t i = 0; i < reasons->size(); ++i) {
                Obj r((*reasons)[i], Index("reasons", i));
                ReasonEntry e;
                e.id = r.Str("id", "the reason id");
                e.attributableToRep = r.Bool("attributable_to_rep", false);
                if (e.id.empty())
                    Fail(code::kInvalidValue, Join(r.Path(), "id"), "must not be empty");
                if (const Json* labels = r.Find("labels"); labels != nullptr) {
                    e.labels = StringMap(*labels, Join(r.Path(), "labels"));
                }
                c.reasons.push_back(std::move(e));
            }
        }
        if (const Json* locales = o.Find("locales"); locales != nullptr) {
            if (!locales->is_array())
                Fail(code::kWrongType, "locales", "expected an array of language codes");
            for (std::size_t i = 0; i < locales->size(); ++i) {
                c.locales.push_back(
                    Obj::AsStr((*locales)[i], Index("locales", i), "a language code"));
            }
        }
        if (const Json* leavers = o.Find("leavers"); leavers != nullptr) {
            if (!leavers->is_array())
                Fail(code::kWrongType, "leavers", "expected an array of {from_sha256, to}");
            if (leavers->size() > kMaxLeavers) {
                Fail(code::kTooManyItems, "leavers",
                     "at most " + std::to_string(kMaxLeavers) + " entries");
            }
            for (std::size_t i = 0; i < leavers->size(); ++i) {
                Obj l((*leavers)[i], Index("leavers", i));
                LeaverEntry e{l.Str("from_sha256", "the old id's SHA-256 in hex"),
                              l.OptStr("to", "the new id, or null (erased)")};
                if (e.fromSha256.size() != 64 ||
                    e.fromSha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
                    Fail(code::kInvalidValue, Join(l.Path(), "from_sha256"),
                         "must be 64 lower-case hex digits");
                }
                if (e.to && e.to->empty())
                    Fail(code::kInvalidValue, Join(l.Path(), "to"), "must not be empty");
                c.leavers.push_back(std::move(e));
            }
        }
        return c;
    });
}

Result<ErrorBody> DecodeErrorBody(std::string_view json) {
    return Guard<ErrorBody>([&]() -> ErrorBody {
        Json j = Parse(json, "error");
        Obj o(j, "");
        Obj e(o.Need("error", "{code, message}"), "error");
        return ErrorBody{e.Str("code", "error code"), e.Str("message", "error text")};
    });
}

Result<RepReport> DecodeRepReport(std::string_view json) {
    return Guard<RepReport>([&]() -> RepReport {
        Json j = Parse(json, "report");
        Obj o(j, "");
        RepReport r;
        r.store = o.OptStr("store", "store id");
        r.from = ReadDate(o, "from");
        r.to = ReadDate(o, "to");
        r.total = ReadStats(Obj(o.Need("total", "totals"), "total"));
        const Json& reps = o.Array("reps", "per rep");
        for (std::size_t i = 0; i < reps.size(); ++i) {
            Obj rep(reps[i], Index("reps", i));
            RepStats s = ReadStats(rep);
            s.repId = rep.OptStr("rep_id", "rep id");
            r.reps.push_back(std::move(s));
        }
        return r;
    });
}

std::optional<ErrorBody> ValidateResponse(const core::Response& r) {
    auto scale = core::RatingScale::Make(r.scale);
    if (!scale) {
        return ErrorBody{
            std::string(code::kInvalidScale),
            "scale " + std::to_string(r.scale) + " is not supported; a survey has 4 or 5 faces"};
    }
    if (!scale->Contains(r.rating)) {
        return ErrorBody{std::string(code::kRatingOutOfScale),
                         "rating " + std::to_string(r.rating) + " is outside 1.." +
                             std::to_string(r.scale) + " for a " + std::to_string(r.scale) +
                             "-face survey"};
    }
    if (r.firstRating && !scale->Contains(*r.firstRating)) {
        return ErrorBody{std::string(code::kRatingOutOfScale),
                         "first_rating " + std::to_string(*r.firstRating) + " is outside 1.." +
                             std::to_string(r.scale) + " for a " + std::to_string(r.scale) +
                             "-face survey"};
    }
    if (r.id.Version() != 7) {
        return ErrorBody{
            std::string(code::kInvalidItem),
            "id " + r.id.ToString() + " is not a UUIDv7; kiosks must generate time-ordered v7 ids"};
    }
    if (r.seq < 1) {
        return ErrorBody{std::string(code::kInvalidItem),
                         "seq must be 1 or more, got " + std::to_string(r.seq)};
    }
    if (r.tzOffsetMin < -720 || r.tzOffsetMin > 840) {
        return ErrorBody{
            std::string(code::kInvalidItem),
            "tz_offset_min " + std::to_string(r.tzOffsetMin) + " is outside -720..840 minutes"};
    }
    auto tooLong = [](const std::optional<std::string>& s, std::size_t max) {
        return s && s->size() > max;
    };
    if (tooLong(r.repId, 64) || tooLong(r.reason, 64) || tooLong(r.misuse, 64) ||
        r.language.empty() || r.language.size() > 35) {
        return ErrorBody{
            std::string(code::kInvalidItem),
            "rep_id, reason and misuse must be at most 64 bytes and language 1..35 bytes"};
    }
    // PostgreSQL text cannot hold U+0000 (libpq cut such a rep_id short, so one backend stored
    // something else than the other and a resend became a conflict; tests/security/VerbatimTest).
    auto hasNul = [](const std::optional<std::string>& s) {
        return s && s->find('\0') != std::string::npos;
    };
    if (hasNul(r.repId) || hasNul(r.reason) || hasNul(r.misuse) ||
        r.language.find('\0') != std::string::npos) {
        return ErrorBody{
            std::string(code::kInvalidItem),
            "rep_id, reason, misuse and language must not contain NUL (\\u0000); fix the kiosk's "
            "roster or reasons"};
    }
    return std::nullopt;
}

bool SameWireContent(const core::Response& a, const core::Response& b) {
    return a.id == b.id && a.seq == b.seq && a.createdAtMs == b.createdAtMs &&
           a.closedAtMs == b.closedAtMs && a.tzOffsetMin == b.tzOffsetMin && a.scale == b.scale &&
           a.rating == b.rating && a.repId == b.repId && a.reason == b.reason &&
           a.language == b.language && a.misuse == b.misuse;
}

}  // namespace fk::protocol
