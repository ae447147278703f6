// B324 hashlib_insecure_functions: weak hashlib hashes used for security, weak crypt methods.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB324;
const RuleDoc kDocB324{
    "B324", "hashlib_insecure_functions",
    "MD4, MD5, SHA and SHA1 through `hashlib` (constructors or `hashlib.new`) unless `usedforsecurity=False`, and weak `crypt` methods.",
    "These hashes have practical collision attacks and must not protect passwords, signatures or integrity.",
    "hashlib.md5(password).hexdigest()",
    "Use SHA-256 or better (or a password KDF such as `hashlib.scrypt`); for non-security uses pass `usedforsecurity=False`.",
    "https://docs.python.org/3/library/hashlib.html\nhttps://cwe.mitre.org/data/definitions/327.html"};

namespace {

bool is_weak_hash(std::string_view name) { return name == "md4" || name == "md5" || name == "sha" || name == "sha1"; }

bool is_weak_crypt_method(std::string_view name) {
  return name == "METHOD_CRYPT" || name == "METHOD_MD5" || name == "METHOD_BLOWFISH";
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

/// usedforsecurity= missing counts as True; any value other than the literal True (a variable
/// included) means "not for security".
bool used_for_security(const Checker& checker) {
  const py::Keyword* keyword = checker.keyword("usedforsecurity");
  return keyword == nullptr || checker.keyword_value("usedforsecurity").is("True");
}

/// call_args[i] or keywords[name] as Bandit reads them.
ArgValue arg_or_keyword(const Checker& checker, std::size_t position, std::string_view name) {
  if (checker.call().args.size() > position) return checker.positional(position);
  return checker.keyword_value(name);
}

}  // namespace

void hashlib_insecure_functions(Checker& checker) {
  const std::string_view qualname = checker.qualname();
  // Both segments looked for below are substrings too: most calls leave here.
  if (qualname.find("hashlib") == std::string_view::npos && qualname.find("crypt") == std::string_view::npos) return;
  const auto parts = split_dots(qualname);
  const std::string_view function = parts.back();
  const int line = checker.line_of(checker.node());
  if (std::ranges::find(parts, "hashlib") != parts.end()) {
    if (is_weak_hash(function)) {
      if (used_for_security(checker))
        checker.report(Check::B324, Severity::high, Confidence::high,
                       "Use of weak " + upper(function) + " hash for security. Consider usedforsecurity=False", line);
    } else if (function == "new") {
      const ArgValue name = checker.call().args.empty() ? checker.keyword_value("name") : checker.positional(0);
      if (name.kind == ArgValue::Kind::text && is_weak_hash(lower(name.text)) && used_for_security(checker))
        checker.report(Check::B324, Severity::high, Confidence::high,
                       "Use of weak " + upper(name.text) + " hash for security. Consider usedforsecurity=False", line);
    }
    return;
  }
  if (std::ranges::find(parts, "crypt") == parts.end()) return;
  ArgValue method;
  if (function == "crypt") {
    method = arg_or_keyword(checker, 1, "salt");
  } else if (function == "mksalt") {
    method = arg_or_keyword(checker, 0, "method");
  } else {
    return;
  }
  if (method.kind == ArgValue::Kind::text && is_weak_crypt_method(method.text))
    checker.report(Check::B324, Severity::medium, Confidence::high,
                   "Use of insecure crypt." + upper(method.text) + " hash function.", line);
}

}  // namespace moat::lint::rules
