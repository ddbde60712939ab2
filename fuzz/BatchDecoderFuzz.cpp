// libFuzzer target over the batch decoder: any input must decode or fail with a DecodeError,
// never crash or throw; whatever decodes must re-encode and decode to the same content.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/Wire.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto batch = fk::protocol::DecodeBatch(text, 1000);
    if (!batch.Ok()) {
        if (batch.Error().code.empty() || batch.Error().message.empty())
            std::abort();
        return 0;
    }
    for (const auto& r : batch->responses)
        (void)fk::protocol::ValidateResponse(r);
    auto again = fk::protocol::DecodeBatch(fk::protocol::EncodeBatch(*batch), 1000);
    if (!again.Ok() || again->responses.size() != batch->responses.size())
        std::abort();
    for (std::size_t i = 0; i < batch->responses.size(); ++i) {
        if (!fk::protocol::SameWireContent(batch->responses[i], again->responses[i]))
            std::abort();
    }
    return 0;
}
