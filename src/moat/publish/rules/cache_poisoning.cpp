// MOAT-WF008: caches restored in workflows that build and publish releases.
#include <fmt/format.h>

#include <set>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

bool is_false(const YamlNode* node) { return node != nullptr && node->kind == NodeKind::scalar && node->value == "false"; }
bool is_set(const YamlNode* node) {
  return node != nullptr && node->kind == NodeKind::scalar && !node->value.empty() && node->value != "false";
}

/// How a step restores a cache, or empty when it does not.
std::string cache_use(const YamlDocument& document, const Step& step) {
  const std::string& name = step.action.name;
  if (name == "actions/cache" || name == "actions/cache/restore") return "actions/cache";
  if (name == "swatinem/rust-cache" || name == "hynek/setup-cached-uv") return name;
  if (name == "actions/setup-python" || name == "actions/setup-node" || name == "actions/setup-java" ||
      name == "actions/setup-dotnet" || name == "ruby/setup-ruby")
    if (is_set(document.get(step.with, "cache")) || is_set(document.get(step.with, "bundler-cache")))
      return name + " with `cache:`";
  if (name == "actions/setup-go" && !is_false(document.get(step.with, "cache")))
    return "actions/setup-go (caches by default)";
  if (name == "astral-sh/setup-uv" && is_set(document.get(step.with, "enable-cache")))
    return "astral-sh/setup-uv with `enable-cache:`";
  return {};
}

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  if (!workflow.release) return;
  const YamlDocument& document = workflow.doc();
  for (const Job& job : workflow.jobs) {
    for (const Step& step : job.steps) {
      const std::string use = cache_use(document, step);
      if (use.empty() || step.uses == nullptr) continue;
      const bool feeds_release = publishes(job) || job.builds;
      sink.add(rule, *step.uses,
               fmt::format("{} restores a cache in a release workflow; a cache poisoned by another workflow run "
                           "(e.g. a pull request) would flow into the published package",
                           use),
               FindingExtras().at(feeds_release ? Severity::high : Severity::medium).detail("job", job.id));
    }
  }
}

void check_gitlab(const WorkflowRule& rule, const GitlabPipeline& pipeline, FindingSink& sink) {
  const bool release = std::ranges::any_of(pipeline.jobs, [](const GitlabJob& job) { return !job.publishes.empty(); });
  if (!release) return;
  std::set<const YamlNode*> reported;
  for (const GitlabJob& job : pipeline.jobs) {
    if (job.cache == nullptr || (job.publishes.empty() && !job.builds)) continue;
    if (!reported.insert(job.cache).second) continue;
    sink.add(rule, *job.cache,
             fmt::format("{} restores a cache in a pipeline that publishes; a cache written by another branch or "
                         "merge request pipeline would flow into the published package",
                         job_label(job.name)),
             FindingExtras().at(job.publishes.empty() ? Severity::medium : Severity::high).detail("job", job.name));
  }
}

}  // namespace

const WorkflowRule& cache_poisoning_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF008",
          .title = "cache-poisoning",
          .what = "Finds cache restores (actions/cache, setup-python/node/java with `cache:`, setup-go's default "
                  "cache, setup-uv `enable-cache`, rust-cache; GitLab `cache:`) in workflows that publish packages "
                  "or run on releases and tag pushes. High severity in jobs that build or publish.",
          .why = "Caches are shared across workflow runs of a repository, including runs on code an attacker "
                 "controls. A poisoned pip/uv/npm cache restored in the release build puts the attacker's code into "
                 "the wheel you sign and upload (as in the 2024 Ultralytics compromise).",
          .example = "on:\n"
                     "  release:\n"
                     "    types: [published]\n"
                     "jobs:\n"
                     "  build:\n"
                     "    steps:\n"
                     "      - uses: actions/setup-python@<sha>\n"
                     "        with:\n"
                     "          cache: pip\n",
          .fix = "Build releases from a clean environment: drop `cache:` (and actions/cache) from the release "
                 "workflow; keep caching in test workflows.",
          .references = "https://adnanthekhan.com/2024/05/06/the-monsters-in-your-build-cache-github-actions-cache-poisoning/\n"
                        "https://blog.pypi.org/posts/2024-12-11-ultralytics-attack-analysis/\n"
                        "https://docs.zizmor.sh/audits/#cache-poisoning",
      },
      .severity = Severity::high,
      .confidence = Confidence::medium,
      .cwe = 349,
      .github = check_github,
      .gitlab = check_gitlab,
  };
  return rule;
}

}  // namespace moat::publish
