// B610 django_extra_used and B611 django_rawsql_used: raw SQL fragments that are not literals.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB610;
const RuleDoc kDocB610{
    "B610", "django_extra_used",
    "Django `QuerySet.extra()` with non-literal SQL fragments.",
    "`extra()` inserts raw SQL into the query; interpolated values allow SQL injection.",
    "User.objects.extra(where=[\"name = '%s'\" % name])",
    "Use the ORM's filters or `params=` for values.",
    "https://docs.djangoproject.com/en/stable/ref/models/querysets/#extra\nhttps://cwe.mitre.org/data/definitions/89.html"};
extern const RuleDoc kDocB611;
const RuleDoc kDocB611{
    "B611", "django_rawsql_used",
    "Django `RawSQL` with a non-literal SQL string.",
    "Raw SQL built from data allows SQL injection.",
    "RawSQL(\"select id from t where x = %s\" % x)",
    "Keep the SQL literal and pass values through the params argument.",
    "https://docs.djangoproject.com/en/stable/ref/models/expressions/#raw-sql-expressions\nhttps://cwe.mitre.org/data/definitions/89.html"};

namespace {

bool all_str_constants(NodeList<py::Expr> items) {
  return std::ranges::all_of(items, [](const py::Expr* item) { return is_str_constant(item); });
}

}  // namespace

void django_extra_used(Checker& checker) {
  if (checker.call_name() != "extra") return;
  // keywords, then positional arguments 1-6 in extra()'s parameter order override them.
  static constexpr std::array<std::string_view, 6> kParameters{"select", "where", "params", "tables", "order_by",
                                                               "select_params"};
  std::unordered_map<std::string_view, const py::Expr*> arguments;
  for (const py::Keyword* keyword : checker.call().keywords) arguments[keyword->arg] = keyword->value;
  const auto& args = checker.call().args;
  for (std::size_t i = 0; i < args.size() && i < kParameters.size(); ++i) arguments[kParameters[i]] = args[i];
  bool insecure = false;
  for (const std::string_view key : {std::string_view("where"), std::string_view("tables")}) {
    const auto found = arguments.find(key);
    if (found == arguments.end()) continue;
    const auto* list = py::dyn_cast<py::List>(found->second);
    if (list == nullptr || !all_str_constants(list->elts)) {
      insecure = true;
      break;
    }
  }
  if (!insecure) {
    if (const auto found = arguments.find("select"); found != arguments.end()) {
      const auto* dict = py::dyn_cast<py::Dict>(found->second);
      insecure = dict == nullptr ||
                 !std::ranges::all_of(dict->keys, [](const py::Expr* key) { return is_str_constant(key); }) ||
                 !all_str_constants(dict->values);
    }
  }
  if (insecure) checker.report(Check::B610, "Use of extra potential SQL attack vector.");
}

void django_rawsql_used(Checker& checker) {
  if (checker.call_name() != "RawSQL" || !checker.imported_like("django.db.models")) return;
  const py::Expr* sql = nullptr;
  if (!checker.call().args.empty()) {
    sql = checker.call().args[0];
  } else if (const py::Keyword* keyword = checker.keyword("sql")) {
    sql = keyword->value;
  } else {
    return;  // Bandit raises a KeyError here: no issue
  }
  if (!is_str_constant(sql)) checker.report(Check::B611, "Use of RawSQL potential SQL attack vector.");
}

}  // namespace moat::lint::rules
