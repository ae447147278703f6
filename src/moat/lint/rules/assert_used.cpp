// B101 assert_used: every assert statement; `assert_used.skips` globs exempt files.
#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB101;
const RuleDoc kDocB101{
    "B101", "assert_used",
    "Every `assert` statement.",
    "Python removes assert statements when it compiles with optimisation (`python -O`, PYTHONOPTIMIZE), so a check written as an assert silently disappears in production.",
    "assert user.is_admin, \"forbidden\"",
    "Raise an explicit exception (`if not user.is_admin: raise PermissionError(...)`). Tests may keep asserts: skip B101 for test paths with `assert_used.skips` or per-path ignores.",
    "https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement\nhttps://cwe.mitre.org/data/definitions/703.html"};

void assert_used(Checker& checker) {
  const std::string filename(checker.filename());
  for (const std::string& skip : checker.options().plugins.assert_skips)
    if (::fnmatch(skip.c_str(), filename.c_str(), 0) == 0) return;
  checker.report(Check::B101, "Use of assert detected. The enclosed code will be removed when compiling to optimised byte code.");
}

}  // namespace moat::lint::rules
