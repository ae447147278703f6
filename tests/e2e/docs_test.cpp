// End-to-end: the documentation matches the binary. Every ```sh / ```console example of README.md
// and docs/*.md runs (tests/support/doc_examples.py), the rule reference in docs/rules/ equals
// `moat explain --all --format markdown` output, docs/commands.md equals what
// scripts/gen_commands_doc.py makes from the CLI, and `moat explain` answers for rule codes and
// advisory ids.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "support/run_moat.hpp"
#include "support/shared_data.hpp"

namespace {

namespace fs = std::filesystem;
using moat::testing::run_moat;

const fs::path kSource = MOAT_SOURCE_DIR;

moat::testing::CommandResult run_shell(const std::string& command) {
  return moat::testing::run_captured(command + " 2>&1");
}

std::string read(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

TEST(Docs, EveryCommandExampleRuns) {
  MOAT_REQUIRE_SHARED_DATA();  // the audit examples use the OSV snapshot from ../shared
  const auto result = run_shell("python3 '" + (kSource / "tests/support/doc_examples.py").string() + "' --moat '" +
                                MOAT_BINARY + "' --source '" + kSource.string() + "' --shared '" +
                                moat::testing::shared_data_dir().string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("docs/getting-started.md: "), std::string::npos) << result.out;
}

TEST(Docs, RuleReferenceEqualsTheGeneratedOutput) {
  const fs::path generated = fs::temp_directory_path() / ("moat-docs-rules-" + std::to_string(::getpid()));
  fs::remove_all(generated);
  const auto result = run_moat("explain --all --format markdown --output-dir '" + generated.string() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const fs::path committed = kSource / "docs" / "rules";
  std::set<std::string> expected;
  std::set<std::string> present;
  for (const auto& entry : fs::directory_iterator(generated)) expected.insert(entry.path().filename().string());
  if (fs::is_directory(committed))
    for (const auto& entry : fs::directory_iterator(committed)) present.insert(entry.path().filename().string());
  const std::string regenerate = "\nregenerate: build/release/moat explain --all --format markdown --output-dir docs/rules";
  EXPECT_EQ(present, expected) << "docs/rules/ has other pages than the rules" << regenerate;
  EXPECT_GT(expected.size(), 150u);
  for (const auto& name : expected) {
    if (present.contains(name)) {
      EXPECT_EQ(read(committed / name), read(generated / name)) << "docs/rules/" << name << regenerate;
    }
  }
  fs::remove_all(generated);
}

TEST(Docs, CommandsPageEqualsTheCli) {
  const auto result = run_shell("python3 '" + (kSource / "scripts/gen_commands_doc.py").string() + "' '" + MOAT_BINARY + "'");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(read(kSource / "docs" / "commands.md"), result.out)
      << "regenerate: python3 scripts/gen_commands_doc.py build/release/moat > docs/commands.md";
  for (const char* command : {"## `moat scan`", "### `moat db update`", "### `moat verify sigstore`", "### `moat rules scan`"})
    EXPECT_NE(result.out.find(command), std::string::npos) << command;
}

TEST(Docs, ExplainAnswersForRulesAndAdvisories) {
  for (const char* code : {"B602", "S602", "MOAT-L001", "MOAT-N001", "MOAT-MAL001", "PYSEC-2018-28"}) {
    const auto result = run_moat(std::string("explain ") + code);
    EXPECT_EQ(result.exit_code, 0) << code << "\n" << result.out;
    EXPECT_NE(result.out.find("## What it does"), std::string::npos) << code;
  }
  const auto markdown = run_moat("explain B602 --format markdown");
  EXPECT_TRUE(markdown.out.starts_with("# B602: ")) << markdown.out;
  const auto unknown = run_moat("explain NOPE-1");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.out.find("moat explain --all"), std::string::npos) << unknown.out;
  EXPECT_EQ(run_moat("explain").exit_code, 2);
  EXPECT_EQ(run_moat("explain B602 --all").exit_code, 2);
  EXPECT_EQ(run_moat("explain --all --output-dir /tmp/x").exit_code, 2);
  const auto all = run_moat("explain --all");
  EXPECT_EQ(all.exit_code, 0);
  EXPECT_NE(all.out.find("B602: subprocess_popen_with_shell_equals_true"), std::string::npos);
  EXPECT_NE(all.out.find("MOAT-WF001: "), std::string::npos);
}

}  // namespace
