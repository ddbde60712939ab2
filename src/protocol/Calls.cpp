#include "protocol/Calls.h"

#include "core/TimeFormat.h"
#include "protocol/JsonReader.h"

namespace fk::protocol {

using namespace json_reader;

std::string to_string(CallOutcome outcome) {
    switch (outcome) {
        case CallOutcome::Helped:
            return "helped";
        case CallOutcome::RefundOrReplacement:
            return "refund_or_replacement";
        case CallOutcome::CustomerLeft:
            return "customer_left";
        case CallOutcome::Other:
            return "other";
    }
    return "other";
}

std::optional<CallOutcome> CallOutcomeFromString(std::string_view text) {
    for (auto o : {CallOutcome::Helped, CallOutcome::RefundOrReplacement, CallOutcome::CustomerLeft,
                   CallOutcome::Other}) {
        if (text == to_string(o))
            return o;
    }
    return std::nullopt;
}

std::string to_string(CallStatus status) {
    switch (status) {
        case CallStatus::Open:
            return "open";
        case CallStatus::Acknowledged:
            return "acknowledged";
        case CallStatus::Closed:
            return "closed";
    }
    return "open";
}

std::optional<CallStatus> CallStatusFromString(std::string_view text) {
    for (auto s : {CallStatus::Open, CallStatus::Acknowledged, CallStatus::Closed}) {
        if (text == to_string(s))
            return s;
    }
    return std::nullopt;
}

namespace {

void CallFields(OJson& j, const Call& c) {
    j["response_id"] = c.responseId.ToString();
    j["asked_at"] = core::FormatRfc3339Ms(c.askedAt);
    j["tz_offset_min"] = c.tzOffsetMin;
    j["scale"] = c.scale;
    j["rating"] = c.rating;
    j["rep_id"] = OptJson(c.repId);
    j["reason"] = OptJson(c.reason);
    j["language"] = c.language;
    j["late"] = c.late;
    j["misuse"] = OptJson(c.misuse);
}

Call ReadCall(const Obj& o) {
    Call c;
    c.responseId = o.Uuid("response_id", "the UUIDv7 of the response that asked for help");
    c.askedAt = o.Time("asked_at");
    c.tzOffsetMin = static_cast<int>(o.Int32("tz_offset_min", "minutes east of UTC, e.g. 330"));
    c.scale = static_cast<int>(o.Int32("scale", "4 or 5"));
    c.rating = static_cast<int>(o.Int32("rating", "1..scale"));
    c.repId = o.NullableStr("rep_id", "the representative's id");
    c.reason = o.NullableStr("reason", "the reason id");
    c.language = o.Str("language", "the UI language code, e.g. \"hi\"");
    c.late = o.Bool("late", false);
    c.misuse = o.OptStr("misuse", "the misuse rule name");
    return c;
}

// Staff text: a name or a note typed on a phone. Control characters (newlines in a name, NUL)
// would break CSV rows, e-mail headers and PostgreSQL text.
std::string CheckStaffText(const std::string& text, const std::string& path, std::size_t max,
                           bool allowNewlines) {
    if (text.size() > max) {
        Fail(code::kInvalidValue, path,
             "too long: " + std::to_string(text.size()) + " bytes; at most " + std::to_string(max));
    }
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && !(allowNewlines && (c == '\n' || c == '\t'))) || c == 0x7f) {
            Fail(code::kInvalidValue, path, "must not contain control characters");
        }
    }
    return text;
}

std::string ReadBy(const Obj& o) {
    std::string by = o.Str("by", "the name of the staff member, e.g. \"Asha\"");
    if (by.empty())
        Fail(code::kInvalidValue, Join(o.Path(), "by"), "must not be empty; send who is going");
    return CheckStaffText(by, Join(o.Path(), "by"), kMaxCallStaffName, false);
}

OJson RecordJson(const CallRecord& r) {
    OJson j;
    CallFields(j, r.call);
    j["kiosk_id"] = r.kioskId;
    j["store_id"] = r.storeId;
    j["received_at"] = core::FormatRfc3339Ms(r.receivedAt);
    j["status"] = to_string(r.status);
    j["repeats"] = r.repeats;
    j["acked_at"] = OptTimeJson(r.ackedAt);
    j["acked_by"] = OptJson(r.ackedBy);
    j["closed_at"] = OptTimeJson(r.closedAt);
    j["closed_by"] = OptJson(r.closedBy);
    j["outcome"] = r.outcome ? OJson(to_string(*r.outcome)) : OJson(nullptr);
    j["note"] = OptJson(r.note);
    return j;
}

CallRecord ReadRecord(const Obj& o) {
    CallRecord r;
    r.call = ReadCall(o);
    r.kioskId = o.Str("kiosk_id", "the kiosk id");
    r.storeId = o.Str("store_id", "the store id");
    r.receivedAt = o.Time("received_at");
    std::string status = o.Str("status", "open, acknowledged or closed");
    auto s = CallStatusFromString(status);
    if (!s) {
        Fail(code::kInvalidValue, Join(o.Path(), "status"),
             "\"" + status + "\" is not a call status; expected open, acknowledged or closed");
    }
    r.status = *s;
    const Json* repeats = o.Find("repeats");
    if (repeats != nullptr && !repeats->is_null())
        r.repeats = o.Int32("repeats", "a count");
    r.ackedAt = o.OptTime("acked_at");
    r.ackedBy = o.OptStr("acked_by", "a name");
    r.closedAt = o.OptTime("closed_at");
    r.closedBy = o.OptStr("closed_by", "a name");
    if (auto outcome = o.OptStr("outcome", "an outcome")) {
        auto parsed = CallOutcomeFromString(*outcome);
        if (!parsed) {
            Fail(code::kInvalidValue, Join(o.Path(), "outcome"),
                 "\"" + *outcome + "\" is not an outcome");
        }
        r.outcome = *parsed;
    }
    r.note = o.OptStr("note", "text");
    return r;
}

}  // namespace

std::string EncodeCallsRequest(const CallsRequest& request) {
    OJson j;
    j["protocol"] = request.protocol;
    j["kiosk_id"] = request.kioskId;
    OJson calls = OJson::array();
    for (const auto& c : request.calls) {
        OJson item;
        CallFields(item, c);
        calls.push_back(std::move(item));
    }
    j["calls"] = std::move(calls);
    return Dump(j);
}

std::string EncodeCallsReceipt(const CallsReceipt& receipt) {
    OJson j;
    OJson results = OJson::array();
    for (const auto& r : receipt.results) {
        OJson item;
        item["response_id"] = r.responseId.ToString();
        item["status"] = to_string(r.status);
        if (r.error)
            item["error"] = OJson{{"code", r.error->code}, {"message", r.error->message}};
        results.push_back(std::move(item));
    }
    j["results"] = std::move(results);
    j["server_time"] = core::FormatRfc3339Ms(receipt.serverTime);
    return Dump(j);
}

std::string EncodeCallAck(const CallAck& ack) {
    OJson j;
    j["by"] = ack.by;
    return Dump(j);
}

std::string EncodeCallClose(const CallClose& close) {
    OJson j;
    j["by"] = close.by;
    j["outcome"] = to_string(close.outcome);
    if (close.note)
        j["note"] = *close.note;
    return Dump(j);
}

std::string EncodeCallRecord(const CallRecord& record) {
    return Dump(RecordJson(record));
}

std::string EncodeCallList(const CallList& list) {
    OJson j;
    j["store"] = OptJson(list.store);
    OJson calls = OJson::array();
    for (const auto& r : list.calls)
        calls.push_back(RecordJson(r));
    j["calls"] = std::move(calls);
    return Dump(j);
}

Result<CallsRequest> DecodeCallsRequest(std::string_view json, std::size_t maxCalls) {
    return Guard<CallsRequest>([&] {
        Json j = Parse(json, "calls request");
        Obj o(j, "");
        CallsRequest req;
        std::int64_t version = o.Int32("protocol", "the protocol version, 1");
        if (version != kProtocolVersion) {
            Fail(code::kUnsupportedProtocol, "protocol",
                 "protocol version " + std::to_string(version) +
                     " is not supported; this server speaks protocol 1, update the kiosk software");
        }
        req.protocol = static_cast<int>(version);
        req.kioskId = o.Str("kiosk_id", "the kiosk id the token was issued for");
        if (req.kioskId.empty())
            Fail(code::kInvalidValue, "kiosk_id", "must not be empty");
        const Json& calls = o.Array("calls", "1 to 50 calls");
        if (calls.empty()) {
            Fail(code::kInvalidValue, "calls",
                 "is empty; send 1 to " + std::to_string(maxCalls) + " calls, or nothing at all");
        }
        if (calls.size() > maxCalls) {
            Fail(code::kTooManyItems, "calls",
                 std::to_string(calls.size()) + " calls in one request; send at most " +
                     std::to_string(maxCalls) + " and the rest in further requests");
        }
        for (std::size_t i = 0; i < calls.size(); ++i)
            req.calls.push_back(ReadCall(Obj(calls[i], Index("calls", i))));
        return req;
    });
}

Result<CallsReceipt> DecodeCallsReceipt(std::string_view json) {
    return Guard<CallsReceipt>([&] {
        Json j = Parse(json, "calls receipt");
        Obj o(j, "");
        CallsReceipt receipt;
        const Json& results = o.Array("results", "one result per call");
        if (results.size() > kMaxCallsPerRequest) {
            Fail(code::kTooManyItems, "results",
                 "more results than a request can hold (" + std::to_string(kMaxCallsPerRequest) +
                     ")");
        }
        for (std::size_t i = 0; i < results.size(); ++i) {
            Obj item(results[i], Index("results", i));
            CallResult r;
            r.responseId = item.Uuid("response_id", "the call's response id");
            std::string status = item.Str("status", "accepted, duplicate or rejected");
            if (status == "accepted") {
                r.status = ItemStatus::Accepted;
            } else if (status == "duplicate") {
                r.status = ItemStatus::Duplicate;
            } else if (status == "rejected") {
                r.status = ItemStatus::Rejected;
            } else {
                Fail(code::kInvalidValue, Join(item.Path(), "status"),
                     "\"" + status + "\" is not accepted, duplicate or rejected");
            }
            if (const Json* error = item.Find("error"); error != nullptr && !error->is_null()) {
                Obj e(*error, Join(item.Path(), "error"));
                r.error = ErrorBody{e.Str("code", "an error code"), e.Str("message", "text")};
            }
            receipt.results.push_back(std::move(r));
        }
        receipt.serverTime = o.Time("server_time");
        return receipt;
    });
}

Result<CallAck> DecodeCallAck(std::string_view json) {
    return Guard<CallAck>([&] {
        Json j = Parse(json, "acknowledgement");
        Obj o(j, "");
        return CallAck{ReadBy(o)};
    });
}

Result<CallClose> DecodeCallClose(std::string_view json) {
    return Guard<CallClose>([&] {
        Json j = Parse(json, "close");
        Obj o(j, "");
        CallClose close;
        close.by = ReadBy(o);
        std::string outcome =
            o.Str("outcome", "helped, refund_or_replacement, customer_left or other");
        auto parsed = CallOutcomeFromString(outcome);
        if (!parsed) {
            Fail(code::kInvalidValue, "outcome",
                 "\"" + outcome +
                     "\" is not an outcome; use helped, refund_or_replacement, customer_left or "
                     "other");
        }
        close.outcome = *parsed;
        if (auto note = o.OptStr("note", "a short note")) {
            close.note = CheckStaffText(*note, "note", kMaxCallNote, true);
        }
        return close;
    });
}

Result<CallRecord> DecodeCallRecord(std::string_view json) {
    return Guard<CallRecord>([&] {
        Json j = Parse(json, "call");
        return ReadRecord(Obj(j, ""));
    });
}

Result<CallList> DecodeCallList(std::string_view json) {
    return Guard<CallList>([&] {
        Json j = Parse(json, "call list");
        Obj o(j, "");
        CallList list;
        list.store = o.OptStr("store", "the store id");
        const Json& calls = o.Array("calls", "the calls");
        if (calls.size() > kMaxCallsListed) {
            Fail(code::kTooManyItems, "calls",
                 "more calls than one answer can hold (" + std::to_string(kMaxCallsListed) + ")");
        }
        for (std::size_t i = 0; i < calls.size(); ++i)
            list.calls.push_back(ReadRecord(Obj(calls[i], Index("calls", i))));
        return list;
    });
}

std::optional<ErrorBody> ValidateCall(const Call& call) {
    // The same value rules as the response it belongs to (seq is not part of a call).
    core::Response r;
    r.id = call.responseId;
    r.seq = 1;
    r.createdAtMs = call.askedAt;
    r.tzOffsetMin = call.tzOffsetMin;
    r.scale = call.scale;
    r.rating = call.rating;
    r.repId = call.repId;
    r.reason = call.reason;
    r.language = call.language;
    r.misuse = call.misuse;
    auto error = ValidateResponse(r);
    if (error && error->message.rfind("id ", 0) == 0)
        error->message = "response_id" + error->message.substr(2);
    return error;
}

}  // namespace fk::protocol
