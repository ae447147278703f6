// B703 django_mark_safe: mark_safe and friends on values not provably built from literals.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB703;
const RuleDoc kDocB703{
    "B703", "django_mark_safe",
    "Django `mark_safe` (and `SafeString` and friends) on values that are not string literals.",
    "Marking data as safe disables Django's escaping; user data in it leads to cross-site scripting.",
    "mark_safe(\"<b>%s</b>\" % name)",
    "Use `format_html()` or escape the inputs with `escape()`.",
    "https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe\nhttps://cwe.mitre.org/data/definitions/80.html"};

namespace {

/// What an assignment analysis found for a variable: nothing, one expression, or several.
struct Assigned {
  std::vector<const py::Expr*> values;
  const py::Node* with_node = nullptr;  // `with ... as name` (Bandit treats it as insecure)
  bool multiple = false;                // came from a compound statement (a list in Bandit)
  [[nodiscard]] bool empty() const { return values.empty() && with_node == nullptr; }
};

class MarkSafeAnalysis {
 public:
  explicit MarkSafeAnalysis(const py::ParseResult& parsed) : parsed_(parsed) {}

  bool evaluate_var(const py::Name& variable, const py::Node& scope, std::uint32_t until_line, int depth) {
    if (depth > kMaxDepth) return false;
    if (const auto* function = py::dyn_cast<py::FunctionDef>(&scope))
      for (const py::Arg* parameter : function->args->args)
        if (parameter->arg == variable.id) return false;
    bool secure = false;
    for (const py::Stmt* statement : body_of(scope)) {
      if (line(*statement) >= until_line) break;
      Assigned to = assigned(*statement, variable.id, depth);
      if (to.empty()) continue;
      if (to.with_node != nullptr && to.values.empty()) {
        secure = false;
        break;
      }
      if (!to.multiple && to.values.size() == 1) {
        const py::Expr* value = to.values[0];
        if (is_str_constant(value)) {
          secure = true;
        } else if (const auto* name = py::dyn_cast<py::Name>(value)) {
          secure = evaluate_var(*name, scope, line(*name), depth + 1);
        } else if (const auto* call = py::dyn_cast<py::Call>(value)) {
          secure = evaluate_call(*call, scope, depth + 1);
        } else {
          secure = false;
          break;
        }
        continue;
      }
      std::size_t secure_count = 0;
      for (const py::Expr* value : to.values) {
        if (is_str_constant(value)) {
          ++secure_count;
        } else if (const auto* name = py::dyn_cast<py::Name>(value);
                   name != nullptr && evaluate_var(*name, scope, line(*statement), depth + 1)) {
          ++secure_count;
        } else {
          break;
        }
      }
      secure = secure_count == to.values.size();
      if (!secure) break;
    }
    return secure;
  }

  /// `"...".format(args)` (no keywords) whose arguments are all literals or secure names/calls.
  bool evaluate_format(const py::Expr* receiver, std::string_view method, bool has_keywords,
                       std::vector<const py::Expr*> args, std::uint32_t call_line, const py::Node& scope, int depth) {
    if (depth > kMaxDepth) return false;
    if (receiver == nullptr || receiver->kind != py::NodeKind::Constant || method != "format" || has_keywords)
      return false;
    std::size_t secure_count = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
      const py::Expr* arg = args[i];
      if (is_str_constant(arg)) {
        ++secure_count;
      } else if (const auto* name = py::dyn_cast<py::Name>(arg)) {
        if (!evaluate_var(*name, scope, call_line, depth + 1)) break;
        ++secure_count;
      } else if (const auto* call = py::dyn_cast<py::Call>(arg)) {
        if (!evaluate_call(*call, scope, depth + 1)) break;
        ++secure_count;
      } else if (const auto* starred = py::dyn_cast<py::Starred>(arg);
                 starred != nullptr && (starred->value->kind == py::NodeKind::List || starred->value->kind == py::NodeKind::Tuple)) {
        const auto elements = starred->value->kind == py::NodeKind::List
                                  ? static_cast<const py::List&>(*starred->value).elts
                                  : static_cast<const py::Tuple&>(*starred->value).elts;
        args.insert(args.end(), elements.begin(), elements.end());
        ++secure_count;
      } else {
        break;
      }
    }
    return secure_count == args.size();
  }

  bool evaluate_call(const py::Call& call, const py::Node& scope, int depth) {
    const auto* attribute = py::dyn_cast<py::Attribute>(call.func);
    if (attribute == nullptr) return false;
    return evaluate_format(attribute->value, attribute->attr, !call.keywords.empty(),
                           {call.args.begin(), call.args.end()}, line(call), scope, depth);
  }

  [[nodiscard]] std::uint32_t line(const py::Node& node) const { return parsed_.position(node).lineno; }

 private:
  static constexpr int kMaxDepth = 50;

  static NodeList<py::Stmt> body_of(const py::Node& scope) {
    if (const auto* function = py::dyn_cast<py::FunctionDef>(&scope)) return function->body;
    return static_cast<const py::Module&>(scope).body;
  }

  void assigned_in(NodeList<py::Stmt> statements, std::string_view name, int depth, Assigned& into) {
    for (const py::Stmt* statement : statements) {
      Assigned found = assigned(*statement, name, depth);
      into.values.insert(into.values.end(), found.values.begin(), found.values.end());
      if (found.with_node != nullptr) into.with_node = found.with_node;
    }
  }

  Assigned assigned(const py::Stmt& statement, std::string_view name, int depth) {
    Assigned result;
    if (depth > kMaxDepth) return result;
    switch (statement.kind) {
      case py::NodeKind::FunctionDef: {
        // Bandit compares parameters to the name only for ast.Name parameters, which never occur.
        result.multiple = true;
        assigned_in(static_cast<const py::FunctionDef&>(statement).body, name, depth + 1, result);
        break;
      }
      case py::NodeKind::With: {
        const auto& with = static_cast<const py::With&>(statement);
        for (const py::WithItem* item : with.items) {
          const auto* target = py::dyn_cast<py::Name>(item->optional_vars);
          if (target != nullptr && target->id == name) {
            result = Assigned{};
            result.with_node = &with;
          } else {
            result = Assigned{};
            result.multiple = true;
            assigned_in(with.body, name, depth + 1, result);
          }
        }
        break;
      }
      case py::NodeKind::Try: {
        const auto& block = static_cast<const py::Try&>(statement);
        result.multiple = true;
        assigned_in(block.body, name, depth + 1, result);
        for (const py::ExceptHandler* handler : block.handlers) assigned_in(handler->body, name, depth + 1, result);
        assigned_in(block.orelse, name, depth + 1, result);
        assigned_in(block.finalbody, name, depth + 1, result);
        break;
      }
      case py::NodeKind::If:
      case py::NodeKind::For:
      case py::NodeKind::While: {
        result.multiple = true;
        const auto [body, orelse] =
            statement.kind == py::NodeKind::If
                ? std::pair{static_cast<const py::If&>(statement).body, static_cast<const py::If&>(statement).orelse}
            : statement.kind == py::NodeKind::For
                ? std::pair{static_cast<const py::For&>(statement).body, static_cast<const py::For&>(statement).orelse}
                : std::pair{static_cast<const py::While&>(statement).body, static_cast<const py::While&>(statement).orelse};
        assigned_in(body, name, depth + 1, result);
        assigned_in(orelse, name, depth + 1, result);
        break;
      }
      case py::NodeKind::AugAssign: {
        const auto& augmented = static_cast<const py::AugAssign&>(statement);
        if (const auto* target = py::dyn_cast<py::Name>(augmented.target); target != nullptr && target->id == name)
          result.values.push_back(augmented.value);
        break;
      }
      case py::NodeKind::Assign: {
        const auto& assign = static_cast<const py::Assign&>(statement);
        if (assign.targets.empty()) break;
        const py::Expr* target = assign.targets[0];
        if (const auto* target_name = py::dyn_cast<py::Name>(target)) {
          if (target_name->id == name) result.values.push_back(assign.value);
        } else if (const auto* targets = py::dyn_cast<py::Tuple>(target)) {
          if (const auto* values = py::dyn_cast<py::Tuple>(assign.value)) {
            for (std::size_t i = 0; i < targets->elts.size(); ++i) {
              const auto* element = py::dyn_cast<py::Name>(targets->elts[i]);
              if (element != nullptr && element->id == name) {
                if (i < values->elts.size()) result.values.push_back(values->elts[i]);
                break;
              }
            }
          }
        }
        break;
      }
      case py::NodeKind::ExprStmt: break;
      default: break;
    }
    return result;
  }

  const py::ParseResult& parsed_;
};

bool is_affected(std::string_view name) {
  return name == "mark_safe" || name == "SafeText" || name == "SafeUnicode" || name == "SafeString" ||
         name == "SafeBytes";
}

}  // namespace

void django_mark_safe(Checker& checker) {
  if (!is_affected(checker.call_name()) || !checker.imported_like("django.utils.safestring")) return;
  const auto& args = checker.call().args;
  if (args.empty()) return;  // Bandit raises an IndexError: no issue
  const py::Expr* argument = args[0];
  if (is_str_constant(argument)) return;
  // The enclosing (sync) function or the module: where Bandit looks for assignments.
  const py::Node* scope = nullptr;
  for (std::size_t up = 1; checker.parent(up) != nullptr; ++up) {
    const py::Node* candidate = checker.parent(up);
    if (candidate->kind == py::NodeKind::FunctionDef || candidate->kind == py::NodeKind::Module) {
      scope = candidate;
      break;
    }
  }
  MarkSafeAnalysis analysis(checker.parsed());
  bool secure = false;
  if (scope != nullptr) {
    const std::uint32_t call_line = analysis.line(checker.node());
    if (const auto* name = py::dyn_cast<py::Name>(argument)) {
      bool is_parameter = false;
      if (const auto* function = py::dyn_cast<py::FunctionDef>(scope))
        for (const py::Arg* parameter : function->args->args) is_parameter = is_parameter || parameter->arg == name->id;
      if (!is_parameter) secure = analysis.evaluate_var(*name, *scope, call_line, 0);
    } else if (const auto* call = py::dyn_cast<py::Call>(argument)) {
      secure = analysis.evaluate_call(*call, *scope, 0);
    } else if (const auto* binop = py::dyn_cast<py::BinOp>(argument);
               binop != nullptr && binop->op == py::Operator::Mod && is_str_constant(binop->left)) {
      std::vector<const py::Expr*> format_args;
      if (const auto* tuple = py::dyn_cast<py::Tuple>(binop->right)) {
        format_args.assign(tuple->elts.begin(), tuple->elts.end());
      } else {
        format_args.push_back(binop->right);
      }
      // Bandit rewrites `"..." % x` into a keyword-less `"...".format(x)` at the BinOp's line.
      secure = analysis.evaluate_format(binop->left, "format", false, format_args, analysis.line(*binop), *scope, 0);
    }
  }
  if (!secure) checker.report(Check::B703, "Potential XSS on mark_safe function.");
}

}  // namespace moat::lint::rules
