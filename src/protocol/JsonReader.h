#pragma once
// The protocol module's JSON reading and writing helpers, shared by Wire.cpp and Calls.cpp (one
// reader, one set of error messages). Internal to src/protocol: included only by its .cpp files,
// so nlohmann/json stays out of the module's public headers. Pure; thread-safe.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/Clock.h"
#include "core/Uuid.h"
#include "protocol/Result.h"
#include "protocol/Wire.h"

namespace fk::protocol::json_reader {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

// Thrown inside decoders and turned into a Result by Guard at the API boundary.
struct Failure {
    DecodeError error;
};

[[noreturn]] void Fail(std::string_view code, std::string path, std::string message);

std::string Join(const std::string& path, std::string_view key);
std::string Index(const std::string& path, std::size_t i);
const char* TypeName(const Json& j);

// The document as a JSON object; `what` names it in the errors ("batch", "call list").
Json Parse(std::string_view text, std::string_view what);

// Typed field access with the path in every error.
class Obj {
  public:
    Obj(const Json& j, std::string path);
    const std::string& Path() const { return m_path; }

    const Json* Find(std::string_view key) const;
    const Json& Need(std::string_view key, std::string_view hint) const;
    std::int64_t Int(std::string_view key, std::string_view hint) const;
    // An integer that must fit 32 bits (the call codecs' counts, scales and versions).
    std::int64_t Int32(std::string_view key, std::string_view hint) const;
    std::optional<std::int64_t> OptInt(std::string_view key, std::string_view hint) const;
    std::string Str(std::string_view key, std::string_view hint) const;
    // Present-or-null strings; a missing key reads as null.
    std::optional<std::string> OptStr(std::string_view key, std::string_view hint) const;
    // Nullable but required to be present (rep_id, reason, misuse are part of the contract).
    std::optional<std::string> NullableStr(std::string_view key, std::string_view hint) const;
    core::UtcMs Time(std::string_view key) const;
    std::optional<core::UtcMs> OptTime(std::string_view key) const;
    bool Bool(std::string_view key, bool fallback) const;
    core::Uuid Uuid(std::string_view key, std::string_view hint) const;
    const Json& Array(std::string_view key, std::string_view hint) const;

    static std::int64_t AsInt(const Json& v, const std::string& path, std::string_view hint);
    static std::string AsStr(const Json& v, const std::string& path, std::string_view hint);
    static core::UtcMs AsTime(const Json& v, const std::string& path);
    static core::Uuid AsUuid(const Json& v, const std::string& path, std::string_view hint);

  private:
    const Json& m_j;
    std::string m_path;
};

template <typename T, typename F>
Result<T> Guard(F&& body) {
    try {
        return body();
    } catch (const Failure& failure) {
        return failure.error;
    } catch (const std::exception& e) {
        // Defensive: nlohmann may throw on pathological input (e.g. invalid UTF-8 when dumping).
        return DecodeError{std::string(code::kMalformedJson), "", e.what()};
    }
}

// Compact JSON; invalid UTF-8 is replaced, never thrown on.
std::string Dump(const OJson& j);

template <typename T>
OJson OptJson(const std::optional<T>& v) {
    return v ? OJson(*v) : OJson(nullptr);
}
OJson OptTimeJson(const std::optional<core::UtcMs>& v);

}  // namespace fk::protocol::json_reader
