// Semgrep semantics found missing by the community-rules conformance run
// (scripts/semgrep_conformance.py, docs/rules.md); each case is our own minimal reproduction.
#include <gtest/gtest.h>

#include "moat/pattern/engine.hpp"
#include "moat/pattern/loader.hpp"

namespace moat::pattern {
namespace {

using Lines = std::vector<int>;

// Start lines of the findings of one rule (`body`: its formula keys, indented by four) on `code`.
Lines finding_lines(const std::string& body, std::string_view code) {
  const std::string yaml = "rules:\n  - id: r\n    message: m\n    severity: WARNING\n    languages: [python]\n" + body;
  RuleSet set;
  parse_rule_file(yaml, "test.yaml", set);
  for (const auto& error : set.errors) ADD_FAILURE() << error.to_string();
  if (set.rules.empty()) return {};
  FileContext file("pkg/mod.py", code);
  EXPECT_FALSE(file.parse_error().has_value()) << *file.parse_error();
  Lines out;
  for (const auto& finding : run_rules(set.rules, file)) out.push_back(finding.location.line);
  return out;
}

TEST(Conformance, ConstantsPropagatePerFunctionAfterTheAssignment) {
  const std::string code =
      "def a():\n    url = 'http://x'\n    urlopen(url)\n"
      "def b():\n    url = 'https://x'\n    urlopen(url)\n"
      "def c():\n    urlopen(url)\n"
      "def d():\n    urlopen(url)\n    url = 'http://y'\n"
      "def e(url='http://z'):\n    urlopen(url)\n";
  EXPECT_EQ(finding_lines("    pattern: urlopen(\"=~/^http:/\")\n", code), (Lines{3}));
  // A name the function never binds is the module's constant.
  EXPECT_EQ(finding_lines("    pattern: urlopen(\"=~/^http:/\")\n", "url = 'http://m'\ndef f():\n    urlopen(url)\n"),
            (Lines{3}));
}

TEST(Conformance, GenericPatternsMatchStringContents) {
  // `language: generic` (spacegrep): `$X` one word, `...` anything, whitespace between tokens free.
  const std::string html =
      "    patterns:\n      - pattern: '\"$S\".format(...)'\n      - metavariable-pattern:\n"
      "          metavariable: $S\n          language: generic\n          pattern: <$TAG ...\n";
  EXPECT_EQ(finding_lines(html, "a = '<a href={}>'.format(x)\nb = 'no tag {}'.format(x)\nc = '< p>{}'.format(x)\n"),
            (Lines{1, 3}));
  const std::string same_word =
      "    patterns:\n      - pattern: '\"$S\".format(...)'\n      - metavariable-pattern:\n"
      "          metavariable: $S\n          language: generic\n          pattern: $A = $A\n";
  EXPECT_EQ(finding_lines(same_word, "a = 'x = x {}'.format(1)\nb = 'x = y {}'.format(1)\nc = 'xx = x {}'.format(1)\n"),
            (Lines{1}));
}

TEST(Conformance, PositionalArgumentsAfterKeywordsStillParse) {
  EXPECT_EQ(finding_lines("    pattern: f(blocksize=$X, ...)\n", "x = 1\nf(blocksize=5, var, etc)\n"), (Lines{2}));
}

TEST(Conformance, EllipsisAfterKeywordAbsorbsPositionalArguments) {
  const std::string code = "import subprocess\nsubprocess.Popen(cmd, errors=None)\nsubprocess.Popen(cmd)\n";
  EXPECT_EQ(finding_lines("    pattern: subprocess.Popen(errors=$X, ...)\n", code), (Lines{2}));
}

TEST(Conformance, TaintedParameterFromFocusedMetavariable) {
  const std::string rule =
      "    mode: taint\n"
      "    pattern-sources:\n"
      "      - patterns:\n"
      "          - pattern-inside: |\n"
      "              @app.route(...)\n"
      "              def $F(..., $P, ...):\n"
      "                ...\n"
      "          - focus-metavariable: $P\n"
      "    pattern-sinks:\n"
      "      - pattern: os.system(...)\n";
  const std::string code =
      "import os\n@app.route('/x')\ndef view(param):\n    cmd = 'ls ' + param\n    os.system(cmd)\n"
      "def plain(param):\n    os.system(param)\n";
  EXPECT_EQ(finding_lines(rule, code), (Lines{5}));
}

TEST(Conformance, MetavariablePatternOnABoundName) {
  const std::string rule =
      "    patterns:\n"
      "      - pattern: subprocess.$CALL(...)\n"
      "      - metavariable-pattern:\n"
      "          metavariable: $CALL\n"
      "          pattern: call\n"
      "      - focus-metavariable: $CALL\n";
  EXPECT_EQ(finding_lines(rule, "import subprocess\nsubprocess.call(x)\nsubprocess.run(x)\n"), (Lines{2}));
}

TEST(Conformance, ImportPatternMatchesSubmodules) {
  const std::string code = "import xml.dom\nfrom xml.etree import ElementTree\nimport xmlrpc\nimport defusedxml\n";
  EXPECT_EQ(finding_lines("    pattern: import xml\n", code), (Lines{1, 2}));
}

TEST(Conformance, TheImportInForceDecidesWhatANameStandsFor) {
  const std::string rule =
      "    patterns:\n"
      "      - pattern: csv.writer(...)\n"
      "      - pattern-not: defusedcsv.writer(...)\n";
  EXPECT_EQ(finding_lines(rule, "import csv\ncsv.writer(f)\nimport defusedcsv as csv\ncsv.writer(g)\n"), (Lines{2}));
}

TEST(Conformance, ParameterDefaultsBeforeAnEllipsis) {
  const std::string code = "def f(url='http://x'):\n    pass\ndef g(url='https://x', other=1):\n    pass\n";
  EXPECT_EQ(finding_lines("    pattern: |\n      def $F(..., $U = \"=~/^http:/\", ...):\n        ...\n", code),
            (Lines{1}));
}

TEST(Conformance, AnImportAppliesOnlyAfterItIsWritten) {
  const std::string rule = "    patterns:\n      - pattern: exit($X)\n      - pattern-not: sys.exit($X)\n";
  EXPECT_EQ(finding_lines(rule, "exit(1)\ndef f():\n    from sys import exit\n    exit(2)\nexit(3)\n"), (Lines{1}));
}

TEST(Conformance, EllipsisPatternInsideAnExpressionWindow) {
  const std::string rule =
      "    patterns:\n"
      "      - pattern: open($DLL, 'wb')\n"
      "      - metavariable-pattern:\n"
      "          metavariable: $DLL\n"
      "          patterns:\n"
      "            - pattern: \"...\"\n"
      "            - pattern-regex: \\.dll\n";
  EXPECT_EQ(finding_lines(rule, "open(d + '\\\\x.dll', 'wb')\nopen(d + '\\\\x.txt', 'wb')\n"), (Lines{1}));
}

TEST(Conformance, LoneMetavariableReportsTheOutermostExpression) {
  const std::string rule =
      "    patterns:\n"
      "      - pattern: $E\n"
      "      - metavariable-regex:\n"
      "          metavariable: $E\n"
      "          regex: (?s).*LD_PRELOAD\n";
  EXPECT_EQ(finding_lines(rule, "x = (f,\n  g('LD_PRELOAD'))\n"), (Lines{1}));
}

TEST(Conformance, AnyStringPatternMatchesBytes) {
  EXPECT_EQ(finding_lines("    pattern: $F(\"...\").decrypt(...)\n", "Fernet(b'k').decrypt(b'x')\nFernet(k).decrypt(x)\n"),
            (Lines{1}));
}

TEST(Conformance, NotConflictingSanitizerSparesSinksAndSources) {
  const auto rule = [](std::string_view flag) {
    return "    mode: taint\n    pattern-sources:\n      - pattern: source()\n"
           "    pattern-sinks:\n      - pattern: float(...)\n"
           "    pattern-sanitizers:\n      - pattern: $ANY(...)\n" + std::string(flag);
  };
  const std::string code = "float(source())\n";
  EXPECT_EQ(finding_lines(rule("        not_conflicting: true\n"), code), (Lines{1}));
  EXPECT_EQ(finding_lines(rule(""), code), (Lines{}));
}

TEST(Conformance, EllipsisAsAssignmentOrWithTarget) {
  const std::string code = "r = requests.get(u)\nrequests.get(u)\nwith open(p) as f:\n    g(f)\nwith open(p):\n    g(0)\n";
  EXPECT_EQ(finding_lines("    pattern: ... = requests.get(...)\n", code), (Lines{1}));
  EXPECT_EQ(finding_lines("    pattern: |\n      with open(...) as ...:\n        ...\n", code), (Lines{3}));
}

TEST(Conformance, TypedMetavariablesCheckLiteralTypes) {
  const std::string code = "time.sleep(5)\ntime.sleep(0.5)\ntime.sleep(x)\ntime.sleep('s')\nf(1, 2.0)\n";
  EXPECT_EQ(finding_lines("    pattern: 'time.sleep($X: int)'\n", code), (Lines{1}));
  EXPECT_EQ(finding_lines("    pattern: 'time.sleep(($X: float))'\n", code), (Lines{2}));
  EXPECT_EQ(finding_lines("    pattern: 'f($A: int, $B: float)'\n", code), (Lines{5}));
  // A `:` that is Python syntax keeps its meaning.
  EXPECT_EQ(finding_lines("    pattern: 'lambda $X: int'\n", "f = lambda y: int\n"), (Lines{1}));
}

TEST(Conformance, EllipsisMatchesAnAbsentPart) {
  const std::string code = "def f():\n    return\ndef g():\n    return 1\ntry:\n    a()\nexcept:\n    b()\n";
  EXPECT_EQ(finding_lines("    pattern: return ...\n", code), (Lines{2, 4}));
  EXPECT_EQ(finding_lines("    pattern: return $X\n", code), (Lines{4}));
  EXPECT_EQ(finding_lines("    pattern: |\n      try:\n        ...\n      except ...:\n        ...\n", code), (Lines{5}));
  EXPECT_EQ(finding_lines("    pattern: |\n      try:\n        ...\n      except $E:\n        ...\n", code), (Lines{}));
}

TEST(Conformance, LeadingEllipsisInABodyReachesNestedBlocks) {
  const std::string code =
      "def f(p):\n    try:\n        p = os.path.abspath(p)\n        open(p)\n    except:\n        pass\n"
      "def g(p):\n    open(p)\n";
  const std::string rule =
      "    patterns:\n      - pattern: open(...)\n"
      "      - pattern-not-inside: |\n          def $F(...):\n            ...\n            os.path.abspath(...)\n"
      "            ...\n";
  EXPECT_EQ(finding_lines(rule, code), (Lines{8}));
}

TEST(Conformance, FocusIntersectsTheMatchWithTheBinding) {
  // The string must be the focused argument itself, not another string of the call.
  const std::string rule =
      "    patterns:\n      - pattern: jwt.encode($X, $SECRET, ...)\n      - focus-metavariable: $SECRET\n"
      "      - pattern: '\"...\"'\n";
  const std::string code = "jwt.encode({'a': 'b'}, 'secret')\ndef f(key):\n    jwt.encode({'a': 'b'}, key, algorithm='HS256')\n";
  EXPECT_EQ(finding_lines(rule, code), (Lines{1}));
}

TEST(Conformance, DefMatchesAsyncDefButNotTheReverse) {
  const std::string code = "def f():\n    g()\nasync def h():\n    g()\n";
  EXPECT_EQ(finding_lines("    pattern: |\n      def $F():\n        ...\n", code), (Lines{1, 3}));
  EXPECT_EQ(finding_lines("    pattern: |\n      async def $F():\n        ...\n", code), (Lines{3}));
}

TEST(Conformance, FStringWithoutFieldsIsAStringLiteral) {
  const std::string code = "eval(f'x = 1')\neval(f'')\neval(f'{x}')\neval(x)\n";
  const std::string rule = "    patterns:\n      - pattern: eval(...)\n      - pattern-not: eval(\"...\")\n";
  EXPECT_EQ(finding_lines(rule, code), (Lines{3, 4}));
}

TEST(Conformance, CodeThatIsNoLiteralNeverOrdersAgainstANumber) {
  const std::string rule =
      "    patterns:\n      - pattern: os.chmod($F, $BITS)\n"
      "      - metavariable-comparison:\n          metavariable: $BITS\n          comparison: $BITS >= 0o100650\n";
  const std::string code = "os.chmod(f, stat.S_IRWXU)\nos.chmod(f, 0o100777)\nos.chmod(f, 0o644)\n";
  EXPECT_EQ(finding_lines(rule, code), (Lines{2}));
}

TEST(Conformance, AMetavariableUnifiesOnlyTheSameVariable) {
  // The module's `url` and the function's local `url` are different variables.
  const std::string rule = "    pattern: |\n      $U = \"=~/^http:/\"\n      ...\n      get($U, auth=$A)\n";
  const std::string code =
      "url = 'http://a'\ndef f():\n    url = 'http://b'\n    get(url, auth=1)\n"
      "def g():\n    get(url, auth=1)\n";
  // g's `url` is the module's: the match starts at the module's assignment.
  EXPECT_EQ(finding_lines(rule, code), (Lines{1, 3}));
}

TEST(Conformance, BraceEllipsisMatchesDictsAndSets) {
  const std::string code = "a = {}\nb = {'k': 1}\nc = {1, 2}\nd = []\n";
  EXPECT_EQ(finding_lines("    pattern: $M = {...}\n", code), (Lines{1, 2, 3}));
}

TEST(Conformance, ImportOfAModuleMemberMatchesFromImport) {
  const std::string code = "from bokeh.layouts import row, widgetbox\nfrom bokeh.layouts import column\n";
  EXPECT_EQ(finding_lines("    pattern: import bokeh.layouts.widgetbox\n", code), (Lines{1}));
}

TEST(Conformance, EllipsisMetavariableTakesEveryArgument) {
  const std::string rule =
      "    patterns:\n      - pattern: helper($...PARAMS)\n      - focus-metavariable: $...PARAMS\n";
  EXPECT_EQ(finding_lines(rule, "x = 1\nhelper(\n    secret='s',\n    other=2)\n"), (Lines{3}));
}

TEST(Conformance, AssignmentToACallStillParses) {
  // Semgrep matches files with such lines; the rest of the file is matched.
  EXPECT_EQ(finding_lines("    pattern: $X[$Y] = 1\n", "d[i] = 1\ny() = y()\n"), (Lines{1}));
}

TEST(Conformance, CallPatternMatchesABareDecorator) {
  const std::string code =
      "import functools\n@functools.lru_cache\ndef f():\n    yield 1\n@functools.lru_cache(maxsize=2)\ndef g():\n"
      "    return 1\n";
  EXPECT_EQ(finding_lines("    pattern: functools.lru_cache(...)\n", code), (Lines{2, 5}));
  const std::string rule =
      "    pattern: |\n      @functools.lru_cache(...)\n      def $F(...):\n        ...\n        yield ...\n";
  EXPECT_EQ(finding_lines(rule, code), (Lines{2}));
}

TEST(Conformance, ImplicitConcatenationPattern) {
  const std::string code = "a = ['x' 'y']\nb = ['x', 'y']\nc = ['x' f'{y}']\nd = [f'{y}']\n";
  EXPECT_EQ(finding_lines("    pattern: '\"...\" \"...\"'\n", code), (Lines{1, 3}));
  // One f-string pattern is not a concatenation that holds an f-string.
  EXPECT_EQ(finding_lines("    pattern: f\"...\"\n", code), (Lines{4}));
}

TEST(Conformance, RedosAnalyzer) {
  const std::string rule =
      "    patterns:\n      - pattern: re.compile(\"$R\")\n"
      "      - metavariable-analysis:\n          analyzer: redos\n          metavariable: $R\n";
  const std::string code =
      "slow = r'^(a+)+$'\nre.compile(slow)\nre.compile(r'^[0-9]+$')\nre.compile(r'(\\w+\\s?)*$')\n"
      "re.compile(r'(ab|cd)*')\nre.compile(r'[(a+)]+')\n";
  EXPECT_EQ(finding_lines(rule, code), (Lines{2, 4}));
}

TEST(Conformance, ConstantsFollowStraightLineReassignments) {
  const std::string rule =
      "    patterns:\n      - pattern: \"decode(options={'verify': $B})\"\n"
      "      - metavariable-pattern:\n          metavariable: $B\n          pattern: 'False'\n";
  const std::string code =
      "def f():\n    flag = False\n    decode(options={'verify': flag})\n    flag = True\n"
      "    decode(options={'verify': flag})\n"
      "def g(c):\n    flag = False\n    if c:\n        flag = True\n    decode(options={'verify': flag})\n";
  // g's second assignment is conditional: no constant there.
  EXPECT_EQ(finding_lines(rule, code), (Lines{3}));
}

}  // namespace
}  // namespace moat::pattern
