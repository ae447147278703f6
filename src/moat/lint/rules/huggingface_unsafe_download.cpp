// B615 huggingface_unsafe_download: Hub downloads without a pinned commit revision.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB615;
const RuleDoc kDocB615{
    "B615", "huggingface_unsafe_download",
    "Hugging Face Hub downloads (`from_pretrained`, `load_dataset`, `hf_hub_download`, `snapshot_download`) without a pinned commit `revision=`.",
    "The content behind a name or branch can change; a compromised repository can push malicious files that get loaded.",
    "AutoModel.from_pretrained(\"org/model\")",
    "Pin `revision=` to a full commit hash.",
    "https://huggingface.co/docs/huggingface_hub/guides/download\nhttps://cwe.mitre.org/data/definitions/494.html"};

namespace {

bool is_hex_revision(std::string_view revision) {
  while (!revision.empty() && (revision.front() == '"' || revision.front() == '\'')) revision.remove_prefix(1);
  while (!revision.empty() && (revision.back() == '"' || revision.back() == '\'')) revision.remove_suffix(1);
  if (revision.size() < 7) return false;
  return std::ranges::all_of(revision, [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

}  // namespace

void huggingface_unsafe_download(Checker& checker) {
  const std::string_view function = checker.call_name();
  std::string_view required;
  if (function == "from_pretrained") {
    required = "transformers";
  } else if (function == "load_dataset") {
    required = "datasets";
  } else if (function == "hf_hub_download" || function == "snapshot_download" || function == "repository_id") {
    required = "huggingface_hub";
  } else {
    return;
  }
  if (!checker.imported_like("transformers") && !checker.imported_like("datasets") &&
      !checker.imported_like("huggingface_hub"))
    return;
  if (!has_segment(checker.qualname(), required)) return;
  for (const py::Keyword* keyword : checker.call().keywords)
    if ((keyword->arg == "revision" || keyword->arg == "commit_id") && keyword->value->kind != py::NodeKind::Constant)
      return;
  ArgValue revision = checker.keyword_value("revision");
  const bool revision_truthy = revision.known() && !(revision.kind == ArgValue::Kind::text && revision.text.empty()) &&
                               !(revision.kind == ArgValue::Kind::integer && revision.text == "0");
  if (!revision_truthy) revision = checker.keyword_value("commit_id");
  if (revision.kind == ArgValue::Kind::text && is_hex_revision(revision.text)) return;
  const ArgValue first = checker.positional(0);
  if (first.kind == ArgValue::Kind::text &&
      (first.text.starts_with("./") || first.text.starts_with("/") || first.text.starts_with("../")))
    return;
  checker.report(Check::B615,
                 "Unsafe Hugging Face Hub download without revision pinning in " + std::string(function) + "()",
                 checker.keyword_line(function));
}

}  // namespace moat::lint::rules
