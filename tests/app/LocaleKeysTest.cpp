// Every locale key the kiosk app looks up (customer screens, PIN pad, staff notices, manager
// screens) is in all five locales with English's placeholders, and the built-in English the app
// falls back to without its locale files is en.toml's, word for word.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/Settings.h"
#include "i18n/Catalog.h"
#include "support/Paths.h"
#include "ui/ManagerStrings.h"
#include "ui/Strings.h"

using namespace fk;

namespace {

std::vector<std::string> KeysTheAppUses() {
    std::vector<std::string> keys;
    for (const ui::StringKey& k : ui::StringKeys())
        keys.push_back(k.key);
    for (int points : {4, 5}) {
        for (int rating = 1; rating <= points; ++rating)
            keys.push_back(ui::FaceLabelKey(points, rating));
    }
    for (const app::PinStringKey& k : app::PinStringKeys())
        keys.push_back(k.key);
    for (app::NoticeKind kind : app::kNoticeKinds) {
        keys.push_back(std::string("notice.") + app::NoticeLocaleKey(kind) + "_title");
        keys.push_back(std::string("notice.") + app::NoticeLocaleKey(kind) + "_body");
    }
    for (const auto& d : ui::ManagerStringDefaults())
        keys.emplace_back(d.key);
    return keys;
}

}  // namespace

TEST_CASE("every locale key the app uses is in English, Hindi, Nepali, Telugu and Danish") {
    auto loaded = i18n::Catalog::Load(test::SourceDir() / "kiosk-config" / "locales");
    REQUIRE(loaded.catalog);
    const i18n::Catalog& c = *loaded.catalog;
    const auto keys = KeysTheAppUses();
    CHECK(keys.size() > 150);
    for (const std::string& key : keys) {
        INFO(key);
        REQUIRE(c.Has("en", key));
        for (const char* lang : {"hi", "ne", "te", "da"}) {
            INFO(lang);
            CHECK(c.Has(lang, key));
            CHECK(!c.Get(lang, key).empty());
            CHECK(i18n::Placeholders(c.Get(lang, key)) == i18n::Placeholders(c.Get("en", key)));
        }
    }
}

TEST_CASE("the built-in English is en.toml's, word for word") {
    auto loaded = i18n::Catalog::Load(test::SourceDir() / "kiosk-config" / "locales");
    REQUIRE(loaded.catalog);
    const i18n::Catalog& c = *loaded.catalog;
    for (int points : {4, 5}) {
        const ui::Strings english = ui::EnglishStrings(points);
        for (const ui::StringKey& k : ui::StringKeys()) {
            INFO(k.key);
            CHECK(english.*k.member == c.Get("en", k.key));
        }
        REQUIRE(english.faceLabels.size() == static_cast<std::size_t>(points));
        for (int rating = 1; rating <= points; ++rating) {
            CHECK(english.faceLabels[static_cast<std::size_t>(rating - 1)] ==
                  c.Get("en", ui::FaceLabelKey(points, rating)));
        }
    }
    const app::PinStrings pin;
    for (const app::PinStringKey& k : app::PinStringKeys()) {
        INFO(k.key);
        CHECK(pin.*k.member == c.Get("en", k.key));
    }
    for (app::NoticeKind kind : app::kNoticeKinds) {
        const std::string base = std::string("notice.") + app::NoticeLocaleKey(kind);
        INFO(base);
        CHECK(app::EnglishNotice(kind).title == c.Get("en", base + "_title"));
        CHECK(app::EnglishNotice(kind).message == c.Get("en", base + "_body"));
    }
}
