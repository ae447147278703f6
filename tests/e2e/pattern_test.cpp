#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "support/run_moat.hpp"
#include "support/shared_data.hpp"

namespace {

using moat::testing::run_moat;

TEST(RulesCommand, ListShowsTheBuiltinPack) {
  auto result = run_moat("rules list");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("MOAT-MAL001"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("taint"), std::string::npos) << result.out;
}

TEST(RulesCommand, ListLoadsGuardDogRulesAsJson) {
  MOAT_REQUIRE_SHARED_DATA();
  auto result = run_moat("rules list --no-builtin --format json --rules '" +
                         (moat::testing::shared_data_dir() / "data/rules/guarddog").string() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["rules"].size(), 15u);
  EXPECT_TRUE(json["errors"].empty());
}

TEST(RulesCommand, TestRunsTheBuiltinPackAnnotations) {
  auto result = run_moat("rules test rules");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("PASS  MOAT-MAL001"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(" passed, 0 failed"), std::string::npos) << result.out;
}

TEST(RulesCommand, TestRunsGuardDogRulesAgainstOurTargets) {
  MOAT_REQUIRE_SHARED_DATA();
  auto result = run_moat("rules test '" + (moat::testing::shared_data_dir() / "data/rules/guarddog").string() +
                         "' --targets tests/fixtures/pattern/guarddog");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("15 passed, 0 failed"), std::string::npos) << result.out;
}

TEST(RulesCommand, BadRulesAreReportedAndTheRestStillRun) {
  auto result = run_moat("rules scan tests/fixtures/pattern/scan --no-builtin --rules tests/fixtures/pattern/bad-rules "
                         "--format json");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("mixed.yaml:12: rule 'broken-rule': 'pattern-not' is only allowed under 'patterns'"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("\"rule_id\": \"fine-rule\""), std::string::npos) << result.out;
}

TEST(RulesCommand, ScanReportsBuiltinFindings) {
  auto result = run_moat("rules scan tests/fixtures/pattern/scan --format json");
  ASSERT_EQ(result.exit_code, 1) << result.out;
  const auto start = result.out.find('{');
  ASSERT_NE(start, std::string::npos) << result.out;
  auto json = nlohmann::json::parse(result.out.substr(start));
  std::set<std::string> rules;
  for (const auto& finding : json["findings"]) {
    EXPECT_EQ(finding["category"], "rules");
    rules.insert(finding["rule_id"].get<std::string>());
  }
  EXPECT_TRUE(rules.contains("MOAT-MAL001")) << result.out;
  EXPECT_TRUE(rules.contains("MOAT-MAL005")) << result.out;
}

TEST(RulesCommand, MissingPathIsAFailure) {
  auto result = run_moat("rules test does/not/exist");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_NE(result.out.find("does/not/exist"), std::string::npos) << result.out;
}

}  // namespace
