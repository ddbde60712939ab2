// libFuzzer target over every protocol v1 decoder in protocol/Wire.h but the batch one
// (BatchDecoderFuzz.cpp): the kiosk side (receipt, config, error body) and the server side
// (response, heartbeat), the readers of status and reports, and the help-call bodies of
// protocol/Calls.h (request, receipt, ack, close, record, list). Each input goes to every decoder.
// Decoders must never throw or crash; a failure must carry a code and a message; whatever
// decodes must re-encode to JSON that decodes again and re-encodes to the same text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "FuzzCheck.h"
#include "protocol/Calls.h"
#include "protocol/Wire.h"

namespace {

namespace wire = fk::protocol;

template <typename T, typename Decode, typename Encode>
void RoundTrip(std::string_view text, Decode decode, Encode encode) {
    auto first = decode(text);
    if (!first.Ok()) {
        FK_FUZZ_CHECK(!first.Error().code.empty() && !first.Error().message.empty(),
                      std::string(text));
        return;
    }
    const std::string once = encode(*first);
    auto second = decode(once);
    FK_FUZZ_CHECK(second.Ok(),
                  once + "\n  -> " +
                      (second.Ok() ? "" : second.Error().code + ": " + second.Error().message));
    const std::string twice = encode(*second);
    FK_FUZZ_CHECK(once == twice, once + "\n  != " + twice);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    RoundTrip<fk::core::Response>(
        text, [](std::string_view t) { return wire::DecodeResponse(t); },
        [](const fk::core::Response& r) { return wire::EncodeResponse(r); });
    if (auto response = wire::DecodeResponse(text); response.Ok())
        (void)wire::ValidateResponse(*response);
    RoundTrip<wire::Receipt>(
        text, [](std::string_view t) { return wire::DecodeReceipt(t); },
        [](const wire::Receipt& r) { return wire::EncodeReceipt(r); });
    RoundTrip<wire::Heartbeat>(
        text, [](std::string_view t) { return wire::DecodeHeartbeat(t); },
        [](const wire::Heartbeat& h) { return wire::EncodeHeartbeat(h); });
    RoundTrip<wire::KioskStatus>(
        text, [](std::string_view t) { return wire::DecodeKioskStatus(t); },
        [](const wire::KioskStatus& s) { return wire::EncodeKioskStatus(s); });
    RoundTrip<wire::KioskConfig>(
        text, [](std::string_view t) { return wire::DecodeKioskConfig(t); },
        [](const wire::KioskConfig& c) { return wire::EncodeKioskConfig(c); });
    RoundTrip<wire::ErrorBody>(
        text, [](std::string_view t) { return wire::DecodeErrorBody(t); },
        [](const wire::ErrorBody& e) { return wire::EncodeError(e); });
    (void)wire::DecodeRepReport(text);  // how tests read the server's reports
    RoundTrip<wire::CallsRequest>(
        text, [](std::string_view t) { return wire::DecodeCallsRequest(t); },
        [](const wire::CallsRequest& r) { return wire::EncodeCallsRequest(r); });
    if (auto calls = wire::DecodeCallsRequest(text); calls.Ok()) {
        FK_FUZZ_CHECK(!calls->calls.empty() && calls->calls.size() <= wire::kMaxCallsPerRequest,
                      std::string(text));
        for (const auto& call : calls->calls)
            (void)wire::ValidateCall(call);
    }
    RoundTrip<wire::CallsReceipt>(
        text, [](std::string_view t) { return wire::DecodeCallsReceipt(t); },
        [](const wire::CallsReceipt& r) { return wire::EncodeCallsReceipt(r); });
    RoundTrip<wire::CallAck>(
        text, [](std::string_view t) { return wire::DecodeCallAck(t); },
        [](const wire::CallAck& a) { return wire::EncodeCallAck(a); });
    RoundTrip<wire::CallClose>(
        text, [](std::string_view t) { return wire::DecodeCallClose(t); },
        [](const wire::CallClose& c) { return wire::EncodeCallClose(c); });
    RoundTrip<wire::CallRecord>(
        text, [](std::string_view t) { return wire::DecodeCallRecord(t); },
        [](const wire::CallRecord& r) { return wire::EncodeCallRecord(r); });
    RoundTrip<wire::CallList>(
        text, [](std::string_view t) { return wire::DecodeCallList(t); },
        [](const wire::CallList& l) { return wire::EncodeCallList(l); });
    return 0;
}
