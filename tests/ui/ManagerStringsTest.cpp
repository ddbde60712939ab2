// The manager screens' built-in English agrees with kiosk-config/locales/en.toml, and every
// shipped locale has every manager key with the same placeholders.
#include <doctest/doctest.h>

#include "i18n/Catalog.h"
#include "support/Paths.h"
#include "ui/ManagerStrings.h"

using namespace fk;

TEST_CASE("every manager screen key is in all five locales with English's placeholders") {
    auto loaded = i18n::Catalog::Load(test::SourceDir() / "kiosk-config" / "locales");
    REQUIRE(loaded.catalog);
    for (const auto& e : loaded.errors)
        INFO(i18n::to_string(e));
    CHECK(loaded.errors.empty());
    const i18n::Catalog& catalog = *loaded.catalog;
    for (const auto& d : ui::ManagerStringDefaults()) {
        INFO(d.key);
        CHECK(catalog.Get("en", d.key) == d.english);
        for (const char* lang : {"hi", "ne", "te", "da"}) {
            INFO(lang);
            CHECK(catalog.Has(lang, d.key));
            CHECK(i18n::Placeholders(catalog.Get(lang, d.key)) == i18n::Placeholders(d.english));
        }
    }
}

TEST_CASE(
    "the view's strings come from the catalog, so manager screens speak the kiosk's language") {
    auto loaded = i18n::Catalog::Load(test::SourceDir() / "kiosk-config" / "locales");
    REQUIRE(loaded.catalog);
    ui::ManagerStringMap strings;
    for (const auto& d : ui::ManagerStringDefaults())
        strings[std::string(d.key)] = std::string(loaded.catalog->Get("da", d.key));
    CHECK(ui::ManagerText(strings, "manager.tab.store") == "Butik");
    CHECK(ui::ManagerText(strings, "manager.table.not_enough_data", {{"min", "20"}}) ==
          "For få data (n < 20)");
}
