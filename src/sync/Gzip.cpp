#include "sync/Gzip.h"

#include <zlib.h>

#include <stdexcept>

namespace fk::sync {

namespace {
constexpr int kGzipWindowBits = 15 + 16;  // +16 selects the gzip wrapper
}

std::string GzipCompress(std::string_view data, int level) {
    z_stream stream{};
    if (deflateInit2(&stream, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("gzip: deflateInit2 failed");
    }
    std::string out;
    out.resize(deflateBound(&stream, static_cast<uLong>(data.size())));
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&stream, Z_FINISH);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("gzip: deflate did not finish");
    out.resize(stream.total_out);
    return out;
}

std::string GzipDecompress(std::string_view data) {
    z_stream stream{};
    if (inflateInit2(&stream, kGzipWindowBits) != Z_OK)
        throw std::runtime_error("gzip: inflateInit2 failed");
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[16384];
    int rc;
    do {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        rc = inflate(&stream, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&stream);
            throw std::runtime_error("gzip: corrupt or truncated stream");
        }
        out.append(buffer, sizeof buffer - stream.avail_out);
    } while (rc != Z_STREAM_END);
    inflateEnd(&stream);
    return out;
}

}  // namespace fk::sync
