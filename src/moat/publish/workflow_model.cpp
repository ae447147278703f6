#include "moat/publish/workflow_model.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace moat::publish {

namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

bool is_word_boundary_before(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0 || c == ';' || c == '&' || c == '|' || c == '(' ||
         c == '`' || c == '\'' || c == '"' || c == '/' || c == '$';
}

bool is_word_end(std::string_view text, std::size_t at) {
  return at >= text.size() || std::isspace(static_cast<unsigned char>(text[at])) != 0 || text[at] == ';' ||
         text[at] == '&' || text[at] == '|' || text[at] == ')' || text[at] == '\'' || text[at] == '"';
}

/// Skips blanks and backslash-newline continuations.
std::size_t skip_blanks(std::string_view text, std::size_t at) {
  for (;;) {
    while (at < text.size() && is_space(text[at])) ++at;
    if (at + 1 < text.size() && text[at] == '\\' && text[at + 1] == '\n') {
      at += 2;
    } else if (at + 2 < text.size() && text[at] == '\\' && text[at + 1] == '\r' && text[at + 2] == '\n') {
      at += 3;
    } else {
      return at;
    }
  }
}

/// The rest of one shell command from `at`: up to an unescaped newline, `;`, `&&` or `|`.
std::string command_rest(std::string_view text, std::size_t at) {
  std::string out;
  while (at < text.size()) {
    const char c = text[at];
    if (c == '\\' && at + 1 < text.size() && (text[at + 1] == '\n' || text[at + 1] == '\r')) {
      at = skip_blanks(text, at);
      out.push_back(' ');
      continue;
    }
    if (c == '\n' || c == ';' || c == '|' || (c == '&' && at + 1 < text.size() && text[at + 1] == '&')) break;
    out.push_back(c);
    ++at;
  }
  return out;
}

bool url_is_pypi(std::string_view url) {
  const std::string lower = lowercase(url);
  for (std::string_view host : {"://upload.pypi.org", "://pypi.org", "://test.pypi.org", "://www.pypi.org"})
    if (lower.find(host) != std::string::npos) return true;
  return false;
}

/// The value after `option` in an argument string ("--opt value" or "--opt=value"), or nullopt.
std::optional<std::string> option_value(std::string_view arguments, std::string_view option) {
  std::size_t at = 0;
  while ((at = arguments.find(option, at)) != std::string_view::npos) {
    const bool starts_word = at == 0 || is_space(arguments[at - 1]);
    std::size_t after = at + option.size();
    if (starts_word && (after >= arguments.size() || is_space(arguments[after]) || arguments[after] == '=')) {
      if (after < arguments.size() && arguments[after] == '=') ++after;
      after = skip_blanks(arguments, after);
      std::size_t end = after;
      while (end < arguments.size() && !is_space(arguments[end])) ++end;
      std::string value(arguments.substr(after, end - after));
      std::erase_if(value, [](char c) { return c == '"' || c == '\''; });
      return value;
    }
    at += option.size();
  }
  return std::nullopt;
}

/// False when the arguments point the upload at an index other than PyPI or TestPyPI.
bool arguments_target_pypi(std::string_view arguments) {
  for (std::string_view option : {"--repository-url", "--publish-url", "--index-url", "--url"}) {
    auto value = option_value(arguments, option);
    if (value && value->find("://") != std::string::npos && !url_is_pypi(*value)) return false;
  }
  for (std::string_view option : {"-r", "--repository", "--index", "--repo"}) {
    auto value = option_value(arguments, option);
    if (!value) continue;
    if (value->find("://") != std::string::npos) return url_is_pypi(*value);
    const std::string name = lowercase(*value);
    if (name != "pypi" && name != "testpypi") return false;
  }
  return true;
}

struct CommandName {
  std::string_view program;
  std::string_view subcommand;
};
constexpr std::array kPublishCommands{
    CommandName{"twine", "upload"},  CommandName{"uv", "publish"},     CommandName{"poetry", "publish"},
    CommandName{"hatch", "publish"}, CommandName{"pdm", "publish"},    CommandName{"flit", "publish"},
    CommandName{"maturin", "publish"}, CommandName{"maturin", "upload"},
};
constexpr std::array kBuildCommands{
    CommandName{"-m", "build"},      CommandName{"uv", "build"},       CommandName{"poetry", "build"},
    CommandName{"hatch", "build"},   CommandName{"pdm", "build"},      CommandName{"flit", "build"},
    CommandName{"maturin", "build"}, CommandName{"pip", "wheel"},      CommandName{"setup.py", "sdist"},
    CommandName{"setup.py", "bdist_wheel"}, CommandName{"pyproject-build", ""}, CommandName{"cibuildwheel", ""},
};

constexpr std::array<std::string_view, 5> kBuildActions{
    "pypa/cibuildwheel", "hynek/build-and-inspect-python-package", "pyo3/maturin-action",
    "casperdcl/deploy-pypi", "pypa/build"};

std::string scalar_text(const YamlNode* node) {
  return node != nullptr && node->kind == NodeKind::scalar ? node->value : std::string();
}

}  // namespace

ActionRef parse_action_ref(std::string_view uses) {
  ActionRef action;
  if (uses.starts_with("./") || uses.starts_with(".\\")) {
    action.local = true;
    action.name = std::string(uses);
    return action;
  }
  if (uses.starts_with("docker://")) {
    action.docker = true;
    action.name = std::string(uses.substr(9));
    if (auto digest = action.name.find("@sha256:"); digest != std::string::npos) {
      action.ref = action.name.substr(digest + 1);
      action.name.resize(digest);
    }
    return action;
  }
  const auto at = uses.rfind('@');
  action.name = lowercase(uses.substr(0, at));
  if (at != std::string_view::npos) action.ref = std::string(uses.substr(at + 1));
  return action;
}

Mark find_in_node(const YamlDocument& document, const YamlNode& node, std::string_view needle) {
  const std::string_view source = document.source();
  const std::size_t end = std::min(node.end.offset, source.size());
  if (node.start.offset < end) {
    const auto found = source.substr(node.start.offset, end - node.start.offset).find(needle);
    if (found != std::string_view::npos) return document.mark_at(node.start.offset + found);
  }
  return node.start;
}

bool is_full_sha(std::string_view ref) {
  return ref.size() == 40 && std::ranges::all_of(ref, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::vector<CommandMatch> find_commands(std::string_view script, std::string_view program,
                                        std::string_view subcommand) {
  std::vector<CommandMatch> matches;
  std::size_t at = 0;
  while ((at = script.find(program, at)) != std::string_view::npos) {
    const std::size_t found = at;
    at += program.size();
    if (found > 0 && !is_word_boundary_before(script[found - 1])) continue;
    if (!is_word_end(script, at)) continue;
    std::size_t next = at;
    if (!subcommand.empty()) {
      next = skip_blanks(script, at);
      if (script.substr(next, subcommand.size()) != subcommand || !is_word_end(script, next + subcommand.size()))
        continue;
      next += subcommand.size();
    }
    matches.push_back(CommandMatch{found, command_rest(script, next)});
  }
  return matches;
}

bool has_option(std::string_view arguments, std::initializer_list<std::string_view> options) {
  return std::ranges::any_of(options, [&](std::string_view option) {
    std::size_t at = 0;
    while ((at = arguments.find(option, at)) != std::string_view::npos) {
      const std::size_t end = at + option.size();
      const bool starts_word = at == 0 || is_space(arguments[at - 1]);
      // "-p" also matches "-pSECRET"; long options match "--password=..." and "--password value".
      const bool short_option = option.size() == 2 && option[0] == '-' && option[1] != '-';
      if (starts_word && (end >= arguments.size() || is_space(arguments[end]) || arguments[end] == '=' || short_option))
        return true;
      at = end;
    }
    return false;
  });
}

std::vector<Expression> find_expressions(const YamlDocument& document, const YamlNode& node) {
  std::vector<Expression> expressions;
  const std::string_view source = document.source();
  const std::size_t end = std::min(node.end.offset, source.size());
  std::size_t at = node.start.offset;
  while (at < end) {
    const auto open = source.find("${{", at);
    if (open == std::string_view::npos || open >= end) break;
    const auto close = source.find("}}", open + 3);
    if (close == std::string_view::npos || close > end) break;
    std::string_view inner = source.substr(open + 3, close - open - 3);
    while (!inner.empty() && std::isspace(static_cast<unsigned char>(inner.front())) != 0) inner.remove_prefix(1);
    while (!inner.empty() && std::isspace(static_cast<unsigned char>(inner.back())) != 0) inner.remove_suffix(1);
    expressions.push_back(Expression{open, close + 2 - open, std::string(inner)});
    at = close + 2;
  }
  return expressions;
}

std::vector<PublishStep> find_publish_commands(const YamlDocument& /*document*/, const YamlNode& script) {
  std::vector<PublishStep> found;
  if (script.kind != NodeKind::scalar) return found;
  for (const auto& command : kPublishCommands)
    for (const auto& match : find_commands(script.value, command.program, command.subcommand))
      found.push_back(PublishStep{&script, false, arguments_target_pypi(match.arguments),
                                  std::string(command.program) + " " + std::string(command.subcommand),
                                  match.arguments});
  return found;
}

bool script_builds(std::string_view script) {
  return std::ranges::any_of(kBuildCommands, [&](const CommandName& command) {
    return !find_commands(script, command.program, command.subcommand).empty();
  });
}

bool is_publish_credential_variable(std::string_view name) {
  for (std::string_view exact : {"TWINE_PASSWORD", "UV_PUBLISH_TOKEN", "UV_PUBLISH_PASSWORD", "HATCH_INDEX_AUTH",
                                 "PDM_PUBLISH_PASSWORD", "FLIT_PASSWORD", "MATURIN_PYPI_TOKEN", "MATURIN_PASSWORD",
                                 "POETRY_PYPI_TOKEN_PYPI", "POETRY_PYPI_TOKEN_TESTPYPI"})
    if (name == exact) return true;
  return (name.starts_with("POETRY_PYPI_TOKEN_")) ||
         (name.starts_with("POETRY_HTTP_BASIC_") && name.ends_with("_PASSWORD"));
}

bool grants_write(const YamlDocument& document, const YamlNode* permissions, std::string_view scope) {
  if (permissions == nullptr) return false;
  if (permissions->kind == NodeKind::scalar) return permissions->value == "write-all";
  return scalar_is(document.get(permissions, scope), "write");
}

bool GithubWorkflow::has_trigger(std::string_view name) const {
  return std::ranges::any_of(triggers, [&](const Trigger& trigger) { return trigger.name == name; });
}

Result<GithubWorkflow> build_github_workflow(const YamlDocument& document, std::string path) {
  const YamlNode* root = document.root();
  const YamlNode* jobs = document.get(root, "jobs");
  if (jobs == nullptr || jobs->kind != NodeKind::mapping)
    return fail(path, "not a GitHub Actions workflow (no `jobs:` mapping at the top level)");
  GithubWorkflow workflow;
  workflow.document = &document;
  workflow.path = std::move(path);
  workflow.permissions = document.get(root, "permissions");
  workflow.permissions_key = document.get_key(root, "permissions");
  workflow.env = document.get(root, "env");

  const YamlNode* on = document.get(root, "on");
  if (on == nullptr) on = document.get(root, "true");  // YAML 1.1 readers turn `on` into a boolean
  if (on != nullptr && on->kind == NodeKind::scalar) {
    workflow.triggers.push_back(Trigger{on->value, on, nullptr});
  } else if (on != nullptr && on->kind == NodeKind::sequence) {
    document.for_each_item(on, [&](const YamlNode& item) {
      if (item.kind == NodeKind::scalar) workflow.triggers.push_back(Trigger{item.value, &item, nullptr});
    });
  } else {
    document.for_each_entry(on, [&](const YamlNode& key, const YamlNode& value) {
      workflow.triggers.push_back(Trigger{key.value, &key, &value});
    });
  }
  for (const auto& trigger : workflow.triggers)
    if (trigger.name == "release" || (trigger.name == "push" && document.get(trigger.config, "tags") != nullptr))
      workflow.release = true;

  document.for_each_entry(jobs, [&](const YamlNode& key, const YamlNode& value) {
    if (key.kind != NodeKind::scalar || value.kind != NodeKind::mapping) return;
    Job job;
    job.id = key.value;
    job.key = &key;
    job.node = &value;
    job.permissions = document.get(&value, "permissions");
    job.runs_on = document.get(&value, "runs-on");
    job.environment = document.get(&value, "environment");
    job.uses = document.get(&value, "uses");
    job.env = document.get(&value, "env");
    job.strategy = document.get(&value, "strategy");
    job.id_token_write = grants_write(document, job.permissions != nullptr ? job.permissions : workflow.permissions,
                                      "id-token");
    document.for_each_item(document.get(&value, "steps"), [&](const YamlNode& step_node) {
      if (step_node.kind != NodeKind::mapping) return;
      Step step;
      step.node = &step_node;
      step.uses = document.get(&step_node, "uses");
      if (step.uses != nullptr && step.uses->kind == NodeKind::scalar) step.action = parse_action_ref(step.uses->value);
      step.with = document.get(&step_node, "with");
      step.run = document.get(&step_node, "run");
      step.env = document.get(&step_node, "env");
      if (step.action.name == "pypa/gh-action-pypi-publish") {
        const std::string url = scalar_text(document.get(step.with, "repository-url"));
        job.publishes.push_back(PublishStep{step.uses, true, url.empty() || url_is_pypi(url), {}, {}});
      }
      if (step.run != nullptr) {
        for (auto publish : find_publish_commands(document, *step.run)) job.publishes.push_back(publish);
        if (step.run->kind == NodeKind::scalar && script_builds(step.run->value)) job.builds = true;
      }
      if (std::ranges::find(kBuildActions, step.action.name) != kBuildActions.end()) job.builds = true;
      if (step.action.name == "actions/upload-artifact" ||
          step.action.name == "hynek/build-and-inspect-python-package")
        job.uploads_artifacts = true;
      job.steps.push_back(std::move(step));
    });
    if (!job.publishes.empty()) workflow.release = true;
    workflow.jobs.push_back(std::move(job));
  });
  return workflow;
}

Result<GitlabPipeline> build_gitlab_pipeline(const YamlDocument& document, std::string path) {
  const YamlNode* root = document.root();
  if (root == nullptr || root->kind != NodeKind::mapping)
    return fail(path, "not a GitLab CI configuration (the top level is not a mapping)");
  GitlabPipeline pipeline;
  pipeline.document = &document;
  pipeline.path = std::move(path);
  pipeline.default_node = document.get(root, "default");
  pipeline.variables = document.get(root, "variables");
  static constexpr std::array<std::string_view, 10> kReserved{
      "default", "include", "stages", "variables", "workflow", "image", "services", "cache", "before_script",
      "after_script"};

  auto add_script_lines = [&](GitlabJob& job, const YamlNode* script) {
    if (script == nullptr) return;
    if (script->kind == NodeKind::scalar) {
      job.script_lines.push_back(script);
      return;
    }
    document.for_each_item(script, [&](const YamlNode& item) {
      if (item.kind == NodeKind::scalar) job.script_lines.push_back(&item);
      // GitLab flattens one level of nested lists (from YAML anchors).
      document.for_each_item(&item, [&](const YamlNode& inner) {
        if (inner.kind == NodeKind::scalar) job.script_lines.push_back(&inner);
      });
    });
  };
  auto job_or_default = [&](const YamlNode& job, std::string_view key) {
    const YamlNode* own = document.get(&job, key);
    return own != nullptr ? own : document.get(pipeline.default_node, key);
  };

  document.for_each_entry(root, [&](const YamlNode& key, const YamlNode& value) {
    if (key.kind != NodeKind::scalar || value.kind != NodeKind::mapping || key.value.starts_with('.')) return;
    if (std::ranges::find(kReserved, key.value) != kReserved.end()) return;
    GitlabJob job;
    job.name = key.value;
    job.key = &key;
    job.node = &value;
    job.environment = document.get(&value, "environment");
    job.id_tokens = job_or_default(value, "id_tokens");
    // The key of the cache that applies (job, default:, then global), unless it is empty (`cache: []`).
    for (const YamlNode* scope : {&value, pipeline.default_node, root}) {
      const YamlNode* cache = document.get(scope, "cache");
      if (cache == nullptr) continue;
      if (!cache->children.empty() || (cache->kind == NodeKind::scalar && !cache->value.empty()))
        job.cache = document.get_key(scope, "cache");
      break;
    }
    job.variables = document.get(&value, "variables");
    job.tags = job_or_default(value, "tags");
    for (std::string_view section : {"before_script", "script", "after_script"}) {
      const YamlNode* own = document.get(&value, section);
      add_script_lines(job, own != nullptr ? own : document.get(pipeline.default_node, section));
      if (own == nullptr && section != "script") add_script_lines(job, document.get(root, section));
    }
    for (const YamlNode* line : job.script_lines) {
      for (auto publish : find_publish_commands(document, *line)) job.publishes.push_back(publish);
      if (script_builds(line->value)) job.builds = true;
    }
    pipeline.jobs.push_back(std::move(job));
  });
  return pipeline;
}

}  // namespace moat::publish
