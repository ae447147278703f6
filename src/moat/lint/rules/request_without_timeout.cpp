// B113 request_without_timeout: requests calls without timeout=, requests/httpx with timeout=None.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB113;
const RuleDoc kDocB113{
    "B113", "request_without_timeout",
    "`requests` calls without a `timeout=` argument, and `requests`/`httpx` calls with `timeout=None`.",
    "Without a timeout a slow or malicious server can hang the caller forever, exhausting workers.",
    "requests.get(url)",
    "Always pass a timeout, e.g. `requests.get(url, timeout=10)`.",
    "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts\nhttps://cwe.mitre.org/data/definitions/400.html"};

namespace {

bool is_http_verb(std::string_view name) {
  return name == "get" || name == "options" || name == "head" || name == "post" || name == "put" ||
         name == "patch" || name == "delete";
}

}  // namespace

bool is_httpx_attribute(std::string_view name) {
  return is_http_verb(name) || name == "request" || name == "stream" || name == "Client" || name == "AsyncClient";
}

bool is_requests_verb_call(std::string_view qualname, std::string_view name) {
  return qualname.substr(0, qualname.find('.')) == "requests" && is_http_verb(name);
}

void request_without_timeout(Checker& checker) {
  const std::string_view qualname = checker.qualname();
  if (!qualname.starts_with("requests.") && !qualname.starts_with("httpx.")) return;  // most calls
  const std::string_view head = qualname.substr(0, qualname.find('.'));
  const std::string_view name = checker.call_name();
  const bool requests_call = is_requests_verb_call(qualname, name);
  if (requests_call && !checker.keyword_value("timeout").known()) {
    checker.report(Check::B113, "Call to " + std::string(head) + " without timeout");
    return;
  }
  if ((requests_call || (head == "httpx" && is_httpx_attribute(name))) && checker.keyword_value("timeout").is("None"))
    checker.report(Check::B113, "Call to " + std::string(head) + " with timeout set to None");
}

}  // namespace moat::lint::rules
