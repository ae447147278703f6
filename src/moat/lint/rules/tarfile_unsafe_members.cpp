// B202 tarfile_unsafe_members: tarfile extractall() without a member filter or filter="data".
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB202;
const RuleDoc kDocB202{
    "B202", "tarfile_unsafe_members",
    "`tarfile` `extractall()` without a members filter or a safe `filter=\"data\"`.",
    "Archive members may contain absolute paths, `..` components or links that write outside the target directory (path traversal).",
    "tarfile.open(path).extractall(dest)",
    "Pass `filter=\"data\"` (Python 3.12+, backported) or validate members before extracting.",
    "https://docs.python.org/3/library/tarfile.html#tarfile-extraction-filter\nhttps://docs.python.org/3/library/security_warnings.html\nhttps://cwe.mitre.org/data/definitions/22.html"};

namespace {

/// Python's repr() of the dict Bandit formats into the message: {'Function': 'name'} or
/// {'Other': <value>}; a non-name value prints as an AST object, which moat writes as <ast.Kind>.
std::string members_repr(std::string_view key, const py::Expr& value, bool name_value) {
  std::string shown = name_value ? "'" + std::string(static_cast<const py::Name&>(value).id) + "'"
                                 : "<ast." + std::string(py::python_name(value.kind)) + " object>";
  return "{'" + std::string(key) + "': " + shown + "}";
}

}  // namespace

void tarfile_unsafe_members(Checker& checker) {
  if (checker.call_name().find("extractall") == std::string_view::npos || !checker.imported_exact("tarfile")) return;
  // Bandit looks at the first filter= keyword: a literal "data" makes extraction safe.
  for (const py::Keyword* keyword : checker.call().keywords) {
    if (keyword->arg != "filter") continue;
    if (is_str_constant(keyword->value) && str_value(*keyword->value) == "data") return;
    break;
  }
  const py::Keyword* members = nullptr;
  for (const py::Keyword* keyword : checker.call().keywords)
    if (keyword->arg == "members" && members == nullptr) members = keyword;
  if (members == nullptr) {
    checker.report(Check::B202, Severity::high, Confidence::high,
                   "tarfile.extractall used without any validation. Please check and discard dangerous members.");
    return;
  }
  if (const auto* call = py::dyn_cast<py::Call>(members->value)) {
    const auto* function = py::dyn_cast<py::Name>(call->func);
    if (function == nullptr) return;  // Bandit raises on `members=obj.f(...)`: no issue
    checker.report(Check::B202, Severity::low, Confidence::low,
                   "Usage of tarfile.extractall(members=function(tarfile)). Make sure your function properly discards "
                   "dangerous members " + members_repr("Function", *call->func, true) + ").");
    return;
  }
  const bool is_name = py::dyn_cast<py::Name>(members->value) != nullptr;
  checker.report(Check::B202, Severity::medium, Confidence::medium,
                 "Found tarfile.extractall(members=?) but couldn't identify the type of members. Check if the members "
                 "were properly validated " + members_repr("Other", *members->value, is_name) + ").");
}

}  // namespace moat::lint::rules
