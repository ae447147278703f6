// B103 set_bad_file_permissions: chmod with a literal mode that grants group/other write or execute.
#include <cstdio>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB103;
const RuleDoc kDocB103{
    "B103", "set_bad_file_permissions",
    "`chmod` calls with a literal mode that lets group or others write or execute the file.",
    "World- or group-writable files can be replaced or modified by other local users; executable bits on data files widen what can be run.",
    "os.chmod(\"/etc/app.conf\", 0o777)",
    "Grant the least access needed, e.g. `0o600` for secrets and `0o644` for readable data.",
    "https://docs.python.org/3/library/os.html#os.chmod\nhttps://cwe.mitre.org/data/definitions/732.html"};

namespace {

constexpr long long kOtherWrite = 0002, kGroupWrite = 0020, kGroupExec = 0010, kOtherExec = 0001;

/// Python's oct() of a non-negative or negative integer.
std::string python_oct(long long value) {
  char buffer[32];
  if (value < 0) {
    std::snprintf(buffer, sizeof buffer, "-0o%llo", -value);
  } else {
    std::snprintf(buffer, sizeof buffer, "0o%llo", value);
  }
  return buffer;
}

}  // namespace

void set_bad_file_permissions(Checker& checker) {
  if (checker.call_name().find("chmod") == std::string_view::npos) return;
  const py::Call& call = checker.call();
  // Bandit reads only a positional, literal mode (compat); default mode also reads `mode=`.
  const py::Expr* mode_expr = nullptr;
  if (call.args.size() == 2) mode_expr = call.args[1];
  if (mode_expr == nullptr && !checker.compat() && call.args.size() == 1) {
    if (const py::Keyword* mode = checker.keyword("mode")) mode_expr = mode->value;
  }
  if (mode_expr == nullptr) return;
  const ArgValue mode = arg_value(*mode_expr);
  if (mode.kind != ArgValue::Kind::integer || mode.text.size() > 18) return;
  long long value = 0;
  for (const char digit : mode.text) value = value * 10 + (digit - '0');
  if ((value & (kOtherWrite | kGroupWrite | kGroupExec | kOtherExec)) == 0) return;
  const Severity severity = (value & kOtherWrite) != 0 ? Severity::high : Severity::medium;
  const ArgValue file = checker.positional(0);
  const std::string filename = file.known() && file.kind != ArgValue::Kind::list && file.kind != ArgValue::Kind::tuple &&
                                       file.kind != ArgValue::Kind::set && file.kind != ArgValue::Kind::dict
                                   ? python_str(file)
                                   : "NOT PARSED";
  checker.report(Check::B103, severity, Confidence::high,
                 "Chmod setting a permissive mask " + python_oct(value) + " on file (" + filename + ").");
}

}  // namespace moat::lint::rules
