// B702 use_of_mako_templates: mako Template objects.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB702;
const RuleDoc kDocB702{
    "B702", "use_of_mako_templates",
    "`mako` `Template` objects.",
    "Mako does not escape HTML by default, so templates are open to cross-site scripting.",
    "mako.template.Template(text).render(name=name)",
    "Use `default_filters=['h']` or escape each expression with `| h`.",
    "https://docs.makotemplates.org/en/latest/filtering.html\nhttps://cwe.mitre.org/data/definitions/80.html"};

void use_of_mako_templates(Checker& checker) {
  if (checker.call_name() == "Template" && has_segment(checker.qualname(), "mako"))
    checker.report(Check::B702,
                   "Mako templates allow HTML/JS rendering by default and are inherently open to XSS attacks. Ensure "
                   "variables in all templates are properly sanitized via the 'n', 'h' or 'x' flags (depending on "
                   "context). For example, to HTML escape the variable 'data' do ${ data |h }.");
}

}  // namespace moat::lint::rules
