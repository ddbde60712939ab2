#pragma once
// Names in the customer's language's alphabetical order, and a name's initials, through ICU
// (libicu-dev): a Danish customer finds Ø after Z, a Hindi customer finds names in varnamala
// order, and mixed scripts sort script by script instead of by UTF-8 bytes.
// Thread affinity: a NameCollator is used by one thread at a time (ICU collators are not
// thread-safe for use); Initials is thread-safe. Failure: a language ICU does not know gets the
// root collation (never throws); invalid UTF-8 is compared as U+FFFD.

#include <memory>
#include <string>
#include <string_view>

namespace fk::text {

class NameCollator {
  public:
    explicit NameCollator(std::string_view language);
    ~NameCollator();
    NameCollator(const NameCollator&) = delete;
    NameCollator& operator=(const NameCollator&) = delete;

    // True when a sorts before b; ties (equal for the collation) fall back to the bytes, so the
    // order is total and the same on every kiosk.
    bool Less(std::string_view a, std::string_view b) const;
    const std::string& Language() const { return m_language; }

  private:
    struct Impl;
    std::string m_language;
    std::unique_ptr<Impl> m_impl;
};

// The first user-perceived character (grapheme cluster) of the first and of the last word,
// upper-cased where the script has case: "Asha Rao" -> "AR", "mette" -> "M", "रवि कुमार" -> "रकु".
// Empty for an empty or blank name.
std::string Initials(std::string_view name);

}  // namespace fk::text
