// LoadKioskConfig / ParseKioskConfig: file -> TOML -> schema readers -> cross checks.

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "config/KioskConfig.h"
#include "config/KioskConfigReader.h"

namespace fk::config {

namespace {

[[noreturn]] void ThrowFileProblem(const std::filesystem::path& file, std::string message) {
    throw ConfigError({{file.string(), 0, "", std::move(message)}});
}

}  // namespace

KioskConfig ParseKioskConfig(std::string_view text, std::string_view fileName) {
    detail::ProblemList problems{std::string(fileName)};
    const toml::table document = detail::ParseDocument(text, fileName, problems);

    detail::ReadContext context{problems, std::filesystem::path(fileName).parent_path(), {}};
    KioskConfig config;
    detail::TableReader root(problems, &document, "", 1);
    detail::ReadKioskTable(root.Table("kiosk"), context, config);
    detail::ReadSurveyTable(root.Table("survey"), context, config);
    detail::ReadLanguagesTable(root.Table("languages"), config);
    detail::ReadMisuseTable(root.Table("misuse"), config);
    detail::ReadHoursTable(root.Table("hours"), config);
    detail::ReadDisplayTable(root.Table("display"), config);
    detail::ReadSoundTable(root.Table("sound"), config);
    detail::ReadSyncTable(root.Table("sync"), context, config);
    detail::ReadFontsTable(root.Table("fonts"), context, config);
    detail::ReadManagerTable(root.Table("manager"), context, config);
    detail::ReadHelpTable(root.Table("help"), context, config);
    detail::ReadRoster(root, context, config);
    detail::ReadReasons(root, context, config);
    root.Finish();
    detail::CheckKioskConfig(context, config);

    if (!problems.Empty()) {
        throw ConfigError(problems.Take());
    }
    return config;
}

KioskConfig LoadKioskConfig(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        ThrowFileProblem(file,
                         "no such file, create it (kiosk-config/kiosk.toml in the source tree "
                         "is a documented starting point) or pass the right path with "
                         "--config FILE");
    }
    if (std::filesystem::is_directory(file, ec)) {
        ThrowFileProblem(file, "is a directory, pass the configuration file itself, e.g. " +
                                   (file / "kiosk.toml").string());
    }
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
        ThrowFileProblem(file, std::string("cannot be read (") + std::strerror(errno) +
                                   "), check its permissions");
    }
    return ParseKioskConfig(text, file.string());
}

}  // namespace fk::config
