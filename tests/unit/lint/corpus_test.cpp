// The committed corpus (tests/fixtures/lint/compat): small files exercising all 75 checks, with
// the findings Bandit 1.9.4 reports on them recorded in expected_bandit_1.9.4.json. Compat mode
// must reproduce them exactly; default mode must find a superset.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "moat/lint/linter.hpp"
#include "moat/util/file.hpp"

namespace {

namespace fs = std::filesystem;
using namespace moat::lint;

const fs::path kCorpus = fs::path(MOAT_SOURCE_DIR) / "tests/fixtures/lint/compat";

using Key = std::tuple<int, std::string, std::string, std::string>;

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<Key> lint_keys(const std::string& file, bool compat) {
  auto bytes = moat::read_file(kCorpus / file);
  EXPECT_TRUE(bytes) << file;
  LintOptions options;
  options.bandit_compat = compat;
  const FileResult result = lint_source("./" + file, bytes ? *bytes : std::string(), options);
  EXPECT_FALSE(result.error) << file << ": " << result.error.value_or("");
  std::vector<Key> keys;
  for (const Issue& issue : result.issues)
    keys.emplace_back(issue.line, std::string(info(issue.check).id), upper(moat::to_string(issue.severity)),
                      upper(moat::to_string(issue.confidence)));
  std::ranges::sort(keys);
  return keys;
}

nlohmann::json expected_results() {
  auto text = moat::read_file(kCorpus / "expected_bandit_1.9.4.json");
  EXPECT_TRUE(text);
  return nlohmann::json::parse(text ? *text : std::string("{}"));
}

TEST(Corpus, CompatModeMatchesBandit) {
  const nlohmann::json expected = expected_results();
  ASSERT_GE(expected.size(), 19u);
  std::set<std::string> covered;
  for (const auto& [file, results] : expected.items()) {
    std::vector<Key> want;
    for (const auto& row : results) {
      want.emplace_back(row[0].get<int>(), row[1].get<std::string>(), row[2].get<std::string>(), row[3].get<std::string>());
      covered.insert(row[1].get<std::string>());
    }
    std::ranges::sort(want);
    const std::vector<Key> got = lint_keys(file, true);
    EXPECT_EQ(got, want) << file;
  }
  EXPECT_EQ(covered.size(), kCheckCount) << "the corpus must exercise every check";
}

TEST(Corpus, DefaultModeFindsASuperset) {
  const nlohmann::json expected = expected_results();
  for (const auto& [file, results] : expected.items()) {
    // The one documented exception: default mode also honours `# noqa: S...` and
    // `# moat: ignore[...]`, which nosec.py uses on purpose.
    if (file == "nosec.py") continue;
    const std::vector<Key> compat = lint_keys(file, true);
    const std::vector<Key> extended = lint_keys(file, false);
    EXPECT_TRUE(std::ranges::includes(extended, compat)) << file;
  }
}

TEST(Corpus, DefaultModeSeesWhatBanditIsBlindTo) {
  const std::vector<Key> compat = lint_keys("aliases_default_mode.py", true);
  const std::vector<Key> extended = lint_keys("aliases_default_mode.py", false);
  const auto has = [](const std::vector<Key>& keys, int line, const char* id) {
    return std::ranges::any_of(keys, [&](const Key& key) { return std::get<0>(key) == line && std::get<1>(key) == id; });
  };
  // runner = sp.call; runner(..., shell=True): Bandit says B604, the semantic model B602.
  EXPECT_FALSE(has(compat, 4, "B602"));
  EXPECT_TRUE(has(extended, 4, "B602"));
  // from yaml import load; load(x): gated out in Bandit.
  EXPECT_FALSE(has(compat, 5, "B506"));
  EXPECT_TRUE(has(extended, 5, "B506"));
  // async def with a password default.
  EXPECT_FALSE(has(compat, 9, "B107"));
  EXPECT_TRUE(has(extended, 9, "B107"));
}

/// Every issue of a file, field by field, in report order.
std::vector<std::tuple<int, int, std::string, std::string, int>> issue_rows(const std::string& path, const std::string& source,
                                                                          const LintOptions& options) {
  const FileResult result = lint_source(path, source, options);
  std::vector<std::tuple<int, int, std::string, std::string, int>> rows;
  for (const Issue& issue : result.issues)
    rows.emplace_back(issue.line, issue.column, std::string(info(issue.check).id), issue.text,
                      static_cast<int>(issue.severity) * 8 + static_cast<int>(issue.confidence));
  return rows;
}

// rules::call_may_report() rules calls out before the call checks run: on every corpus file, in both
// modes, the issues must be the ones every check finds when run on every call.
TEST(Corpus, RulingOutCallsChangesNothing) {
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.path().extension() != ".py") continue;
    auto bytes = moat::read_file(entry.path());
    ASSERT_TRUE(bytes) << entry.path();
    for (const bool compat : {true, false}) {
      LintOptions options;
      options.bandit_compat = compat;
      const auto ruled_out = issue_rows(entry.path().filename().string(), *bytes, options);
      options.rule_out_calls = false;
      EXPECT_EQ(ruled_out, issue_rows(entry.path().filename().string(), *bytes, options))
          << entry.path().filename() << (compat ? " (compat)" : " (default)");
    }
    ++files;
  }
  EXPECT_GE(files, 19u);
}

// Names that come from the config are not in the shortcut's fixed list.
TEST(Corpus, RulingOutCallsKeepsConfiguredNames) {
  LintOptions options;
  options.bandit_compat = true;
  options.plugins.subprocess.push_back("runner.launch");
  options.plugins.markup_names.push_back("webkit.Safe");
  const std::string source = "import runner\nimport webkit\nrunner.launch(cmd)\nwebkit.Safe(text)\n";
  std::vector<std::string> ids;
  for (const Issue& issue : lint_source("configured.py", source, options).issues) ids.emplace_back(info(issue.check).id);
  EXPECT_NE(std::ranges::find(ids, "B603"), ids.end());
  EXPECT_NE(std::ranges::find(ids, "B704"), ids.end());
  options.rule_out_calls = false;
  EXPECT_EQ(lint_source("configured.py", source, options).issues.size(), ids.size());
}

TEST(Corpus, NosecAndMoatSuppressionsAreCounted) {
  auto bytes = moat::read_file(kCorpus / "nosec.py");
  ASSERT_TRUE(bytes);
  LintOptions options;
  options.bandit_compat = true;
  const FileResult compat = lint_source("./nosec.py", *bytes, options);
  EXPECT_GT(compat.nosec, 0);
  EXPECT_GT(compat.skipped_tests, 0);
  options.bandit_compat = false;
  const FileResult extended = lint_source("./nosec.py", *bytes, options);
  EXPECT_EQ(extended.suppressed_other, 2);  // the noqa: S307 and moat: ignore[B307] lines
  options.ignore_nosec = true;
  const FileResult ignoring = lint_source("./nosec.py", *bytes, options);
  EXPECT_GT(ignoring.issues.size(), extended.issues.size());
}

TEST(Linter, SyntaxErrorIsReportedNotFatal) {
  LintOptions options;
  const FileResult result = lint_source("bad.py", "def f(:\n", options);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(*result.error, "syntax error while parsing AST from file");
}

TEST(Linter, DeepNestingDoesNotCrash) {
  std::string source = "x = " + std::string(50000, '[') + std::string(50000, ']') + "\n";
  LintOptions options;
  const FileResult result = lint_source("deep.py", source, options);
  EXPECT_TRUE(result.error);
  // A long concatenation (within the parser's nesting limit) is checked, SQL analysis included.
  std::string chain = "x = 'SELECT a FROM t WHERE b = ' + b";
  for (int i = 0; i < 150; ++i) chain += " + 'a'";
  const FileResult long_chain = lint_source("chain.py", chain + "\n", options);
  EXPECT_FALSE(long_chain.error);
  EXPECT_FALSE(long_chain.issues.empty());
}

TEST(Linter, ParallelRunKeepsInputOrder) {
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(kCorpus))
    if (entry.path().extension() == ".py") paths.push_back(entry.path().string());
  std::ranges::sort(paths);
  LintOptions options;
  const auto serial = lint_files(paths, options, 1);
  const auto parallel = lint_files(paths, options, 4);
  ASSERT_EQ(serial.size(), parallel.size());
  for (std::size_t i = 0; i < serial.size(); ++i) {
    EXPECT_EQ(serial[i].path, parallel[i].path);
    EXPECT_EQ(serial[i].issues.size(), parallel[i].issues.size());
  }
}

}  // namespace
