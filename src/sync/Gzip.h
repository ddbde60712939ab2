#pragma once
// gzip (RFC 1952) compression for request bodies. Pure; thread-safe. Throws std::runtime_error
// only if zlib fails (out of memory).

#include <string>
#include <string_view>

namespace fk::sync {

std::string GzipCompress(std::string_view data, int level = 6);
// For tests and tools: decompresses a gzip stream; throws std::runtime_error on corrupt input.
std::string GzipDecompress(std::string_view data);

}  // namespace fk::sync
