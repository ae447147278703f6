// Every rule's fixtures: each `vulnerable*` file's findings of that rule must be exactly the
// `# expect: RULE:COLUMN` annotations (on the finding's line, or on a comment line just above it),
// and each `fixed*` file must have none.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "moat/publish/publish.hpp"
#include "unit/publish/macaroon_encoder.hpp"

namespace {

namespace fs = std::filesystem;
using moat::publish::InputKind;

const fs::path kFixtures = fs::path(MOAT_SOURCE_DIR) / "tests" / "fixtures" / "publish";

struct Expected {
  std::string rule;
  int line;
  int column;  // 1-based, as the text report prints it
  auto operator<=>(const Expected&) const = default;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Fixtures that need a PyPI token say @PYPI_TOKEN@: assembled here so no token is committed.
std::string with_synthetic_token(std::string text) {
  const std::string token = moat::testing::encode_token("pypi.org", "00000000-0000-0000-0000-0000000000f1",
                                                        {{R"([1,["sampleproject"]])", "", ""}});
  for (auto at = text.find("@PYPI_TOKEN@"); at != std::string::npos; at = text.find("@PYPI_TOKEN@"))
    text.replace(at, 12, token);
  return text;
}

std::set<Expected> annotations(const std::string& text) {
  std::set<Expected> expected;
  std::vector<std::pair<std::string, int>> pending;  // from comment-only lines, for the next line
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const auto marker = line.find("# expect:");
    const auto first = line.find_first_not_of(" \t");
    const bool comment_only = marker != std::string::npos && first == marker;
    if (!comment_only) {
      for (const auto& [rule, column] : pending) expected.insert({rule, number, column});
      pending.clear();
    }
    if (marker == std::string::npos) continue;
    std::istringstream words(line.substr(marker + 9));
    std::string word;
    while (words >> word) {
      const auto colon = word.rfind(':');
      if (colon == std::string::npos) continue;
      const std::string rule = word.substr(0, colon);
      const int column = std::stoi(word.substr(colon + 1));
      if (comment_only) pending.emplace_back(rule, column);
      else expected.insert({rule, number, column});
    }
  }
  return expected;
}

InputKind kind_of(const fs::path& file) {
  auto kind = moat::publish::input_kind_for(file);
  EXPECT_TRUE(kind) << file;
  return kind.value_or(InputKind::github_workflow);
}

std::vector<std::string> rule_directories() {
  std::vector<std::string> names;
  for (const auto& doc : moat::publish_rule_docs()) {
    std::string name(doc.id.substr(5));  // "MOAT-WF001" -> "wf001"
    std::ranges::transform(name, name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    names.push_back(name);
  }
  return names;
}

class RuleFixtures : public ::testing::TestWithParam<std::string> {};

TEST_P(RuleFixtures, VulnerableFilesMatchAnnotationsAndFixedFilesAreClean) {
  const fs::path directory = kFixtures / GetParam();
  ASSERT_TRUE(fs::is_directory(directory)) << "every rule needs fixtures in " << directory;
  std::string rule_id = "MOAT-" + GetParam();
  std::ranges::transform(rule_id, rule_id.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  int vulnerable = 0;
  int fixed = 0;
  for (const auto& entry : fs::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    const std::string text = with_synthetic_token(read_text(entry.path()));
    moat::Report report;
    moat::publish::audit_text(text, name, kind_of(entry.path()), report);
    EXPECT_TRUE(report.errors.empty()) << name << ": " << report.errors.front().message;
    std::set<Expected> found;
    for (const auto& finding : report.findings) {
      if (finding.rule_id != rule_id) continue;
      found.insert({finding.rule_id, finding.location.line, finding.location.column + 1});
      EXPECT_EQ(finding.location.path, name);
      EXPECT_FALSE(finding.message.empty());
      EXPECT_GE(finding.location.end_line, finding.location.line);
    }
    std::set<Expected> expected;
    for (const auto& annotation : annotations(text))
      if (annotation.rule == rule_id) expected.insert(annotation);
    if (name.starts_with("vulnerable")) {
      ++vulnerable;
      EXPECT_FALSE(expected.empty()) << name << " has no annotations";
    } else {
      ++fixed;
      EXPECT_TRUE(expected.empty()) << name << " is a fixed file but has annotations";
    }
    for (const auto& item : expected)
      EXPECT_TRUE(found.contains(item)) << name << ": missing " << item.rule << " at " << item.line << ":" << item.column;
    for (const auto& item : found)
      EXPECT_TRUE(expected.contains(item)) << name << ": unexpected " << item.rule << " at " << item.line << ":"
                                           << item.column;
  }
  EXPECT_GE(vulnerable, 1);
  EXPECT_GE(fixed, 1);
}

INSTANTIATE_TEST_SUITE_P(Publish, RuleFixtures, ::testing::ValuesIn(rule_directories()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) { return param_info.param; });

TEST(CredentialFindings, NeverRepeatTheSecret) {
  for (const char* directory : {"cr001", "cr002", "cr003", "cr004"}) {
    for (const auto& entry : fs::directory_iterator(kFixtures / directory)) {
      const std::string text = with_synthetic_token(read_text(entry.path()));
      moat::Report report;
      moat::publish::audit_text(text, entry.path().filename().string(), kind_of(entry.path()), report);
      for (const auto& finding : report.findings) {
        if (!finding.rule_id.starts_with("MOAT-CR")) continue;
        for (const char* secret : {"hunter2", "s3cr3t-pass", "plaintext", "index-secret", "literal-token",
                                   "pypi-Ag", "literal-password", "secret-upload-token", "pypi-not-a-real",
                                   "everywhere", "not-a-reference", "pypi-placeholder"}) {
          EXPECT_EQ(finding.snippet.find(secret), std::string::npos) << finding.snippet;
          EXPECT_EQ(finding.message.find(secret), std::string::npos) << finding.message;
          EXPECT_EQ(finding.details.dump().find(secret), std::string::npos);
        }
        EXPECT_NE(finding.snippet.find("****"), std::string::npos) << finding.rule_id << " " << finding.snippet;
        EXPECT_EQ(finding.category, moat::Category::secret);
      }
    }
  }
}

TEST(InlineIgnore, SuppressesOnlyTheNamedRule) {
  const std::string workflow =
      "on: push\n"
      "permissions: {}\n"
      "jobs:\n"
      "  build:\n"
      "    runs-on: ubuntu-latest\n"
      "    steps:\n"
      "      # moat: ignore[MOAT-WF004] vendored action, reviewed\n"
      "      - uses: actions/checkout@v4\n"
      "      - uses: actions/setup-python@v5  # moat: ignore[MOAT-WF007]\n";
  moat::Report report;
  moat::publish::audit_text(workflow, "w.yml", InputKind::github_workflow, report);
  std::vector<std::pair<std::string, int>> found;
  for (const auto& finding : report.findings) found.emplace_back(finding.rule_id, finding.location.line);
  std::ranges::sort(found, {}, [](const auto& item) { return item.second; });
  EXPECT_EQ(found, (std::vector<std::pair<std::string, int>>{{"MOAT-WF007", 8}, {"MOAT-WF004", 9}}));
}

TEST(MalformedInput, ErrorsNameFileAndLineAndTheRestIsStillAudited) {
  moat::Report report;
  auto inputs = moat::publish::collect_inputs(kFixtures / "malformed", "malformed", report);
  ASSERT_EQ(inputs.size(), 3U);
  EXPECT_EQ(moat::publish::audit_inputs(inputs, report), 3U);
  ASSERT_EQ(report.errors.size(), 2U);
  EXPECT_EQ(report.errors[0].path, "malformed/broken.yml");
  EXPECT_NE(report.errors[0].message.find("line 7"), std::string::npos) << report.errors[0].message;
  EXPECT_EQ(report.errors[1].path, "malformed/not-a-workflow.yml");
  EXPECT_NE(report.errors[1].message.find("not a GitHub Actions workflow"), std::string::npos);
  ASSERT_FALSE(report.findings.empty());
  EXPECT_TRUE(std::ranges::all_of(report.findings, [](const auto& f) { return f.location.path == "malformed/ok.yml"; }));
}

TEST(CollectInputs, ProjectDirectoryFindsWorkflowsGitlabAndCredentialFiles) {
  const fs::path project = fs::temp_directory_path() / ("moat-publish-project-" + std::to_string(::getpid()));
  fs::create_directories(project / ".github" / "workflows");
  for (const char* file : {".github/workflows/release.yml", ".github/workflows/ci.yaml", ".github/workflows/notes.txt",
                           ".gitlab-ci.yml", ".pypirc", "pip.conf", ".netrc", ".env", "prod.env", "setup.py"})
    std::ofstream(project / file) << "x: 1\n";
  moat::Report report;
  auto inputs = moat::publish::collect_inputs(project, "proj", report);
  std::vector<std::string> displays;
  for (const auto& input : inputs) displays.push_back(input.display);
  EXPECT_EQ(displays, (std::vector<std::string>{"proj/.github/workflows/ci.yaml", "proj/.github/workflows/release.yml",
                                                "proj/.env", "proj/.gitlab-ci.yml", "proj/.netrc", "proj/.pypirc",
                                                "proj/pip.conf", "proj/prod.env"}));
  EXPECT_TRUE(report.errors.empty());
  moat::publish::collect_inputs(project / "missing", "missing", report);
  ASSERT_EQ(report.errors.size(), 1U);
  EXPECT_EQ(report.errors[0].path, "missing");
  fs::remove_all(project);
}

}  // namespace
