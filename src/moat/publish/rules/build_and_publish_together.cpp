// MOAT-WF010: building and uploading in one job that holds the OIDC permission.
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

constexpr std::string_view kMessage =
    "{} builds the distributions and publishes them with an OIDC token in the same job: every build "
    "dependency runs with the power to upload; build in one job, upload its artifact from a separate publish job";

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  for (const Job& job : workflow.jobs)
    if (publishes(job) && job.builds && job.id_token_write)
      sink.add(rule, *job.key, fmt::format(fmt::runtime(kMessage), job_label(job.id)),
               FindingExtras().detail("job", job.id));
}

void check_gitlab(const WorkflowRule& rule, const GitlabPipeline& pipeline, FindingSink& sink) {
  for (const GitlabJob& job : pipeline.jobs)
    if (!job.publishes.empty() && job.builds && job.id_tokens != nullptr)
      sink.add(rule, *job.key, fmt::format(fmt::runtime(kMessage), job_label(job.name)),
               FindingExtras().detail("job", job.name));
}

}  // namespace

const WorkflowRule& build_and_publish_together_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF010",
          .title = "build-and-publish-in-one-job",
          .what = "Finds jobs that both build distributions (python -m build, uv/poetry/hatch/pdm/flit/maturin "
                  "build, pip wheel, setup.py sdist/bdist_wheel, cibuildwheel) and upload them while holding "
                  "`id-token: write` (GitLab: `id_tokens:`).",
          .why = "The build runs the project's build backend, plugins and every build dependency. In a job that "
                 "can mint a PyPI token, any of them can upload whatever it likes. The PyPA guide splits the "
                 "release into a build job without privileges and a publish job that only downloads the artifact "
                 "and uploads it.",
          .example = "release:\n"
                     "  permissions:\n"
                     "    id-token: write\n"
                     "  steps:\n"
                     "    - run: python -m build\n"
                     "    - uses: pypa/gh-action-pypi-publish@<sha>\n",
          .fix = "build:     # no id-token\n"
                 "  steps: [checkout, python -m build, actions/upload-artifact]\n"
                 "publish:\n"
                 "  needs: build\n"
                 "  permissions:\n"
                 "    id-token: write\n"
                 "  steps: [actions/download-artifact, pypa/gh-action-pypi-publish]\n",
          .references = "https://packaging.python.org/en/latest/guides/publishing-package-distribution-releases-using-github-actions-ci-cd-workflows/\n"
                        "https://docs.pypi.org/trusted-publishers/security-model/",
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
