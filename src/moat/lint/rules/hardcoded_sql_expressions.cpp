// B608 hardcoded_sql_expressions: SQL built by formatting, concatenation or f-strings.
#include <regex>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB608;
const RuleDoc kDocB608{
    "B608", "hardcoded_sql_expressions",
    "SQL statements (SELECT ... FROM, DELETE FROM, INSERT INTO ... VALUES, UPDATE ... SET) built with string formatting, concatenation or f-strings.",
    "Values interpolated into SQL text allow SQL injection.",
    "cursor.execute(\"SELECT * FROM users WHERE name = '%s'\" % name)",
    "Use the driver's parameter binding: `cursor.execute(\"... WHERE name = %s\", (name,))`.",
    "https://owasp.org/www-community/attacks/SQL_Injection\nhttps://cwe.mitre.org/data/definitions/89.html"};

namespace {

bool looks_like_sql(const std::string& statement) {
  // select ... from, delete from, insert into ... values, update ... set; case-insensitive, `.`
  // matching newlines too (Python's DOTALL).
  static const std::regex sql(
      "(select\\s[\\s\\S]*from\\s|delete\\s+from\\s|insert\\s+into\\s[\\s\\S]*values[\\s(]|update\\s[\\s\\S]*set\\s)",
      std::regex::icase | std::regex::optimize);
  std::string lowered = statement;
  for (char& c : lowered)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (lowered.find("select") == std::string::npos && lowered.find("delete") == std::string::npos &&
      lowered.find("insert") == std::string::npos && lowered.find("update") == std::string::npos)
    return false;
  return std::regex_search(lowered, sql);
}

/// Bandit's concat_string: the str literals of the BinOp chain in source order, except those under
/// `stop` (the literal's own parent), whose subtree Bandit does not descend into.
void collect_strings(const py::Expr& root, const py::Node* stop, std::vector<std::string_view>& parts) {
  std::vector<const py::Expr*> stack{&root};
  while (!stack.empty()) {
    const py::Expr* current = stack.back();
    stack.pop_back();
    if (current == stop) continue;
    if (const auto* binop = py::dyn_cast<py::BinOp>(current)) {
      stack.push_back(binop->right);
      stack.push_back(binop->left);
    } else if (is_str_constant(current)) {
      parts.push_back(str_value(*current));
    }
  }
}

std::string_view called_name(const py::Call& call) {
  if (const auto* attribute = py::dyn_cast<py::Attribute>(call.func)) return attribute->attr;
  if (const auto* name = py::dyn_cast<py::Name>(call.func)) return name->id;
  return {};
}

}  // namespace

void hardcoded_sql_expressions(Checker& checker) {
  const auto& node = static_cast<const py::Expr&>(checker.node());
  const py::Node* parent = checker.parent();
  const py::Node* wrapper = nullptr;
  std::string statement;
  bool str_replace = false;
  if (parent != nullptr && parent->kind == py::NodeKind::BinOp) {
    // Climb to the root of the operator chain; the wrapper is the root's parent.
    std::size_t up = 1;
    while (checker.parent(up + 1) != nullptr && checker.parent(up + 1)->kind == py::NodeKind::BinOp) ++up;
    std::vector<std::string_view> parts;
    collect_strings(static_cast<const py::Expr&>(*checker.parent(up)), parent, parts);
    // Bandit seeds the list with the literal itself before walking the chain.
    statement = str_value(node);
    for (const std::string_view part : parts) {
      statement += ' ';
      statement += part;
    }
    wrapper = checker.parent(up + 1);
  } else if (const auto* attribute = py::dyn_cast<py::Attribute>(parent);
             attribute != nullptr && (attribute->attr == "format" || attribute->attr == "replace")) {
    statement = str_value(node);
    wrapper = checker.parent(3);
    str_replace = attribute->attr == "replace";
  } else if (const auto* joined = py::dyn_cast<py::JoinedStr>(parent)) {
    const py::Expr* first = nullptr;
    for (const py::Expr* value : joined->values) {
      if (!is_str_constant(value)) continue;
      if (first == nullptr) first = value;
      statement += str_value(*value);
    }
    if (first != &node) return;
    wrapper = checker.parent(2);
  }
  if (statement.empty() || !looks_like_sql(statement)) return;
  bool execute_call = false;
  if (const auto* call = py::dyn_cast<py::Call>(wrapper)) {
    const std::string_view name = called_name(*call);
    execute_call = name == "execute" || name == "executemany";
  }
  checker.report(Check::B608, Severity::medium,
                 execute_call && !str_replace ? Confidence::medium : Confidence::low,
                 "Possible SQL injection vector through string-based query construction.");
}

}  // namespace moat::lint::rules
