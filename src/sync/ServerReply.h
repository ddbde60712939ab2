#pragma once
// Small helpers shared by the kiosk's clients of kiosk-server (SyncEngine, StaffCalls): the URL
// of a route and a server reply in words for staff. Pure functions; thread-safe.

#include <string>

#include "sync/HttpClient.h"

namespace fk::sync {

// base ("https://host/prefix", with or without a trailing slash) + path ("/api/v1/...").
std::string JoinUrl(const std::string& base, const std::string& path);

// The server's {error:{code,message}} in words, or the start of whatever it sent instead.
std::string DescribeBody(const HttpResponse& response);

}  // namespace fk::sync
