#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/run_moat.hpp"

namespace {

using moat::testing::run_moat;
namespace fs = std::filesystem;

// A directory with a weak library (world-writable RPATH) and a truncated ELF file.
fs::path native_fixture_dir() {
  static const fs::path dir = [] {
    const auto path = fs::temp_directory_path() / ("moat-native-e2e-" + std::to_string(::getpid()));
    fs::create_directories(path / "pkg.libs");
    std::ofstream(path / "weak.c") << "int answer(void) { return 42; }\n";
    const std::string command = "cc -shared -fPIC -O2 -Wl,-z,relro,-z,now -Wl,--disable-new-dtags -Wl,-rpath,/tmp/evil -o '" +
                                (path / "pkg.libs" / "libweak-0a1b2c3d.so").string() + "' '" + (path / "weak.c").string() + "'";
    if (std::system(command.c_str()) != 0) return fs::path();
    std::ofstream(path / "pkg.libs" / "broken.so", std::ios::binary) << std::string("\x7f" "ELF\x02\x01\x01", 7);
    std::ofstream(path / "module.py") << "print('not a binary')\n";
    return path;
  }();
  return dir;
}

TEST(NativeCommand, ReportsDangerousRpathAndMalformedFiles) {
  const auto dir = native_fixture_dir();
  ASSERT_FALSE(dir.empty()) << "cc failed";
  const auto result = run_moat("native '" + dir.string() + "'");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("MOAT-N009"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("/tmp/evil"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("MOAT-N002"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("module.py"), std::string::npos) << result.out;
}

TEST(NativeCommand, JsonListsBinariesAndNativeFindings) {
  const auto dir = native_fixture_dir();
  ASSERT_FALSE(dir.empty());
  const auto output = dir / "report.json";
  const auto result = run_moat("native --format json -o '" + output.string() + "' '" + dir.string() + "/pkg.libs'");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  std::ifstream stream(output);
  const auto json = nlohmann::json::parse(stream, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << result.out;
  EXPECT_EQ(json["stats"]["binaries"], 2);
  ASSERT_FALSE(json["findings"].empty());
  for (const auto& finding : json["findings"]) EXPECT_EQ(finding["category"], "native");
}

TEST(NativeCommand, SelectAndExitZeroApply) {
  const auto dir = native_fixture_dir();
  ASSERT_FALSE(dir.empty());
  EXPECT_EQ(run_moat("native '" + dir.string() + "' --select MOAT-N001").exit_code, 0);
  EXPECT_EQ(run_moat("native '" + dir.string() + "' --exit-zero").exit_code, 0);
}

TEST(NativeCommand, LibrariesTableNamesTheDebianZlib) {
  if (!fs::exists("/usr/lib/x86_64-linux-gnu/libz.so.1")) GTEST_SKIP() << "no system zlib";
  const auto result = run_moat("native /usr/lib/x86_64-linux-gnu/libz.so.1 --libraries --exit-zero");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("zlib"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("zlibVersion() returns"), std::string::npos) << result.out;
}

TEST(NativeCommand, MissingPathIsAFailure) {
  const auto result = run_moat("native /nonexistent/moat-native-path");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_NE(result.out.find("/nonexistent/moat-native-path"), std::string::npos) << result.out;
}

TEST(NativeCommand, BadVulnerabilityFileIsAFailure) {
  const auto result = run_moat("native --vulnerabilities /nonexistent/vulns.json /usr/lib");
  EXPECT_EQ(result.exit_code, 2) << result.out;
}

// `moat db import` installs native vulnerability data beside the advisory database, and the native
// checks use it instead of the data built into moat; data that does not parse is refused.
TEST(NativeCommand, ImportedVulnerabilityDataReplacesTheEmbeddedData) {
  if (!fs::exists("/usr/lib/x86_64-linux-gnu/libz.so.1")) GTEST_SKIP() << "no system zlib";
  const auto dir = fs::temp_directory_path() / ("moat-native-import-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "native.json") << R"({"records": [{"library": "zlib", "id": "CVE-9999-0001", "aliases": [],
    "introduced": "1.0", "fixed": "99.0", "last_affected": null, "severity": "high", "summary": "test record"}]})";
  std::ofstream(dir / "broken.json") << R"({"records": [{"library": 7}]})";
  const std::string db = (dir / "osv.sqlite").string();
  EXPECT_EQ(run_moat("db import --db '" + db + "' '" + (dir / "broken.json").string() + "'").exit_code, 2);
  const auto imported = run_moat("db import --db '" + db + "' '" + (dir / "native.json").string() + "'");
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  EXPECT_TRUE(fs::exists(dir / "native-vulns.json"));

  ::setenv("MOAT_DB", db.c_str(), 1);
  const auto result = run_moat("native /usr/lib/x86_64-linux-gnu/libz.so.1");
  ::unsetenv("MOAT_DB");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("CVE-9999-0001"), std::string::npos) << result.out;
  const auto embedded = run_moat("native /usr/lib/x86_64-linux-gnu/libz.so.1 --exit-zero");
  EXPECT_EQ(embedded.out.find("CVE-9999-0001"), std::string::npos) << embedded.out;
  fs::remove_all(dir);
}

}  // namespace
