// MOAT-CR004: PyPI API tokens and upload passwords written into files.
#include <fmt/format.h>

#include "moat/base/macaroon.hpp"
#include "moat/publish/rules/helpers.hpp"
#include "moat/publish/rules/secrets.hpp"

namespace moat::publish {

namespace {

constexpr std::string_view kTokenMessage =
    "a PyPI API token is written here in plain text; revoke it on PyPI now, then use Trusted Publishing (or a CI "
    "secret for other indexes)";

template <typename MarkAt>
void report_tokens(const WorkflowRule& rule, std::string_view text, MarkAt mark_at, FindingSink& sink) {
  for (const TokenSpan& token : find_pypi_tokens(text)) {
    const Mark start = mark_at(token.offset);
    sink.add(rule, start, mark_after(start, token.length), std::string(kTokenMessage),
             FindingExtras().hide(start, token.length));
  }
}

/// Literal upload credentials in workflow `env:` blocks (tokens are reported by report_tokens).
void check_env(const WorkflowRule& rule, const YamlDocument& document, const YamlNode* env, FindingSink& sink) {
  document.for_each_entry(env, [&](const YamlNode& key, const YamlNode& value) {
    if (!is_publish_credential_variable(key.value) || value.kind != NodeKind::scalar) return;
    if (is_reference(value.value) || !find_pypi_tokens(value.value).empty()) return;  // tokens: report_tokens
    sink.add(rule, value, fmt::format("`{}` is set to a literal credential; use a CI secret or Trusted Publishing", key.value),
             FindingExtras().hide(value.start, value.end.offset - value.start.offset).detail("variable", key.value));
  });
}

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  const YamlDocument& document = workflow.doc();
  report_tokens(rule, document.source(), [&](std::size_t offset) { return document.mark_at(offset); }, sink);
  check_env(rule, document, workflow.env, sink);
  for (const Job& job : workflow.jobs) {
    check_env(rule, document, job.env, sink);
    for (const Step& step : job.steps) check_env(rule, document, step.env, sink);
  }
}

void check_gitlab(const WorkflowRule& rule, const GitlabPipeline& pipeline, FindingSink& sink) {
  const YamlDocument& document = pipeline.doc();
  report_tokens(rule, document.source(), [&](std::size_t offset) { return document.mark_at(offset); }, sink);
  check_env(rule, document, pipeline.variables, sink);
  for (const GitlabJob& job : pipeline.jobs) check_env(rule, document, job.variables, sink);
}

void check_file(const WorkflowRule& rule, const CredentialFile& file, FindingSink& sink) {
  if (file.kind == CredentialFileKind::pypirc || file.kind == CredentialFileKind::netrc) return;  // CR001, CR003
  report_tokens(rule, file.text, [&](std::size_t offset) { return file.mark_at(offset); }, sink);
  if (file.kind != CredentialFileKind::env_file) return;
  for (std::size_t index = 0; index < file.line_starts.size(); ++index) {
    std::string_view line = file.line(index);
    const std::size_t line_offset = file.line_starts[index];
    std::size_t at = line.find_first_not_of(" \t");
    if (at == std::string_view::npos || line[at] == '#') continue;
    if (line.substr(at).starts_with("export ")) at = line.find_first_not_of(" \t", at + 7);
    const auto equals = line.find('=', at);
    if (at == std::string_view::npos || equals == std::string_view::npos) continue;
    const std::string_view name = line.substr(at, equals - at);
    std::string_view value = line.substr(equals + 1);
    if (!is_publish_credential_variable(name)) continue;
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (is_reference(value) || !find_pypi_tokens(value).empty()) continue;  // tokens: report_tokens
    const Mark start = file.mark_at(line_offset + static_cast<std::size_t>(value.data() - line.data()));
    sink.add(rule, start, mark_after(start, value.size()),
             fmt::format("`{}` holds an upload credential in plain text; keep it out of files (keyring, CI secret) "
                         "or use Trusted Publishing",
                         name),
             FindingExtras().hide(start, value.size()).detail("variable", std::string(name)));
  }
}

}  // namespace

const WorkflowRule& plaintext_publish_secret_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-CR004",
          .title = "plaintext-publish-credential",
          .what = "Finds PyPI API tokens (`pypi-` and a macaroon, the pattern PyPI's secret scanning uses, decoded to rule out look-alikes) in workflows, "
                  "GitLab CI files, `.env` files and pip configuration, and upload credentials (TWINE_PASSWORD, "
                  "UV_PUBLISH_TOKEN, POETRY_PYPI_TOKEN_*, ...) assigned literal values. The secret is never "
                  "repeated in the report.",
          .why = "A committed token can publish the project (or every project of the account for a user-wide "
                 "token) until it is revoked; public repositories are scanned by attackers within minutes.",
          .example = "env:\n"
                     "  TWINE_PASSWORD: pypi-AgEIcHlwaS5vcmc...\n",
          .fix = "Revoke the token on PyPI, remove it from the file (and its history), and publish with Trusted "
                 "Publishing; elsewhere reference a secret: `TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}`.",
          .references = "https://docs.pypi.org/api/secrets/\n"
                        "https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns",
      },
      .severity = Severity::critical,
      .confidence = Confidence::high,
      .cwe = 798,
      .category = Category::secret,
      .github = check_github,
      .gitlab = check_gitlab,
      .credentials = check_file,
  };
  return rule;
}

}  // namespace moat::publish
