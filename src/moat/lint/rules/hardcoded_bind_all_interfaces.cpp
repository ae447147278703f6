// B104 hardcoded_bind_all_interfaces: the string literal "0.0.0.0".
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB104;
const RuleDoc kDocB104{
    "B104", "hardcoded_bind_all_interfaces",
    "The string literal \"0.0.0.0\".",
    "Binding a server to all interfaces exposes it on every network the host is connected to, not only the one intended.",
    "app.run(host=\"0.0.0.0\")",
    "Bind to a specific address (\"127.0.0.1\" for local services) or make the address configurable.",
    "https://cwe.mitre.org/data/definitions/605.html"};

void hardcoded_bind_all_interfaces(Checker& checker) {
  if (str_value(static_cast<const py::Expr&>(checker.node())) == "0.0.0.0")
    checker.report(Check::B104, "Possible binding to all interfaces.");
}

}  // namespace moat::lint::rules
