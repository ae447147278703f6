// End-to-end: `moat bandit` takes a project's `.bandit` from anywhere under its targets, as Bandit
// does, while its scan runs ahead of that search; what it prints must not show that.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/run_moat.hpp"

namespace fs = std::filesystem;

namespace {

using moat::testing::run_captured;

class BanditIni : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = fs::temp_directory_path() / ("moat-e2e-bandit-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(project_);
    fs::create_directories(project_ / "src");
    fs::create_directories(project_ / "vendor" / "lib" / "deep");
    std::ofstream(project_ / "src" / "checks.py") << "assert x\nexec(code)\n";  // B101 and B102
  }
  void TearDown() override { fs::remove_all(project_); }

  /// Test IDs of the results of a JSON report.
  static std::vector<std::string> test_ids(const std::string& report) {
    std::vector<std::string> ids;
    const auto document = nlohmann::json::parse(report, nullptr, false);
    if (document.is_discarded()) return {"not json: " + report};
    for (const auto& result : document["results"]) ids.push_back(result["test_id"].get<std::string>());
    return ids;
  }
  /// stdout, stderr and exit code of `moat bandit ARGUMENTS`, stderr kept apart.
  std::pair<moat::testing::CommandResult, std::string> bandit(const std::string& arguments) const {
    const fs::path errors = project_.string() + ".stderr";
    auto result = run_captured(std::string("cd '") + MOAT_SOURCE_DIR + "' && '" + MOAT_BINARY + "' bandit " + arguments + " 2>'" +
                               errors.string() + "'");
    std::ifstream in(errors);
    std::string stderr_text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    fs::remove(errors);
    return {std::move(result), std::move(stderr_text)};
  }

  fs::path project_;
};

TEST_F(BanditIni, ADotBanditDeepInAnExcludedDirectoryStillApplies) {
  const std::string target = "-r '" + project_.string() + "' -x '" + (project_ / "vendor").string() + "' -f json";
  const auto without = bandit(target);
  EXPECT_EQ(without.first.exit_code, 1);
  EXPECT_EQ(test_ids(without.first.out), (std::vector<std::string>{"B101", "B102"}));

  std::ofstream(project_ / "vendor" / "lib" / "deep" / ".bandit") << "[bandit]\nskips: B101\n";
  const auto with = bandit(target);
  EXPECT_EQ(with.first.exit_code, 1);
  EXPECT_EQ(test_ids(with.first.out), std::vector<std::string>{"B102"});
  EXPECT_EQ(with.second, "");
}

TEST_F(BanditIni, TwoDotBanditFilesStopTheRun) {
  std::ofstream(project_ / "vendor" / "lib" / "deep" / ".bandit") << "[bandit]\nskips: B101\n";
  std::ofstream(project_ / "src" / ".bandit") << "[bandit]\ntests: B102\n";
  const auto result = bandit("-r '" + project_.string() + "' -f json");
  EXPECT_EQ(result.first.exit_code, 2);
  EXPECT_EQ(result.first.out, "");
  EXPECT_EQ(result.second, "[main]\tERROR\tMultiple .bandit files found - scan separately or choose one with --ini\n");
  // --ini names the one to use; nothing is searched then.
  const auto chosen = bandit("-r '" + project_.string() + "' -f json --ini '" + (project_ / "src" / ".bandit").string() + "'");
  EXPECT_EQ(chosen.first.exit_code, 1);
  EXPECT_EQ(test_ids(chosen.first.out), std::vector<std::string>{"B102"});
}

TEST_F(BanditIni, ADotBanditCanSettleWhatTheCommandLineLeftInvalid) {
  // --msg-template needs -f custom; here the .bandit gives it.
  const std::string target = "-r '" + project_.string() + "' --msg-template '{test_id}:{line}'";
  const auto invalid = bandit(target);
  EXPECT_EQ(invalid.first.exit_code, 2);
  EXPECT_EQ(invalid.second, "[main]\tERROR\t--msg-template can only be used with --format=custom\n");
  std::ofstream(project_ / ".bandit") << "[bandit]\nformat: custom\n";
  const auto settled = bandit(target);
  EXPECT_EQ(settled.first.exit_code, 1);
  EXPECT_EQ(settled.first.out, "B101:1\nB102:2\n");
  EXPECT_EQ(settled.second, "");
}

TEST_F(BanditIni, WarningsArePrintedOnceInTheirOrder) {
  // Without -r the directory target is skipped: the config warning comes first, then discovery's.
  const std::string target = "-t B101,B998 '" + project_.string() + "' -f json";
  const auto warned = bandit(target);
  EXPECT_EQ(warned.first.exit_code, 0);
  EXPECT_EQ(warned.second, "[config]\tWARNING\tUnknown test found in profile: B998\n[main]\tWARNING\tSkipping directory (" +
                               project_.string() + "), use -r flag to scan contents\n");
  // With a .bandit the run restarts from its settings; the first attempt's warnings are not shown.
  std::ofstream(project_ / "vendor" / ".bandit") << "[bandit]\nskips: B997\nrecursive: true\n";
  const auto restarted = bandit(target);
  EXPECT_EQ(restarted.first.exit_code, 1);
  EXPECT_EQ(test_ids(restarted.first.out), std::vector<std::string>{"B101"});
  EXPECT_EQ(restarted.second,
            "[config]\tWARNING\tUnknown test found in profile: B998\n[config]\tWARNING\tUnknown test found in profile: B997\n");
}

}  // namespace
