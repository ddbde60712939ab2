#include "sync/ServerReply.h"

#include "protocol/Wire.h"

namespace fk::sync {

std::string JoinUrl(const std::string& base, const std::string& path) {
    if (!base.empty() && base.back() == '/')
        return base.substr(0, base.size() - 1) + path;
    return base + path;
}

std::string DescribeBody(const HttpResponse& response) {
    auto error = protocol::DecodeErrorBody(response.body);
    if (error)
        return error->code + ": " + error->message;
    std::string snippet = response.body.substr(0, 120);
    for (char& c : snippet) {
        if (static_cast<unsigned char>(c) < ' ')
            c = ' ';
    }
    return snippet.empty() ? "(empty body)" : "\"" + snippet + "\"";
}

}  // namespace fk::sync
