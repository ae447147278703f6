// MOAT-WF007: actions/checkout leaving the token in .git/config (artipacked).
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  const YamlDocument& document = workflow.doc();
  for (const Job& job : workflow.jobs) {
    for (const Step& step : job.steps) {
      if (step.action.name != "actions/checkout" || step.uses == nullptr) continue;
      const YamlNode* persist = document.get(step.with, "persist-credentials");
      if (persist != nullptr && persist->kind == NodeKind::scalar && persist->value == "false") continue;
      Severity severity = Severity::low;
      std::string_view context = "";
      if (job.uploads_artifacts) {
        severity = Severity::high;
        context = "; this job uploads artifacts, which can then contain .git/config with the token";
      } else if (publishes(job) || workflow.release) {
        severity = Severity::medium;
        context = "; this is a release workflow";
      }
      sink.add(rule, *step.uses,
               fmt::format("actions/checkout persists the job's token in .git/config (set `persist-credentials: "
                           "false`){}",
                           context),
               FindingExtras().at(severity).detail("job", job.id));
    }
  }
}

}  // namespace

const WorkflowRule& persisted_credentials_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF007",
          .title = "checkout-persists-credentials",
          .what = "Finds actions/checkout steps without `persist-credentials: false`. High severity in jobs that "
                  "upload artifacts, medium in release workflows, low elsewhere.",
          .why = "By default actions/checkout writes the job's GITHUB_TOKEN into `.git/config` for the rest of "
                 "the job. Every later step can read it, and uploading the workspace (or a build directory that "
                 "contains `.git`) as an artifact publishes it (\"ArtiPACKED\").",
          .example = "- uses: actions/checkout@<sha>\n"
                     "- uses: actions/upload-artifact@<sha>\n"
                     "  with:\n"
                     "    path: .\n",
          .fix = "- uses: actions/checkout@<sha>\n"
                 "  with:\n"
                 "    persist-credentials: false\n",
          .references = "https://unit42.paloaltonetworks.com/github-repo-artifacts-leak-tokens/\n"
                        "https://docs.zizmor.sh/audits/#artipacked",
      },
      .severity = Severity::medium,
      .confidence = Confidence::high,
      .cwe = 522,
      .github = check_github,
  };
  return rule;
}

}  // namespace moat::publish
