#include <gtest/gtest.h>

#include "moat/pattern/engine.hpp"
#include "moat/pattern/loader.hpp"

namespace moat::pattern {
namespace {

// Start lines of the findings of a one-rule YAML (whose formula is `body`) on `code`.
std::vector<int> lines(const std::string& body, std::string_view code, std::string path = "pkg/mod.py") {
  const std::string yaml = "rules:\n  - id: r\n    message: m $X\n    severity: WARNING\n    languages: [python]\n" + body;
  RuleSet set;
  parse_rule_file(yaml, "test.yaml", set);
  for (const auto& error : set.errors) ADD_FAILURE() << error.to_string();
  if (set.rules.empty()) return {};
  FileContext file(std::move(path), code);
  EXPECT_FALSE(file.parse_error().has_value()) << *file.parse_error();
  std::vector<int> out;
  for (const auto& finding : run_rules(set.rules, file)) out.push_back(finding.location.line);
  return out;
}

std::string pattern(std::string_view text) {
  std::string indented;
  for (char c : text) {
    indented += c;
    if (c == '\n') indented += "      ";
  }
  return "    pattern: |\n      " + indented + "\n";
}

using Lines = std::vector<int>;

TEST(Matcher, MetavariablesUnify) {
  EXPECT_EQ(lines(pattern("$X == $X"), "a == a\na == b\nf(x) == f( x )\n"), (Lines{1, 3}));
  EXPECT_EQ(lines(pattern("f($_, $_)"), "f(1, 2)\n"), (Lines{1}));
}

TEST(Matcher, EllipsisInArguments) {
  const std::string code = "f()\nf(1)\nf(1, 2)\nf(2, 1)\nf(x, verify=False, y=1)\n";
  EXPECT_EQ(lines(pattern("f(...)"), code), (Lines{1, 2, 3, 4, 5}));
  EXPECT_EQ(lines(pattern("f(1, ...)"), code), (Lines{2, 3}));
  EXPECT_EQ(lines(pattern("f($A)"), code), (Lines{2}));
  EXPECT_EQ(lines(pattern("f(..., 1)"), code), (Lines{2, 4}));
  EXPECT_EQ(lines(pattern("f(..., verify=False, ...)"), code), (Lines{5}));
  EXPECT_EQ(lines(pattern("f($...ARGS)"), code), (Lines{1, 2, 3, 4, 5}));
}

TEST(Matcher, KeywordArgumentsMatchInAnyOrder) {
  EXPECT_EQ(lines(pattern("requests.get(url=$U, verify=False)"),
                  "import requests\nrequests.get(verify=False, url=u)\nrequests.get(url=u)\n"),
            (Lines{2}));
}

TEST(Matcher, ImportAliasesResolve) {
  const std::string code =
      "import subprocess as sp\nfrom os import system\nimport os.path\n"
      "sp.Popen(x)\nsystem(c)\nos.system(c)\nPopen(y)\n";
  EXPECT_EQ(lines(pattern("subprocess.Popen(...)"), code), (Lines{4}));
  EXPECT_EQ(lines(pattern("os.system($C)"), code), (Lines{5, 6}));
  EXPECT_EQ(lines(pattern("system(...)"), code), (Lines{5}));
}

TEST(Matcher, StringPatterns) {
  const std::string code = "f('abc')\nf(\"x y z\")\nf(name)\nf(b'bytes')\nNAME = 'const'\ng(NAME)\n";
  EXPECT_EQ(lines(pattern("f(\"...\")"), code), (Lines{1, 2, 4}));  // bytes too, as GuardDog's tests expect
  EXPECT_EQ(lines(pattern("f(\"=~/^x .*/\")"), code), (Lines{2}));
  EXPECT_EQ(lines(pattern("f(\"... y ...\")"), code), (Lines{2}));
  EXPECT_EQ(lines(pattern("g(\"const\")"), code), (Lines{6}));
  EXPECT_EQ(lines("    patterns:\n      - pattern: f(\"$S\")\n      - metavariable-regex:\n          metavariable: $S\n"
                  "          regex: ^abc$\n",
                  code),
            (Lines{1}));
}

TEST(Matcher, DeepExpression) {
  EXPECT_EQ(lines(pattern("eval(<... input() ...>)"), "eval(input())\neval('1' + str(input()))\neval(x)\n"),
            (Lines{1, 2}));
}

TEST(Matcher, StatementSequencesWithEllipsis) {
  const std::string code =
      "a()\nx = 1\nb()\n"
      "def f():\n    a()\n    if c:\n        b(1)\n    b(2)\n"
      "b()\na()\n";
  const auto found = lines(pattern("a()\n...\nb(...)"), code);
  EXPECT_EQ(found, (Lines{1, 5}));
}

TEST(Matcher, FunctionsClassesAndDecorators) {
  const std::string code =
      "@app.route('/x')\n@login_required\ndef view(request, *args):\n    return 1\n"
      "class Model(Base):\n    def save(self):\n        pass\n";
  EXPECT_EQ(lines(pattern("@login_required\ndef $F(...):\n    ..."), code), (Lines{1}));
  EXPECT_EQ(lines(pattern("def $F(request, ...):\n    ..."), code), (Lines{1}));
  EXPECT_EQ(lines(pattern("class $C(Base):\n    ..."), code), (Lines{5}));
  EXPECT_EQ(lines(pattern("app.route(...)"), code), (Lines{1}));
}

TEST(Matcher, WithAs) {
  const std::string code = "with open(p, 'wb') as fh:\n    prepare()\n    fh.write(d)\nwith open(p) as g:\n    g.read()\n";
  EXPECT_EQ(lines(pattern("with open($P, \"wb\") as $F:\n    ...\n    $F.write($D)"), code), (Lines{1}));
}

TEST(Matcher, BooleanOperatorsInOrder) {
  const std::string code =
      "def f():\n    x = open(p)\n    x.close()\n"
      "def g():\n    y.close()\n"
      "z = open(q)\nz.close()  # nosemgrep\n";
  EXPECT_EQ(lines("    patterns:\n      - pattern-inside: |\n          $X = open(...)\n          ...\n"
                  "      - pattern: $X.close()\n",
                  code),
            (Lines{3}));
  EXPECT_EQ(lines("    patterns:\n      - pattern: $X.close()\n      - pattern-not-inside: |\n          def $F(...):\n"
                  "              ...\n",
                  code),
            (Lines{}));
  EXPECT_EQ(lines("    patterns:\n      - pattern: $O.close()\n      - pattern-not: y.close()\n", code), (Lines{3}));
}

TEST(Matcher, MetavariableConditionsAndFocus) {
  const std::string code = "listen(8080)\nlisten(80)\nconnect(host, 22)\n";
  EXPECT_EQ(lines("    patterns:\n      - pattern: listen($P)\n      - metavariable-comparison:\n          metavariable: $P\n"
                  "          comparison: $P < 1024\n",
                  code),
            (Lines{2}));
  EXPECT_EQ(lines("    patterns:\n      - pattern: connect($H, $P)\n      - metavariable-pattern:\n          metavariable: $P\n"
                  "          pattern: '22'\n",
                  code),
            (Lines{3}));
  EXPECT_EQ(lines("    patterns:\n      - pattern: |\n          f(\n            $A)\n      - focus-metavariable: $A\n",
                  "f(\n  x)\n"),
            (Lines{2}));
}

TEST(Matcher, LoneMetavariableWithRegexConditionsKeepsEveryMatch) {
  // `$X` with a condition that only regexes decide is enumerated only around their literals'
  // occurrences; a pattern in the pattern-either turns that shortcut off, giving the reference.
  const auto rule = [](std::string_view condition, bool shortcut) {
    return "    patterns:\n      - pattern: $X\n" + std::string(condition) +
           (shortcut ? "" : "            - pattern: never_called_anywhere()\n");
  };
  const std::string either =
      "      - metavariable-pattern:\n          metavariable: $X\n          pattern-either:\n"
      "            - pattern-regex: (?i)ld_preload\n            - pattern-regex: \\.exe\\s+\\S+\\.dll\n";
  const std::string code =
      "import os\nos.environ['Ld_Preload'] = path\nrun(\n    'a.exe  b.dll', LD_PRE + LOAD)\n"
      "name = 'LD_PRELOAD'\nuse(name)\nx = 1\n";
  EXPECT_EQ(lines(rule(either, true), code), lines(rule(either, false), code));
  EXPECT_EQ(lines(rule(either, true), code), (Lines{2, 3, 5}));  // the outermost expressions
  // Beyond the bound on indexed literal occurrences there is no shortcut, and nothing is lost.
  std::string crowded;
  for (int i = 0; i < 1100; ++i) crowded += "f('LD_PRELOAD')\n";
  EXPECT_EQ(lines(rule(either, true), crowded).size(), 1100u);
  // metavariable-regex: the match lies in the bound code, so its literal does too.
  const std::string regex = "      - metavariable-regex:\n          metavariable: $X\n          regex: .*LD_PRELOAD\n";
  EXPECT_EQ(lines("    patterns:\n      - pattern: $X\n" + regex, code), (Lines{5}));
  // `"$P"` binds each string's content: only strings with a literal inside are tried, and a name
  // bound to a string is matched on its own text, as without the shortcut.
  const std::string strings =
      "      - metavariable-regex:\n          metavariable: $P\n          regex: (?i).*(\\.ssh/|\\.aws/credentials)\n";
  const std::string paths =
      "home = '~/.SSH/id_rsa'\nopen(home)\nopen(\n  f'{base}/.aws/credentials')\nopen('/etc/hosts')\n"
      "x = b'.ssh/known_hosts'\n";
  EXPECT_EQ(lines("    patterns:\n      - pattern: '\"$P\"'\n" + strings, paths), (Lines{1, 4}));  // bytes are no str
}

TEST(Matcher, DottedAndLiteralPatternsMatchOtherKinds) {
  // A dotted name also matches a bare imported name and a chain; a string literal also matches a
  // name bound to it, an f-string without placeholders and an implicit concatenation.
  const std::string code =
      "import subprocess as sp\nfrom subprocess import Popen\nx = \"abc\"\nf(x)\nf(f\"abc\")\nf(\"ab\" \"c\")\n"
      "f(b\"abc\")\ny = x\nsp.Popen\nPopen(1)\nsp.Popen(2)\n";
  EXPECT_EQ(lines(pattern("f(\"abc\")"), code), (Lines{4, 5, 6}));
  EXPECT_EQ(lines(pattern("\"abc\""), code), (Lines{3, 3, 4, 5, 6, 8}));
  EXPECT_EQ(lines(pattern("subprocess.Popen"), code), (Lines{9, 10, 11}));
  EXPECT_EQ(lines(pattern("subprocess.Popen(...)"), code), (Lines{10, 11}));
  EXPECT_EQ(lines(pattern("sp. ..."), code), (Lines{9, 11}));  // a chain: calls too
}

TEST(Matcher, RegexOperators) {
  const std::string code = "x = 'secret'\n# secret in a comment\ny = 2\n";
  EXPECT_EQ(lines("    patterns:\n      - pattern-regex: secret\n      - pattern-not-regex: '#.*'\n", code), (Lines{1}));
}

TEST(Matcher, TaintFlowsThroughAssignmentsAndCalls) {
  const std::string rule =
      "    mode: taint\n    pattern-sources:\n      - pattern: source()\n"
      "    pattern-sinks:\n      - pattern-inside: sink(...)\n"
      "    pattern-sanitizers:\n      - pattern: clean(...)\n";
  const std::string code =
      "def f():\n    a = source()\n    b = a + 'x'\n    c = [b]\n    sink(c)\n"
      "def g():\n    a = source()\n    sink(clean(a))\n"
      "def h():\n    a = source()\n    a = 'safe'\n    sink(a)\n"
      "def i():\n    sink(f'{source()}')\n"
      "def j():\n    sink(a)\n";
  EXPECT_EQ(lines(rule, code), (Lines{5, 14}));
}

TEST(Matcher, PathFiltersAndSuppressions) {
  const std::string rule = "    paths:\n      include: ['setup.py']\n" + pattern("f()");
  EXPECT_EQ(lines(rule, "f()\n", "pkg/setup.py"), (Lines{1}));
  EXPECT_EQ(lines(rule, "f()\n", "pkg/other.py"), (Lines{}));
  EXPECT_EQ(lines(pattern("f()"), "f()  # nosemgrep: r\nf()  # nosemgrep: other\n# nosemgrep\nf()\n"), (Lines{2}));
}

TEST(Matcher, MessageInterpolation) {
  Bindings bindings{{"$X", Binding{{0, 1}, "os", nullptr, std::nullopt}},
                    {"$XY", Binding{{0, 1}, "sys", nullptr, std::nullopt}}};
  EXPECT_EQ(interpolate("use of $X and $XY, not $Z", bindings), "use of os and sys, not $Z");
}

}  // namespace
}  // namespace moat::pattern
