#include <gtest/gtest.h>

#include "moat/pattern/loader.hpp"
#include "support/shared_data.hpp"

namespace moat::pattern {
namespace {

RuleSet parse(std::string_view yaml) {
  RuleSet set;
  parse_rule_file(yaml, "test.yaml", set);
  return set;
}

std::string errors_of(const RuleSet& set) {
  std::string text;
  for (const auto& error : set.errors) text += error.to_string() + "\n";
  return text;
}

TEST(Loader, LoadsASearchRuleWithEveryHeaderField) {
  auto set = parse(R"(rules:
  - id: demo
    message: found $X
    severity: ERROR
    languages: [python]
    metadata: {cwe: "CWE-78: OS Command Injection", confidence: HIGH, references: [a, b]}
    paths: {include: ["*.py"], exclude: ["tests/"]}
    options: {symbolic_propagation: true}
    fix: safe($X)
    fix-regex: {regex: "a+", replacement: b, count: 1}
    patterns:
      - pattern: os.system($X)
      - pattern-not: os.system("...")
      - metavariable-regex: {metavariable: $X, regex: "^cmd"}
      - focus-metavariable: $X
)");
  ASSERT_TRUE(set.errors.empty()) << errors_of(set);
  ASSERT_EQ(set.rules.size(), 1u);
  const Rule& rule = set.rules[0];
  EXPECT_EQ(rule.id, "demo");
  EXPECT_EQ(rule.severity, Severity::high);
  EXPECT_EQ(rule.confidence, Confidence::high);
  EXPECT_TRUE(rule.symbolic_propagation);
  EXPECT_EQ(rule.include_paths, std::vector<std::string>{"*.py"});
  EXPECT_EQ(rule.fix.value_or(""), "safe($X)");
  ASSERT_TRUE(rule.fix_regex.has_value());
  EXPECT_EQ(rule.fix_regex->count, 1);
  EXPECT_EQ(rule.formula.kind, Formula::Kind::all);
  EXPECT_EQ(rule.formula.children.size(), 2u);
  EXPECT_EQ(rule.formula.conditions.size(), 1u);
  EXPECT_EQ(rule.formula.focus.size(), 1u);
  EXPECT_EQ(rule.line, 2);
}

TEST(Loader, ErrorsNameTheFileLineAndRule) {
  auto set = parse(R"(rules:
  - id: good
    message: m
    severity: INFO
    languages: [python]
    pattern: foo()
  - id: bad-severity
    message: m
    severity: SEVERE
    languages: [python]
    pattern: foo()
  - id: bad-regex
    message: m
    severity: INFO
    languages: [python]
    pattern-regex: "a("
)");
  ASSERT_EQ(set.rules.size(), 1u);
  EXPECT_EQ(set.rules[0].id, "good");
  ASSERT_EQ(set.errors.size(), 2u);
  EXPECT_EQ(set.errors[0].subject, "test.yaml:9");
  EXPECT_NE(set.errors[0].message.find("rule 'bad-severity'"), std::string::npos) << set.errors[0].message;
  EXPECT_NE(set.errors[0].message.find("SEVERE"), std::string::npos);
  EXPECT_EQ(set.errors[1].subject, "test.yaml:16");
  EXPECT_NE(set.errors[1].message.find("invalid regex"), std::string::npos) << set.errors[1].message;
}

TEST(Loader, RejectsStructuralMistakesClearly) {
  const std::pair<const char*, const char*> cases[] = {
      {"rules:\n  - message: m\n    severity: INFO\n    languages: [python]\n    pattern: a\n", "missing required key 'id'"},
      {"rules:\n  - id: x\n    message: m\n    severity: INFO\n    languages: [python]\n", "needs one of pattern"},
      {"rules:\n  - id: x\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern: a\n    pattern-regex: b\n",
       "exactly one of"},
      {"rules:\n  - id: x\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern-either:\n      - pattern-not: a\n",
       "only allowed under 'patterns'"},
      {"rules:\n  - id: x\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern: a\n    colour: red\n",
       "unknown key 'colour'"},
      {"rules:\n  - id: x\n    message: m\n    severity: INFO\n    languages: [python]\n    pattern: foo(\n", "invalid pattern"},
      {"rules:\n  - id: x\n    message: m\n    severity: INFO\n    languages: [python]\n    mode: taint\n    pattern-sinks:\n      - pattern: a\n",
       "pattern-sources"},
      {"rules:\n  - id: x\n    message: m\n    severity: INFO\n    languages: [python]\n    patterns:\n      - pattern: a\n      - focus-metavariable: X\n",
       "not a metavariable name"},
      {"rules:\n  - id: x\n    message: m\n    severity: INFO\n    languages: [python]\n    join: {}\n", "unsupported feature: 'join'"},
      {"rules: [\n", "invalid YAML"},
      {"other: 1\n", "expected a top-level 'rules:' list"},
  };
  for (const auto& [yaml, expected] : cases) {
    auto set = parse(yaml);
    EXPECT_TRUE(set.rules.empty()) << yaml;
    ASSERT_EQ(set.errors.size(), 1u) << yaml;
    EXPECT_NE(set.errors[0].message.find(expected), std::string::npos) << set.errors[0].to_string();
  }
}

TEST(Loader, LoadsTaintRules) {
  auto set = parse(R"(rules:
  - id: t
    message: m
    severity: WARNING
    languages: [python]
    mode: taint
    pattern-sources:
      - pattern: source()
    pattern-sinks:
      - pattern-either:
          - pattern-inside: sink(...)
    pattern-sanitizers:
      - pattern: clean(...)
)");
  ASSERT_TRUE(set.errors.empty()) << errors_of(set);
  ASSERT_EQ(set.rules.size(), 1u);
  EXPECT_EQ(set.rules[0].mode, Rule::Mode::taint);
  EXPECT_EQ(set.rules[0].sources.size(), 1u);
  EXPECT_EQ(set.rules[0].sinks.size(), 1u);
  EXPECT_EQ(set.rules[0].sanitizers.size(), 1u);
}

TEST(Loader, RuleFileNames) {
  EXPECT_TRUE(is_rule_file_name("a.yaml"));
  EXPECT_TRUE(is_rule_file_name("a.yml"));
  EXPECT_FALSE(is_rule_file_name("a.test.yaml"));
  EXPECT_FALSE(is_rule_file_name("a.fixed.yaml"));
  EXPECT_FALSE(is_rule_file_name("a.py"));
}

TEST(Loader, GuardDogRulesAllLoad) {
  MOAT_REQUIRE_SHARED_DATA();
  RuleSet set;
  load_rules(moat::testing::shared_data_dir() / "data" / "rules" / "guarddog", set);
  EXPECT_TRUE(set.errors.empty()) << errors_of(set);
  EXPECT_EQ(set.rules.size(), 15u);
  int taint = 0;
  for (const auto& rule : set.rules) taint += rule.mode == Rule::Mode::taint ? 1 : 0;
  EXPECT_EQ(taint, 4);
}

}  // namespace
}  // namespace moat::pattern
