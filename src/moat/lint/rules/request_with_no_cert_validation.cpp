// B501 request_with_no_cert_validation: requests/httpx calls with verify=False.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB501;
const RuleDoc kDocB501{
    "B501", "request_with_no_cert_validation",
    "`requests`/`httpx` calls with `verify=False`.",
    "Disabling certificate verification allows anyone on the network path to impersonate the server (man in the middle).",
    "requests.get(url, verify=False)",
    "Keep verification on; point `verify=` at a CA bundle for private CAs.",
    "https://cwe.mitre.org/data/definitions/295.html"};

void request_with_no_cert_validation(Checker& checker) {
  const std::string_view qualname = checker.qualname();
  if (!qualname.starts_with("requests.") && !qualname.starts_with("httpx.")) return;  // most calls
  const std::string_view head = qualname.substr(0, qualname.find('.'));
  const std::string_view name = checker.call_name();
  if (!is_requests_verb_call(qualname, name) && !(head == "httpx" && is_httpx_attribute(name))) return;
  if (checker.keyword_value("verify").is("False"))
    checker.report(Check::B501,
                   "Call to " + std::string(head) + " with verify=False disabling SSL certificate checks, security issue.",
                   checker.keyword_line("verify"));
}

}  // namespace moat::lint::rules
