// B614 pytorch_load: torch.load without weights_only=True.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB614;
const RuleDoc kDocB614{
    "B614", "pytorch_load",
    "`torch.load` without `weights_only=True`.",
    "torch.load unpickles the file, so a malicious model file can execute code.",
    "torch.load(\"model.pt\")",
    "Use `torch.load(path, weights_only=True)` or the safetensors format.",
    "https://pytorch.org/docs/stable/generated/torch.load.html\nhttps://cwe.mitre.org/data/definitions/502.html"};

void pytorch_load(Checker& checker) {
  const std::string_view qualname = checker.qualname();
  if (qualname != "torch.load" && qualname != "torch.serialization.load") return;
  if (!checker.imported_exact("torch")) return;
  if (checker.keyword_value("weights_only").is("True")) return;
  checker.report(Check::B614, "Use of unsafe PyTorch load", checker.keyword_line("load"));
}

}  // namespace moat::lint::rules
