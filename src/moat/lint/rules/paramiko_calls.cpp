// B601 paramiko_calls: exec_command in a module that imports paramiko.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB601;
const RuleDoc kDocB601{
    "B601", "paramiko_calls",
    "Paramiko `exec_command` calls.",
    "The command runs in a shell on the remote host; untrusted input in it allows command injection.",
    "client.exec_command(\"ls \" + user_dir)",
    "Validate or quote arguments (`shlex.quote`) and avoid building commands from input.",
    "https://cwe.mitre.org/data/definitions/78.html"};

void paramiko_calls(Checker& checker) {
  if (checker.call_name() == "exec_command" && checker.imported_like("paramiko"))
    checker.report(Check::B601, "Possible shell injection via Paramiko call, check inputs are properly sanitized.");
}

}  // namespace moat::lint::rules
