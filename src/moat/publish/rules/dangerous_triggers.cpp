// MOAT-WF005: pull_request_target and workflow_run, which run with the base repository's secrets.
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

/// A step that brings the pull request's (or triggering run's) code or artifacts into the job.
bool fetches_untrusted_code(const YamlDocument& document, const Step& step) {
  if (step.action.name == "actions/checkout") {
    const YamlNode* ref = document.get(step.with, "ref");
    const YamlNode* repository = document.get(step.with, "repository");
    for (const YamlNode* input : {ref, repository}) {
      if (input == nullptr || input->kind != NodeKind::scalar) continue;
      for (std::string_view marker : {"github.event.pull_request.head", "github.head_ref", "github.event.workflow_run.head",
                                      "refs/pull/", "github.event.number"})
        if (input->value.find(marker) != std::string::npos) return true;
    }
  }
  if (step.action.name == "actions/download-artifact" && document.get(step.with, "run-id") != nullptr) return true;
  if (step.action.name == "dawidd6/action-download-artifact") return true;
  if (step.run != nullptr && step.run->kind == NodeKind::scalar) {
    const std::string& script = step.run->value;
    if (script.find("gh pr checkout") != std::string::npos || script.find("refs/pull/") != std::string::npos ||
        script.find("gh run download") != std::string::npos)
      return true;
  }
  return false;
}

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  const YamlDocument& document = workflow.doc();
  const Step* untrusted = nullptr;
  for (const Job& job : workflow.jobs)
    for (const Step& step : job.steps)
      if (untrusted == nullptr && fetches_untrusted_code(document, step)) untrusted = &step;
  for (const Trigger& trigger : workflow.triggers) {
    if (trigger.name != "pull_request_target" && trigger.name != "workflow_run") continue;
    std::string consequence;
    Severity severity = Severity::medium;
    if (untrusted != nullptr) {
      consequence = fmt::format(" and line {} fetches the untrusted code or artifacts into it",
                                untrusted->node->start.line);
      severity = Severity::high;
    } else if (workflow.release) {
      consequence = " in a workflow that publishes releases";
      severity = Severity::high;
    }
    sink.add(rule, *trigger.node,
             fmt::format("`{}` runs with the base repository's secrets and write token on events that outsiders "
                         "can cause{}",
                         trigger.name, consequence),
             FindingExtras().at(severity).detail("trigger", trigger.name));
  }
}

}  // namespace

const WorkflowRule& dangerous_triggers_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF005",
          .title = "dangerous-triggers",
          .what = "Finds workflows triggered by `pull_request_target` or `workflow_run`. High severity when the "
                  "workflow checks out the pull request's head (or `refs/pull/...`), downloads artifacts of the "
                  "triggering run, or publishes releases; medium otherwise.",
          .why = "Both triggers run in the context of the base repository, with its secrets, caches and a "
                 "write-capable token, on events any GitHub user can cause by opening a pull request. Checking "
                 "out and building the pull request's code there (a \"pwn request\") hands those to the attacker. "
                 "PyPI refuses Trusted Publishing from `pull_request_target`, but the attacker can still poison "
                 "caches or artifacts that a later release uses.",
          .example = "on: pull_request_target\n"
                     "jobs:\n"
                     "  test:\n"
                     "    steps:\n"
                     "      - uses: actions/checkout@<sha>\n"
                     "        with:\n"
                     "          ref: ${{ github.event.pull_request.head.sha }}\n",
          .fix = "Use `pull_request` (no secrets, read-only token) for anything that runs contributed code. If a "
                 "privileged follow-up is needed, pass data (not code) through an artifact and treat it as "
                 "untrusted input.",
          .references = "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/\n"
                        "https://docs.zizmor.sh/audits/#dangerous-triggers",
      },
      .severity = Severity::high,
      .confidence = Confidence::high,
      .cwe = 829,
      .github = check_github,
  };
  return rule;
}

}  // namespace moat::publish
