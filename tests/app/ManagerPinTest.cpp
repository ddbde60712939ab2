// The manager PIN at rest: argon2id hashes, the 0600 file, the config's hash winning, and
// `kiosk set-pin` (in-process and the real binary reading standard input).
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/ManagerPin.h"
#include "support/TempDir.h"

using namespace fk;

namespace {

std::string ReadAll(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::FILE* Input(const std::string& text) {
    std::FILE* f = std::tmpfile();
    std::fputs(text.c_str(), f);
    std::rewind(f);
    return f;
}

std::string Contents(std::FILE* f) {
    std::rewind(f);
    std::string out;
    for (int c = std::fgetc(f); c != EOF; c = std::fgetc(f))
        out.push_back(static_cast<char>(c));
    return out;
}

}  // namespace

TEST_CASE("manager pin: argon2id hash round-trips, a wrong PIN fails, hashes are salted") {
    const std::string hash = app::HashPin("4821");
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(hash.find("4821") == std::string::npos);
    CHECK(hash.find("m=19456,t=2,p=1") != std::string::npos);  // the documented cost
    CHECK(app::VerifyPin(hash, "4821"));
    CHECK_FALSE(app::VerifyPin(hash, "4822"));
    CHECK_FALSE(app::VerifyPin(hash, "48210"));
    CHECK_FALSE(app::VerifyPin(hash, ""));
    CHECK(app::HashPin("4821") != hash);  // a new salt every time
    CHECK_FALSE(app::VerifyPin("$argon2i$not-a-hash", "4821"));
    CHECK_FALSE(app::VerifyPin("", "4821"));
}

TEST_CASE("manager pin: 4 to 8 digits only, and the message never echoes the PIN") {
    CHECK(app::CheckPinFormat("1234").empty());
    CHECK(app::CheckPinFormat("12345678").empty());
    CHECK_FALSE(app::CheckPinFormat("123").empty());
    CHECK_FALSE(app::CheckPinFormat("123456789").empty());
    CHECK_FALSE(app::CheckPinFormat("12a4").empty());
    CHECK_FALSE(app::CheckPinFormat("12 4").empty());
    CHECK(app::CheckPinFormat("98x7").find("98x7") == std::string::npos);
}

TEST_CASE("manager pin store: the file is 0600, rereads take effect, the config's hash wins") {
    test::TempDir dir;
    app::PinStore store(std::nullopt, dir.Path() / "data");
    CHECK_FALSE(store.HasPin());
    CHECK_FALSE(store.Verify("1234"));
    REQUIRE(store.SetPin("123").find("4 to 8") != std::string::npos);
    CHECK_FALSE(store.HasPin());
    REQUIRE(store.SetPin("5150").empty());
    CHECK(store.HasPin());
    CHECK(store.Verify("5150"));
    CHECK_FALSE(store.Verify("5151"));
    struct stat st {};
    REQUIRE(::stat(store.FilePath().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(ReadAll(store.FilePath()).find("5150") == std::string::npos);

    // Another writer (kiosk set-pin) changes the file: the next check sees it.
    app::PinStore other(std::nullopt, dir.Path() / "data");
    REQUIRE(other.SetPin("7777").empty());
    CHECK(store.Verify("7777"));
    CHECK_FALSE(store.Verify("5150"));

    app::PinStore configured(app::HashPin("2020"), dir.Path() / "data");
    CHECK(configured.FromConfig());
    CHECK(configured.Verify("2020"));
    CHECK_FALSE(configured.Verify("7777"));  // the file is ignored
    CHECK_FALSE(configured.SetPin("1111").empty());

    // A damaged file is no PIN, and not "no file" either: the pad stays locked (never offers to
    // choose one). A hash cut short is as damaged as garbage.
    CHECK(store.State() == app::PinState::Set);
    std::ofstream(store.FilePath()) << "garbage";
    CHECK_FALSE(store.HasPin());
    CHECK(store.State() == app::PinState::Damaged);
    const std::string whole = app::HashPin("4444");
    std::ofstream(store.FilePath()) << whole.substr(0, whole.size() - 8);
    CHECK(store.State() == app::PinState::Damaged);
    CHECK_FALSE(store.Verify("4444"));
    std::filesystem::remove(store.FilePath());
    CHECK(store.State() == app::PinState::Missing);
    // A damaged hash in the config is damaged too (the file does not stand in for it).
    CHECK(app::PinStore(whole.substr(0, 40), dir.Path() / "data").State() ==
          app::PinState::Damaged);
}

TEST_CASE(
    "kiosk set-pin in process: two equal lines set it, different lines or a bad PIN change "
    "nothing") {
    test::TempDir dir;
    const auto data = dir.Path() / "data";
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    std::FILE* in = Input("3141\n3141\n");
    CHECK(app::SetPinCommand(std::nullopt, data, false, in, out, err) == 0);
    std::fclose(in);
    CHECK(app::PinStore(std::nullopt, data).Verify("3141"));
    CHECK(Contents(err).find("3141") == std::string::npos);
    CHECK(Contents(out).empty());

    in = Input("2718\n2719\n");
    CHECK(app::SetPinCommand(std::nullopt, data, false, in, out, err) == 1);
    std::fclose(in);
    CHECK(Contents(err).find("differ") != std::string::npos);
    CHECK(app::PinStore(std::nullopt, data).Verify("3141"));

    in = Input("12\n12\n");
    CHECK(app::SetPinCommand(std::nullopt, data, false, in, out, err) == 1);
    std::fclose(in);
    CHECK(app::PinStore(std::nullopt, data).Verify("3141"));

    // One line from a script is enough.
    in = Input("99887766\n");
    CHECK(app::SetPinCommand(std::nullopt, data, false, in, out, err) == 0);
    std::fclose(in);
    CHECK(app::PinStore(std::nullopt, data).Verify("99887766"));

    // A config hash would shadow the file: refused with a way out.
    in = Input("1357\n1357\n");
    CHECK(app::SetPinCommand(app::HashPin("0000"), data, false, in, out, err) == 1);
    std::fclose(in);
    CHECK(Contents(err).find("--print-hash") != std::string::npos);

    in = Input("");
    CHECK(app::SetPinCommand(std::nullopt, data, false, in, out, err) == 1);
    std::fclose(in);
    std::fclose(out);
    std::fclose(err);
}

TEST_CASE(
    "kiosk set-pin: the real binary reads standard input and writes the data dir, --print-hash "
    "prints") {
    test::TempDir dir;
    const auto data = dir.Path() / "data";
    const std::string kiosk = FK_KIOSK_BINARY;
    const std::string cmd = "printf '6028\\n6028\\n' | " + kiosk + " set-pin --data-dir " +
                            data.string() + " > " + (dir.Path() / "out.txt").string() + " 2> " +
                            (dir.Path() / "err.txt").string();
    REQUIRE(std::system(cmd.c_str()) == 0);
    CHECK(app::PinStore(std::nullopt, data).Verify("6028"));
    CHECK(ReadAll(dir.Path() / "err.txt").find("6028") == std::string::npos);

    const std::string print = "printf '5555\\n5555\\n' | " + kiosk +
                              " set-pin --print-hash --data-dir " +
                              (dir.Path() / "unused").string() + " > " +
                              (dir.Path() / "hash.txt").string() + " 2>/dev/null";
    REQUIRE(std::system(print.c_str()) == 0);
    std::string hash = ReadAll(dir.Path() / "hash.txt");
    while (!hash.empty() && hash.back() == '\n')
        hash.pop_back();
    CHECK(app::VerifyPin(hash, "5555"));
    CHECK_FALSE(std::filesystem::exists(dir.Path() / "unused" / "manager-pin"));

    const std::string bad = "printf '5555\\n5556\\n' | " + kiosk + " set-pin --data-dir " +
                            data.string() + " 2>/dev/null";
    CHECK(std::system(bad.c_str()) != 0);
    CHECK(app::PinStore(std::nullopt, data).Verify("6028"));
}
