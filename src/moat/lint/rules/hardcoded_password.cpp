// B105-B107: string literals bound to, compared with, or passed as names that look like passwords.

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB105;
const RuleDoc kDocB105{
    "B105", "hardcoded_password_string",
    "String literals assigned to, or compared with, a name that looks like a password (password, pass, pwd, token, secret, passphrase), and dict entries with such keys.",
    "Secrets in source code end up in version control, packages and logs, and cannot be rotated without a release.",
    "DB_PASSWORD = \"hunter2\"",
    "Read secrets from the environment, a secrets manager or a file outside the repository.",
    "https://cwe.mitre.org/data/definitions/259.html"};
extern const RuleDoc kDocB106;
const RuleDoc kDocB106{
    "B106", "hardcoded_password_funcarg",
    "A call keyword whose name looks like a password and whose value is a string literal.",
    "The secret is embedded in the code and shipped with it.",
    "connect(user=\"app\", password=\"hunter2\")",
    "Pass a value read from the environment or a secrets store.",
    "https://cwe.mitre.org/data/definitions/259.html"};
extern const RuleDoc kDocB107;
const RuleDoc kDocB107{
    "B107", "hardcoded_password_default",
    "A function parameter whose name looks like a password and whose default is a string literal.",
    "Callers that omit the argument silently use a secret baked into the code.",
    "def login(user, password=\"admin\"): ...",
    "Use no default (or None) and require the caller to supply the secret.",
    "https://cwe.mitre.org/data/definitions/259.html"};

namespace {

/// End offsets of the password words that match `name` at `at`: pas+wo?r?d, pass, passphrase,
/// pwd, token, secret, secrete (lower-case input).
std::vector<std::size_t> word_ends(std::string_view name, std::size_t at) {
  std::vector<std::size_t> ends;
  const std::string_view rest = name.substr(at);
  for (const std::string_view fixed : {"pwd", "token", "secret", "secrete", "pass", "passphrase"})
    if (rest.starts_with(fixed)) ends.push_back(at + fixed.size());
  if (rest.starts_with("pas")) {
    std::size_t i = 3;
    while (i < rest.size() && rest[i] == 's') ++i;
    if (i < rest.size() && rest[i] == 'w') {
      ++i;
      if (i < rest.size() && rest[i] == 'o') ++i;
      if (i < rest.size() && rest[i] == 'r') ++i;
      if (i < rest.size() && rest[i] == 'd') ends.push_back(at + i + 1);
    }
  }
  return ends;
}

/// Bandit's candidate test: one of the words, case-insensitively, as the whole name or bounded by
/// underscores (`^W$`, `_W_`, `^W_`, `_W$`).
bool looks_like_password(std::string_view name) {
  std::string lowered(name);
  for (char& c : lowered)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  for (std::size_t at = 0; at < lowered.size(); ++at) {
    if (at != 0 && lowered[at - 1] != '_') continue;
    for (const std::size_t end : word_ends(lowered, at))
      if (end == lowered.size() || lowered[end] == '_') return true;
  }
  return false;
}

std::string report_text(const ArgValue& value) { return "Possible hardcoded password: '" + python_str(value) + "'"; }

bool is_candidate_target(const py::Expr* target) {
  if (const auto* name = py::dyn_cast<py::Name>(target)) return looks_like_password(name->id);
  if (const auto* attribute = py::dyn_cast<py::Attribute>(target)) return looks_like_password(attribute->attr);
  return false;
}

}  // namespace

void hardcoded_password_string(Checker& checker) {
  const auto& node = static_cast<const py::Expr&>(checker.node());
  const py::Node* parent = checker.parent();
  if (parent == nullptr) return;
  if (const auto* assign = py::dyn_cast<py::Assign>(parent)) {
    for (const py::Expr* target : assign->targets) {
      if (is_candidate_target(target)) {
        checker.report(Check::B105, report_text(arg_value(node)));
        return;
      }
    }
    return;
  }
  if (const auto* dict = py::dyn_cast<py::Dict>(parent)) {
    // Entries are in source order and a key precedes its value, so the node, if it is a key, is
    // the key of the first value starting after it (a linear search made big literals quadratic).
    const auto value = std::ranges::upper_bound(dict->values, node.start, {}, [](const py::Expr* v) { return v->start; });
    const auto i = static_cast<std::size_t>(value - dict->values.begin());
    if (i < dict->keys.size() && dict->keys[i] == &node && looks_like_password(str_value(node)) &&
        py::dyn_cast<py::Constant>(dict->values[i]) != nullptr)
      checker.report(Check::B105, report_text(arg_value(*dict->values[i])));
    return;
  }
  if (py::dyn_cast<py::Subscript>(parent) != nullptr) {
    if (!looks_like_password(str_value(node))) return;
    const auto* assign = py::dyn_cast<py::Assign>(checker.parent(2));
    if (assign != nullptr && is_str_constant(assign->value))
      checker.report(Check::B105, report_text(arg_value(*assign->value)));
    return;
  }
  if (const auto* compare = py::dyn_cast<py::Compare>(parent)) {
    if (is_candidate_target(compare->left) && !compare->comparators.empty() &&
        is_str_constant(compare->comparators[0]))
      checker.report(Check::B105, report_text(arg_value(*compare->comparators[0])));
  }
}

void hardcoded_password_funcarg(Checker& checker) {
  for (const py::Keyword* keyword : checker.call().keywords) {
    if (is_str_constant(keyword->value) && !keyword->arg.empty() && looks_like_password(keyword->arg)) {
      checker.report(Check::B106, report_text(arg_value(*keyword->value)), checker.line_of(*keyword->value));
      return;
    }
  }
}

void hardcoded_password_default(Checker& checker) {
  // Bandit pairs `args.defaults` with the regular parameters only (not positional-only or
  // keyword-only ones) and skips `async def`; default mode checks every parameter with a default.
  const py::Arguments* arguments = nullptr;
  if (const auto* function = py::dyn_cast<py::FunctionDef>(&checker.node())) arguments = function->args;
  if (const auto* function = py::dyn_cast<py::AsyncFunctionDef>(&checker.node())) arguments = function->args;
  if (arguments == nullptr) return;
  const auto check_pair = [&](const py::Arg* parameter, const py::Expr* value) {
    if (value == nullptr || !is_str_constant(value) || !looks_like_password(parameter->arg)) return false;
    checker.report(Check::B107, report_text(arg_value(*value)));
    return true;
  };
  const auto& params = arguments->args;
  const auto& defaults = arguments->defaults;
  const std::size_t without_default = params.size() >= defaults.size() ? params.size() - defaults.size() : 0;
  if (checker.compat()) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (i < without_default) continue;
      const std::size_t d = i - without_default;
      if (d < defaults.size() && check_pair(params[i], defaults[d])) return;
    }
    return;
  }
  std::vector<const py::Arg*> positional(arguments->posonlyargs.begin(), arguments->posonlyargs.end());
  positional.insert(positional.end(), params.begin(), params.end());
  const std::size_t first_default = positional.size() - std::min(positional.size(), defaults.size());
  for (std::size_t i = first_default; i < positional.size(); ++i)
    if (check_pair(positional[i], defaults[i - first_default])) return;
  for (std::size_t i = 0; i < arguments->kwonlyargs.size() && i < arguments->kw_defaults.size(); ++i)
    if (check_pair(arguments->kwonlyargs[i], arguments->kw_defaults[i])) return;
}

}  // namespace moat::lint::rules
