// End-to-end: `moat db` and `moat audit` as a user runs them, against the shared PyPA snapshot and
// the fixtures in tests/fixtures/deps. `db update` talks only to a loopback HTTP server.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/run_moat.hpp"
#include "support/shared_data.hpp"

namespace {

namespace fs = std::filesystem;
using moat::testing::run_moat;

fs::path scratch(const std::string& name) {
  const fs::path directory = fs::temp_directory_path() / ("moat-deps-e2e-" + std::to_string(::getpid())) / name;
  fs::create_directories(directory);
  return directory;
}

std::string pypa_zip() { return (moat::testing::shared_data_dir() / "data" / "osv" / "pypa-advisory-db.zip").string(); }

/// One database per test run, imported once.
const fs::path& shared_db() {
  static const fs::path path = [] {
    const fs::path db = scratch("shared") / "osv.sqlite";
    const auto result = run_moat("db import --db '" + db.string() + "' '" + pypa_zip() + "'");
    EXPECT_EQ(result.exit_code, 0) << result.out;
    return db;
  }();
  return path;
}

std::string audit(const std::string& arguments) {
  return "audit --db '" + shared_db().string() + "' " + arguments;
}

class DepsE2e : public ::testing::Test {
 protected:
  void SetUp() override { MOAT_REQUIRE_SHARED_DATA(); }
};

TEST_F(DepsE2e, ImportAndStatus) {
  const auto status = run_moat("db status --json --db '" + shared_db().string() + "'");
  ASSERT_EQ(status.exit_code, 0) << status.out;
  const auto parsed = nlohmann::json::parse(status.out);
  EXPECT_EQ(parsed["advisories"], "2661");
  EXPECT_EQ(parsed["packages"], "664");
  EXPECT_EQ(parsed["withdrawn"], "10");
}

TEST_F(DepsE2e, MissingDatabaseExplainsHowToGetOne) {
  const auto result = run_moat("audit --db /nonexistent/osv.sqlite tests/fixtures/deps/requirements.txt");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.out.find("moat db update"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("moat db import"), std::string::npos) << result.out;
}

TEST_F(DepsE2e, RequirementsJsonReport) {
  const auto result = run_moat(audit("--format json tests/fixtures/deps/requirements.txt"));
  EXPECT_EQ(result.exit_code, 1) << result.out;
  const auto json_start = result.out.find('{');
  const auto report = nlohmann::json::parse(result.out.substr(json_start));
  bool django = false;
  bool may_be_affected = false;
  bool pywin32 = false;
  for (const auto& finding : report["findings"]) {
    EXPECT_EQ(finding["category"], "dependency");
    const auto& details = finding["details"];
    if (details["package"] == "django" && details["advisory"] == "PYSEC-2021-98") {
      django = true;
      EXPECT_EQ(finding["path"], "tests/fixtures/deps/requirements.txt");
      EXPECT_EQ(finding["line"], 6);
      EXPECT_EQ(details["version"], "3.2.1");
      EXPECT_EQ(details["status"], "affected");
      EXPECT_NE(std::find(details["aliases"].begin(), details["aliases"].end(), "CVE-2021-33203"), details["aliases"].end());
      EXPECT_EQ(details["fix_version"], "3.2.25");
    }
    if (details["package"] == "jinja2") {
      may_be_affected = true;
      EXPECT_EQ(details["status"], "may-be-affected");
      EXPECT_EQ(finding["confidence"], "low");
    }
    if (details["package"] == "pywin32") pywin32 = true;
  }
  EXPECT_TRUE(django);
  EXPECT_TRUE(may_be_affected);
  EXPECT_FALSE(pywin32) << "sys_platform == 'win32' is false for the default Linux target";
  // Bad lines are reported with file and line; the rest is still audited.
  bool bad_line = false;
  bool cycle = false;
  for (const auto& error : report["errors"]) {
    bad_line = bad_line || error["path"] == "tests/fixtures/deps/requirements-base.txt:3";
    cycle = cycle || error["message"].get<std::string>().find("cycle") != std::string::npos;
  }
  EXPECT_TRUE(bad_line) << report["errors"];
  EXPECT_TRUE(cycle) << report["errors"];
}

TEST_F(DepsE2e, PlatformTargetSelectsMarkers) {
  const auto result = run_moat(audit("--platform win32 --format json tests/fixtures/deps/requirements.txt"));
  EXPECT_NE(result.out.find("\"pywin32\""), std::string::npos);
}

TEST_F(DepsE2e, EveryLockFormat) {
  for (const std::string file : {"poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "pylock.toml", "environment.yml",
                                 "site-packages", "project/pyproject.toml"}) {
    const auto result = run_moat(audit("--format json tests/fixtures/deps/" + file));
    EXPECT_EQ(result.exit_code, 1) << file << "\n" << result.out;
    const auto report = nlohmann::json::parse(result.out.substr(result.out.find('{')));
    EXPECT_FALSE(report["findings"].empty()) << file;
    EXPECT_TRUE(report["errors"].empty()) << file << report["errors"];
  }
}

TEST_F(DepsE2e, ConfigIgnoresWithReasonAndExpiry) {
  const auto result = run_moat(audit("--format json --config tests/fixtures/deps/project/pyproject.toml tests/fixtures/deps/poetry.lock"));
  const auto report = nlohmann::json::parse(result.out.substr(result.out.find('{')));
  bool ignored_seen = false;
  bool expired_seen = false;
  for (const auto& finding : report["findings"]) {
    ignored_seen = ignored_seen || finding["rule_id"] == "PYSEC-2021-98";  // ignored through its CVE alias
    expired_seen = expired_seen || finding["rule_id"] == "PYSEC-2021-99";  // its ignore expired in 2001
  }
  EXPECT_FALSE(ignored_seen);
  EXPECT_TRUE(expired_seen) << "an expired ignore stops ignoring";
  EXPECT_NE(result.out.find("expired"), std::string::npos);
  const auto cli_ignore = run_moat(audit("--format json --ignore-vuln CVE-2021-35042 tests/fixtures/deps/poetry.lock"));
  EXPECT_EQ(cli_ignore.out.find("PYSEC-2021-109"), std::string::npos) << "ignored by alias";
}

TEST_F(DepsE2e, CycloneDx) {
  const auto result = run_moat(audit("--format cyclonedx tests/fixtures/deps/poetry.lock"));
  EXPECT_EQ(result.exit_code, 1);
  const auto bom = nlohmann::json::parse(result.out.substr(result.out.find('{')));
  EXPECT_EQ(bom["bomFormat"], "CycloneDX");
  EXPECT_FALSE(bom["components"].empty());
  const auto& vulnerability = bom["vulnerabilities"][0];
  EXPECT_EQ(vulnerability["affects"][0]["ref"], "pkg:pypi/django@3.2.1");
  EXPECT_EQ(vulnerability["affects"][0]["versions"][0]["version"], "3.2.1");
  EXPECT_EQ(vulnerability["affects"][0]["versions"][0]["status"], "affected");
}

TEST_F(DepsE2e, CleanInputExitsZero) {
  const fs::path file = scratch("clean") / "requirements.txt";
  std::ofstream(file) << "certifi==2024.8.30\n";
  const auto result = run_moat(audit("'" + file.string() + "'"));
  EXPECT_EQ(result.exit_code, 0) << result.out;
}

/// A loopback HTTP server (python3 -m http.server) serving `directory`, stopped on destruction.
class LoopbackServer {
 public:
  explicit LoopbackServer(const fs::path& directory) {
    port_ = 20000 + (::getpid() % 20000);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      const std::string port = std::to_string(port_);
      ::execlp("python3", "python3", "-m", "http.server", port.c_str(), "--bind", "127.0.0.1", "--directory",
               directory.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int attempt = 0; attempt < 100; ++attempt) {  // wait until it answers
      const std::string probe = "python3 -c \"import urllib.request;urllib.request.urlopen('http://127.0.0.1:" +
                                std::to_string(port_) + "/')\" >/dev/null 2>&1";
      if (std::system(probe.c_str()) == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ~LoopbackServer() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  [[nodiscard]] std::string url(const std::string& file) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/" + file;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

TEST_F(DepsE2e, UpdateOverLoopback) {
  const fs::path served = scratch("served");
  fs::copy_file(pypa_zip(), served / "all.zip", fs::copy_options::overwrite_existing);
  {
    std::ifstream whole(pypa_zip(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(whole)), std::istreambuf_iterator<char>());
    std::ofstream(served / "truncated.zip", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    std::string corrupt = bytes;
    for (std::size_t at = 1000; at < corrupt.size(); at += 997) corrupt[at] = static_cast<char>(corrupt[at] ^ 0x5A);
    std::ofstream(served / "corrupt.zip", std::ios::binary) << corrupt;
  }
  LoopbackServer server(served);
  const fs::path db = scratch("update") / "osv.sqlite";
  const std::string target = "--db '" + db.string() + "' ";

  const auto first = run_moat("db update " + target + "--url " + server.url("all.zip"));
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("2661 advisories"), std::string::npos) << first.out;
  const auto modified = fs::last_write_time(db);

  const auto again = run_moat("db update " + target + "--url " + server.url("all.zip"));
  EXPECT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("up to date"), std::string::npos) << "conditional GET answered 304: " << again.out;

  for (const std::string bad : {"truncated.zip", "corrupt.zip", "missing.zip"}) {
    const auto failed = run_moat("db update " + target + "--url " + server.url(bad));
    EXPECT_EQ(failed.exit_code, 2) << bad << ": " << failed.out;
    EXPECT_NE(failed.out.find("existing database was kept"), std::string::npos) << failed.out;
    EXPECT_EQ(fs::last_write_time(db), modified) << bad;
    EXPECT_EQ(run_moat("db status " + target).exit_code, 0);
  }
  const auto refused = run_moat("db update " + target + "--url http://127.0.0.1:1/all.zip");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(fs::last_write_time(db), modified);
}

}  // namespace
