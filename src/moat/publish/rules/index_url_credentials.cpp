// MOAT-CR002: package-index URLs with a literal password (pip.conf, env files, CI configuration).
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"
#include "moat/publish/rules/secrets.hpp"

namespace moat::publish {

namespace {

constexpr std::string_view kMessage =
    "a URL carries a password in plain text; use keyring authentication (pip/uv `keyring` provider), a CI "
    "secret injected at run time, or Trusted Publishing for uploads";

template <typename MarkAt>
void report_passwords(const WorkflowRule& rule, std::string_view text, MarkAt mark_at, FindingSink& sink) {
  for (const TextSpan& password : url_passwords(text)) {
    const Mark start = mark_at(password.offset);
    sink.add(rule, start, mark_after(start, password.length), std::string(kMessage),
             FindingExtras().hide(start, password.length));
  }
}

void check_file(const WorkflowRule& rule, const CredentialFile& file, FindingSink& sink) {
  if (file.kind != CredentialFileKind::pip_config && file.kind != CredentialFileKind::env_file) return;
  report_passwords(rule, file.text, [&](std::size_t offset) { return file.mark_at(offset); }, sink);
}

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  const YamlDocument& document = workflow.doc();
  report_passwords(rule, document.source(), [&](std::size_t offset) { return document.mark_at(offset); }, sink);
}

void check_gitlab(const WorkflowRule& rule, const GitlabPipeline& pipeline, FindingSink& sink) {
  const YamlDocument& document = pipeline.doc();
  report_passwords(rule, document.source(), [&](std::size_t offset) { return document.mark_at(offset); }, sink);
}

}  // namespace

const WorkflowRule& index_url_credentials_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-CR002",
          .title = "index-url-with-credentials",
          .what = "Finds URLs of the form `https://user:password@host/...` with a literal password in pip.conf / "
                  "pip.ini, `.env` files (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, UV_INDEX_URL, ...) and CI "
                  "configuration. References such as `$TOKEN`, `${TOKEN}` and `${{ secrets.X }}` are not reported.",
          .why = "Index credentials in URLs are committed with the file, printed in pip's logs and error messages, "
                 "and stored in lock files and caches. For a private index they give read (and often write) "
                 "access to every package on it.",
          .example = "[global]\n"
                     "index-url = https://ci:s3cr3t@pypi.example.com/simple/\n",
          .fix = "[global]\n"
                 "index-url = https://ci@pypi.example.com/simple/\n"
                 "keyring-provider = subprocess\n"
                 "and keep the password in the keyring, or set PIP_INDEX_URL from a CI secret at run time.",
          .references = "https://pip.pypa.io/en/stable/topics/authentication/\n"
                        "https://docs.astral.sh/uv/concepts/authentication/",
      },
      .severity = Severity::high,
      .confidence = Confidence::high,
      .cwe = 256,
      .category = Category::secret,
      .github = check_github,
      .gitlab = check_gitlab,
      .credentials = check_file,
  };
  return rule;
}

}  // namespace moat::publish
