// B102 exec_used: a call whose resolved name is exactly `exec`.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB102;
const RuleDoc kDocB102{
    "B102", "exec_used",
    "Calls to the builtin `exec`.",
    "exec runs arbitrary Python source; if any part of the string comes from outside the program, an attacker can run code in the process.",
    "exec(request.args[\"code\"])",
    "Dispatch to known functions through a dict, or parse data with `ast.literal_eval`/`json` instead of executing it.",
    "https://docs.python.org/3/library/functions.html#exec\nhttps://cwe.mitre.org/data/definitions/78.html"};

void exec_used(Checker& checker) {
  if (checker.qualname() == "exec") checker.report(Check::B102, "Use of exec detected.");
}

}  // namespace moat::lint::rules
