#include <doctest/doctest.h>

#include <random>
#include <string>

#include "core/Clock.h"
#include "core/TimeFormat.h"
#include "core/Uuid.h"
#include "protocol/Calls.h"

using namespace fk;
using namespace fk::protocol;

namespace {

Call SampleCall(int i) {
    static core::FakeClock clock;
    static core::Uuid7Generator ids(clock);
    Call c;
    c.responseId = ids.Next();
    c.askedAt = *core::ParseRfc3339("2026-11-22T10:15:30.123Z") + i;
    c.tzOffsetMin = 330;
    c.scale = 4;
    c.rating = 1;
    c.repId = "r7";
    c.reason = "wait_time";
    c.language = "hi";
    return c;
}

const char* kValidRequest = R"({"protocol": 1, "kiosk_id": "k1", "calls": [
  {"response_id": "0192f3a0-1b2c-7d3e-8f40-123456789abd", "asked_at": "2026-11-22T10:15:41.002Z",
   "tz_offset_min": 330, "scale": 4, "rating": 1, "rep_id": null, "reason": "wait_time",
   "language": "hi", "late": false, "misuse": null, "future_field": {"x": 1}}]})";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
    auto pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    return text.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("the documented calls request decodes field by field") {
    auto req = DecodeCallsRequest(kValidRequest);
    REQUIRE_MESSAGE(req.Ok(), (req.Ok() ? "" : to_string(req.Error())));
    CHECK(req->kioskId == "k1");
    REQUIRE(req->calls.size() == 1);
    const Call& c = req->calls[0];
    CHECK(c.responseId.ToString() == "0192f3a0-1b2c-7d3e-8f40-123456789abd");
    CHECK(core::FormatRfc3339Ms(c.askedAt) == "2026-11-22T10:15:41.002Z");
    CHECK(c.tzOffsetMin == 330);
    CHECK(c.rating == 1);
    CHECK_FALSE(c.repId.has_value());
    CHECK(c.reason == "wait_time");
    CHECK(c.language == "hi");
    CHECK_FALSE(c.late);
    CHECK_FALSE(c.misuse.has_value());
    CHECK_FALSE(ValidateCall(c).has_value());
    // late and misuse may be left out (read as false and null).
    auto minimal = DecodeCallsRequest(
        Replace(Replace(kValidRequest, R"("late": false, )", ""), R"("misuse": null, )", ""));
    REQUIRE(minimal.Ok());
    CHECK_FALSE(minimal->calls[0].late);
}

TEST_CASE("calls requests and receipts survive encode then decode") {
    CallsRequest req;
    req.kioskId = "kiosk-ऋ";
    for (int i = 0; i < 3; ++i)
        req.calls.push_back(SampleCall(i));
    req.calls[1].late = true;
    req.calls[1].repId.reset();
    req.calls[2].misuse = "call_burst";
    auto back = DecodeCallsRequest(EncodeCallsRequest(req));
    REQUIRE(back.Ok());
    CHECK(back->kioskId == req.kioskId);
    CHECK(back->calls == req.calls);

    CallsReceipt receipt;
    receipt.serverTime = 1'795'000'000'123;
    receipt.results.push_back({req.calls[0].responseId, ItemStatus::Accepted, std::nullopt});
    receipt.results.push_back({req.calls[1].responseId, ItemStatus::Duplicate, std::nullopt});
    receipt.results.push_back(
        {req.calls[2].responseId, ItemStatus::Rejected, ErrorBody{"invalid_item", "why"}});
    auto rb = DecodeCallsReceipt(EncodeCallsReceipt(receipt));
    REQUIRE(rb.Ok());
    REQUIRE(rb->results.size() == 3);
    CHECK(rb->serverTime == receipt.serverTime);
    CHECK(rb->results[1].status == ItemStatus::Duplicate);
    CHECK(rb->results[2].error->code == "invalid_item");
    CHECK_FALSE(DecodeCallsReceipt("<html>captive portal</html>").Ok());
    CHECK(DecodeCallsReceipt(R"({"results": [{"response_id": "0192f3a0-1b2c-7d3e-8f40-123456789abd",
        "status": "maybe"}], "server_time": "2026-11-22T10:15:30.123Z"})")
              .Error()
              .path == "results[0].status");
}

TEST_CASE("bad calls requests name the field to fix") {
    struct Case {
        std::string body;
        std::string code;
        std::string path;
    };
    const std::string v = kValidRequest;
    const Case cases[] = {
        {"{", "malformed_json", ""},
        {"[]", "wrong_type", ""},
        {Replace(v, R"("protocol": 1)", R"("protocol": 2)"), "unsupported_protocol", "protocol"},
        {Replace(v, R"("kiosk_id": "k1")", R"("kiosk_id": "")"), "invalid_value", "kiosk_id"},
        {Replace(v, R"("calls": [)", R"("calls": [], "x": [)"), "invalid_value", "calls"},
        {Replace(v, R"("rating": 1)", R"("rating": "1")"), "wrong_type", "calls[0].rating"},
        {Replace(v, R"("rating": 1)", R"("rating": 99999999999)"), "invalid_value",
         "calls[0].rating"},
        {Replace(v, R"("late": false)", R"("late": "no")"), "wrong_type", "calls[0].late"},
        {Replace(v, R"("asked_at": "2026-11-22T10:15:41.002Z")", R"("asked_at": "now")"),
         "invalid_value", "calls[0].asked_at"},
        {Replace(v, R"("response_id": "0192f3a0-1b2c-7d3e-8f40-123456789abd")",
                 R"("response_id": "x")"),
         "invalid_value", "calls[0].response_id"},
        {Replace(v, R"("rep_id": null, )", ""), "missing_field", "calls[0].rep_id"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.body);
        auto result = DecodeCallsRequest(c.body);
        REQUIRE_FALSE(result.Ok());
        CHECK(result.Error().code == c.code);
        CHECK(result.Error().path == c.path);
        CHECK_FALSE(result.Error().message.empty());
    }
}

TEST_CASE("a calls request holds 1 to 50 calls") {
    CallsRequest req;
    req.kioskId = "k1";
    for (std::size_t i = 0; i < kMaxCallsPerRequest; ++i)
        req.calls.push_back(SampleCall(static_cast<int>(i)));
    CHECK(DecodeCallsRequest(EncodeCallsRequest(req)).Ok());
    req.calls.push_back(SampleCall(99));
    auto over = DecodeCallsRequest(EncodeCallsRequest(req));
    REQUIRE_FALSE(over.Ok());
    CHECK(over.Error().code == "too_many_items");
}

TEST_CASE("call values are checked like the response they belong to") {
    Call c = SampleCall(1);
    CHECK_FALSE(ValidateCall(c).has_value());
    c.rating = 5;
    CHECK(ValidateCall(c)->code == "rating_out_of_scale");
    c.scale = 7;
    CHECK(ValidateCall(c)->code == "invalid_scale");
    c = SampleCall(2);
    c.responseId = *core::Uuid::Parse("6ba7b810-9dad-41d1-80b4-00c04fd430c8");  // v4
    auto err = ValidateCall(c);
    REQUIRE(err.has_value());
    CHECK(err->code == "invalid_item");
    CHECK(err->message.rfind("response_id ", 0) == 0);
    c = SampleCall(3);
    c.tzOffsetMin = 900;
    CHECK(ValidateCall(c)->code == "invalid_item");
    c = SampleCall(4);
    c.repId = std::string(65, 'r');
    CHECK(ValidateCall(c)->code == "invalid_item");
    c.repId = std::string(64, 'r');
    CHECK_FALSE(ValidateCall(c).has_value());
    c.reason = std::string("a\0b", 3);
    CHECK(ValidateCall(c)->code == "invalid_item");
}

TEST_CASE("ack and close bodies are checked at their limits") {
    auto ack = DecodeCallAck(EncodeCallAck({"Asha"}));
    REQUIRE(ack.Ok());
    CHECK(ack->by == "Asha");
    CHECK(DecodeCallAck(EncodeCallAck({std::string(kMaxCallStaffName, 'a')})).Ok());
    CHECK(DecodeCallAck(EncodeCallAck({std::string(kMaxCallStaffName + 1, 'a')})).Error().path ==
          "by");
    CHECK(DecodeCallAck(R"({"by": ""})").Error().code == "invalid_value");
    CHECK(DecodeCallAck(R"({"by": "a\nb"})").Error().code == "invalid_value");
    CHECK(DecodeCallAck(R"({})").Error().code == "missing_field");

    CallClose close{"Ravi", CallOutcome::RefundOrReplacement, std::string(kMaxCallNote, 'n')};
    auto cl = DecodeCallClose(EncodeCallClose(close));
    REQUIRE(cl.Ok());
    CHECK(cl->outcome == CallOutcome::RefundOrReplacement);
    CHECK(cl->note->size() == kMaxCallNote);
    close.note = std::string(kMaxCallNote + 1, 'n');
    CHECK(DecodeCallClose(EncodeCallClose(close)).Error().path == "note");
    close.note = "line one\nline two";
    CHECK(DecodeCallClose(EncodeCallClose(close)).Ok());
    auto bad = DecodeCallClose(R"({"by": "x", "outcome": "fixed"})");
    REQUIRE_FALSE(bad.Ok());
    CHECK(bad.Error().path == "outcome");
    CHECK(bad.Error().message.find("helped") != std::string::npos);
    for (auto o : {CallOutcome::Helped, CallOutcome::RefundOrReplacement, CallOutcome::CustomerLeft,
                   CallOutcome::Other}) {
        CHECK(CallOutcomeFromString(to_string(o)) == o);
    }
}

TEST_CASE("call records and lists round-trip") {
    CallRecord r;
    r.call = SampleCall(5);
    r.kioskId = "k1";
    r.storeId = "s1";
    r.receivedAt = 1'795'000'000'000;
    r.status = CallStatus::Closed;
    r.repeats = 4;
    r.ackedAt = r.receivedAt + 30'000;
    r.ackedBy = "Asha";
    r.closedAt = r.receivedAt + 90'000;
    r.closedBy = "Asha";
    r.outcome = CallOutcome::CustomerLeft;
    r.note = "gone";
    auto back = DecodeCallRecord(EncodeCallRecord(r));
    REQUIRE(back.Ok());
    CHECK(*back == r);
    CallRecord open;
    open.call = SampleCall(6);
    open.kioskId = "k2";
    open.storeId = "s1";
    open.receivedAt = 1;
    CallList list{"s1", {r, open}};
    auto lb = DecodeCallList(EncodeCallList(list));
    REQUIRE(lb.Ok());
    CHECK(lb->store == "s1");
    REQUIRE(lb->calls.size() == 2);
    CHECK(lb->calls[1] == open);
}

// Fuzz-style: thousands of mutations of valid documents (bytes flipped, cut, duplicated, digits
// inflated) never throw or crash, and whatever decodes encodes and decodes to the same value.
TEST_CASE("mutated call documents never throw and round-trip when accepted") {
    CallsRequest req;
    req.kioskId = "k1";
    req.calls = {SampleCall(1), SampleCall(2)};
    req.calls[1].late = true;
    CallRecord rec;
    rec.call = SampleCall(3);
    rec.kioskId = "k";
    rec.storeId = "s";
    rec.ackedBy = "x";
    const std::string seeds[] = {
        EncodeCallsRequest(req),
        EncodeCallsReceipt({{{req.calls[0].responseId, ItemStatus::Accepted, std::nullopt}}, 5}),
        EncodeCallClose({"Asha", CallOutcome::Other, "n"}),
        EncodeCallRecord(rec),
    };
    std::mt19937 rng(16);
    const std::string alphabet = "{}[]\",:0123456789-.eE\\u nultrf\x7f\xff\xc3";
    int accepted = 0;
    for (int iter = 0; iter < 4000; ++iter) {
        std::string doc = seeds[static_cast<std::size_t>(iter) % 4];
        int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits && !doc.empty(); ++e) {
            std::size_t pos = rng() % doc.size();
            switch (rng() % 4) {
                case 0:
                    doc[pos] = alphabet[rng() % alphabet.size()];
                    break;
                case 1:
                    doc.erase(pos, 1 + rng() % 8);
                    break;
                case 2:
                    doc.insert(pos, std::string(1 + rng() % 30, '9'));
                    break;
                default:
                    doc.insert(pos, doc.substr(pos, rng() % 40));
                    break;
            }
        }
        auto a = DecodeCallsRequest(doc);
        if (a.Ok()) {
            ++accepted;
            CHECK(a->calls.size() <= kMaxCallsPerRequest);
            auto again = DecodeCallsRequest(EncodeCallsRequest(*a));
            REQUIRE(again.Ok());
            CHECK(again->calls == a->calls);
        } else {
            CHECK_FALSE(a.Error().code.empty());
        }
        auto b = DecodeCallsReceipt(doc);
        if (b.Ok())
            CHECK(DecodeCallsReceipt(EncodeCallsReceipt(*b)).Ok());
        auto c = DecodeCallClose(doc);
        if (c.Ok()) {
            CHECK(c->by.size() <= kMaxCallStaffName);
            CHECK((!c->note || c->note->size() <= kMaxCallNote));
        }
        auto d = DecodeCallRecord(doc);
        if (d.Ok())
            CHECK(*DecodeCallRecord(EncodeCallRecord(*d)) == *d);
        (void)DecodeCallAck(doc);
        (void)DecodeCallList(doc);
    }
    CHECK(accepted > 0);  // some mutations (inside strings) stay valid: the round trip ran
}
