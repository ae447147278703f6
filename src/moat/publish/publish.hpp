#pragma once
// The publishing-hygiene analyzer: audits CI workflows (GitHub Actions, GitLab CI) that build and
// publish Python packages, and files holding index credentials in plain text.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/base/rule_doc.hpp"

namespace moat {

/// Documentation of every MOAT-WF (workflow) and MOAT-CR (credential file) rule.
std::span<const RuleDoc> publish_rule_docs();

}  // namespace moat

namespace moat::publish {

enum class InputKind { github_workflow, gitlab_ci, pypirc, pip_config, netrc, env_file };

struct AuditInput {
  std::filesystem::path file;  // where to read it
  std::string display;         // the path shown in findings
  InputKind kind = InputKind::github_workflow;
};

/// The files to audit under `path`: a single file (kind from its name), a directory of workflows
/// (its *.yml and *.yaml), or a project directory (.github/workflows/*, .gitlab-ci.yml, and
/// credential files at its top: .pypirc, pip.conf, pip.ini, .netrc, .env, *.env). `display` is the
/// path as the user wrote it. Problems (a missing path) become report errors.
std::vector<AuditInput> collect_inputs(const std::filesystem::path& path, const std::string& display,
                                       Report& report);

/// The kind a file name implies, or nullopt for files this analyzer does not read.
std::optional<InputKind> input_kind_for(const std::filesystem::path& file);

/// Audits one file's contents; findings and errors (e.g. invalid YAML with its line) go to report.
void audit_text(const std::string& text, const std::string& display, InputKind kind, Report& report);

/// Reads and audits each input. Returns how many files were read.
std::size_t audit_inputs(const std::vector<AuditInput>& inputs, Report& report);

}  // namespace moat::publish
