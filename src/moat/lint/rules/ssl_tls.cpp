// B502 ssl_with_bad_version, B503 ssl_with_bad_defaults, B504 ssl_with_no_version.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB502;
const RuleDoc kDocB502{
    "B502", "ssl_with_bad_version",
    "Calls that select SSLv2, SSLv3, TLS 1.0 or TLS 1.1 through `ssl_version=` or `method=`.",
    "These protocol versions have known attacks (POODLE, BEAST, DROWN) and are disabled by modern peers.",
    "ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv3)",
    "Use `ssl.create_default_context()` and let it negotiate TLS 1.2 or newer.",
    "https://docs.python.org/3/library/ssl.html#security-considerations\nhttps://docs.python.org/3/library/security_warnings.html\nhttps://cwe.mitre.org/data/definitions/327.html"};
extern const RuleDoc kDocB503;
const RuleDoc kDocB503{
    "B503", "ssl_with_bad_defaults",
    "Function parameters whose default is an insecure SSL/TLS protocol constant.",
    "Callers that rely on the default get a broken protocol version.",
    "def connect(version=ssl.PROTOCOL_SSLv2): ...",
    "Default to a secure context (`ssl.create_default_context()`) instead of a protocol constant.",
    "https://docs.python.org/3/library/ssl.html#security-considerations\nhttps://cwe.mitre.org/data/definitions/327.html"};
extern const RuleDoc kDocB504;
const RuleDoc kDocB504{
    "B504", "ssl_with_no_version",
    "`ssl.wrap_socket` without `ssl_version=`.",
    "The default of old Python versions negotiates SSLv23, which may allow insecure protocols; `ssl.wrap_socket` itself is deprecated and removed in Python 3.12.",
    "ssl.wrap_socket(sock)",
    "Use `ssl.create_default_context().wrap_socket(sock, server_hostname=...)`.",
    "https://docs.python.org/3/library/ssl.html#security-considerations\nhttps://cwe.mitre.org/data/definitions/327.html"};

namespace {

bool is_bad_version(const Checker& checker, const ArgValue& value) {
  return value.kind == ArgValue::Kind::text && contains(checker.options().plugins.bad_protocol_versions, value.text);
}

}  // namespace

void ssl_with_bad_version(Checker& checker) {
  if (checker.call().keywords.empty()) return;  // every case below needs a keyword: most calls leave here
  const std::string_view qualname = checker.qualname();
  if (qualname == "ssl.wrap_socket") {
    if (is_bad_version(checker, checker.keyword_value("ssl_version")))
      checker.report(Check::B502, Severity::high, Confidence::high,
                     "ssl.wrap_socket call with insecure SSL/TLS protocol version identified, security issue.",
                     checker.keyword_line("ssl_version"));
    return;
  }
  if (qualname == "pyOpenSSL.SSL.Context") {
    if (is_bad_version(checker, checker.keyword_value("method")))
      checker.report(Check::B502, Severity::high, Confidence::high,
                     "SSL.Context call with insecure SSL/TLS protocol version identified, security issue.",
                     checker.keyword_line("method"));
    return;
  }
  if (is_bad_version(checker, checker.keyword_value("method")) ||
      is_bad_version(checker, checker.keyword_value("ssl_version"))) {
    int line = checker.keyword_line("method");
    if (line == 0) line = checker.keyword_line("ssl_version");
    checker.report(Check::B502, Severity::medium, Confidence::medium,
                   "Function call with insecure SSL/TLS protocol identified, possible security issue.", line);
  }
}

void ssl_with_bad_defaults(Checker& checker) {
  const py::Arguments* arguments = nullptr;
  if (const auto* function = py::dyn_cast<py::FunctionDef>(&checker.node())) arguments = function->args;
  if (const auto* function = py::dyn_cast<py::AsyncFunctionDef>(&checker.node())) arguments = function->args;
  if (arguments == nullptr) return;
  std::vector<const py::Expr*> defaults(arguments->defaults.begin(), arguments->defaults.end());
  if (!checker.compat())
    for (const py::Expr* value : arguments->kw_defaults)
      if (value != nullptr) defaults.push_back(value);
  for (const py::Expr* value : defaults) {
    // Bandit's get_qual_attr: only attribute defaults count; the last component is compared.
    const auto* attribute = py::dyn_cast<py::Attribute>(value);
    if (attribute == nullptr) continue;
    if (contains(checker.options().plugins.bad_protocol_versions, attribute->attr)) {
      checker.report(Check::B503,
                     "Function definition identified with insecure SSL/TLS protocol version by default, possible "
                     "security issue.");
      return;
    }
  }
}

void ssl_with_no_version(Checker& checker) {
  if (checker.qualname() == "ssl.wrap_socket" && !checker.keyword_value("ssl_version").known())
    checker.report(Check::B504,
                   "ssl.wrap_socket call with no SSL/TLS protocol version specified, the default SSLv23 could be "
                   "insecure, possible security issue.",
                   checker.keyword_line("ssl_version"));
}

}  // namespace moat::lint::rules
