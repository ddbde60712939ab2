#pragma once
// Value-or-error for decoding untrusted input. Pure values; safe to use from any thread.

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace fk::protocol {

// Why a document could not be decoded. `code` is the machine-readable error code that the server
// puts in {error:{code,message}}; `path` points at the offending field ("responses[3].rating",
// empty for the whole document); `message` says what is wrong and how to fix it.
struct DecodeError {
    std::string code;
    std::string path;
    std::string message;
};
// "responses[3].rating: expected an integer ..." (path omitted when empty).
std::string to_string(const DecodeError& error);

template <typename T>
class Result {
  public:
    Result(T value) : m_data(std::move(value)) {}            // NOLINT: implicit by design
    Result(DecodeError error) : m_data(std::move(error)) {}  // NOLINT

    bool Ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return Ok(); }
    // Value()/Error() on the wrong alternative throw std::logic_error: a caller bug, not bad input.
    const T& Value() const& {
        if (!Ok())
            throw std::logic_error("Result::Value() on an error: " + to_string(Error()));
        return std::get<0>(m_data);
    }
    T&& Value() && {
        if (!Ok())
            throw std::logic_error("Result::Value() on an error: " + to_string(Error()));
        return std::get<0>(std::move(m_data));
    }
    const DecodeError& Error() const {
        if (Ok())
            throw std::logic_error("Result::Error() on a value");
        return std::get<1>(m_data);
    }
    const T* operator->() const { return &Value(); }
    const T& operator*() const& { return Value(); }

  private:
    std::variant<T, DecodeError> m_data;
};

}  // namespace fk::protocol
