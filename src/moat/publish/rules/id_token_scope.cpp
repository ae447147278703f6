// MOAT-WF002: the OIDC `id-token: write` permission granted beyond the job that publishes.
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

/// Actions and reusable workflows with a legitimate use for an OIDC token besides PyPI uploads.
bool uses_oidc_elsewhere(const Job& job) {
  if (job.uses != nullptr) return true;  // a reusable workflow may need it passed down
  return std::ranges::any_of(job.steps, [](const Step& step) {
    const std::string& name = step.action.name;
    return name.starts_with("actions/attest") || name.starts_with("sigstore/") ||
           name == "aws-actions/configure-aws-credentials" || name == "google-github-actions/auth" ||
           name == "azure/login" || name.starts_with("codecov/") || name == "sigstore/cosign-installer" ||
           (step.run != nullptr && step.run->kind == NodeKind::scalar &&
            (step.run->value.find("cosign") != std::string::npos ||
             step.run->value.find("ACTIONS_ID_TOKEN_REQUEST") != std::string::npos));
  });
}

const YamlNode& permission_node(const YamlDocument& document, const YamlNode& permissions) {
  const YamlNode* key = document.get_key(&permissions, "id-token");
  return key != nullptr ? *key : permissions;
}

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  const YamlDocument& document = workflow.doc();
  if (grants_write(document, workflow.permissions, "id-token")) {
    const bool every_job_publishes = std::ranges::all_of(workflow.jobs, [](const Job& job) {
      return job.permissions != nullptr || publishes(job);
    });
    const bool inherited = std::ranges::any_of(workflow.jobs, [](const Job& job) { return job.permissions == nullptr; });
    if (inherited)
      sink.add(rule, permission_node(document, *workflow.permissions),
               "`id-token: write` is granted at the workflow level, so every job can mint OIDC tokens; grant it "
               "only in the publishing job",
               FindingExtras().at(every_job_publishes ? Severity::low : Severity::medium));
  }
  for (const Job& job : workflow.jobs) {
    if (job.permissions == nullptr || !grants_write(document, job.permissions, "id-token")) continue;
    if (publishes(job) || uses_oidc_elsewhere(job)) continue;
    sink.add(rule, permission_node(document, *job.permissions),
             fmt::format("{} is granted `id-token: write` but does not publish; only the publishing job needs it",
                         job_label(job.id)),
             FindingExtras().detail("job", job.id));
  }
}

void check_gitlab(const WorkflowRule& rule, const GitlabPipeline& pipeline, FindingSink& sink) {
  const YamlDocument& document = pipeline.doc();
  if (const YamlNode* shared = document.get_key(pipeline.default_node, "id_tokens"); shared != nullptr)
    sink.add(rule, *shared,
             "`id_tokens:` under `default:` gives every job an OIDC token; declare it only in the publishing job");
  for (const GitlabJob& job : pipeline.jobs) {
    const YamlNode* own = document.get_key(job.node, "id_tokens");
    if (own == nullptr || !job.publishes.empty()) continue;
    sink.add(rule, *own,
             fmt::format("{} declares `id_tokens:` but does not publish; only the publishing job needs an OIDC token",
                         job_label(job.name)),
             FindingExtras().detail("job", job.name));
  }
}

}  // namespace

const WorkflowRule& id_token_scope_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF002",
          .title = "oidc-token-scope-too-wide",
          .what = "Finds `id-token: write` (or `write-all`) at the workflow level, and in jobs that neither publish "
                  "nor use another OIDC consumer (cloud login, Sigstore signing, attestations, a reusable workflow). "
                  "On GitLab, `id_tokens:` under `default:` or in jobs that do not publish.",
          .why = "With Trusted Publishing, an OIDC token from this repository and workflow *is* the permission to "
                 "upload to PyPI. Any step of a job holding `id-token: write` can request one: a compromised test "
                 "dependency or action in the build job could then publish a release.",
          .example = "permissions:\n"
                     "  id-token: write   # every job inherits it\n"
                     "jobs:\n"
                     "  test: ...\n"
                     "  publish: ...\n",
          .fix = "permissions: {}\n"
                 "jobs:\n"
                 "  publish:\n"
                 "    permissions:\n"
                 "      id-token: write\n",
          .references = "https://docs.pypi.org/trusted-publishers/security-model/\n"
                        "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect\n"
                        "https://docs.zizmor.sh/audits/#excessive-permissions",
      },
      .severity = Severity::medium,
      .confidence = Confidence::high,
      .cwe = 250,
      .github = check_github,
      .gitlab = check_gitlab,
  };
  return rule;
}

}  // namespace moat::publish
