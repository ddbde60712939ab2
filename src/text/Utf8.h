#pragma once
// UTF-8 decoding that never fails: an invalid or truncated sequence decodes as U+FFFD and
// consumes one byte, as HarfBuzz treats it. Pure; any thread.

#include <cstddef>
#include <string_view>

namespace fk::text {

struct DecodedChar {
    char32_t codepoint = 0;
    std::size_t length = 0;  // bytes consumed, at least 1 unless at the end
};

// Decodes the character starting at byte `offset` (offset < text.size()).
DecodedChar DecodeUtf8(std::string_view text, std::size_t offset);

}  // namespace fk::text
