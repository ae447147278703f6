// MOAT-WF003: write-all, workflow-wide write scopes, or no permissions block (the default token).
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

void check_block(const WorkflowRule& rule, const YamlDocument& document, const YamlNode& permissions,
                 std::string_view where, bool workflow_level, FindingSink& sink) {
  if (permissions.kind == NodeKind::scalar) {
    if (permissions.value == "write-all")
      sink.add(rule, permissions,
               fmt::format("{} grants `write-all`: the token can push code, create releases and change settings",
                           where),
               FindingExtras().at(Severity::high));
    return;
  }
  if (!workflow_level) return;  // job-level write scopes are the recommended way to grant them
  document.for_each_entry(&permissions, [&](const YamlNode& key, const YamlNode& value) {
    if (!scalar_is(&value, "write") || key.value == "id-token") return;  // id-token: MOAT-WF002
    sink.add(rule, key,
             fmt::format("`{}: write` at the workflow level is granted to every job; grant it in the job that "
                         "needs it",
                         key.value),
             FindingExtras().detail("scope", key.value));
  });
}

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  const YamlDocument& document = workflow.doc();
  if (workflow.permissions != nullptr) check_block(rule, document, *workflow.permissions, "the workflow", true, sink);
  for (const Job& job : workflow.jobs) {
    if (job.permissions != nullptr) {
      check_block(rule, document, *job.permissions, job_label(job.id), false, sink);
    } else if (workflow.permissions == nullptr && job.uses == nullptr) {
      sink.add(rule, *job.key,
               fmt::format("{} has no `permissions:` and neither has the workflow, so it gets the repository's "
                           "default token (read-write on older repositories); set `permissions: {{}}` or "
                           "`contents: read`",
                           job_label(job.id)),
               FindingExtras().at(publishes(job) ? Severity::medium : Severity::low).detail("job", job.id));
    }
  }
}

}  // namespace

const WorkflowRule& excessive_permissions_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF003",
          .title = "excessive-permissions",
          .what = "Finds `permissions: write-all`, write scopes granted at the workflow level (to every job), and "
                  "jobs that run with the repository's default GITHUB_TOKEN because neither they nor the workflow "
                  "declare `permissions:`.",
          .why = "Every step of a job can use its GITHUB_TOKEN. A broad token turns a compromised action or an "
                 "injected command into pushes to the repository, forged releases or tampered tags that a later "
                 "release then builds from. Repositories created before February 2023 default to a read-write "
                 "token.",
          .example = "on: push\n"
                     "permissions: write-all\n",
          .fix = "permissions: {}          # nothing by default\n"
                 "jobs:\n"
                 "  release:\n"
                 "    permissions:\n"
                 "      contents: write    # only where needed\n",
          .references = "https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token\n"
                        "https://docs.zizmor.sh/audits/#excessive-permissions",
      },
      .severity = Severity::medium,
      .confidence = Confidence::high,
      .cwe = 250,
      .github = check_github,
  };
  return rule;
}

}  // namespace moat::publish
