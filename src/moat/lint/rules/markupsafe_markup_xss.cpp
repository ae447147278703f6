// B704 markupsafe_markup_xss: Markup built from non-constant values.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB704;
const RuleDoc kDocB704{
    "B704", "markupsafe_markup_xss",
    "`markupsafe.Markup` (and `flask.Markup`) built from non-constant values.",
    "Markup marks its argument as safe HTML; untrusted data in it leads to cross-site scripting.",
    "Markup(f\"<b>{name}</b>\")",
    "Use `Markup(\"<b>{}</b>\").format(name)`, which escapes the arguments, or `markupsafe.escape`.",
    "https://markupsafe.palletsprojects.com/en/stable/escaping/\nhttps://cwe.mitre.org/data/definitions/79.html"};

void markupsafe_markup_xss(Checker& checker) {
  const std::string_view qualname = checker.qualname();
  const PluginOptions& plugins = checker.options().plugins;
  if (qualname != "markupsafe.Markup" && qualname != "flask.Markup" && !contains(plugins.markup_names, qualname)) return;
  const auto& args = checker.call().args;
  if (args.empty() || args[0]->kind == py::NodeKind::Constant) return;
  if (const auto* inner = py::dyn_cast<py::Call>(args[0]);
      inner != nullptr && !plugins.markup_allowed_calls.empty() &&
      contains(plugins.markup_allowed_calls, checker.bandit_qualname(*inner->func)))
    return;
  checker.report(Check::B704, "Potential XSS with ``" + std::string(qualname) + "`` detected. Do not use ``" +
                                  std::string(checker.call_name()) + "`` on untrusted data.");
}

}  // namespace moat::lint::rules
