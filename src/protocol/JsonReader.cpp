#include "protocol/JsonReader.h"

#include <climits>

#include "core/TimeFormat.h"

namespace fk::protocol::json_reader {

void Fail(std::string_view code, std::string path, std::string message) {
    throw Failure{DecodeError{std::string(code), std::move(path), std::move(message)}};
}

std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}
std::string Index(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

const char* TypeName(const Json& j) {
    if (j.is_null())
        return "null";
    if (j.is_boolean())
        return "a boolean";
    if (j.is_number_integer())
        return "an integer";
    if (j.is_number())
        return "a fractional number";
    if (j.is_string())
        return "a string";
    if (j.is_array())
        return "an array";
    return "an object";
}

Json Parse(std::string_view text, std::string_view what) {
    Json j = Json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) {
        Fail(code::kMalformedJson, "",
             "the body is not valid JSON; send a UTF-8 JSON " + std::string(what) +
                 " object with Content-Type: application/json");
    }
    if (!j.is_object()) {
        Fail(code::kWrongType, "",
             "expected a JSON object (the " + std::string(what) + "), got " + TypeName(j));
    }
    return j;
}

Obj::Obj(const Json& j, std::string path) : m_j(j), m_path(std::move(path)) {
    if (!m_j.is_object())
        Fail(code::kWrongType, m_path, std::string("expected an object, got ") + TypeName(m_j));
}

const Json* Obj::Find(std::string_view key) const {
    auto it = m_j.find(std::string(key));
    return it == m_j.end() ? nullptr : &*it;
}

const Json& Obj::Need(std::string_view key, std::string_view hint) const {
    const Json* v = Find(key);
    if (v == nullptr) {
        Fail(code::kMissingField, Join(m_path, key),
             "required field is missing; add \"" + std::string(key) + "\" (" + std::string(hint) +
                 ")");
    }
    return *v;
}

std::int64_t Obj::Int(std::string_view key, std::string_view hint) const {
    return AsInt(Need(key, hint), Join(m_path, key), hint);
}

std::int64_t Obj::Int32(std::string_view key, std::string_view hint) const {
    const Json& v = Need(key, hint);
    const std::string path = Join(m_path, key);
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT32_MAX))
        Fail(code::kInvalidValue, path, "number out of range; expected " + std::string(hint));
    const std::int64_t n = AsInt(v, path, hint);
    if (n < INT32_MIN || n > INT32_MAX)
        Fail(code::kInvalidValue, path, "number out of range; expected " + std::string(hint));
    return n;
}

std::optional<std::int64_t> Obj::OptInt(std::string_view key, std::string_view hint) const {
    const Json* v = Find(key);
    if (v == nullptr || v->is_null())
        return std::nullopt;
    return AsInt(*v, Join(m_path, key), hint);
}

std::string Obj::Str(std::string_view key, std::string_view hint) const {
    return AsStr(Need(key, hint), Join(m_path, key), hint);
}

std::optional<std::string> Obj::OptStr(std::string_view key, std::string_view hint) const {
    const Json* v = Find(key);
    if (v == nullptr || v->is_null())
        return std::nullopt;
    return AsStr(*v, Join(m_path, key), std::string(hint) + " or null");
}

std::optional<std::string> Obj::NullableStr(std::string_view key, std::string_view hint) const {
    const Json& v = Need(key, std::string(hint) + " or null");
    if (v.is_null())
        return std::nullopt;
    return AsStr(v, Join(m_path, key), std::string(hint) + " or null");
}

core::UtcMs Obj::Time(std::string_view key) const {
    return AsTime(Need(key, "an RFC 3339 UTC timestamp"), Join(m_path, key));
}

std::optional<core::UtcMs> Obj::OptTime(std::string_view key) const {
    const Json* v = Find(key);
    if (v == nullptr || v->is_null())
        return std::nullopt;
    return AsTime(*v, Join(m_path, key));
}

bool Obj::Bool(std::string_view key, bool fallback) const {
    const Json* v = Find(key);
    if (v == nullptr || v->is_null())
        return fallback;
    if (!v->is_boolean()) {
        Fail(code::kWrongType, Join(m_path, key),
             std::string("expected true or false, got ") + TypeName(*v));
    }
    return v->get<bool>();
}

core::Uuid Obj::Uuid(std::string_view key, std::string_view hint) const {
    return AsUuid(Need(key, hint), Join(m_path, key), hint);
}

const Json& Obj::Array(std::string_view key, std::string_view hint) const {
    const Json& v = Need(key, hint);
    if (!v.is_array()) {
        Fail(code::kWrongType, Join(m_path, key),
             std::string("expected an array (") + std::string(hint) + "), got " + TypeName(v));
    }
    return v;
}

std::int64_t Obj::AsInt(const Json& v, const std::string& path, std::string_view hint) {
    if (v.is_number_unsigned()) {
        if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
            Fail(code::kInvalidValue, path, "number too large; expected " + std::string(hint));
        return static_cast<std::int64_t>(v.get<std::uint64_t>());
    }
    if (!v.is_number_integer()) {
        Fail(code::kWrongType, path,
             std::string("expected an integer (") + std::string(hint) + "), got " + TypeName(v) +
                 (v.is_string() ? "; send it as a JSON number without quotes" : ""));
    }
    return v.get<std::int64_t>();
}

std::string Obj::AsStr(const Json& v, const std::string& path, std::string_view hint) {
    if (!v.is_string()) {
        Fail(code::kWrongType, path,
             std::string("expected a string (") + std::string(hint) + "), got " + TypeName(v));
    }
    return v.get<std::string>();
}

core::UtcMs Obj::AsTime(const Json& v, const std::string& path) {
    std::string text = AsStr(v, path, "an RFC 3339 UTC timestamp");
    auto ms = core::ParseRfc3339(text);
    if (!ms) {
        Fail(
            code::kInvalidValue, path,
            "\"" + text + "\" is not an RFC 3339 timestamp; use the form 2026-11-22T10:15:30.123Z");
    }
    return *ms;
}

core::Uuid Obj::AsUuid(const Json& v, const std::string& path, std::string_view hint) {
    std::string text = AsStr(v, path, hint);
    auto id = core::Uuid::Parse(text);
    if (!id) {
        Fail(code::kInvalidValue, path,
             "\"" + text + "\" is not a UUID; use the 8-4-4-4-12 hex form (" + std::string(hint) +
                 ")");
    }
    return *id;
}

std::string Dump(const OJson& j) {
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

OJson OptTimeJson(const std::optional<core::UtcMs>& v) {
    return v ? OJson(core::FormatRfc3339Ms(*v)) : OJson(nullptr);
}

}  // namespace fk::protocol::json_reader
