// MOAT-WF009: a job that uploads to PyPI without a deployment environment.
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

constexpr std::string_view kMessage =
    "{} publishes to PyPI without a deployment `environment:`; use one (e.g. `pypi`) and name it in the Trusted "
    "Publisher so only that environment, with its reviewers and branch rules, can upload";

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  for (const Job& job : workflow.jobs)
    if (publishes_to_pypi(job.publishes) && job.environment == nullptr)
      sink.add(rule, *job.key, fmt::format(fmt::runtime(kMessage), job_label(job.id)),
               FindingExtras().detail("job", job.id));
}

void check_gitlab(const WorkflowRule& rule, const GitlabPipeline& pipeline, FindingSink& sink) {
  for (const GitlabJob& job : pipeline.jobs)
    if (publishes_to_pypi(job.publishes) && job.environment == nullptr)
      sink.add(rule, *job.key, fmt::format(fmt::runtime(kMessage), job_label(job.name)),
               FindingExtras().detail("job", job.name));
}

}  // namespace

const WorkflowRule& publish_without_environment_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF009",
          .title = "publish-without-environment",
          .what = "Finds jobs that upload to PyPI or TestPyPI without an `environment:` (GitHub Actions and GitLab "
                  "CI).",
          .why = "A Trusted Publisher restricted to an environment only accepts tokens from jobs in that "
                 "environment, and the environment can require reviewers and allow only protected branches or "
                 "tags. Without it, any workflow run of the publishing file (any branch, any trigger) can upload.",
          .example = "publish:\n"
                     "  runs-on: ubuntu-latest\n"
                     "  permissions:\n"
                     "    id-token: write\n"
                     "  steps:\n"
                     "    - uses: pypa/gh-action-pypi-publish@<sha>\n",
          .fix = "publish:\n"
                 "  runs-on: ubuntu-latest\n"
                 "  environment:\n"
                 "    name: pypi\n"
                 "    url: https://pypi.org/p/<project>\n"
                 "And set the environment name `pypi` in the project's Trusted Publisher on PyPI.",
          .references = "https://docs.pypi.org/trusted-publishers/adding-a-publisher/\n"
                        "https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment",
      },
      .severity = Severity::medium,
      .confidence = Confidence::high,
      .cwe = 284,
      .github = check_github,
      .gitlab = check_gitlab,
  };
  return rule;
}

}  // namespace moat::publish
