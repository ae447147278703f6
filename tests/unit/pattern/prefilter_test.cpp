// The prefilters that let rules skip files: regex literal requirements and trigram sets. A wrong
// "cannot match" would hide real findings, so the unknown cases must stay unconstrained.
#include <gtest/gtest.h>

#include "moat/pattern/regex.hpp"
#include "moat/pattern/regex_literals.hpp"
#include "moat/pattern/trigrams.hpp"

namespace moat::pattern {
namespace {

using Strings = std::vector<std::string>;

TEST(RegexLiterals, FindsTheLiteralsEveryMatchNeeds) {
  EXPECT_EQ(required_literals("LD_PRELOAD"), Strings{"ld_preload"});
  EXPECT_EQ(required_literals(R"(__armor_enter__|__armor_exit__)"), (Strings{"__armor_enter__", "__armor_exit__"}));
  EXPECT_EQ(required_literals(R"(((?:https?:\/\/)?[^\n\[\/\?#"']*?(bit\.ly)\b))"), Strings{"bit.ly"});
  EXPECT_EQ(required_literals(R"((?i)https?://(pastebin\.com|paste\.ee))"),
            (Strings{"http://paste.ee", "http://pastebin.com", "https://paste.ee", "https://pastebin.com"}));
  EXPECT_EQ(required_literals(R"(from pyarmor_runtime[_\w]* import __pyarmor__)"), Strings{"from pyarmor_runtime"});
  EXPECT_EQ(required_literals(R"((?i)mmc(.exe)?\s+-Embedding\s+\S+.ms)"), Strings{"-embedding"});
  EXPECT_EQ(required_literals(R"(\x41BC)"), Strings{"abc"});
  EXPECT_EQ(required_literals(R"((?i)odbcconf(.exe)?\s+.*{\s*REGSVR)"), Strings{"odbcconf"});
}

TEST(RegexLiterals, UnknownOrOptionalPartsGiveNoRequirement) {
  EXPECT_EQ(required_literals(R"([A-Za-z0-9+/]{600,})"), std::nullopt);
  EXPECT_EQ(required_literals(R"(a|[bc])"), std::nullopt);
  EXPECT_EQ(required_literals(R"((abc)?)"), std::nullopt);
  EXPECT_EQ(required_literals(R"((abc)*)"), std::nullopt);
  EXPECT_EQ(required_literals(R"((?x) a b c)"), std::nullopt);  // extended syntax is not modelled
  EXPECT_EQ(required_literals(R"(\Qabc\E)"), std::nullopt);
  EXPECT_EQ(required_literals(R"(é)"), std::nullopt);
  EXPECT_EQ(required_literals(R"((?=abc))"), std::nullopt);
  EXPECT_EQ(required_literals(R"((unclosed)"), std::nullopt);
  EXPECT_EQ(required_literals(std::string(1000, '(') + "a" + std::string(1000, ')')), std::nullopt);
}

TEST(RegexLiterals, RepetitionsKeepTheRequirement) {
  EXPECT_EQ(required_literals(R"((abc)+x*)"), Strings{"abc"});
  EXPECT_EQ(required_literals(R"((\\x[0-9a-f]{2}){100,})"), Strings{"\\x"});
}

TEST(Trigrams, AnswersCaseInsensitivelyWithoutFalseNegatives) {
  const TrigramSet set("import subprocess\nURL = 'https://PasteBin.com/raw'\n");
  EXPECT_TRUE(set.may_contain("subprocess"));
  EXPECT_TRUE(set.may_contain("pastebin.com"));
  EXPECT_TRUE(set.may_contain("IMPORT"));
  EXPECT_TRUE(set.may_contain("ab"));  // too short to tell
  EXPECT_FALSE(set.may_contain("base64.b64decode"));
  EXPECT_TRUE(TrigramSet().may_contain("anything"));
}

TEST(Trigrams, RegexPrefilterSkipsOnlyTextsWithoutTheLiterals) {
  auto regex = Regex::compile(R"((?i)https?://(pastebin\.com|paste\.ee)/)");
  ASSERT_TRUE(regex.has_value());
  EXPECT_TRUE(regex->may_match(TrigramSet("x = 'HTTPS://PASTE.EE/abc'")));
  EXPECT_FALSE(regex->may_match(TrigramSet("x = 'https://example.com/'")));
  auto unconstrained = Regex::compile(R"([0-9a-f]{64})");
  ASSERT_TRUE(unconstrained.has_value());
  EXPECT_TRUE(unconstrained->may_match(TrigramSet("nothing here")));
}

}  // namespace
}  // namespace moat::pattern
