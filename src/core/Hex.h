#pragma once
// One hex digit's value, for the parsers that read hex (UUIDs, percent-encoding). Pure.

namespace fk::core {

// 0..15 for 0-9, a-f, A-F; -1 for anything else.
constexpr int HexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

}  // namespace fk::core
