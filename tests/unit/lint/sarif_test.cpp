// SARIF 2.1.0 output of the code checks: the structure GitHub code scanning needs, and (when
// MOAT_SARIF_SCHEMA names the OASIS sarif-schema-2.1.0.json and python3-jsonschema is installed)
// validation against the official schema.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "moat/lint/linter.hpp"
#include "moat/report/render.hpp"
#include "moat/util/file.hpp"

namespace {

namespace fs = std::filesystem;

std::string corpus_sarif() {
  const fs::path corpus = fs::path(MOAT_SOURCE_DIR) / "tests/fixtures/lint/compat";
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(corpus))
    if (entry.path().extension() == ".py") paths.push_back(entry.path().string());
  std::ranges::sort(paths);
  paths.push_back((fs::path(MOAT_SOURCE_DIR) / "tests/fixtures/lint/broken/syntax_error.py").string());
  moat::Report report = moat::lint::make_report(moat::lint::lint_files(paths, {}, 2));
  moat::fill_fingerprints(report.findings);
  return moat::report::render_sarif(report, {});
}

TEST(Sarif, HasWhatCodeScanningNeeds) {
  const auto document = nlohmann::json::parse(corpus_sarif());
  EXPECT_EQ(document["version"], "2.1.0");
  ASSERT_EQ(document["runs"].size(), 1u);
  const auto& run = document["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  ASSERT_FALSE(rules.empty());
  for (const auto& rule : rules) {
    EXPECT_FALSE(rule["help"]["text"].get<std::string>().empty());
    EXPECT_EQ(rule["properties"]["tags"][0], "security");
    const double severity = std::stod(rule["properties"]["security-severity"].get<std::string>());
    EXPECT_GT(severity, 0.0);
    EXPECT_LE(severity, 10.0);
  }
  for (const auto& result : run["results"]) {
    EXPECT_EQ(rules[result["ruleIndex"].get<std::size_t>()]["id"], result["ruleId"]);
    EXPECT_FALSE(result["partialFingerprints"].empty());
    const auto& region = result["locations"][0]["physicalLocation"]["region"];
    EXPECT_GE(region["startLine"].get<int>(), 1);
    EXPECT_GE(region["startColumn"].get<int>(), 1);
  }
  EXPECT_EQ(run["invocations"][0]["toolConfigurationNotifications"].size(), 1u);  // the syntax error
}

TEST(Sarif, ValidatesAgainstTheOfficialSchema) {
  const char* schema = std::getenv("MOAT_SARIF_SCHEMA");
  if (schema == nullptr || !fs::exists(schema)) GTEST_SKIP() << "set MOAT_SARIF_SCHEMA to sarif-schema-2.1.0.json";
  if (std::system("python3 -c 'import jsonschema' 2>/dev/null") != 0) GTEST_SKIP() << "python3-jsonschema missing";
  const fs::path output = fs::temp_directory_path() / "moat_lint_sarif_test.sarif";
  ASSERT_TRUE(moat::write_file_atomically(output, corpus_sarif()));
  const std::string command = "python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
                              "json.load(open(sys.argv[2])))' '" + output.string() + "' '" + schema + "'";
  EXPECT_EQ(std::system(command.c_str()), 0);
}

}  // namespace
