// B602-B607: process-starting calls, with or without a shell, and partial executable paths.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB602;
const RuleDoc kDocB602{
    "B602", "subprocess_popen_with_shell_equals_true",
    "`subprocess` calls with a true `shell=` argument.",
    "With `shell=True` the command line is interpreted by /bin/sh, so any untrusted text in it can inject extra commands.",
    "subprocess.call(\"gzip \" + filename, shell=True)",
    "Pass a list of arguments without a shell: `subprocess.call([\"gzip\", filename])`.",
    "https://docs.python.org/3/library/subprocess.html#security-considerations\nhttps://docs.python.org/3/library/security_warnings.html\nhttps://cwe.mitre.org/data/definitions/78.html"};
extern const RuleDoc kDocB603;
const RuleDoc kDocB603{
    "B603", "subprocess_without_shell_equals_true",
    "`subprocess` calls without a shell.",
    "Even without a shell, running a program with untrusted arguments or an untrusted executable can be dangerous; this is a reminder to check the inputs.",
    "subprocess.run([tool, path])",
    "Make sure the executable is fixed and arguments are validated.",
    "https://docs.python.org/3/library/subprocess.html#security-considerations\nhttps://cwe.mitre.org/data/definitions/78.html"};
extern const RuleDoc kDocB604;
const RuleDoc kDocB604{
    "B604", "any_other_function_with_shell_equals_true",
    "Non-subprocess calls passing a true `shell=` argument.",
    "Wrappers that accept `shell=True` usually hand the command to a shell, with the same injection risk.",
    "run_command(cmd, shell=True)",
    "Avoid shell execution; pass argument lists.",
    "https://cwe.mitre.org/data/definitions/78.html"};
extern const RuleDoc kDocB605;
const RuleDoc kDocB605{
    "B605", "start_process_with_a_shell",
    "Functions that always start a shell: `os.system`, `os.popen`, `subprocess.getoutput` and friends.",
    "The command string is interpreted by a shell, so untrusted text can inject commands.",
    "os.system(\"rm -rf \" + path)",
    "Use `subprocess.run([...])` with an argument list.",
    "https://docs.python.org/3/library/os.html#os.system\nhttps://docs.python.org/3/library/subprocess.html#security-considerations\nhttps://cwe.mitre.org/data/definitions/78.html"};
extern const RuleDoc kDocB606;
const RuleDoc kDocB606{
    "B606", "start_process_with_no_shell",
    "`os.exec*`, `os.spawn*` and `os.startfile` calls.",
    "They run a program directly; an untrusted executable path or arguments can still run unintended code.",
    "os.execv(path, args)",
    "Make sure the program path is fixed and arguments are validated.",
    "https://docs.python.org/3/library/os.html#process-management\nhttps://cwe.mitre.org/data/definitions/78.html"};
extern const RuleDoc kDocB607;
const RuleDoc kDocB607{
    "B607", "start_process_with_partial_path",
    "Process-starting calls whose program is a relative name such as \"ls\" instead of an absolute path.",
    "The program is looked up through PATH, which an attacker may control, so a different binary may run.",
    "subprocess.Popen([\"ls\", \"-l\"])",
    "Use an absolute path (`/bin/ls`) or resolve it once with `shutil.which` and check it.",
    "https://cwe.mitre.org/data/definitions/78.html"};

namespace {

/// Bandit's has_shell: the last shell= keyword decides, by the truthiness of its literal; any
/// expression that is not a literal counts as true.
bool has_shell(const Checker& checker) {
  bool result = false;
  for (const py::Keyword* keyword : checker.call().keywords) {
    if (keyword->arg != "shell") continue;
    const py::Expr* value = keyword->value;
    if (const auto* constant = py::dyn_cast<py::Constant>(value)) {
      using K = py::ConstantValue::Kind;
      switch (constant->value.kind) {
        case K::None:
        case K::False: result = false; break;
        case K::True:
        case K::Ellipsis: result = true; break;
        case K::Int: result = constant->value.text != "0"; break;
        case K::Float:
        case K::Complex: result = constant->value.number != 0; break;
        case K::Str:
        case K::Bytes: result = !constant->value.text.empty(); break;
      }
    } else if (const auto* list = py::dyn_cast<py::List>(value)) {
      result = !list->elts.empty();
    } else if (const auto* dict = py::dyn_cast<py::Dict>(value)) {
      result = !dict->keys.empty();
    } else {
      result = true;
    }
  }
  return result;
}

/// Severity by the first argument: a plain string literal seems safe (LOW), anything else HIGH.
bool first_arg_is_literal(const Checker& checker) { return is_str_constant(checker.call().args[0]); }

/// Bandit's full_path_match: a drive letter followed by ':', or a leading '/', '\' or '.'.
bool is_full_path(std::string_view command) {
  if (command.empty()) return false;
  const char first = command[0];
  if (first == '/' || first == '\\' || first == '.') return true;
  const bool letter = (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z');
  return letter && command.size() > 1 && command[1] == ':';
}

}  // namespace

void shell_injection(Checker& checker) {
  const auto [is_subprocess, is_shell, is_no_shell] = checker.process_lists();
  const bool has_args = !checker.call().args.empty();
  const auto shell_line = [&] { return checker.keyword_line("shell"); };

  if (is_subprocess) {
    const bool shell = has_shell(checker);
    if (shell && has_args && checker.enabled(Check::B602)) {
      if (first_arg_is_literal(checker)) {
        checker.report(Check::B602, Severity::low, Confidence::high,
                       "subprocess call with shell=True seems safe, but may be changed in the future, consider "
                       "rewriting without shell",
                       shell_line());
      } else {
        checker.report(Check::B602, Severity::high, Confidence::high,
                       "subprocess call with shell=True identified, security issue.", shell_line());
      }
    }
    if (!shell && checker.enabled(Check::B603))
      checker.report(Check::B603, "subprocess call - check for execution of untrusted input.", shell_line());
  } else if (checker.enabled(Check::B604) && has_shell(checker)) {
    checker.report(Check::B604, "Function call with shell=True parameter identified, possible security issue.",
                   shell_line());
  }
  if (is_shell && has_args && checker.enabled(Check::B605)) {
    if (first_arg_is_literal(checker)) {
      checker.report(Check::B605, Severity::low, Confidence::high,
                     "Starting a process with a shell: Seems safe, but may be changed in the future, consider "
                     "rewriting without shell");
    } else {
      checker.report(Check::B605, Severity::high, Confidence::high,
                     "Starting a process with a shell, possible injection detected, security issue.");
    }
  }
  if (is_no_shell && checker.enabled(Check::B606)) checker.report(Check::B606, "Starting a process without a shell.");
  if (has_args && (is_subprocess || is_shell || is_no_shell) && checker.enabled(Check::B607)) {
    const py::Expr* command = checker.call().args[0];
    if (const auto* list = py::dyn_cast<py::List>(command); list != nullptr && !list->elts.empty())
      command = list->elts[0];
    if (is_str_constant(command) && !is_full_path(str_value(*command)))
      checker.report(Check::B607, "Starting a process with a partial executable path");
  }
}

}  // namespace moat::lint::rules
