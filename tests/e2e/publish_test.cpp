// End-to-end: `moat workflows`, `moat token` and `moat guide publish` as users run them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/run_moat.hpp"
#include "unit/publish/macaroon_encoder.hpp"

namespace {

using moat::testing::run_moat;

const std::string kFixtures = "tests/fixtures/publish";

TEST(PublishWorkflows, TextReportHasFileLineColumnAndExitCodeOne) {
  auto result = run_moat("workflows " + kFixtures + "/wf004/vulnerable.yml --color never");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find(kFixtures + "/wf004/vulnerable.yml:22:15: MOAT-WF004 [high]"), std::string::npos)
      << result.out;
}

TEST(PublishWorkflows, CleanWorkflowExitsZero) {
  auto result = run_moat("workflows " + kFixtures + "/wf011/fixed.yml");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("No findings."), std::string::npos);
}

TEST(PublishWorkflows, JsonReportUsesTheWorkflowCategory) {
  auto result = run_moat("workflows " + kFixtures + "/wf009/vulnerable.yml --format json 2>/dev/null");
  EXPECT_EQ(result.exit_code, 1);
  auto json = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << result.out;
  ASSERT_EQ(json["findings"].size(), 1U);
  EXPECT_EQ(json["findings"][0]["rule_id"], "MOAT-WF009");
  EXPECT_EQ(json["findings"][0]["category"], "workflow");
  EXPECT_EQ(json["findings"][0]["line"], 6);
  EXPECT_EQ(json["findings"][0]["column"], 2);
  EXPECT_EQ(json["findings"][0]["path"], kFixtures + "/wf009/vulnerable.yml");
  EXPECT_EQ(json["stats"]["files"], 1);
}

TEST(PublishWorkflows, GithubAnnotationsAndSelection) {
  auto result = run_moat("workflows " + kFixtures + "/wf003/vulnerable.yml --format github --select MOAT-WF003 "
                         "--severity high");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("::error"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("line=8"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("line=3"), std::string::npos) << result.out;  // medium, filtered out
}

TEST(PublishWorkflows, MalformedFilesAreErrorsAndTheRestIsAudited) {
  auto result = run_moat("workflows " + kFixtures + "/malformed --color never");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("error: " + kFixtures + "/malformed/broken.yml: line 7"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(kFixtures + "/malformed/ok.yml:6:"), std::string::npos) << result.out;
  EXPECT_EQ(run_moat("workflows " + kFixtures + "/malformed --strict").exit_code, 2);
}

TEST(PublishWorkflows, MissingPathIsAFailure) {
  auto result = run_moat("workflows " + kFixtures + "/does-not-exist");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_NE(result.out.find("no such file or directory"), std::string::npos) << result.out;
}

TEST(PublishWorkflows, CredentialFindingsMaskTheSecret) {
  auto result = run_moat("workflows " + kFixtures + "/cr001/vulnerable.pypirc --format json");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out.find("hunter2"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\"category\": \"secret\""), std::string::npos) << result.out;
}

class PublishToken : public ::testing::Test {
 protected:
  std::filesystem::path token_file_ = std::filesystem::temp_directory_path() /
                                      ("moat-token-" + std::to_string(::getpid()) + ".txt");
  void write_token(const std::string& token) { std::ofstream(token_file_) << token << "\n"; }
  void TearDown() override { std::filesystem::remove(token_file_); }
};

TEST_F(PublishToken, UserTokenFromStdinWarnsAndNeverEchoes) {
  const std::string token = moat::testing::encode_token(
      "pypi.org", "00000000-0000-0000-0000-00000000001c", {{R"([3,"00000000-0000-4000-8000-000000000001"])", "", ""}});
  write_token(token);
  auto result = run_moat("token < '" + token_file_.string() + "'");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("user-wide"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("never expires"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find(token.substr(5, 24)), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find(token.substr(token.size() - 30)), std::string::npos) << result.out;

  auto json = run_moat("token --format json < '" + token_file_.string() + "'");
  auto parsed = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << json.out;
  EXPECT_EQ(parsed["scope"], "user");
}

TEST_F(PublishToken, ProjectTokenWithExpiryIsCleanAtAGivenTime) {
  write_token(moat::testing::encode_token("pypi.org", "00000000-0000-0000-0000-00000000001f",
                                          {{R"([1,["sampleproject"]])", "", ""}, {"[0,1900000000,1700000000]", "", ""}}));
  auto result = run_moat("token --at 1800000000 < '" + token_file_.string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("projects sampleproject"), std::string::npos) << result.out;
}

TEST_F(PublishToken, MalformedTokenIsAClearError) {
  write_token("pypi-AgEIcHlwaS5vcmc");
  auto result = run_moat("token < '" + token_file_.string() + "'");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_NE(result.out.find("moat token: token:"), std::string::npos) << result.out;
}

TEST(PublishTokenArguments, TokenOnTheCommandLineIsRefusedWithoutEchoingIt) {
  auto result = run_moat("token pypi-AgEIcHlwaS5vcmcSECRETPART < /dev/null");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_NE(result.out.find("standard input only"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("SECRETPART"), std::string::npos) << result.out;
}

TEST(PublishGuide, PrintsTheChecklist) {
  auto result = run_moat("guide publish");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("Trusted Publishing"), std::string::npos);
  EXPECT_NE(result.out.find("pypa/gh-action-pypi-publish@"), std::string::npos);
  EXPECT_EQ(run_moat("guide nonsense").exit_code, 2);
}

}  // namespace
