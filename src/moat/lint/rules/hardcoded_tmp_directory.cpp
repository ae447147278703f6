// B108 hardcoded_tmp_directory: string literals starting with a shared temporary directory.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB108;
const RuleDoc kDocB108{
    "B108", "hardcoded_tmp_directory",
    "String literals that start with a shared temporary directory (/tmp, /var/tmp, /dev/shm by default).",
    "Predictable paths in world-writable directories allow symlink and race attacks by other local users.",
    "open(\"/tmp/report.txt\", \"w\")",
    "Use `tempfile.mkstemp`, `tempfile.NamedTemporaryFile` or `tempfile.TemporaryDirectory`.",
    "https://docs.python.org/3/library/tempfile.html\nhttps://cwe.mitre.org/data/definitions/377.html"};

void hardcoded_tmp_directory(Checker& checker) {
  const std::string_view value = str_value(static_cast<const py::Expr&>(checker.node()));
  for (const std::string& prefix : checker.options().plugins.tmp_dirs) {
    // The first byte rules out nearly every string before a full comparison.
    if (!prefix.empty() && (value.empty() || value.front() != prefix.front())) continue;
    if (value.starts_with(prefix)) {
      checker.report(Check::B108, "Probable insecure usage of temp file/directory.");
      return;
    }
  }
}

}  // namespace moat::lint::rules
