// End-to-end: `moat scan`, `moat bandit` and `moat explain` as a user runs them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_moat.hpp"

namespace {

using moat::testing::run_moat;

const std::string kCorpus = "tests/fixtures/lint/compat";

TEST(LintE2E, ExplainPrintsTheRuleDoc) {
  const auto result = run_moat("explain B602");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("subprocess_popen_with_shell_equals_true"), std::string::npos);
  EXPECT_NE(result.out.find("security-considerations"), std::string::npos);
  EXPECT_EQ(run_moat("explain S602").exit_code, 0);
  EXPECT_EQ(run_moat("explain B999").exit_code, 2);
}

TEST(LintE2E, BanditJsonShapeAndExitCode) {
  const auto result = run_moat("bandit -f json -q " + kCorpus + "/B101_assert.py 2>/dev/null");
  EXPECT_EQ(result.exit_code, 1);
  const auto document = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << result.out;
  ASSERT_EQ(document["results"].size(), 2u);
  const auto& first = document["results"][0];
  EXPECT_EQ(first["filename"], "./" + kCorpus + "/B101_assert.py");
  EXPECT_EQ(first["test_id"], "B101");
  EXPECT_EQ(first["test_name"], "assert_used");
  EXPECT_EQ(first["issue_severity"], "LOW");
  EXPECT_EQ(first["issue_cwe"]["id"], 703);
  EXPECT_EQ(first["line_range"], nlohmann::json::array({1}));
  EXPECT_EQ(document["metrics"]["_totals"]["loc"], 3);
}

TEST(LintE2E, BanditFiltersAndExitZero) {
  EXPECT_EQ(run_moat("bandit -q -lll -f json " + kCorpus + "/B101_assert.py > /dev/null").exit_code, 0);
  EXPECT_EQ(run_moat("bandit -q --exit-zero -f json " + kCorpus + "/B101_assert.py > /dev/null").exit_code, 0);
  EXPECT_EQ(run_moat("bandit -q -f json -t B102 -s B102 " + kCorpus).exit_code, 2);
  EXPECT_EQ(run_moat("bandit -q -f json -s B101 " + kCorpus + "/B101_assert.py > /dev/null").exit_code, 0);
}

TEST(LintE2E, BanditDirectoryNeedsRecursive) {
  const auto plain = run_moat("bandit -f json " + kCorpus + " 2>/dev/null");
  EXPECT_EQ(plain.exit_code, 0);
  const auto recursive = run_moat("bandit -r -f json " + kCorpus + " 2>/dev/null");
  EXPECT_EQ(recursive.exit_code, 1);
  const auto document = nlohmann::json::parse(recursive.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded());
  EXPECT_GT(document["results"].size(), 150u);
}

TEST(LintE2E, ScanFormatsAndCompatMode) {
  const auto json = run_moat("scan --format json --no-progress " + kCorpus + "/aliases_default_mode.py");
  EXPECT_EQ(json.exit_code, 1);
  const auto document = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << json.out;
  bool saw_b602 = false;
  for (const auto& finding : document["findings"]) saw_b602 = saw_b602 || finding["rule_id"] == "B602";
  EXPECT_TRUE(saw_b602);
  const auto compat = run_moat("scan --bandit-compat --format bandit-json " + kCorpus + "/aliases_default_mode.py");
  const auto compat_document = nlohmann::json::parse(compat.out, nullptr, false);
  ASSERT_FALSE(compat_document.is_discarded()) << compat.out;
  for (const auto& result : compat_document["results"]) EXPECT_NE(result["test_id"], "B602");
  EXPECT_EQ(run_moat("scan --format sarif " + kCorpus + "/B101_assert.py").exit_code, 1);
  const auto clean = run_moat("scan " + kCorpus + "/B101_assert.py --select B613");
  EXPECT_EQ(clean.exit_code, 0);
}

TEST(LintE2E, ScanReportsSyntaxErrorsAndGoesOn) {
  const auto result = run_moat("scan --format json tests/fixtures/lint/broken " + kCorpus + "/B101_assert.py");
  EXPECT_EQ(result.exit_code, 1);
  const auto document = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << result.out;
  ASSERT_EQ(document["errors"].size(), 1u);
  EXPECT_NE(document["errors"][0]["message"].get<std::string>().find("syntax error"), std::string::npos);
  EXPECT_EQ(run_moat("scan --strict --format json tests/fixtures/lint/broken > /dev/null").exit_code, 2);
}

TEST(LintE2E, BaselineSuppressesKnownFindings) {
  const std::string baseline = "/tmp/moat_lint_e2e_baseline.json";
  EXPECT_EQ(run_moat("scan --write-baseline " + baseline + " " + kCorpus + "/B101_assert.py > /dev/null").exit_code, 1);
  const auto again = run_moat("scan --format json --baseline " + baseline + " " + kCorpus + "/B101_assert.py");
  EXPECT_EQ(again.exit_code, 0);
  const auto document = nlohmann::json::parse(again.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded());
  EXPECT_EQ(document["stats"]["baselined"], 2);
}

}  // namespace
