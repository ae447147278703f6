// B701 jinja2_autoescape_false: jinja2 Environment without autoescaping.
#include "moat/python/visitor.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB701;
const RuleDoc kDocB701{
    "B701", "jinja2_autoescape_false",
    "jinja2 `Environment` created without autoescaping.",
    "Without autoescaping, values rendered into HTML templates allow cross-site scripting.",
    "jinja2.Environment(loader=loader)",
    "Use `autoescape=True` or `autoescape=select_autoescape()`.",
    "https://jinja.palletsprojects.com/en/latest/api/#autoescaping\nhttps://cwe.mitre.org/data/definitions/94.html"};

namespace {

enum class Autoescape { none_found, disabled, enabled, unknown };

bool is_false(const py::Expr* value) {
  const auto* constant = py::dyn_cast<py::Constant>(value);
  return constant != nullptr && constant->value.kind == py::ConstantValue::Kind::False;
}

bool is_true(const py::Expr* value) {
  const auto* constant = py::dyn_cast<py::Constant>(value);
  return constant != nullptr && constant->value.kind == py::ConstantValue::Kind::True;
}

bool is_select_autoescape(const py::Expr* value) {
  const auto* call = py::dyn_cast<py::Call>(value);
  if (call == nullptr) return false;
  if (const auto* attribute = py::dyn_cast<py::Attribute>(call->func)) return attribute->attr == "select_autoescape";
  if (const auto* name = py::dyn_cast<py::Name>(call->func)) return name->id == "select_autoescape";
  return false;
}

/// The first autoescape= keyword anywhere inside the call (Bandit walks the call breadth-first).
Autoescape find_autoescape(const py::Call& call) {
  std::vector<const py::Node*> queue{&call};
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const py::Node* node = queue[i];
    if (const auto* keyword = py::dyn_cast<py::Keyword>(node); keyword != nullptr && keyword->arg == "autoescape") {
      if (is_false(keyword->value)) return Autoescape::disabled;
      if (is_true(keyword->value) || is_select_autoescape(keyword->value)) return Autoescape::enabled;
      return Autoescape::unknown;
    }
    py::for_each_child(*node, [&](const py::Node& child) { queue.push_back(&child); });
  }
  return Autoescape::none_found;
}

}  // namespace

void jinja2_autoescape_false(Checker& checker) {
  if (checker.call_name() != "Environment" || !has_segment(checker.qualname(), "jinja2")) return;
  switch (find_autoescape(checker.call())) {
    case Autoescape::enabled: return;
    case Autoescape::disabled:
      checker.report(Check::B701, Severity::high, Confidence::high,
                     "Using jinja2 templates with autoescape=False is dangerous and can lead to XSS. Use "
                     "autoescape=True or use the select_autoescape function to mitigate XSS vulnerabilities.");
      return;
    case Autoescape::unknown:
      checker.report(Check::B701, Severity::high, Confidence::medium,
                     "Using jinja2 templates with autoescape=False is dangerous and can lead to XSS. Ensure "
                     "autoescape=True or use the select_autoescape function to mitigate XSS vulnerabilities.");
      return;
    case Autoescape::none_found:
      checker.report(Check::B701, Severity::high, Confidence::high,
                     "By default, jinja2 sets autoescape to False. Consider using autoescape=True or use the "
                     "select_autoescape function to mitigate XSS vulnerabilities.");
      return;
  }
}

}  // namespace moat::lint::rules
