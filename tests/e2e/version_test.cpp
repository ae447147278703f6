// End-to-end: `moat --version` names the release, the commit, the rule set and the database.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "support/run_moat.hpp"
#include "support/run_shell.hpp"

namespace {

namespace fs = std::filesystem;
using moat::testing::run_moat;

/// Sets MOAT_DB for one test.
class ScopedDatabase {
 public:
  explicit ScopedDatabase(const fs::path& path) { ::setenv("MOAT_DB", path.c_str(), 1); }
  ~ScopedDatabase() { ::unsetenv("MOAT_DB"); }
  ScopedDatabase(const ScopedDatabase&) = delete;
  ScopedDatabase& operator=(const ScopedDatabase&) = delete;
};

fs::path scratch(const std::string& name) {
  const fs::path directory = fs::temp_directory_path() / ("moat-version-e2e-" + std::to_string(::getpid())) / name;
  fs::create_directories(directory);
  return directory;
}

TEST(Version, NamesReleaseCommitRulesAndMissingDatabase) {
  ScopedDatabase database("/nonexistent/moat/osv.sqlite");
  const auto result = run_moat("--version");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_TRUE(result.out.starts_with(std::string("moat ") + MOAT_VERSION + "\n")) << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex("\ncommit:   ([0-9a-f]{12}|unknown)\n"))) << result.out;
  std::smatch rules;
  ASSERT_TRUE(std::regex_search(result.out, rules, std::regex("\nrules:    ([0-9]+) rules, sha256:[0-9a-f]{12}\n")))
      << result.out;
  EXPECT_GT(std::stoi(rules[1].str()), 100);  // Bandit's checks alone are 75
  EXPECT_NE(result.out.find("database: none at /nonexistent/moat/osv.sqlite (run `moat db update`"), std::string::npos)
      << result.out;
}

TEST(Version, ShortFlagAndRepeatedRunsAgree) {
  ScopedDatabase database("/nonexistent/osv.sqlite");
  const auto long_flag = run_moat("--version");
  const auto short_flag = run_moat("-V");
  EXPECT_EQ(short_flag.exit_code, 0);
  EXPECT_EQ(long_flag.out, short_flag.out);  // the rule-set digest is deterministic
}

TEST(Version, CommitIsTheConfiguredCheckout) {
  const auto head = moat::testing::run_shell("git -C '" MOAT_SOURCE_DIR "' rev-parse --short=12 HEAD");
  const auto result = run_moat("--version");
  if (head.exit_code != 0) {
    EXPECT_NE(result.out.find("commit:   unknown"), std::string::npos) << result.out;
    return;
  }
  // The commit is captured when CMake configures, so it names HEAD or an ancestor of it.
  std::smatch commit;
  ASSERT_TRUE(std::regex_search(result.out, commit, std::regex("commit:   ([0-9a-f]{12})"))) << result.out;
  const auto ancestor = moat::testing::run_shell("git -C '" MOAT_SOURCE_DIR "' merge-base --is-ancestor " +
                                                 commit[1].str() + " HEAD");
  EXPECT_EQ(ancestor.exit_code, 0) << commit[1].str() << " is not in this checkout's history: " << ancestor.out;
}

TEST(Version, NamesTheDatabaseInUse) {
  const fs::path db = scratch("db") / "osv.sqlite";
  const auto imported = run_moat("db import --db '" + db.string() + "' tests/fixtures/integrations/osv");
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  ScopedDatabase database(db);
  const auto result = run_moat("--version");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex("\ndatabase: schema [0-9]+, 1 advisories, imported 20[0-9]{2}-[0-9]{2}-[0-9]{2} ")))
      << result.out;
  EXPECT_NE(result.out.find(db.string()), std::string::npos) << result.out;
  fs::remove_all(db.parent_path().parent_path());
}

}  // namespace
