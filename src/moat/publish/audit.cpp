#include <algorithm>
#include <optional>

#include "moat/publish/publish.hpp"
#include "moat/publish/rule.hpp"
#include "moat/util/file.hpp"

namespace moat::publish {

namespace {

constexpr std::size_t kMaxInputBytes = std::size_t{16} << 20;

std::string_view line_of(std::string_view text, const std::vector<std::size_t>& starts, int number) {
  if (number < 1 || static_cast<std::size_t>(number) > starts.size()) return {};
  const std::size_t begin = starts[static_cast<std::size_t>(number) - 1];
  std::size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(begin, end - begin);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

/// True when `line` carries `# moat: ignore[...]` naming `rule_id`.
bool line_ignores(std::string_view line, std::string_view rule_id) {
  const auto marker = line.find("moat: ignore[");
  if (marker == std::string_view::npos) return false;
  const auto close = line.find(']', marker);
  const std::string_view codes = line.substr(marker + 13, close == std::string_view::npos ? close : close - marker - 13);
  std::size_t at = 0;
  while (at <= codes.size()) {
    auto comma = codes.find(',', at);
    if (comma == std::string_view::npos) comma = codes.size();
    std::string_view code = codes.substr(at, comma - at);
    while (!code.empty() && code.front() == ' ') code.remove_prefix(1);
    while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
    if (!code.empty() && rule_id.starts_with(code)) return true;
    at = comma + 1;
  }
  return false;
}

std::string strip_dot_slash(std::string path) {
  while (path.starts_with("./")) path.erase(0, 2);
  return path;
}

std::string join_display(const std::string& display, const std::filesystem::path& relative) {
  if (display.empty() || display == ".") return strip_dot_slash(relative.generic_string());
  return strip_dot_slash((std::filesystem::path(display) / relative).lexically_normal().generic_string());
}

CredentialFileKind credential_kind(InputKind kind) {
  switch (kind) {
    case InputKind::pypirc: return CredentialFileKind::pypirc;
    case InputKind::pip_config: return CredentialFileKind::pip_config;
    case InputKind::netrc: return CredentialFileKind::netrc;
    default: return CredentialFileKind::env_file;
  }
}

}  // namespace

CredentialFile::CredentialFile(std::string file_path, CredentialFileKind file_kind, std::string contents)
    : path(std::move(file_path)), kind(file_kind), text(std::move(contents)) {
  line_starts.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts.push_back(i + 1);
}

Mark CredentialFile::mark_at(std::size_t offset) const {
  auto after = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  const auto index = static_cast<std::size_t>(after - line_starts.begin()) - 1;
  return Mark{static_cast<int>(index) + 1, static_cast<int>(offset - line_starts[index]), offset};
}

std::string_view CredentialFile::line(std::size_t index) const {
  return line_of(text, line_starts, static_cast<int>(index) + 1);
}

FindingSink::FindingSink(std::vector<Finding>& findings, std::string path, const YamlDocument& document)
    : findings_(findings), path_(std::move(path)), document_(&document) {}

FindingSink::FindingSink(std::vector<Finding>& findings, std::string path, const CredentialFile& file)
    : findings_(findings), path_(std::move(path)), file_(&file) {}

std::string_view FindingSink::line(int number) const {
  if (document_ != nullptr) return document_->line_text(number);
  return line_of(file_->text, file_->line_starts, number);
}

void FindingSink::add(const WorkflowRule& rule, const Mark& start, const Mark& end, std::string message,
                      FindingExtras extras) {
  if (line_ignores(line(start.line), rule.doc.id) || line_ignores(line(start.line - 1), rule.doc.id)) return;
  Finding finding;
  finding.rule_id = std::string(rule.doc.id);
  finding.title = std::string(rule.doc.title);
  finding.message = std::move(message);
  finding.severity = extras.severity.value_or(rule.severity);
  finding.confidence = extras.confidence.value_or(rule.confidence);
  finding.cwe = rule.cwe;
  finding.category = rule.category;
  finding.location = Location{path_, start.line, start.column, end.line, end.column};
  std::string snippet(line(start.line));
  if (extras.secret_start && extras.secret_start->line == start.line) {
    const auto column = static_cast<std::size_t>(extras.secret_start->column);
    if (column < snippet.size()) snippet.replace(column, std::min(extras.secret_length, snippet.size() - column), "****");
  }
  const auto first = snippet.find_first_not_of(" \t");
  finding.snippet = first == std::string::npos ? std::string() : snippet.substr(first);
  finding.details = std::move(extras.details);
  findings_.push_back(std::move(finding));
}

const std::vector<const WorkflowRule*>& all_rules() {
  static const std::vector<const WorkflowRule*> rules{
#define MOAT_PUBLISH_RULE(name) &name##_rule(),
#include "moat/publish/rules.def"
#undef MOAT_PUBLISH_RULE
  };
  return rules;
}

std::optional<InputKind> input_kind_for(const std::filesystem::path& file) {
  // Suffix matches also accept prefixed names such as "release.gitlab-ci.yml" or "ci.pypirc".
  const std::string name = file.filename().string();
  const std::string extension = file.extension().string();
  if (name.ends_with(".gitlab-ci.yml") || name.ends_with(".gitlab-ci.yaml")) return InputKind::gitlab_ci;
  if (name.ends_with("pypirc")) return InputKind::pypirc;
  if (name.ends_with("pip.conf") || name.ends_with("pip.ini")) return InputKind::pip_config;
  if (name.ends_with("netrc")) return InputKind::netrc;
  if (name == ".env" || name.starts_with(".env.") || extension == ".env") return InputKind::env_file;
  if (extension == ".yml" || extension == ".yaml") return InputKind::github_workflow;
  return std::nullopt;
}

std::vector<AuditInput> collect_inputs(const std::filesystem::path& path, const std::string& display,
                                       Report& report) {
  std::vector<AuditInput> inputs;
  std::error_code error;
  if (std::filesystem::is_regular_file(path, error)) {
    auto kind = input_kind_for(path);
    if (!kind) {
      report.errors.push_back({display, "not a workflow, GitLab CI or credential file"});
      return inputs;
    }
    inputs.push_back({path, strip_dot_slash(display), *kind});
    return inputs;
  }
  if (!std::filesystem::is_directory(path, error)) {
    report.errors.push_back({display, "no such file or directory"});
    return inputs;
  }
  auto add_directory_workflows = [&](const std::filesystem::path& directory, const std::filesystem::path& relative) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
      const auto extension = entry.path().extension();
      if ((extension == ".yml" || extension == ".yaml") && entry.is_regular_file(error)) files.push_back(entry.path());
    }
    std::ranges::sort(files);
    for (const auto& file : files)
      inputs.push_back({file, join_display(display, relative / file.filename()), InputKind::github_workflow});
  };
  const bool project = std::filesystem::is_directory(path / ".github", error) ||
                       std::filesystem::exists(path / ".gitlab-ci.yml", error);
  if (!project) {
    add_directory_workflows(path, {});
    return inputs;
  }
  if (std::filesystem::is_directory(path / ".github" / "workflows", error))
    add_directory_workflows(path / ".github" / "workflows", std::filesystem::path(".github") / "workflows");
  std::vector<std::filesystem::path> top_level;
  for (const auto& entry : std::filesystem::directory_iterator(path, error))
    if (entry.is_regular_file(error)) top_level.push_back(entry.path());
  std::ranges::sort(top_level);
  for (const auto& file : top_level) {
    auto kind = input_kind_for(file);
    if (kind && *kind != InputKind::github_workflow) inputs.push_back({file, join_display(display, file.filename()), *kind});
  }
  return inputs;
}

void audit_text(const std::string& text, const std::string& display, InputKind kind, Report& report) {
  if (kind == InputKind::github_workflow || kind == InputKind::gitlab_ci) {
    auto document = YamlDocument::parse(text);
    if (!document) {
      report.errors.push_back({display, document.error().message});
      return;
    }
    FindingSink sink(report.findings, display, *document);
    if (kind == InputKind::github_workflow) {
      auto workflow = build_github_workflow(*document, display);
      if (!workflow) {
        report.errors.push_back({display, workflow.error().message});
        return;
      }
      for (const WorkflowRule* rule : all_rules())
        if (rule->github != nullptr) rule->github(*rule, *workflow, sink);
    } else {
      auto pipeline = build_gitlab_pipeline(*document, display);
      if (!pipeline) {
        report.errors.push_back({display, pipeline.error().message});
        return;
      }
      for (const WorkflowRule* rule : all_rules())
        if (rule->gitlab != nullptr) rule->gitlab(*rule, *pipeline, sink);
    }
    return;
  }
  const CredentialFile file(display, credential_kind(kind), text);
  FindingSink sink(report.findings, display, file);
  for (const WorkflowRule* rule : all_rules())
    if (rule->credentials != nullptr) rule->credentials(*rule, file, sink);
}

std::size_t audit_inputs(const std::vector<AuditInput>& inputs, Report& report) {
  std::size_t read = 0;
  for (const auto& input : inputs) {
    auto text = read_file(input.file, kMaxInputBytes);
    if (!text) {
      report.errors.push_back({input.display, text.error().message});
      continue;
    }
    ++read;
    audit_text(*text, input.display, input.kind, report);
  }
  return read;
}

}  // namespace moat::publish

namespace moat {

std::span<const RuleDoc> publish_rule_docs() {
  static const std::vector<RuleDoc> docs = [] {
    std::vector<RuleDoc> out;
    for (const auto* rule : publish::all_rules()) out.push_back(rule->doc);
    return out;
  }();
  return docs;
}

}  // namespace moat
