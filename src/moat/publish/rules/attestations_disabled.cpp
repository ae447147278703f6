// MOAT-WF011: PEP 740 attestations switched off in pypa/gh-action-pypi-publish.
#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  const YamlDocument& document = workflow.doc();
  for (const Job& job : workflow.jobs) {
    for (const Step& step : job.steps) {
      if (step.action.name != "pypa/gh-action-pypi-publish") continue;
      const YamlNode* key = document.get_key(step.with, "attestations");
      const YamlNode* value = document.get(step.with, "attestations");
      if (key == nullptr || value == nullptr || value->kind != NodeKind::scalar || value->value != "false") continue;
      sink.add(rule, *key,
               "`attestations: false` stops pypa/gh-action-pypi-publish from uploading PEP 740 attestations that "
               "let users verify which repository and workflow built each file",
               FindingExtras().detail("job", job.id));
    }
  }
}

}  // namespace

const WorkflowRule& attestations_disabled_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF011",
          .title = "attestations-disabled",
          .what = "Finds pypa/gh-action-pypi-publish steps with `attestations: false`.",
          .why = "With Trusted Publishing the action signs each distribution with Sigstore and uploads a PEP 740 "
                 "attestation binding it to the repository, workflow and commit. PyPI shows it and tools "
                 "(`moat verify attestation`, pypi-attestations) check it. Turning it off removes the only "
                 "verifiable link between a file on PyPI and its source.",
          .example = "- uses: pypa/gh-action-pypi-publish@<sha>\n"
                     "  with:\n"
                     "    attestations: false\n",
          .fix = "Remove the input (attestations are on by default with Trusted Publishing).",
          .references = "https://peps.python.org/pep-0740/\n"
                        "https://docs.pypi.org/attestations/producing-attestations/\n"
                        "https://blog.pypi.org/posts/2024-11-14-pypi-now-supports-digital-attestations/",
      },
      .severity = Severity::medium,
      .confidence = Confidence::high,
      .cwe = 345,
      .github = check_github,
  };
  return rule;
}

}  // namespace moat::publish
