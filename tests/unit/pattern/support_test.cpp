#include <gtest/gtest.h>

#include "moat/pattern/comparison.hpp"
#include "moat/pattern/regex.hpp"
#include "moat/pattern/rule.hpp"
#include "moat/pattern/rule_test.hpp"

namespace moat::pattern {
namespace {

bool compare(const char* expression, std::map<std::string, std::string> values) {
  auto parsed = Comparison::parse(expression);
  EXPECT_TRUE(parsed.has_value()) << expression << ": " << (parsed ? "" : parsed.error().message);
  if (!parsed) return false;
  return (*parsed)->evaluate([&](std::string_view name) -> std::optional<Value> {
    auto found = values.find(std::string(name));
    if (found == values.end()) return std::nullopt;
    return value_of_code(found->second);
  });
}

TEST(Comparison, EvaluatesPythonLikeExpressions) {
  EXPECT_TRUE(compare("$X > 1024", {{"$X", "8080"}}));
  EXPECT_FALSE(compare("$X > 1024", {{"$X", "80"}}));
  EXPECT_TRUE(compare("int($X) < 1024 and $Y == 'a'", {{"$X", "'22'"}, {"$Y", "\"a\""}}));
  EXPECT_TRUE(compare("not $X in [1, 2]", {{"$X", "3"}}));
  EXPECT_TRUE(compare("$X <= 0x10", {{"$X", "16"}}));
  EXPECT_TRUE(compare("re.match('ab.*', $S)", {{"$S", "'abc'"}}));
  EXPECT_TRUE(compare("$A * 2 + 1 == 7", {{"$A", "3"}}));
  EXPECT_FALSE(compare("$MISSING > 1", {}));
  EXPECT_TRUE(compare("str($X) == 'x'", {{"$X", "x"}}));
}

TEST(Comparison, RejectsWhatItCannotEvaluate) {
  EXPECT_FALSE(Comparison::parse("$X >").has_value());
  EXPECT_FALSE(Comparison::parse("os.system($X)").has_value());
  EXPECT_FALSE(Comparison::parse("(((((").has_value());
  std::string deep(1000, '(');
  EXPECT_FALSE(Comparison::parse(deep).has_value());
}

TEST(Regex, FindsAllAndAnchorsAtStart) {
  auto regex = Regex::compile("a+");
  ASSERT_TRUE(regex.has_value());
  auto spans = regex->find_all("xaay a");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0], (Span{1, 3}));
  EXPECT_EQ(spans[1], (Span{5, 6}));
  EXPECT_TRUE(regex->matches_at_start("aab"));
  EXPECT_FALSE(regex->matches_at_start("baa"));
  EXPECT_TRUE(regex->search("baa"));
  auto multiline = Regex::compile("^b$");
  ASSERT_TRUE(multiline.has_value());
  EXPECT_EQ(multiline->find_all("a\nb\nc").size(), 1u);
  EXPECT_FALSE(Regex::compile("(").has_value());
}

TEST(Glob, MatchesLikeSemgrepPathFilters) {
  EXPECT_TRUE(path_glob_matches("*/setup.py", "pkg/setup.py"));
  EXPECT_TRUE(path_glob_matches("*/setup.py", "a/b/setup.py"));
  EXPECT_FALSE(path_glob_matches("*/setup.py", "setup.py"));
  EXPECT_TRUE(path_glob_matches("setup.py", "deep/down/setup.py"));
  EXPECT_FALSE(path_glob_matches("setup.py", "deep/down/setup.pyc"));
  EXPECT_TRUE(path_glob_matches("*/tests/*", "pkg/tests/test_a.py"));
  EXPECT_TRUE(path_glob_matches("tests/", "pkg/tests/test_a.py"));
  EXPECT_TRUE(path_glob_matches("test_*.py", "pkg/test_a.py"));
  EXPECT_FALSE(path_glob_matches("test_*.py", "pkg/a_test.py"));
  EXPECT_TRUE(path_glob_matches("/src/**/*.py", "src/a/b/c.py"));
  EXPECT_FALSE(path_glob_matches("/src/*.py", "lib/src/a.py"));
}

TEST(Annotations, NextLineStandaloneAndStacked) {
  const auto annotations = parse_annotations(
      "x = 1\n"
      "# ruleid: a, b\n"
      "bad()\n"
      "# ok: a\n"
      "# todoruleid: b\n"
      "fine()\n"
      "call()  # ruleid: a\n"
      "after()\n"
      "# OK: a\n"
      "# proruleid: a\n"
      "x()\n"
      "// todook: c\n"
      "y()\n",
      false);
  EXPECT_EQ(annotations.ruleid.at("a"), (std::set<int>{3}));
  EXPECT_EQ(annotations.ruleid.at("b"), (std::set<int>{3}));
  EXPECT_EQ(annotations.ok.at("a"), (std::set<int>{6}));
  EXPECT_EQ(annotations.todoruleid.at("b"), (std::set<int>{6}));
  EXPECT_EQ(annotations.todook.at("c"), (std::set<int>{13}));
  const auto lenient = parse_annotations("call()  # ruleid: a\nafter()\n", true);
  EXPECT_EQ(lenient.ruleid.at("a"), (std::set<int>{2}));
}

}  // namespace
}  // namespace moat::pattern
