// B507 ssh_no_host_key_verification: paramiko set_missing_host_key_policy(AutoAddPolicy|WarningPolicy).
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB507;
const RuleDoc kDocB507{
    "B507", "ssh_no_host_key_verification",
    "Paramiko `set_missing_host_key_policy` with `AutoAddPolicy` or `WarningPolicy`.",
    "Accepting unknown host keys lets an attacker impersonate the SSH server.",
    "client.set_missing_host_key_policy(paramiko.AutoAddPolicy())",
    "Load known hosts and use `RejectPolicy` (the default).",
    "https://docs.paramiko.org/en/stable/api/client.html\nhttps://cwe.mitre.org/data/definitions/295.html"};

namespace {

std::string_view policy_name(const py::Expr& policy) {
  const py::Expr* named = &policy;
  if (const auto* call = py::dyn_cast<py::Call>(&policy)) named = call->func;
  if (const auto* attribute = py::dyn_cast<py::Attribute>(named)) return attribute->attr;
  if (const auto* name = py::dyn_cast<py::Name>(named)) return name->id;
  return {};
}

}  // namespace

void ssh_no_host_key_verification(Checker& checker) {
  if (checker.call_name() != "set_missing_host_key_policy" || checker.call().args.empty() ||
      !checker.imported_like("paramiko"))
    return;
  const std::string_view policy = policy_name(*checker.call().args[0]);
  if (policy == "AutoAddPolicy" || policy == "WarningPolicy")
    checker.report(Check::B507, "Paramiko call with policy set to automatically trust the unknown host key.",
                   checker.keyword_line("set_missing_host_key_policy"));
}

}  // namespace moat::lint::rules
