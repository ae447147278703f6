// End-to-end: the pre-commit hooks (.pre-commit-hooks.yaml) run the way pre-commit runs them, and
// the GitHub Action (action.yml) and its example workflows are pinned, least-privilege and work.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "support/run_moat.hpp"
#include "support/run_shell.hpp"

namespace {

namespace fs = std::filesystem;
using moat::testing::read_text;
using moat::testing::run_moat;
using moat::testing::run_shell;
using moat::testing::shell_quote;
using moat::testing::write_text;

const fs::path kSource = MOAT_SOURCE_DIR;

fs::path scratch(const std::string& name) {
  const fs::path directory = fs::temp_directory_path() / ("moat-integrations-e2e-" + std::to_string(::getpid())) / name;
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

/// PATH with the built moat first, as if the package were installed.
std::string path_with_moat() { return fs::path(MOAT_BINARY).parent_path().string() + ":" + std::getenv("PATH"); }

/// A one-advisory database (requests < 2.31.0), imported once per test run.
const fs::path& test_database() {
  static const fs::path path = [] {
    const fs::path db = scratch("db") / "osv.sqlite";
    const auto imported = run_moat("db import --db '" + db.string() + "' tests/fixtures/integrations/osv");
    EXPECT_EQ(imported.exit_code, 0) << imported.out;
    return db;
  }();
  return path;
}

// ---- pre-commit -------------------------------------------------------------------------------

struct Hook {
  std::string id;
  std::string entry;
  std::vector<std::string> args;
  std::string files;           // Python regex, searched (re.search)
  std::string exclude = "^$";
  std::vector<std::string> types{"file"};  // all must match
  std::vector<std::string> types_or;       // any must match
  bool pass_filenames = true;
};

std::vector<std::string> strings(const YAML::Node& node) {
  std::vector<std::string> values;
  for (const auto& item : node) values.push_back(item.as<std::string>());
  return values;
}

std::map<std::string, Hook> load_hooks() {
  std::map<std::string, Hook> hooks;
  const YAML::Node document = YAML::LoadFile((kSource / ".pre-commit-hooks.yaml").string());
  for (const auto& node : document) {
    Hook hook;
    for (const char* key : {"id", "name", "entry", "language"})
      EXPECT_TRUE(node[key].IsDefined()) << "a hook lacks the required key " << key;
    hook.id = node["id"].as<std::string>();
    hook.entry = node["entry"].as<std::string>();
    if (node["args"]) hook.args = strings(node["args"]);
    if (node["files"]) hook.files = node["files"].as<std::string>();
    if (node["exclude"]) hook.exclude = node["exclude"].as<std::string>();
    if (node["types"]) hook.types = strings(node["types"]);
    if (node["types_or"]) hook.types_or = strings(node["types_or"]);
    if (node["pass_filenames"]) hook.pass_filenames = node["pass_filenames"].as<bool>();
    hooks[hook.id] = hook;
  }
  return hooks;
}

/// pre-commit's file type tags (from the `identify` library) for the extensions used here.
std::set<std::string> type_tags(const std::string& file) {
  std::set<std::string> tags{"file", "text"};
  const std::string extension = fs::path(file).extension().string();
  if (extension == ".py") tags.insert("python");
  if (extension == ".pyi") tags.insert("pyi");
  if (extension == ".yml" || extension == ".yaml") tags.insert("yaml");
  if (extension == ".toml") tags.insert("toml");
  return tags;
}

/// The files pre-commit would hand this hook out of the staged ones.
std::vector<std::string> selected_files(const Hook& hook, const std::vector<std::string>& staged) {
  std::vector<std::string> chosen;
  for (const auto& file : staged) {
    if (!std::regex_search(file, std::regex(hook.files)) || std::regex_search(file, std::regex(hook.exclude))) continue;
    const auto tags = type_tags(file);
    if (!std::ranges::all_of(hook.types, [&](const auto& tag) { return tags.contains(tag); })) continue;
    if (!hook.types_or.empty() && std::ranges::none_of(hook.types_or, [&](const auto& tag) { return tags.contains(tag); }))
      continue;
    chosen.push_back(file);
  }
  return chosen;
}

/// Runs a hook as pre-commit does: entry + args (+ the selected files), from the repository root.
/// Returns nullopt when pre-commit would skip the hook (no matching files).
std::optional<moat::testing::CommandResult> run_hook(const Hook& hook, const fs::path& repository,
                                                     const std::vector<std::string>& staged) {
  const auto files = selected_files(hook, staged);
  if (files.empty()) return std::nullopt;
  std::string command = "cd " + shell_quote(repository.string()) + " && export PATH=" + shell_quote(path_with_moat()) +
                        " MOAT_DB=" + shell_quote(test_database().string()) + " && " + hook.entry;
  for (const auto& argument : hook.args) command += " " + shell_quote(argument);
  if (hook.pass_filenames)
    for (const auto& file : files) command += " " + shell_quote(file);
  return run_shell(command);
}

/// A small project; with `findings`, one file of each kind has a problem the hook must catch.
std::vector<std::string> make_project(const fs::path& root, bool findings) {
  write_text(root / "README.md", "# demo\n");
  write_text(root / "pkg/__init__.py", "");
  write_text(root / "pkg/util.py", "import os\n\n\ndef listing(path):\n    return sorted(os.listdir(path))\n");
  write_text(root / "pkg/util.pyi", "def listing(path: str) -> list[str]: ...\n");
  write_text(root / "requirements.txt", findings ? "requests==2.30.0\n" : "requests==2.31.0\n");
  write_text(root / ".github/workflows/annotations.yml", read_text(kSource / "examples/github/moat-annotations.yml"));
  std::vector<std::string> staged{"README.md", "pkg/__init__.py", "pkg/util.py", "pkg/util.pyi", "requirements.txt",
                                  ".github/workflows/annotations.yml"};
  if (findings) {
    write_text(root / "pkg/shell.py", "import subprocess\n\n\ndef run(command):\n    subprocess.call(command, shell=True)\n");
    write_text(root / ".github/workflows/release.yml",
               "on: pull_request_target\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
               "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n");
    staged.insert(staged.end(), {"pkg/shell.py", ".github/workflows/release.yml"});
  }
  return staged;
}

TEST(PreCommit, HooksAreDeclaredAsPreCommitExpects) {
  const auto hooks = load_hooks();
  ASSERT_EQ(hooks.size(), 3u);
  for (const char* id : {"moat", "moat-audit", "moat-workflows"}) ASSERT_TRUE(hooks.contains(id)) << id;
  EXPECT_FALSE(hooks.at("moat-audit").pass_filenames);
  const std::vector<std::string> staged{"a.py", "b.pyi", "docs/x.md", "requirements-dev.txt", "sub/pyproject.toml",
                                        "uv.lock", ".github/workflows/ci.yml", ".github/dependabot.yml", ".gitlab-ci.yml"};
  EXPECT_EQ(selected_files(hooks.at("moat"), staged), (std::vector<std::string>{"a.py", "b.pyi"}));
  EXPECT_EQ(selected_files(hooks.at("moat-audit"), staged),
            (std::vector<std::string>{"requirements-dev.txt", "sub/pyproject.toml", "uv.lock"}));
  EXPECT_EQ(selected_files(hooks.at("moat-workflows"), staged),
            (std::vector<std::string>{".github/workflows/ci.yml", ".gitlab-ci.yml"}));
}

TEST(PreCommit, HooksPassCleanFilesAndFailOnFindings) {
  const auto hooks = load_hooks();
  const fs::path clean = scratch("clean");
  const auto clean_files = make_project(clean, false);
  const fs::path dirty = scratch("dirty");
  const auto dirty_files = make_project(dirty, true);
  for (const auto& [id, hook] : hooks) {
    const auto passed = run_hook(hook, clean, clean_files);
    ASSERT_TRUE(passed.has_value()) << id << " selected no file";
    EXPECT_EQ(passed->exit_code, 0) << id << ":\n" << passed->out;
    const auto failed = run_hook(hook, dirty, dirty_files);
    ASSERT_TRUE(failed.has_value()) << id;
    EXPECT_EQ(failed->exit_code, 1) << id << ":\n" << failed->out;
  }
  EXPECT_NE(run_hook(hooks.at("moat"), dirty, dirty_files)->out.find("B602"), std::string::npos);
  EXPECT_NE(run_hook(hooks.at("moat-audit"), dirty, dirty_files)->out.find("MOAT-TEST-0001"), std::string::npos);
  EXPECT_NE(run_hook(hooks.at("moat-workflows"), dirty, dirty_files)->out.find("release.yml"), std::string::npos);
}

// ---- GitHub Action --------------------------------------------------------------------------

const std::regex kPinned("^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$");

TEST(GitHubAction, CompositeActionPinsEveryActionAndKeepsInputsOutOfScripts) {
  const YAML::Node action = YAML::LoadFile((kSource / "action.yml").string());
  EXPECT_EQ(action["runs"]["using"].as<std::string>(), "composite");
  for (const char* input : {"paths", "severity", "config", "format", "deb-url"})
    EXPECT_TRUE(action["inputs"][input].IsDefined()) << input;
  bool uploads_sarif = false;
  for (const auto& step : action["runs"]["steps"]) {
    if (step["uses"]) {
      const auto uses = step["uses"].as<std::string>();
      EXPECT_TRUE(std::regex_match(uses, kPinned)) << uses << " is not pinned by a full commit SHA";
      uploads_sarif |= uses.starts_with("github/codeql-action/upload-sarif@");
    }
    if (step["run"]) {
      EXPECT_EQ(step["run"].as<std::string>().find("${{"), std::string::npos)
          << "expressions in run: scripts allow injection; pass them through env:";
      EXPECT_TRUE(step["shell"].IsDefined()) << "composite run steps need a shell";
    }
  }
  EXPECT_TRUE(uploads_sarif);
}

TEST(GitHubAction, ExampleWorkflowsArePinnedLeastPrivilegeAndPassMoatWorkflows) {
  std::size_t workflows = 0;
  for (const auto& entry : fs::directory_iterator(kSource / "examples/github")) {
    ++workflows;
    const YAML::Node workflow = YAML::LoadFile(entry.path().string());
    ASSERT_TRUE(workflow["permissions"].IsMap()) << entry.path();
    EXPECT_EQ(workflow["permissions"].size(), 0u) << entry.path() << ": grant permissions per job";
    for (const auto& job : workflow["jobs"]) {
      EXPECT_TRUE(job.second["permissions"].IsMap()) << entry.path() << ": " << job.first.as<std::string>();
      for (const auto& step : job.second["steps"]) {
        if (!step["uses"]) continue;
        const auto uses = step["uses"].as<std::string>();
        EXPECT_TRUE(uses == "./" || std::regex_match(uses, kPinned)) << entry.path() << ": " << uses;
        if (uses.starts_with("actions/checkout@")) {
          EXPECT_FALSE(step["with"]["persist-credentials"].as<bool>(true)) << entry.path();
        }
      }
    }
  }
  EXPECT_GE(workflows, 2u);
  const auto audited = run_moat("workflows --no-progress examples/github");
  EXPECT_EQ(audited.exit_code, 0) << audited.out;
  EXPECT_NE(audited.out.find("No findings."), std::string::npos) << audited.out;
}

/// The action's scan step, run as the runner would: `${{ inputs.X }}` from `given` or the input's
/// default, `${{ github.action_path }}` the checkout, GITHUB_OUTPUT collecting the step outputs.
std::map<std::string, std::string> run_scan_step(const std::map<std::string, std::string>& given, const fs::path& work) {
  const YAML::Node action = YAML::LoadFile((kSource / "action.yml").string());
  YAML::Node scan;
  for (const auto& step : action["runs"]["steps"])
    if (step["id"] && step["id"].as<std::string>() == "scan") scan.reset(step);
  EXPECT_TRUE(scan.IsDefined());
  const std::regex expression(R"(\$\{\{\s*(inputs\.([A-Za-z0-9_-]+)|github\.action_path)\s*\}\})");
  std::string command = "cd " + shell_quote(work.string()) + " && export PATH=" + shell_quote(path_with_moat()) +
                        " GITHUB_OUTPUT=" + shell_quote((work / "github_output").string());
  for (const auto& variable : scan["env"]) {
    const std::string template_text = variable.second.as<std::string>();
    std::smatch match;
    EXPECT_TRUE(std::regex_match(template_text, match, expression)) << template_text;
    std::string value = kSource.string();
    if (match[2].matched) {
      const std::string input = match[2].str();
      value = given.contains(input) ? given.at(input) : action["inputs"][input]["default"].as<std::string>("");
    }
    command += " " + variable.first.as<std::string>() + "=" + shell_quote(value);
  }
  command += " && " + scan["run"].as<std::string>();
  const auto result = run_shell(command);
  EXPECT_EQ(result.exit_code, 0) << result.out;
  std::map<std::string, std::string> outputs;
  std::stringstream lines(read_text(work / "github_output"));
  for (std::string line; std::getline(lines, line);)
    if (const auto equals = line.find('='); equals != std::string::npos) outputs[line.substr(0, equals)] = line.substr(equals + 1);
  outputs["log"] = result.out;
  return outputs;
}

TEST(GitHubAction, ScanStepWritesSarifAndReportsTheExitCode) {
  const fs::path work = scratch("action");
  fs::copy(kSource / "examples/insecure-app", work / "app", fs::copy_options::recursive);
  auto outputs = run_scan_step({{"paths", "app"}}, work);
  EXPECT_EQ(outputs["exit-code"], "1") << outputs["log"];
  ASSERT_EQ(outputs["report"], "moat.sarif");
  const auto sarif = nlohmann::json::parse(read_text(work / "moat.sarif"), nullptr, false);
  ASSERT_FALSE(sarif.is_discarded());
  EXPECT_EQ(sarif["version"], "2.1.0");
  EXPECT_FALSE(sarif["runs"][0]["results"].empty());

  outputs = run_scan_step({{"paths", "app"}, {"severity", "critical"}, {"output", "strict.sarif"}}, work);
  EXPECT_EQ(outputs["exit-code"], "0") << outputs["log"];
  EXPECT_TRUE(fs::exists(work / "strict.sarif"));

  outputs = run_scan_step({{"paths", "app"}, {"format", "github"}}, work);
  EXPECT_EQ(outputs["exit-code"], "1");
  EXPECT_NE(outputs["log"].find("::error file=app/app.py"), std::string::npos) << outputs["log"];

  outputs = run_scan_step({{"paths", "missing-directory"}}, work);
  EXPECT_EQ(outputs["exit-code"], "2") << outputs["log"];
  EXPECT_NE(outputs["log"].find("::error title=moat::"), std::string::npos);
}

}  // namespace
