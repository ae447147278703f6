// B609 linux_commands_wildcard_injection: chown/chmod/tar/rsync with a `*` run through a shell.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB609;
const RuleDoc kDocB609{
    "B609", "linux_commands_wildcard_injection",
    "Shell commands running chown, chmod, tar or rsync with a `*` wildcard.",
    "File names starting with `-` that match the wildcard are read as options (e.g. `--checkpoint-action=exec=...` for tar).",
    "os.system(\"tar cf backup.tar *\")",
    "List the files explicitly, or use `--` and `./*`, without a shell.",
    "https://www.exploit-db.com/papers/33930\nhttps://cwe.mitre.org/data/definitions/155.html"};

void linux_commands_wildcard_injection(Checker& checker) {
  const PluginOptions& lists = checker.options().plugins;
  if (!lists.shell_section_has_shell || !lists.shell_section_has_subprocess) return;
  const Checker::ProcessLists listed = checker.process_lists();
  const bool shell_call = listed.shell;
  if (!shell_call && !(listed.subprocess && checker.keyword_value("shell").is("True"))) return;
  if (checker.call().args.empty()) return;
  std::string command;
  const py::Expr& first = *checker.call().args[0];
  if (const auto* list = py::dyn_cast<py::List>(&first)) {
    // Bandit formats each element's literal value; attributes are not literals there ("None").
    for (const py::Expr* element : list->elts)
      command += " " + (element->kind == py::NodeKind::Attribute ? std::string("None") : python_str(arg_value(*element)));
  } else if (const ArgValue value = arg_value(first); value.kind == ArgValue::Kind::text) {
    command = value.text;
  }
  if (command.empty() || command.find('*') == std::string::npos) return;
  for (const std::string_view tool : {"chown", "chmod", "tar", "rsync"}) {
    if (command.find(tool) != std::string::npos) {
      checker.report(Check::B609, "Possible wildcard injection in call: " + std::string(checker.qualname()), checker.keyword_line("shell"));
      return;
    }
  }
}

}  // namespace moat::lint::rules
