// B608 hardcoded_sql_expressions: SQL built by formatting, concatenation or f-strings.

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

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool mentions_sql_verb(const std::string& text) {
  const std::string lower = lowered(text);
  return lower.find("select") != std::string::npos || lower.find("delete") != std::string::npos ||
         lower.find("insert") != std::string::npos || lower.find("update") != std::string::npos;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/// Positions just past each occurrence of `word` followed by whitespace (or, for `values`, '(').
bool word_then_space(const std::string& text, std::size_t at, std::string_view word, bool paren = false) {
  if (text.compare(at, word.size(), word) != 0 || at + word.size() >= text.size()) return false;
  const char next = text[at + word.size()];
  return is_space(next) || (paren && next == '(');
}

/// Bandit's SQL regex (case-insensitive, DOTALL), without backtracking:
/// select\s.*from\s | delete\s+from\s | insert\s+into\s.*values[\s(] | update\s.*set\s
bool looks_like_sql(const std::string& statement) {
  if (!mentions_sql_verb(statement)) return false;
  const std::string text = lowered(statement);
  // The last occurrence of each closing keyword decides whether an opening one can reach it.
  const auto last = [&](std::string_view word, bool paren) -> std::size_t {
    for (std::size_t at = text.rfind(word); at != std::string::npos; at = at == 0 ? std::string::npos : text.rfind(word, at - 1))
      if (word_then_space(text, at, word, paren)) return at;
    return std::string::npos;
  };
  const std::size_t last_from = last("from", false);
  const std::size_t last_set = last("set", false);
  const std::size_t last_values = last("values", true);
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (last_from != std::string::npos && at + 7 <= last_from && word_then_space(text, at, "select")) return true;
    if (last_set != std::string::npos && at + 7 <= last_set && word_then_space(text, at, "update")) return true;
    for (const std::string_view verb : {std::string_view("delete"), std::string_view("insert")}) {
      if (!word_then_space(text, at, verb)) continue;
      std::size_t next = at + verb.size();
      while (next < text.size() && is_space(text[next])) ++next;
      if (verb == "delete" && word_then_space(text, next, "from")) return true;
      if (verb == "insert" && word_then_space(text, next, "into") && last_values != std::string::npos &&
          next + 5 <= last_values)
        return true;
    }
  }
  return false;
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
    // A chain none of whose literals mentions an SQL verb cannot match: decided once per chain,
    // which keeps long concatenations linear.
    const py::Node* root = checker.parent(up);
    const auto [cached, inserted] = checker.memo().try_emplace(root, false);
    if (inserted) {
      std::vector<std::string_view> all;
      collect_strings(static_cast<const py::Expr&>(*root), nullptr, all);
      std::string joined;
      for (const std::string_view part : all) joined.append(part).push_back(' ');
      cached->second = mentions_sql_verb(joined);
    }
    if (!cached->second) return;
    std::vector<std::string_view> parts;
    collect_strings(static_cast<const py::Expr&>(*root), parent, parts);
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
