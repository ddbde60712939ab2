#include <doctest/doctest.h>

#include <iostream>
#include <random>
#include <string>

#include "core/Clock.h"
#include "core/TimeFormat.h"
#include "core/Uuid.h"
#include "protocol/Wire.h"

using namespace fk;
using namespace fk::protocol;

namespace {

// DecodeBatch reads well-formed batches in a strict one-pass reader and leaves everything else to
// the general nlohmann path. A UTF-8 byte order mark (which nlohmann skips) is something the fast
// reader gives up on, so BOM + text decodes the same text through the general path only: the
// reference every input must agree with, value for value and error for error.
const std::string kBom = "\xEF\xBB\xBF";

Batch SampleBatch(int rows) {
    core::FakeClock clock;
    core::Uuid7Generator ids(clock);
    Batch b;
    b.kioskId = "k1";
    b.batchId = ids.Next();
    for (int i = 1; i <= rows; ++i) {
        core::Response r;
        r.id = ids.Next();
        r.seq = i;
        r.createdAtMs = *core::ParseRfc3339("2026-11-22T10:15:30.123Z") + i * 997;
        r.closedAtMs = r.createdAtMs + 4000 + i;
        r.tzOffsetMin = i % 2 == 0 ? 330 : -300;
        r.scale = 4 + i % 2;
        r.rating = 1 + i % 4;
        if (i % 3 != 0)
            r.repId = "r" + std::to_string(i % 12);
        if (r.rating <= 2)
            r.reason = "wait_time";
        if (i % 5 == 0)
            r.misuse = "rapid_taps";
        r.language = i % 2 == 0 ? "hi" : "en";
        if (r.rating == 1 || i == 1)
            r.help = i % 2 == 0 ? core::HelpAnswer::No : core::HelpAnswer::Yes;
        b.responses.push_back(r);
    }
    return b;
}

void CheckSameAsGeneralPath(const std::string& text) {
    auto fast = DecodeBatch(text, 50);
    auto general = DecodeBatch(kBom + text, 50);
    INFO("input: " << text);
    REQUIRE(fast.Ok() == general.Ok());
    if (!fast.Ok()) {
        CHECK(fast.Error().code == general.Error().code);
        CHECK(fast.Error().path == general.Error().path);
        CHECK(fast.Error().message == general.Error().message);
        return;
    }
    CHECK(fast->protocol == general->protocol);
    CHECK(fast->kioskId == general->kioskId);
    CHECK(fast->batchId == general->batchId);
    REQUIRE(fast->responses.size() == general->responses.size());
    for (std::size_t i = 0; i < fast->responses.size(); ++i) {
        CHECK(SameWireContent(fast->responses[i], general->responses[i]));
        CHECK(fast->responses[i].help == general->responses[i].help);
        CHECK(fast->responses[i].syncState == general->responses[i].syncState);
    }
}

}  // namespace

TEST_CASE(
    "the fast batch reader and the general path agree on encoded batches and on hand-written "
    "variants") {
    std::string encoded = EncodeBatch(SampleBatch(20));
    REQUIRE(DecodeBatch(kBom + encoded, 50).Ok());  // the reference path really decodes
    CheckSameAsGeneralPath(encoded);
    const char* variants[] = {
        R"({"responses": [], "batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc", "kiosk_id": "k1", "protocol": 1})",
        R"( { "protocol" : 1 , "kiosk_id" : "k1" , "batch_id" : "0192f3a0-1b2c-7d3e-8f40-123456789abc" , "responses" : [ ] } )",
        R"({"protocol": 1, "protocol": 1, "kiosk_id": "k1", "batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc", "responses": []})",
        R"({"protocol": 2, "kiosk_id": "k1", "batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc", "responses": []})",
        R"({"protocol": 1.0, "kiosk_id": "k1", "batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc", "responses": []})",
        R"({"protocol": 01, "kiosk_id": "k1", "batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc", "responses": []})",
        R"({"protocol": 1, "kiosk_id": "", "batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc", "responses": []})",
        R"({"protocol": 1, "kiosk_id": "k\u0031", "batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc", "responses": []})",
        R"({"protocol": 1, "kiosk_id": "k1", "batch_id": "nope", "responses": []})",
        R"({"protocol": 1, "kiosk_id": "k1", "batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc", "responses": {}})",
        R"({"protocol": 1, "kiosk_id": "k1", "batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc", "responses": []} x)",
        R"({"protocol": 1, "kiosk_id": "k1", "batch_id": "0192f3a0-1b2c-7d3e-8f40-123456789abc"})",
        R"([1, 2])",
        "",
    };
    for (const char* v : variants)
        CheckSameAsGeneralPath(v);
    // Every field of an item: wrong types, nulls, out-of-range, missing.
    std::string one = EncodeBatch(SampleBatch(1));
    for (const char* key : {"\"id\":", "\"seq\":", "\"created_at\":", "\"closed_at\":",
                            "\"tz_offset_min\":", "\"scale\":", "\"rating\":", "\"rep_id\":",
                            "\"reason\":", "\"language\":", "\"misuse\":", "\"help\":"}) {
        auto pos = one.find(key);
        REQUIRE(pos != std::string::npos);
        auto valueStart = pos + std::string(key).size();
        auto valueEnd = one.find_first_of(",}", valueStart);
        for (const char* value :
             {"null", "\"x\"", "-0", "0", "-1", "99999999999", "9223372036854775808", "1e2", "true",
              "[]", "\"2026-11-22T10:15:30.123Z\"", "\"0192f3a0-1b2c-7d3e-8f40-123456789abd\""}) {
            CheckSameAsGeneralPath(one.substr(0, valueStart) + value + one.substr(valueEnd));
        }
        CheckSameAsGeneralPath(one.substr(0, pos) + "\"other\":" + one.substr(valueStart));
    }
}

TEST_CASE("the fast batch reader and the general path agree on randomly damaged batches") {
    std::uint32_t seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::string encoded = EncodeBatch(SampleBatch(3));
    const std::string alphabet = "{}[]:,\"\\ 0123456789-.eEnultrfa\x01\x7f\xc3\xa9";
    for (int round = 0; round < 3000; ++round) {
        std::string text = encoded;
        int edits = 1 + static_cast<int>(rng() % 3);
        for (int e = 0; e < edits; ++e) {
            std::size_t at = rng() % text.size();
            char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3) {
                case 0:
                    text[at] = c;
                    break;
                case 1:
                    text.insert(at, 1, c);
                    break;
                default:
                    text.erase(at, 1);
                    break;
            }
        }
        CheckSameAsGeneralPath(text);
    }
}

TEST_CASE("a receipt is encoded as compact JSON, error text escaped, and decodes back") {
    Receipt receipt;
    receipt.serverTime = *core::ParseRfc3339("2026-11-22T10:15:30.123Z");
    receipt.ackedSeq = 41;
    auto a = core::Uuid::Parse("0192f3a0-1b2c-7d3e-8f40-123456789abc").value();
    auto b = core::Uuid::Parse("0192f3a0-1b2c-7d3e-8f40-123456789abd").value();
    receipt.results.push_back(ItemResult{a, ItemStatus::Accepted, std::nullopt});
    receipt.results.push_back(
        ItemResult{b, ItemStatus::Rejected, ErrorBody{"conflict", "id \"x\"\n ऋ \\ kept"}});
    std::string text = EncodeReceipt(receipt);
    CHECK(text ==
          "{\"results\":[{\"id\":\"0192f3a0-1b2c-7d3e-8f40-123456789abc\",\"status\":\"accepted\"},"
          "{\"id\":\"0192f3a0-1b2c-7d3e-8f40-123456789abd\",\"status\":\"rejected\",\"error\":{"
          "\"code\":\"conflict\","
          "\"message\":\"id \\\"x\\\"\\n ऋ \\\\ "
          "kept\"}}],\"server_time\":\"2026-11-22T10:15:30.123Z\",\"acked_seq\":41}");
    auto decoded = DecodeReceipt(text);
    REQUIRE(decoded.Ok());
    REQUIRE(decoded->results.size() == 2);
    CHECK(decoded->results[1].error->message == "id \"x\"\n ऋ \\ kept");
    CHECK(decoded->ackedSeq == 41);
    CHECK(EncodeReceipt(Receipt{}) ==
          "{\"results\":[],\"server_time\":\"1970-01-01T00:00:00.000Z\",\"acked_seq\":0}");
}
