// MOAT-WF004: actions and reusable workflows referenced by a tag or branch instead of a commit SHA.
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

std::string describe_ref(const ActionRef& action) {
  if (action.ref.empty()) return "no ref at all";
  const bool hex = std::ranges::all_of(action.ref, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  if (hex && action.ref.size() >= 7) return fmt::format("an abbreviated commit `{}`", action.ref);
  return fmt::format("the tag or branch `{}`, which can be moved to other code", action.ref);
}

void check_reference(const WorkflowRule& rule, const YamlNode& uses, bool sensitive, FindingSink& sink) {
  if (uses.kind != NodeKind::scalar || uses.value.find("${{") != std::string::npos) return;
  const ActionRef action = parse_action_ref(uses.value);
  if (action.local) return;
  if (action.docker) {
    if (action.ref.starts_with("sha256:")) return;
    sink.add(rule, uses, fmt::format("container image `{}` is not pinned by digest (`@sha256:...`)", action.name),
             FindingExtras().at(sensitive ? Severity::high : Severity::medium).detail("action", action.name));
    return;
  }
  if (is_full_sha(action.ref)) return;
  // The SLSA generator verifies its own tag and must be called by tag (its documented requirement).
  if (action.name.starts_with("slsa-framework/slsa-github-generator/")) return;
  const bool publish_action = action.name == "pypa/gh-action-pypi-publish";
  sink.add(rule, uses,
           fmt::format("`{}` is referenced by {}; pin it to a full 40-character commit SHA{}", action.name,
                       describe_ref(action), publish_action ? " (this action receives the upload token)" : ""),
           FindingExtras()
               .at(sensitive || publish_action ? Severity::high : Severity::medium)
               .detail("action", action.name)
               .detail("ref", action.ref));
}

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  for (const Job& job : workflow.jobs) {
    const bool sensitive = publishes(job) || job.id_token_write;
    if (job.uses != nullptr) check_reference(rule, *job.uses, sensitive, sink);
    for (const Step& step : job.steps)
      if (step.uses != nullptr) check_reference(rule, *step.uses, sensitive, sink);
  }
}

}  // namespace

const WorkflowRule& unpinned_uses_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF004",
          .title = "unpinned-uses",
          .what = "Finds `uses:` of actions and reusable workflows that are not pinned to a full 40-hex-digit commit "
                  "SHA (tags, branches, abbreviated SHAs, no ref), and `docker://` images without a digest. High "
                  "severity in jobs that publish or hold `id-token: write`, and always for "
                  "pypa/gh-action-pypi-publish. The SLSA generator's reusable workflows are exempt: they must be "
                  "called by tag.",
          .why = "Tags and branches are mutable: whoever controls the action's repository (or steals its "
                 "maintainer's credentials, as in the tj-actions/changed-files compromise of March 2025) can point "
                 "them at new code, which then runs in your release job with its OIDC token and secrets.",
          .example = "- uses: actions/checkout@v4\n"
                     "- uses: pypa/gh-action-pypi-publish@release/v1\n",
          .fix = "Pin by commit and keep the version in a comment (Dependabot and Renovate update both):\n"
                 "- uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc  # v1.12.4\n",
          .references = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions\n"
                        "https://docs.zizmor.sh/audits/#unpinned-uses",
      },
      .severity = Severity::medium,
      .confidence = Confidence::high,
      .cwe = 829,
      .github = check_github,
  };
  return rule;
}

}  // namespace moat::publish
