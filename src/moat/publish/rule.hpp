#pragma once
// How a publishing rule is written: one file per rule under rules/, each defining the rule's
// metadata, documentation and the hooks it implements (GitHub workflow, GitLab pipeline, credential
// file). rules.def lists them in report order.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/base/rule_doc.hpp"
#include "moat/publish/workflow_model.hpp"

namespace moat::publish {

/// A file that may hold index credentials in plain text.
enum class CredentialFileKind { pypirc, pip_config, netrc, env_file };

struct CredentialFile {
  std::string path;
  CredentialFileKind kind = CredentialFileKind::env_file;
  std::string text;
  std::vector<std::size_t> line_starts;  // byte offset of each line

  CredentialFile(std::string file_path, CredentialFileKind file_kind, std::string contents);
  [[nodiscard]] Mark mark_at(std::size_t offset) const;
  [[nodiscard]] std::string_view line(std::size_t index) const;  // 0-based, without newline
};

class FindingSink;

struct WorkflowRule {
  RuleDoc doc;
  Severity severity = Severity::medium;
  Confidence confidence = Confidence::high;
  std::optional<int> cwe;
  Category category = Category::workflow;
  void (*github)(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) = nullptr;
  void (*gitlab)(const WorkflowRule& rule, const GitlabPipeline& pipeline, FindingSink& sink) = nullptr;
  void (*credentials)(const WorkflowRule& rule, const CredentialFile& file, FindingSink& sink) = nullptr;
};

/// Optional overrides of the rule's defaults for one finding.
struct FindingExtras {
  std::optional<Severity> severity;
  std::optional<Confidence> confidence;
  nlohmann::ordered_json details = nlohmann::ordered_json::object();
  std::optional<Mark> secret_start;  // masked in the snippet: a finding never repeats a secret
  std::size_t secret_length = 0;

  FindingExtras& hide(const Mark& start, std::size_t length) {
    secret_start = start;
    secret_length = length;
    return *this;
  }
  FindingExtras& at(Severity level) {
    severity = level;
    return *this;
  }
  FindingExtras& at(Confidence level) {
    confidence = level;
    return *this;
  }
  FindingExtras& detail(const std::string& key, nlohmann::ordered_json value) {
    details[key] = std::move(value);
    return *this;
  }
};

/// Collects findings for one file: fills path, snippet and the rule's metadata, and honours
/// `# moat: ignore[RULE]` comments on the finding's line or the line above.
class FindingSink {
 public:
  FindingSink(std::vector<Finding>& findings, std::string path, const YamlDocument& document);
  FindingSink(std::vector<Finding>& findings, std::string path, const CredentialFile& file);

  void add(const WorkflowRule& rule, const Mark& start, const Mark& end, std::string message,
           FindingExtras extras = {});
  /// How many findings the report holds so far (to tell whether a check added any).
  [[nodiscard]] std::size_t count() const { return findings_.size(); }
  /// A finding spanning one YAML node.
  void add(const WorkflowRule& rule, const YamlNode& node, std::string message, FindingExtras extras = {}) {
    add(rule, node.start, node.end, std::move(message), std::move(extras));
  }

 private:
  [[nodiscard]] std::string_view line(int number) const;

  std::vector<Finding>& findings_;
  std::string path_;
  const YamlDocument* document_ = nullptr;
  const CredentialFile* file_ = nullptr;
};

#define MOAT_PUBLISH_RULE(name) const WorkflowRule& name##_rule();
#include "moat/publish/rules.def"
#undef MOAT_PUBLISH_RULE

/// Every rule in report order.
const std::vector<const WorkflowRule*>& all_rules();

}  // namespace moat::publish
