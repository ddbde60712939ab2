#include "app/LayoutJson.h"

#include <cmath>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

namespace fk::app {

std::string LayoutToJson(const ui::ScreenLayout& layout) {
    nlohmann::json j;
    j["screen"] = layout.screen;
    if (!layout.call.empty())
        j["call"] = layout.call;
    j["elements"] = nlohmann::json::array();
    for (const auto& e : layout.elements) {
        j["elements"].push_back({{"id", e.id},
                                 {"x", std::lround(e.rect.x)},
                                 {"y", std::lround(e.rect.y)},
                                 {"w", std::lround(e.rect.w)},
                                 {"h", std::lround(e.rect.h)}});
    }
    return j.dump();
}

std::string WriteLayoutJson(const std::filesystem::path& path, const ui::ScreenLayout& layout) {
    const std::filesystem::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << LayoutToJson(layout) << "\n";
        if (!out)
            return "cannot write " + tmp.string();
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
        return "cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message();
    return {};
}

}  // namespace fk::app
