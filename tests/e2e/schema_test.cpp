// End-to-end: the JSON Schemas in schemas/ against what the real binary prints and reads. Every
// report command's --format json output must validate against moat-report-v1.schema.json, the
// configuration fixture holding every key must validate against moat-config.schema.json and be
// accepted by moat, and documents with mistakes must be rejected (so the tests can fail).
// Validation runs tests/support/validate_schema.py with Debian's python3-jsonschema; without it
// the tests skip and say so.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "support/run_moat.hpp"
#include "support/shared_data.hpp"

namespace {

namespace fs = std::filesystem;
using moat::testing::run_moat;

const fs::path kSource = MOAT_SOURCE_DIR;
const fs::path kReportSchema = kSource / "schemas" / "moat-report-v1.schema.json";
const fs::path kConfigSchema = kSource / "schemas" / "moat-config.schema.json";

fs::path scratch() {
  static const fs::path directory = [] {
    const fs::path path = fs::temp_directory_path() / ("moat-schema-e2e-" + std::to_string(::getpid()));
    fs::create_directories(path);
    return path;
  }();
  return directory;
}

/// A shared library with a world-writable RUNPATH: a native finding on any machine with a C compiler.
fs::path native_fixture() {
  const fs::path library = scratch() / "libweak-0a1b2c3d.so";
  std::ofstream(scratch() / "weak.c") << "int answer(void) { return 42; }\n";
  const std::string command = "cc -shared -fPIC -Wl,-rpath,/tmp/evil -o '" + library.string() + "' '" +
                              (scratch() / "weak.c").string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return library;
}

struct Validation {
  int exit_code = -1;  // 0 valid, 1 invalid, 2 validator unavailable
  std::string out;
};

Validation validate(const fs::path& schema, const std::vector<std::string>& documents) {
  std::string command = "python3 '" + (kSource / "tests" / "support" / "validate_schema.py").string() + "' '" + schema.string() + "'";
  for (const auto& document : documents) command += " '" + document + "'";
  command += " 2>&1";
  const auto run = moat::testing::run_captured(command);
  return Validation{run.exit_code, run.out};
}

class Schemas : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("python3 -c 'import jsonschema' 2>/dev/null") != 0)
      GTEST_SKIP() << "python3-jsonschema is not installed (apt-get install python3-jsonschema); schemas not checked";
  }

  /// Runs `moat ARGUMENTS -o FILE`, checks the exit code and returns FILE's path.
  static std::string report(const std::string& name, const std::string& arguments, int expected_exit) {
    const fs::path output = scratch() / (name + ".json");
    const auto result = run_moat(arguments + " --format json -o '" + output.string() + "'");
    EXPECT_EQ(result.exit_code, expected_exit) << arguments << "\n" << result.out;
    std::ifstream stream(output);
    const auto json = nlohmann::json::parse(stream, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << name;
    return output.string();
  }

  /// The categories of the findings in a report file.
  static std::set<std::string> categories(const std::string& path) {
    std::ifstream stream(path);
    const auto json = nlohmann::json::parse(stream, nullptr, false);
    std::set<std::string> found;
    if (json.is_object())
      for (const auto& finding : json["findings"]) found.insert(finding["category"].get<std::string>());
    return found;
  }
};

TEST_F(Schemas, SchemasAreValidDraft202012) {
  for (const auto& schema : {kReportSchema, kConfigSchema}) {
    std::ifstream stream(schema);
    const auto json = nlohmann::json::parse(stream, nullptr, false);
    ASSERT_TRUE(json.is_object()) << schema;
    EXPECT_EQ(json["$schema"], "https://json-schema.org/draft/2020-12/schema") << schema;
  }
  // check_schema runs before any document: an empty document list checks the schema itself.
  for (const auto& schema : {kReportSchema, kConfigSchema}) {
    const auto checked = validate(schema, {});
    EXPECT_EQ(checked.exit_code, 0) << checked.out;
  }
}

TEST_F(Schemas, EveryReportCommandsJsonValidates) {
  std::vector<std::string> reports = {
      report("scan", "scan --no-progress examples/insecure-app", 1),
      report("scan-project", "scan --no-progress --config tests/fixtures/schemas/pyproject.toml tests/fixtures/schemas", 1),
      report("rules", "rules scan tests/fixtures/pattern/scan", 1),
      report("inspect", "inspect tests/fixtures/dist", 1),
      report("workflows", "workflows tests/fixtures/publish/wf001/vulnerable.yml", 1),
      report("native", "native '" + native_fixture().string() + "' /usr/lib/x86_64-linux-gnu/libcrypto.so.3", 1),
      report("clean", "scan --no-progress --select B999 tests/fixtures/schemas", 0),
      report("errors", "inspect tests/fixtures/dist/make_fixtures.py /nonexistent/x.whl", 2),
  };
  std::set<std::string> seen;
  for (const auto& path : reports) seen.merge(categories(path));
  if (moat::testing::shared_data_present()) {
    const fs::path database = scratch() / "osv.sqlite";
    const auto imported = run_moat("db import --db '" + database.string() + "' '" +
                                   (moat::testing::shared_data_dir() / "data" / "osv" / "pypa-advisory-db.zip").string() + "'");
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    reports.push_back(report("audit", "audit --db '" + database.string() + "' tests/fixtures/deps/requirements.txt", 1));
    reports.push_back(report("audit-config", "audit --db '" + database.string() +
                                                 "' --config tests/fixtures/schemas/pyproject.toml tests/fixtures/deps/requirements.txt", 1));
    seen.merge(categories(reports.back()));
    EXPECT_TRUE(seen.contains("dependency"));
  }
  for (const char* category : {"code", "rules", "artifact", "secret", "workflow", "native"})
    EXPECT_TRUE(seen.contains(category)) << "no real report had findings of category " << category;
  const auto result = validate(kReportSchema, reports);
  EXPECT_EQ(result.exit_code, 0) << result.out;
}

TEST_F(Schemas, ReportSchemaRejectsBrokenReports) {
  std::ifstream stream(report("broken-source", "scan --no-progress examples/insecure-app", 1));
  auto json = nlohmann::ordered_json::parse(stream);
  ASSERT_FALSE(json["findings"].empty());
  json["findings"][0]["severity"] = "severe";
  json["findings"][0].erase("fingerprint");
  json["findings"][0]["details"].erase("test_name");
  json["stats"]["files"] = -1;
  const fs::path broken = scratch() / "broken.json";
  std::ofstream(broken) << json.dump();
  const auto result = validate(kReportSchema, {broken.string()});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  for (const char* complaint : {"'severe' is not one of", "'fingerprint' is a required property",
                                "'test_name' is a required property", "/stats/files"})
    EXPECT_NE(result.out.find(complaint), std::string::npos) << complaint << "\n" << result.out;
}

TEST_F(Schemas, ConfigWithEveryKeyValidatesAndMoatAcceptsIt) {
  const std::string config = "tests/fixtures/schemas/pyproject.toml";
  const auto result = validate(kConfigSchema, {(kSource / config).string() + ":tool.moat"});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  // moat reads the same file without complaint: findings (1), never a usage error (2).
  EXPECT_EQ(run_moat("scan --no-progress --config " + config + " tests/fixtures/schemas").exit_code, 1);
  // The committed example configurations in fixtures validate too.
  const auto deps = validate(kConfigSchema, {(kSource / "tests/fixtures/deps/project/pyproject.toml").string() + ":tool.moat"});
  EXPECT_EQ(deps.exit_code, 0) << deps.out;
}

TEST_F(Schemas, ConfigSchemaRejectsTyposAndWrongTypes) {
  const auto result = validate(kConfigSchema, {(kSource / "tests/fixtures/schemas/typo.toml").string()});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  for (const char* complaint : {"'selct' was unexpected", "'severe' is not one of", "/audit/ignore/0"})
    EXPECT_NE(result.out.find(complaint), std::string::npos) << complaint << "\n" << result.out;
}

}  // namespace
