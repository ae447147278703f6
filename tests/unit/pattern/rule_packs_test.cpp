#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "moat/pattern/builtin_rules.hpp"
#include "moat/pattern/rule_docs.hpp"
#include "moat/pattern/rule_test.hpp"
#include "support/shared_data.hpp"

namespace moat::pattern {
namespace {

const std::filesystem::path kSource = MOAT_SOURCE_DIR;

// GuardDog v2.10.0's 15 rules against moat's own annotated test files.
TEST(RulePacks, GuardDogRulesPassTheirAnnotatedTests) {
  MOAT_REQUIRE_SHARED_DATA();
  std::ostringstream out;
  RuleTestOptions options;
  options.targets = kSource / "tests" / "fixtures" / "pattern" / "guarddog";
  const auto summary =
      run_rule_tests(moat::testing::shared_data_dir() / "data" / "rules" / "guarddog", options, out);
  EXPECT_TRUE(summary.errors.empty()) << out.str();
  EXPECT_EQ(summary.passed, 15) << out.str();
  EXPECT_EQ(summary.failed, 0) << out.str();
  EXPECT_NE(out.str().find("15 passed, 0 failed"), std::string::npos) << out.str();
}

// Every built-in rule has an annotated test file beside it, and passes it.
TEST(RulePacks, BuiltinPackPassesItsAnnotatedTests) {
  std::ostringstream out;
  const auto summary = run_rule_tests(kSource / "rules", RuleTestOptions{}, out);
  EXPECT_TRUE(summary.errors.empty()) << out.str();
  EXPECT_EQ(summary.untested, 0) << out.str();
  EXPECT_EQ(summary.failed, 0) << out.str();
  EXPECT_EQ(static_cast<std::size_t>(summary.passed), builtin_rule_files().size()) << out.str();
}

TEST(RulePacks, BuiltinPackIsEmbeddedAndDocumented) {
  RuleSet set;
  load_builtin_rules(set);
  EXPECT_TRUE(set.errors.empty());
  EXPECT_GE(set.rules.size(), 15u);
  const auto docs = pattern_rule_docs();
  ASSERT_EQ(docs.size(), set.rules.size());
  for (const auto& doc : docs) {
    EXPECT_TRUE(doc.id.starts_with("MOAT-MAL")) << doc.id;
    EXPECT_FALSE(doc.what.empty()) << doc.id;
    EXPECT_FALSE(doc.why.empty()) << doc.id;
    EXPECT_FALSE(doc.fix.empty()) << doc.id;
  }
}

// A test file whose annotations disagree with the rule must fail, naming the lines.
TEST(RulePacks, MismatchedAnnotationsFail) {
  const auto dir = std::filesystem::temp_directory_path() / "moat-rule-test-mismatch";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "r.yaml") << "rules:\n  - id: r\n    message: m\n    severity: INFO\n    languages: [python]\n"
                                     "    pattern: f()\n";
    std::ofstream(dir / "r.py") << "# ruleid: r\ng()\n# ok: r\nf()\n";
  }
  std::ostringstream out;
  const auto summary = run_rule_tests(dir, RuleTestOptions{}, out);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(summary.failed, 1) << out.str();
  EXPECT_NE(out.str().find("missed lines 2; unexpected lines 4"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("0 passed, 1 failed"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace moat::pattern
