#pragma once
// What the audits look at: a GitHub Actions workflow or a GitLab CI pipeline reduced to jobs and
// steps, with the facts several audits share (which jobs publish to PyPI, build, use OIDC, ...).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/publish/yaml_tree.hpp"

namespace moat::publish {

/// A `uses:` reference split into its parts: "owner/repo[/path]@ref", "./local", "docker://image".
struct ActionRef {
  std::string name;  // lower-cased "owner/repo[/path]", or the docker image, or the local path
  std::string ref;   // what follows '@' (empty when absent)
  bool local = false;
  bool docker = false;
};
ActionRef parse_action_ref(std::string_view uses);

/// True when `ref` is a full 40-hex-digit commit SHA.
bool is_full_sha(std::string_view ref);

/// One occurrence of a command in a shell script, e.g. "twine upload ...".
struct CommandMatch {
  std::size_t offset = 0;  // of the program name within the script
  std::string arguments;   // the rest of the command, continuation lines joined
};
/// Finds `program subcommand` as whole words in a script (also inside `python -m twine upload`).
std::vector<CommandMatch> find_commands(std::string_view script, std::string_view program,
                                        std::string_view subcommand);
/// True when the argument text has one of the options (`-p`, `--password`, `--password=...`).
bool has_option(std::string_view arguments, std::initializer_list<std::string_view> options);

/// A `${{ ... }}` expression found in the source.
struct Expression {
  std::size_t offset = 0;  // of "${{" in the document source
  std::size_t length = 0;  // through "}}"
  std::string inner;       // trimmed text between the braces
};
/// Every expression inside a node's source span.
std::vector<Expression> find_expressions(const YamlDocument& document, const YamlNode& node);

/// A step that uploads to PyPI (or another index) and how.
struct PublishStep {
  const YamlNode* where = nullptr;  // the `uses:` or `run:` value
  bool action = false;              // pypa/gh-action-pypi-publish rather than a command
  bool pypi = true;                 // targets pypi.org or test.pypi.org, where Trusted Publishing works
  std::string command;              // "twine upload", ... (empty for the action)
  std::string arguments;            // the command's arguments
};

/// The position of the first occurrence of `needle` in the node's source span (else the node's
/// start): points findings at the offending words inside a multi-line `run:` block.
Mark find_in_node(const YamlDocument& document, const YamlNode& node, std::string_view needle);

struct Step {
  const YamlNode* node = nullptr;
  const YamlNode* uses = nullptr;
  ActionRef action;
  const YamlNode* with = nullptr;
  const YamlNode* run = nullptr;
  const YamlNode* env = nullptr;
};

struct Job {
  std::string id;
  const YamlNode* key = nullptr;
  const YamlNode* node = nullptr;
  const YamlNode* permissions = nullptr;  // the job's own block, or nullptr
  const YamlNode* runs_on = nullptr;
  const YamlNode* environment = nullptr;
  const YamlNode* uses = nullptr;         // a reusable-workflow call
  const YamlNode* env = nullptr;
  const YamlNode* strategy = nullptr;
  std::vector<Step> steps;
  std::vector<PublishStep> publishes;     // PyPI uploads in this job
  bool id_token_write = false;            // effective, including the workflow-level block
  bool builds = false;                    // builds sdists or wheels
  bool uploads_artifacts = false;
};

struct Trigger {
  std::string name;
  const YamlNode* node = nullptr;  // the event name node
  const YamlNode* config = nullptr;
};

struct GithubWorkflow {
  const YamlDocument* document = nullptr;
  std::string path;
  std::vector<Trigger> triggers;
  const YamlNode* permissions = nullptr;
  const YamlNode* permissions_key = nullptr;
  const YamlNode* env = nullptr;
  std::vector<Job> jobs;
  bool release = false;  // publishes, or runs on releases or tag pushes

  [[nodiscard]] const YamlDocument& doc() const { return *document; }
  [[nodiscard]] bool has_trigger(std::string_view name) const;
};

/// Builds the model; the document must outlive it. Fails when the file is not a workflow.
Result<GithubWorkflow> build_github_workflow(const YamlDocument& document, std::string path);

/// True when a permissions node grants `scope: write` (or write-all).
bool grants_write(const YamlDocument& document, const YamlNode* permissions, std::string_view scope);

struct GitlabJob {
  std::string name;
  const YamlNode* key = nullptr;
  const YamlNode* node = nullptr;
  std::vector<const YamlNode*> script_lines;  // before_script, script, after_script (with default:)
  const YamlNode* environment = nullptr;
  const YamlNode* id_tokens = nullptr;         // the job's own, or default:'s
  const YamlNode* cache = nullptr;             // key of the job's own, default:'s or the global cache
  const YamlNode* variables = nullptr;
  const YamlNode* tags = nullptr;
  std::vector<PublishStep> publishes;
  bool builds = false;
};

struct GitlabPipeline {
  const YamlDocument* document = nullptr;
  std::string path;
  const YamlNode* default_node = nullptr;
  const YamlNode* variables = nullptr;
  std::vector<GitlabJob> jobs;

  [[nodiscard]] const YamlDocument& doc() const { return *document; }
};

Result<GitlabPipeline> build_gitlab_pipeline(const YamlDocument& document, std::string path);

/// Shell text that publishes to a package index: the first matching command's offset, and whether
/// it names an index other than PyPI/TestPyPI.
std::vector<PublishStep> find_publish_commands(const YamlDocument& document, const YamlNode& script);
/// True when shell text builds distributions (python -m build, uv build, poetry build, ...).
bool script_builds(std::string_view script);

/// Names of environment variables that carry index credentials for publishing tools.
bool is_publish_credential_variable(std::string_view name);

}  // namespace moat::publish
