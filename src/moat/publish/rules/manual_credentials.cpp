// MOAT-WF001: uploading to PyPI with a long-lived API token where Trusted Publishing would work.
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

struct CredentialOptions {
  std::string_view command;
  std::initializer_list<std::string_view> options;
};
// Options that pass a password or token on the command line.
const CredentialOptions kCommandCredentials[] = {
    {"twine upload", {"-p", "--password"}},
    {"uv publish", {"-t", "--token", "-p", "--password"}},
    {"poetry publish", {"-u", "--username", "-p", "--password"}},
    {"hatch publish", {"-u", "--user", "-a", "--auth"}},
    {"pdm publish", {"-u", "--username", "-P", "--password"}},
    {"maturin publish", {"-u", "--username", "-p", "--password"}},
    {"maturin upload", {"-u", "--username", "-p", "--password"}},
};

constexpr std::string_view kFix = "configure a Trusted Publisher on PyPI and let the job mint a short-lived token";

void check_credential_variables(const WorkflowRule& rule, const YamlDocument& document, const YamlNode* env,
                                std::string_view scope, FindingSink& sink) {
  bool has_password = false;
  document.for_each_entry(env, [&](const YamlNode& key, const YamlNode&) {
    if (is_publish_credential_variable(key.value)) has_password = true;
  });
  document.for_each_entry(env, [&](const YamlNode& key, const YamlNode&) {
    const bool flagged = is_publish_credential_variable(key.value) || (key.value == "TWINE_USERNAME" && !has_password);
    if (!flagged) return;
    sink.add(rule, key,
             fmt::format("{} passes a long-lived index credential `{}` to a PyPI upload; {}", scope, key.value, kFix),
             FindingExtras().detail("variable", key.value));
  });
}

/// Command-line credentials, `.pypirc` written by the script, `poetry config pypi-token`.
void check_script(const WorkflowRule& rule, const YamlDocument& document, const YamlNode& script,
                  const std::vector<PublishStep>& publishes, FindingSink& sink) {
  for (const auto& publish : publishes) {
    if (publish.where != &script || !publish.pypi || publish.action) continue;
    for (const auto& entry : kCommandCredentials) {
      if (publish.command != entry.command || !has_option(publish.arguments, entry.options)) continue;
      const Mark start = mark_of(document, script, publish.command);
      sink.add(rule, start, mark_after(start, publish.command.size()),
               fmt::format("`{}` is given an API token or password on its command line; {}", publish.command, kFix),
               FindingExtras().detail("command", publish.command));
    }
  }
  const std::string_view text = script.value;
  if (auto at = text.find(".pypirc"); at != std::string_view::npos &&
      (text.find("secrets.") != std::string_view::npos || text.find("password") != std::string_view::npos)) {
    const Mark start = mark_of(document, script, ".pypirc");
    sink.add(rule, start, mark_after(start, 7),
             fmt::format("the script writes a `.pypirc` holding an upload credential; {}", kFix));
  }
  if (!find_commands(text, "poetry", "config").empty() && text.find("pypi-token") != std::string_view::npos) {
    const Mark start = mark_of(document, script, "pypi-token");
    sink.add(rule, start, mark_after(start, 10), fmt::format("`poetry config pypi-token` stores an API token; {}", kFix));
  }
}

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  const YamlDocument& document = workflow.doc();
  bool any_pypi_publish = false;
  for (const Job& job : workflow.jobs) {
    if (!publishes_to_pypi(job.publishes)) continue;
    any_pypi_publish = true;
    check_credential_variables(rule, document, job.env, job_label(job.id), sink);
    for (const Step& step : job.steps) {
      if (step.action.name == "pypa/gh-action-pypi-publish") {
        const std::string url = document.get(step.with, "repository-url") != nullptr
                                    ? document.get(step.with, "repository-url")->value
                                    : std::string();
        const bool to_pypi = std::ranges::any_of(job.publishes, [&](const PublishStep& publish) {
          return publish.where == step.uses && publish.pypi;
        });
        if (const YamlNode* password = document.get_key(step.with, "password"); password != nullptr && to_pypi)
          sink.add(rule, *password,
                   fmt::format("pypa/gh-action-pypi-publish is given a long-lived API token (`password:`); {}", kFix),
                   FindingExtras().detail("action", step.action.name));
      }
      if (step.run != nullptr && step.run->kind == NodeKind::scalar) {
        check_script(rule, document, *step.run, job.publishes, sink);
        check_credential_variables(rule, document, step.env, "this step", sink);
      } else if (step.action.name == "pypa/gh-action-pypi-publish") {
        check_credential_variables(rule, document, step.env, "this step", sink);
      }
    }
  }
  if (any_pypi_publish) check_credential_variables(rule, document, workflow.env, "the workflow", sink);
}

void check_gitlab(const WorkflowRule& rule, const GitlabPipeline& pipeline, FindingSink& sink) {
  const YamlDocument& document = pipeline.doc();
  bool any_pypi_publish = false;
  for (const GitlabJob& job : pipeline.jobs) {
    if (!publishes_to_pypi(job.publishes)) continue;
    any_pypi_publish = true;
    check_credential_variables(rule, document, job.variables, job_label(job.name), sink);
    bool reported = false;
    for (const YamlNode* line : job.script_lines) {
      const auto before = sink.count();
      check_script(rule, document, *line, job.publishes, sink);
      reported = reported || sink.count() != before;
    }
    if (!reported && job.id_tokens == nullptr) {
      const PublishStep& first = job.publishes.front();
      const Mark start = mark_of(document, *first.where, first.command);
      sink.add(rule, start, mark_after(start, first.command.size()),
               fmt::format("{} uploads with `{}` and no `id_tokens:`, so it must use a long-lived token from a CI/CD "
                           "variable; {}",
                           job_label(job.name), first.command, kFix),
               FindingExtras().at(Confidence::medium).detail("command", first.command));
    }
  }
  if (any_pypi_publish) check_credential_variables(rule, document, pipeline.variables, "the pipeline", sink);
}

}  // namespace

const WorkflowRule& manual_credentials_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF001",
          .title = "publish-with-long-lived-token",
          .what = "Finds CI jobs that upload to PyPI or TestPyPI with a stored credential: the `password:` input of "
                  "pypa/gh-action-pypi-publish, TWINE_PASSWORD/TWINE_USERNAME, UV_PUBLISH_TOKEN, POETRY_PYPI_TOKEN_*, "
                  "`twine upload -p`, `uv publish --token`, `poetry publish -u/-p`, `hatch publish -a`, `pdm publish "
                  "-P`, `poetry config pypi-token`, or a `.pypirc` written from secrets. On GitLab, a job that runs an "
                  "upload command without `id_tokens:` is reported too (its token must come from a CI/CD variable).",
          .why = "A PyPI API token stored as a CI secret lives until someone revokes it. Anyone who can read it (a "
                 "compromised action, a malicious pull request that reaches the secret, a leaked log) can publish "
                 "releases of the project from anywhere. Trusted Publishing replaces it with an OIDC exchange that "
                 "yields a token valid for 15 minutes, bound to this repository, workflow and environment.",
          .example = "- uses: pypa/gh-action-pypi-publish@release/v1\n"
                     "  with:\n"
                     "    password: ${{ secrets.PYPI_API_TOKEN }}\n",
          .fix = "Add a Trusted Publisher for the project on PyPI (repository, workflow file, environment), give the "
                 "publishing job `permissions: {id-token: write}` and drop the password:\n"
                 "- uses: pypa/gh-action-pypi-publish@<full commit SHA>  # release/v1\n"
                 "Then delete the API token on PyPI and the CI secret.",
          .references = "https://docs.pypi.org/trusted-publishers/\n"
                        "https://docs.pypi.org/trusted-publishers/using-a-publisher/\n"
                        "https://docs.zizmor.sh/audits/#use-trusted-publishing",
      },
      .severity = Severity::medium,
      .confidence = Confidence::high,
      .cwe = 522,
      .github = check_github,
      .gitlab = check_gitlab,
  };
  return rule;
}

}  // namespace moat::publish
