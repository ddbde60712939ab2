// libFuzzer target over the locale loader (i18n::Catalog::LoadLocale reads a file, so each input
// is written to a scratch file first) and the catalog built from it: loading never throws, every
// error names the file and says something, and lookups, formatting and Check() work on whatever
// loaded, with the repository's English locale as the fallback.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "FuzzCheck.h"
#include "i18n/Catalog.h"

namespace {

const fk::i18n::Locale& English() {
    static const fk::i18n::Locale english = [] {
        std::vector<fk::i18n::LocaleError> errors;
        auto locale =
            fk::i18n::Catalog::LoadLocale(FK_SOURCE_DIR "/kiosk-config/locales/en.toml", errors);
        if (!locale || !errors.empty())
            fk::fuzz::Fail(__FILE__, __LINE__, "en.toml loads", "");
        return *locale;
    }();
    return english;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // Placeholder helpers on the raw bytes.
    (void)fk::i18n::Placeholders(text);
    (void)fk::i18n::FormatPlaceholders(text, {{"seconds", "12"}, {"", "x"}, {"name", "{name}"}});

    const auto file = fk::fuzz::ScratchDir() / "xx.toml";
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    std::vector<fk::i18n::LocaleError> errors;
    std::optional<fk::i18n::Locale> locale = fk::i18n::Catalog::LoadLocale(file, errors);
    for (const auto& error : errors) {
        FK_FUZZ_CHECK(error.file == file, to_string(error));
        FK_FUZZ_CHECK(!error.message.empty(), to_string(error));
        FK_FUZZ_CHECK(error.line >= 0, to_string(error));
    }
    if (!locale) {
        FK_FUZZ_CHECK(!errors.empty(), "a locale that did not load says why");
        return 0;
    }
    FK_FUZZ_CHECK(locale->code == "xx", locale->code);
    std::vector<fk::i18n::Locale> locales{English(), *locale};
    fk::i18n::Catalog catalog(std::move(locales));
    (void)catalog.Check();
    for (const auto& [key, value] : locale->strings) {
        FK_FUZZ_CHECK(catalog.Get("xx", key) == value, key);
        (void)catalog.Format("xx", key, {{"seconds", "3"}, {"count", "{count}"}});
    }
    (void)catalog.LanguageName("xx");
    (void)catalog.Get("xx", text.substr(0, 64));
    return 0;
}
