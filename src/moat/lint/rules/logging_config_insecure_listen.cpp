// B612 logging_config_insecure_listen: logging.config.listen() without verify=.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB612;
const RuleDoc kDocB612{
    "B612", "logging_config_insecure_listen",
    "`logging.config.listen()` without a `verify=` function.",
    "The listener accepts configuration from the network and can be made to evaluate arbitrary code.",
    "logging.config.listen(9999)",
    "Pass `verify=` to check signatures of received configurations, or do not open the listener.",
    "https://docs.python.org/3/library/logging.config.html#logging.config.listen\nhttps://docs.python.org/3/library/security_warnings.html\nhttps://cwe.mitre.org/data/definitions/94.html"};

void logging_config_insecure_listen(Checker& checker) {
  if (checker.qualname() != "logging.config.listen") return;
  for (const py::Keyword* keyword : checker.call().keywords)
    if (keyword->arg == "verify") return;
  checker.report(Check::B612, "Use of insecure logging.config.listen detected.");
}

}  // namespace moat::lint::rules
