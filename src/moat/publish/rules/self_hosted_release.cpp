// MOAT-WF012: release jobs running on self-hosted runners.
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

bool names_self_hosted(const YamlDocument& document, const YamlNode* node, int depth = 0) {
  if (node == nullptr || depth > 3) return false;
  if (node->kind == NodeKind::scalar) return node->value == "self-hosted";
  if (node->kind == NodeKind::sequence) {
    bool found = false;
    document.for_each_item(node, [&](const YamlNode& item) { found = found || names_self_hosted(document, &item, depth + 1); });
    return found;
  }
  // runs-on: {group: ..., labels: ...}: runner groups are self-hosted (or larger) runners.
  return document.get(node, "group") != nullptr || names_self_hosted(document, document.get(node, "labels"), depth + 1);
}

/// `runs-on: ${{ matrix.os }}` with `self-hosted` among the matrix values.
bool matrix_names_self_hosted(const YamlDocument& document, const Job& job) {
  if (job.runs_on == nullptr || job.runs_on->kind != NodeKind::scalar) return false;
  const auto at = job.runs_on->value.find("matrix.");
  if (at == std::string::npos) return false;
  std::string key = job.runs_on->value.substr(at + 7);
  key.erase(std::ranges::find_if(key, [](char c) { return !(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'); }),
            key.end());
  const YamlNode* values = document.get(document.get(job.strategy, "matrix"), key);
  return names_self_hosted(document, values);
}

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  if (!workflow.release) return;
  const YamlDocument& document = workflow.doc();
  for (const Job& job : workflow.jobs) {
    if (!publishes(job) && !job.builds) continue;
    if (!names_self_hosted(document, job.runs_on) && !matrix_names_self_hosted(document, job)) continue;
    sink.add(rule, *job.runs_on,
             fmt::format("{} {} on a self-hosted runner: whatever ran there before (other workflows, pull requests) "
                         "can persist and tamper with the release",
                         job_label(job.id), publishes(job) ? "publishes" : "builds release artifacts"),
             FindingExtras().at(publishes(job) ? Severity::high : Severity::medium).detail("job", job.id));
  }
}

}  // namespace

const WorkflowRule& self_hosted_release_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF012",
          .title = "self-hosted-release-runner",
          .what = "Finds jobs that build or publish releases on self-hosted runners (`runs-on: self-hosted`, label "
                  "lists containing it, runner groups, or a matrix value `self-hosted`).",
          .why = "Self-hosted runners are usually not ephemeral: files, caches, background processes and "
                 "credentials survive between jobs, and on public repositories pull requests from forks can run "
                 "on them. A release built or uploaded there is only as trustworthy as every job that ran on that "
                 "machine before.",
          .example = "publish:\n"
                     "  runs-on: [self-hosted, linux]\n",
          .fix = "Build and publish on GitHub-hosted runners (`runs-on: ubuntu-latest`), or on ephemeral "
                 "just-in-time self-hosted runners dedicated to the release workflow.",
          .references = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#hardening-for-self-hosted-runners\n"
                        "https://docs.zizmor.sh/audits/#self-hosted-runner",
      },
      .severity = Severity::medium,
      .confidence = Confidence::medium,
      .cwe = 653,
      .github = check_github,
  };
  return rule;
}

}  // namespace moat::publish
