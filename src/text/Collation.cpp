#include "text/Collation.h"

#include <unicode/brkiter.h>
#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <vector>

namespace fk::text {

namespace {

icu::UnicodeString FromUtf8(std::string_view s) {
    return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string ToUtf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

}  // namespace

struct NameCollator::Impl {
    std::unique_ptr<icu::Collator> collator;
};

NameCollator::NameCollator(std::string_view language)
    : m_language(language), m_impl(std::make_unique<Impl>()) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale locale = icu::Locale::forLanguageTag(m_language, status);
    if (U_SUCCESS(status))
        m_impl->collator.reset(icu::Collator::createInstance(locale, status));
    if (U_FAILURE(status) || !m_impl->collator) {
        status = U_ZERO_ERROR;
        m_impl->collator.reset(icu::Collator::createInstance(icu::Locale::getRoot(), status));
    }
    if (m_impl->collator && U_SUCCESS(status)) {
        // Primary and secondary differences only: "asha" and "Asha" sit together.
        m_impl->collator->setStrength(icu::Collator::SECONDARY);
    } else {
        m_impl->collator.reset();
    }
}

NameCollator::~NameCollator() = default;

bool NameCollator::Less(std::string_view a, std::string_view b) const {
    if (m_impl->collator) {
        UErrorCode status = U_ZERO_ERROR;
        const UCollationResult r = m_impl->collator->compareUTF8(
            icu::StringPiece(a.data(), static_cast<int32_t>(a.size())),
            icu::StringPiece(b.data(), static_cast<int32_t>(b.size())), status);
        if (U_SUCCESS(status) && r != UCOL_EQUAL)
            return r == UCOL_LESS;
    }
    return a < b;
}

std::string Initials(std::string_view name) {
    const icu::UnicodeString text = FromUtf8(name);
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> graphemes(
        icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status) || !graphemes)
        return {};
    graphemes->setText(text);
    // The grapheme clusters that start a word (after whitespace, or the text's start).
    std::vector<std::pair<int32_t, int32_t>> starts;
    bool inSpace = true;
    for (int32_t at = graphemes->first(), next = graphemes->next();
         next != icu::BreakIterator::DONE; at = next, next = graphemes->next()) {
        const bool space = u_isUWhiteSpace(text.char32At(at)) || text.char32At(at) == u'-';
        if (inSpace && !space)
            starts.emplace_back(at, next);
        inSpace = space;
    }
    if (starts.empty())
        return {};
    auto cluster = [&](std::pair<int32_t, int32_t> r) {
        icu::UnicodeString c = text.tempSubStringBetween(r.first, r.second);
        c.toUpper(icu::Locale::getRoot());
        return ToUtf8(c);
    };
    std::string out = cluster(starts.front());
    if (starts.size() > 1)
        out += cluster(starts.back());
    return out;
}

}  // namespace fk::text
