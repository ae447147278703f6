// B506 yaml_load: yaml.load without a safe Loader.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB506;
const RuleDoc kDocB506{
    "B506", "yaml_load",
    "`yaml.load` without `Loader=SafeLoader`/`CSafeLoader`.",
    "The full YAML loaders can construct arbitrary Python objects, so loading untrusted YAML can execute code.",
    "yaml.load(stream)",
    "Use `yaml.safe_load(stream)` or `yaml.load(stream, Loader=yaml.SafeLoader)`.",
    "https://pyyaml.org/wiki/PyYAMLDocumentation\nhttps://cwe.mitre.org/data/definitions/20.html"};

void yaml_load(Checker& checker) {
  if (checker.call_name() != "load" || !has_segment(checker.qualname(), "yaml") || !checker.imported_exact("yaml")) return;
  const ArgValue loader = checker.keyword_value("Loader");
  const ArgValue second = checker.positional(1);
  if (loader.is("SafeLoader") || loader.is("CSafeLoader") || second.is("SafeLoader") || second.is("CSafeLoader")) return;
  checker.report(Check::B506,
                 "Use of unsafe yaml load. Allows instantiation of arbitrary objects. Consider yaml.safe_load().",
                 checker.line_of(checker.node()));
}

}  // namespace moat::lint::rules
