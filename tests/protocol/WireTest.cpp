#include <doctest/doctest.h>

#include <string>

#include "core/Clock.h"
#include "core/TimeFormat.h"
#include "core/Uuid.h"
#include "protocol/Wire.h"

using namespace fk;
using namespace fk::protocol;

namespace {

core::Response SampleResponse(std::int64_t seq) {
    static core::FakeClock clock;
    static core::Uuid7Generator ids(clock);
    core::Response r;
    r.id = ids.Next();
    r.seq = seq;
    r.createdAtMs = *core::ParseRfc3339("2026-11-22T10:15:30.123Z") + seq;
    r.closedAtMs = r.createdAtMs + 11'000;
    r.tzOffsetMin = 330;
    r.scale = 4;
    r.rating = 1;
    r.repId = "r7";
    r.reason = "wait_time";
    r.language = "hi";
    return r;
}

const char* kValidBatch = R"({"protocol": 1, "kiosk_id": "k1",
  "batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc",
  "responses": [{"id": "0192f3a0-1b2c-7d3e-8f40-123456789abd", "seq": 17,
    "created_at": "2026-11-22T10:15:30.123Z", "closed_at": "2026-11-22T10:15:41.002Z",
    "tz_offset_min": 330, "scale": 4, "rating": 1, "rep_id": "r7", "reason": "wait_time",
    "language": "hi", "misuse": null, "extra_field": [1, 2]}], "also_extra": true})";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
    auto pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    return text.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("the design's example batch decodes field by field; extra fields are ignored") {
    auto batch = DecodeBatch(kValidBatch);
    REQUIRE_MESSAGE(batch.Ok(), (batch.Ok() ? "" : to_string(batch.Error())));
    CHECK(batch->protocol == 1);
    CHECK(batch->kioskId == "k1");
    CHECK(batch->batchId.ToString() == "0192f3a0-1b2c-7d3e-8f40-123456789abc");
    REQUIRE(batch->responses.size() == 1);
    const auto& r = batch->responses[0];
    CHECK(r.id.ToString() == "0192f3a0-1b2c-7d3e-8f40-123456789abd");
    CHECK(r.seq == 17);
    CHECK(core::FormatRfc3339Ms(r.createdAtMs) == "2026-11-22T10:15:30.123Z");
    CHECK(core::FormatRfc3339Ms(*r.closedAtMs) == "2026-11-22T10:15:41.002Z");
    CHECK(r.tzOffsetMin == 330);
    CHECK(r.scale == 4);
    CHECK(r.rating == 1);
    CHECK(r.repId == "r7");
    CHECK(r.reason == "wait_time");
    CHECK(r.language == "hi");
    CHECK_FALSE(r.misuse.has_value());
    CHECK_FALSE(ValidateResponse(r).has_value());
}

TEST_CASE("a batch survives encode then decode unchanged") {
    Batch batch;
    batch.kioskId = "kiosk-ऋ";
    batch.batchId = SampleResponse(1).id;
    for (int i = 1; i <= 5; ++i)
        batch.responses.push_back(SampleResponse(i));
    batch.responses[2].repId.reset();
    batch.responses[3].misuse = "rapid_taps";
    batch.responses[4].scale = 5;
    batch.responses[4].rating = 5;
    auto decoded = DecodeBatch(EncodeBatch(batch));
    REQUIRE(decoded.Ok());
    CHECK(decoded->kioskId == batch.kioskId);
    CHECK(decoded->batchId == batch.batchId);
    REQUIRE(decoded->responses.size() == 5);
    for (std::size_t i = 0; i < 5; ++i)
        CHECK(SameWireContent(decoded->responses[i], batch.responses[i]));
    CHECK_FALSE(SameWireContent(batch.responses[0], batch.responses[1]));
}

TEST_CASE("help is optional on the wire: absent or null is not asked, yes/no round-trip") {
    Batch batch;
    batch.kioskId = "k1";
    batch.batchId = SampleResponse(1).id;
    for (int i = 1; i <= 3; ++i)
        batch.responses.push_back(SampleResponse(i));
    batch.responses[0].help = core::HelpAnswer::Yes;
    batch.responses[1].help = core::HelpAnswer::No;
    const std::string text = EncodeBatch(batch);
    CHECK(text.find(R"("help":"yes")") != std::string::npos);
    // A response never asked carries no help field at all: older servers see nothing new.
    CHECK(EncodeResponse(batch.responses[2]).find("help") == std::string::npos);
    auto decoded = DecodeBatch(text);
    REQUIRE(decoded.Ok());
    CHECK(decoded->responses[0].help == core::HelpAnswer::Yes);
    CHECK(decoded->responses[1].help == core::HelpAnswer::No);
    CHECK_FALSE(decoded->responses[2].help.has_value());
    // The design's example has no help; null reads as not asked; anything else is named.
    CHECK_FALSE(DecodeBatch(kValidBatch)->responses[0].help.has_value());
    const std::string withNull =
        Replace(kValidBatch, R"("misuse": null)", R"("misuse": null, "help": null)");
    CHECK_FALSE(DecodeBatch(withNull)->responses[0].help.has_value());
    auto bad = DecodeBatch(
        Replace(kValidBatch, R"("misuse": null)", R"("misuse": null, "help": "maybe")"));
    REQUIRE_FALSE(bad.Ok());
    CHECK(bad.Error().code == "invalid_value");
    CHECK(bad.Error().path == "responses[0].help");
    CHECK(bad.Error().message.find("\"yes\", \"no\" or null") != std::string::npos);
}

TEST_CASE("bad batches give a code and a path naming the field to fix") {
    struct Case {
        std::string body;
        std::string code;
        std::string path;
    };
    const std::string v = kValidBatch;
    const Case cases[] = {
        {"{not json", "malformed_json", ""},
        {"", "malformed_json", ""},
        {"[1,2]", "wrong_type", ""},
        {Replace(v, R"("protocol": 1)", R"("protocol": 2)"), "unsupported_protocol", "protocol"},
        {Replace(v, R"("protocol": 1,)", ""), "missing_field", "protocol"},
        {Replace(v, R"("kiosk_id": "k1")", R"("kiosk_id": 5)"), "wrong_type", "kiosk_id"},
        {Replace(v, R"("batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc")",
                 R"("batch_id": "nope")"),
         "invalid_value", "batch_id"},
        {Replace(v, R"("rating": 1)", R"("rating": "1")"), "wrong_type", "responses[0].rating"},
        {Replace(v, R"("rating": 1)", R"("rating": 1.5)"), "wrong_type", "responses[0].rating"},
        {Replace(v, R"("seq": 17,)", ""), "missing_field", "responses[0].seq"},
        {Replace(v, R"("rep_id": "r7",)", ""), "missing_field", "responses[0].rep_id"},
        {Replace(v, R"("created_at": "2026-11-22T10:15:30.123Z")", R"("created_at": "yesterday")"),
         "invalid_value", "responses[0].created_at"},
        {Replace(v, R"("responses": [)", R"("responses": [7, )"), "wrong_type", "responses[0]"},
        {Replace(v, R"("responses": [{)", R"("responses": {"x": [{)") + "}", "wrong_type",
         "responses"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.body);
        auto result = DecodeBatch(c.body);
        REQUIRE_FALSE(result.Ok());
        CHECK(result.Error().code == c.code);
        CHECK(result.Error().path == c.path);
        CHECK_FALSE(result.Error().message.empty());
    }
}

TEST_CASE("a batch over the item limit is refused with too_many_items") {
    Batch batch;
    batch.kioskId = "k1";
    batch.batchId = SampleResponse(1).id;
    for (int i = 1; i <= 4; ++i)
        batch.responses.push_back(SampleResponse(i));
    auto result = DecodeBatch(EncodeBatch(batch), 3);
    REQUIRE_FALSE(result.Ok());
    CHECK(result.Error().code == "too_many_items");
    CHECK(DecodeBatch(EncodeBatch(batch), 4).Ok());
}

TEST_CASE("first_rating (change my answer) is optional on the wire and checked against the scale") {
    Batch batch;
    batch.kioskId = "k1";
    batch.batchId = SampleResponse(1).id;
    batch.responses.push_back(SampleResponse(1));
    batch.responses.push_back(SampleResponse(2));
    batch.responses[0].rating = 3;
    batch.responses[0].firstRating = 1;
    const std::string text = EncodeBatch(batch);
    CHECK(text.find(R"("first_rating":1)") != std::string::npos);
    // An answer never changed carries no field at all: older servers see nothing new (and an
    // older server ignores the field: extra fields are ignored, as the design's example shows).
    CHECK(EncodeResponse(batch.responses[1]).find("first_rating") == std::string::npos);
    auto decoded = DecodeBatch(text);
    REQUIRE(decoded.Ok());
    CHECK(decoded->responses[0].rating == 3);
    CHECK(decoded->responses[0].firstRating == 1);
    CHECK_FALSE(decoded->responses[1].firstRating.has_value());
    const std::string withNull =
        Replace(kValidBatch, R"("misuse": null)", R"("misuse": null, "first_rating": null)");
    CHECK_FALSE(DecodeBatch(withNull)->responses[0].firstRating.has_value());
    auto bad = DecodeBatch(
        Replace(kValidBatch, R"("misuse": null)", R"("misuse": null, "first_rating": 99)"));
    REQUIRE_FALSE(bad.Ok());
    CHECK(bad.Error().path == "responses[0].first_rating");
    auto r = SampleResponse(1);
    r.firstRating = 5;  // a 4-face survey
    REQUIRE(ValidateResponse(r).has_value());
    CHECK(ValidateResponse(r)->code == "rating_out_of_scale");
    r.firstRating = 4;
    CHECK_FALSE(ValidateResponse(r).has_value());
}

TEST_CASE("validation checks a rating against its scale") {
    auto r = SampleResponse(1);
    r.scale = 4;
    r.rating = 5;
    auto err = ValidateResponse(r);
    REQUIRE(err.has_value());
    CHECK(err->code == "rating_out_of_scale");
    r.scale = 5;
    CHECK_FALSE(ValidateResponse(r).has_value());
    r.rating = 0;
    CHECK(ValidateResponse(r)->code == "rating_out_of_scale");
    r.rating = 3;
    r.scale = 3;
    CHECK(ValidateResponse(r)->code == "invalid_scale");
    r.scale = 6;
    CHECK(ValidateResponse(r)->code == "invalid_scale");
    r.scale = 4;
    r.seq = 0;
    CHECK(ValidateResponse(r)->code == "invalid_item");
    r.seq = 1;
    r.tzOffsetMin = 900;
    CHECK(ValidateResponse(r)->code == "invalid_item");
    r.tzOffsetMin = -300;
    CHECK_FALSE(ValidateResponse(r).has_value());
    r.id = *core::Uuid::Parse("6ba7b810-9dad-41d1-80b4-00c04fd430c8");  // v4
    CHECK(ValidateResponse(r)->code == "invalid_item");
}

TEST_CASE("receipts, heartbeats, status, config, errors and reports round-trip") {
    Receipt receipt;
    auto a = SampleResponse(1);
    receipt.results.push_back({a.id, ItemStatus::Accepted, std::nullopt});
    receipt.results.push_back({a.id, ItemStatus::Rejected, ErrorBody{"conflict", "differs"}});
    receipt.serverTime = 1'795'000'000'123;
    receipt.ackedSeq = 17;
    auto rd = DecodeReceipt(EncodeReceipt(receipt));
    REQUIRE(rd.Ok());
    REQUIRE(rd->results.size() == 2);
    CHECK(rd->results[1].status == ItemStatus::Rejected);
    CHECK(rd->results[1].error->code == "conflict");
    CHECK(rd->serverTime == receipt.serverTime);
    CHECK(rd->ackedSeq == 17);
    CHECK_FALSE(DecodeReceipt("<html>captive portal</html>").Ok());
    CHECK(DecodeReceipt(
              R"({"results": [{"id": "0192f3a0-1b2c-7d3e-8f40-123456789abd", "status": "maybe"}],
        "server_time": "2026-11-22T10:15:30.123Z", "acked_seq": 0})")
              .Error()
              .path == "results[0].status");

    Heartbeat hb{3, 60'000, 1'795'000'000'000, "0.1.0", "timeout", std::nullopt};
    auto hd = DecodeHeartbeat(EncodeHeartbeat(hb));
    REQUIRE(hd.Ok());
    CHECK(hd->pending == 3);
    CHECK(hd->oldestPendingAgeMs == 60'000);
    CHECK(hd->clock == hb.clock);
    CHECK(hd->lastError == "timeout");
    CHECK(DecodeHeartbeat(R"({"pending": -1, "clock": "2026-11-22T10:15:30Z", "version": "x"})")
              .Error()
              .code == "invalid_value");

    KioskStatus st;
    st.kioskId = "k1";
    st.storeId = "s1";
    st.ackedSeq = 4;
    st.gaps = {{6, 7}, {9, 9}};
    st.lastSeen = 1'795'000'000'000;
    st.clockSkewMs = -1500;
    auto sd = DecodeKioskStatus(EncodeKioskStatus(st));
    REQUIRE(sd.Ok());
    CHECK(sd->gaps == st.gaps);
    CHECK(sd->clockSkewMs == -1500);
    CHECK(sd->lastSeen == st.lastSeen);
    CHECK_FALSE(sd->pendingReported.has_value());

    KioskConfig cfg;
    cfg.scale = 5;
    cfg.question = {{"en", "How did we do?"}, {"hi", "हमारी सेवा कैसी रही?"}};
    cfg.roster = {{"r7", "Asha", true}, {"r8", "Ravi", false}};
    cfg.reasons = {{"wait_time", {{"en", "Waiting time"}}, false},
                   {"rude", {{"en", "Rude"}}, true}};
    cfg.locales = {"en", "hi", "te"};
    auto cd = DecodeKioskConfig(EncodeKioskConfig(cfg));
    REQUIRE(cd.Ok());
    CHECK(*cd == cfg);
    CHECK(cd->reasons[1].attributableToRep);
    // A config without the flag (older servers) reads as not attributable.
    auto old = DecodeKioskConfig(R"({"reasons": [{"id": "price", "labels": {"en": "Price"}}]})");
    REQUIRE(old.Ok());
    CHECK_FALSE(old->reasons[0].attributableToRep);
    CHECK(DecodeKioskConfig(R"({"survey": {"scale": 7}})").Error().path == "survey.scale");
    CHECK(DecodeKioskConfig(R"({"roster": [{"id": "r1"}]})").Error().path == "roster[0].name");

    auto ed = DecodeErrorBody(EncodeError({"bad_token", "get a new token"}));
    REQUIRE(ed.Ok());
    CHECK(ed->code == "bad_token");
}

TEST_CASE(
    "heartbeat answer: the store alert round-trips, is optional, and bad values are refused") {
    HeartbeatAck ack{1'795'000'000'000, 17, 25,
                     StoreAlert{1'794'999'000'000, 1'795'000'000'000, 4, 4, 15}, std::nullopt};
    auto back = DecodeHeartbeatAck(EncodeHeartbeatAck(ack));
    REQUIRE(back.Ok());
    REQUIRE(back->storeAlert);
    CHECK(*back->storeAlert == *ack.storeAlert);
    ack.storeAlert.reset();
    CHECK(EncodeHeartbeatAck(ack).find("store_alert") == std::string::npos);
    back = DecodeHeartbeatAck(EncodeHeartbeatAck(ack));
    REQUIRE(back.Ok());
    CHECK_FALSE(back->storeAlert);
    // An older server's answer has none; null is none too.
    CHECK_FALSE(
        DecodeHeartbeatAck(R"({"server_time": "2026-11-22T10:15:30Z", "store_alert": null})")
            ->storeAlert);
    const std::string head = R"({"server_time": "2026-11-22T10:15:30Z", "store_alert": )";
    CHECK_FALSE(DecodeHeartbeatAck(head + "7}").Ok());
    CHECK(DecodeHeartbeatAck(head + R"({"raised_at": "2026-11-22T10:15:30Z", "checked_at":
        "2026-11-22T10:15:30Z", "negative": 5, "responses": 4, "window_min": 15}})")
              .Error()
              .code == "invalid_value");
    CHECK_FALSE(DecodeHeartbeatAck(head + R"({"raised_at": "2026-11-22T10:15:30Z"}})").Ok());
}
