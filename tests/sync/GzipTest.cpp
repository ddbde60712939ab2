#include <doctest/doctest.h>

#include "sync/Gzip.h"

using namespace fk::sync;

TEST_CASE("gzip round-trips text and shrinks repetitive JSON") {
    std::string json;
    for (int i = 0; i < 500; ++i) {
        json += R"({"id":"0190a4b2-7c3e-7def-8abc-0123456789ab","rating":3,"language":"te"},)";
    }
    std::string packed = GzipCompress(json);
    CHECK(packed.size() < json.size() / 10);
    CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);
    CHECK(static_cast<unsigned char>(packed[1]) == 0x8b);
    CHECK(GzipDecompress(packed) == json);
    CHECK(GzipDecompress(GzipCompress("")).empty());
}

TEST_CASE("gzip refuses a truncated stream") {
    std::string packed = GzipCompress(std::string(10000, 'x'));
    CHECK_THROWS(GzipDecompress(packed.substr(0, packed.size() / 2)));
}
