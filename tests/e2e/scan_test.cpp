// End-to-end: `moat scan` runs the other analyzers that apply besides the code checks.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "support/run_moat.hpp"

namespace fs = std::filesystem;

namespace {

using moat::testing::run_moat;

fs::path fresh_directory(const std::string& name) {
  const auto directory = fs::temp_directory_path() / ("moat-e2e-scan-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

std::set<std::string> rule_ids_at(const std::string& output, const std::string& path_prefix) {
  std::set<std::string> ids;
  const auto json = nlohmann::json::parse(output.substr(output.find('{')), nullptr, false);
  if (json.is_discarded()) return ids;
  for (const auto& finding : json["findings"])
    if (finding["path"].get<std::string>().starts_with(path_prefix)) ids.insert(finding["rule_id"].get<std::string>());
  return ids;
}

TEST(Scan, ProjectDirectoryAlsoGetsTheReleaseWorkflowAudit) {
  const auto project = fresh_directory("workflow");
  fs::create_directories(project / ".github/workflows");
  fs::copy_file(fs::path(MOAT_SOURCE_DIR) / "tests/fixtures/publish/wf001/vulnerable.yml",
                project / ".github/workflows/release.yml");
  std::ofstream(project / "app.py") << "import subprocess\nsubprocess.call(cmd, shell=True)\n";
  auto result = run_moat("scan --no-progress --format json '" + project.string() + "'");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  const auto workflow_ids = rule_ids_at(result.out, (project / ".github/workflows/release.yml").string());
  EXPECT_TRUE(workflow_ids.contains("MOAT-WF001")) << result.out;
  EXPECT_TRUE(rule_ids_at(result.out, (project / "app.py").string()).contains("B602")) << result.out;

  // Bandit compatibility reports Bandit's findings only.
  auto compat = run_moat("scan --no-progress --bandit-compat --format json '" + project.string() + "'");
  EXPECT_TRUE(rule_ids_at(compat.out, (project / ".github").string()).empty()) << compat.out;
  fs::remove_all(project);
}

TEST(Scan, WheelIsInspectedAndItsModulesChecked) {
  const auto directory = fresh_directory("wheel");
  const auto wheel = directory / "demo-1.0-py3-none-any.whl";
  const std::string build_wheel =
      "python3 -c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); "
      "z.writestr('demo/mod.py','import subprocess\\nsubprocess.call(cmd, shell=True)\\n'); "
      "z.writestr('demo-1.0.dist-info/METADATA','Metadata-Version: 2.1\\nName: demo\\nVersion: 1.0\\n'); "
      "z.writestr('demo-1.0.dist-info/WHEEL','Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'); "
      "z.close()\" '" + wheel.string() + "'";
  ASSERT_EQ(std::system(build_wheel.c_str()), 0);
  auto result = run_moat("scan --no-progress --format json '" + wheel.string() + "'");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  const auto ids = rule_ids_at(result.out, wheel.string() + "!/");
  EXPECT_TRUE(ids.contains("B602")) << result.out;    // the code checks ran on demo/mod.py
  EXPECT_TRUE(ids.contains("MOAT-D004")) << result.out;  // the missing RECORD is reported
  auto missing = run_moat("scan --no-progress '" + (directory / "absent-1.0-py3-none-any.whl").string() + "'");
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
  fs::remove_all(directory);
}

}  // namespace

TEST(Scan, RepeatableOptionTakesOneValueSoThePathAfterItIsScanned) {
  const auto project = fresh_directory("exclude");
  fs::create_directories(project / "vendored");
  std::ofstream(project / "app.py") << "import subprocess\nsubprocess.call(cmd, shell=True)\n";
  std::ofstream(project / "vendored" / "lib.py") << "eval(input())\n";
  const auto result = run_moat("scan --no-progress --format json --exclude vendored '" + project.string() + "'");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  const auto ids = rule_ids_at(result.out, project.string());
  EXPECT_TRUE(ids.contains("B602")) << result.out;
  EXPECT_FALSE(ids.contains("B307")) << result.out;  // the excluded directory's eval
  fs::remove_all(project);
}

TEST(Scan, ProjectDependencyFilesAreAuditedAgainstTheDatabase) {
  const auto project = fresh_directory("audit");
  fs::create_directories(project / "advisories");
  std::ofstream(project / "advisories" / "PYSEC-0000-7.json") << R"({
    "id": "PYSEC-0000-7", "modified": "2024-01-01T00:00:00Z", "summary": "demo flaw",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-lib"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]})";
  std::ofstream(project / "requirements.txt") << "demo-lib==1.5\nother==3.0\n";
  std::ofstream(project / "app.py") << "print('hello')\n";
  const std::string db = (project / "osv.sqlite").string();
  ASSERT_EQ(run_moat("db import --db '" + db + "' '" + (project / "advisories").string() + "'").exit_code, 0);

  // The project directory: its requirements are audited beside the code checks.
  ::setenv("MOAT_DB", db.c_str(), 1);
  const auto result = run_moat("scan --no-progress --format json '" + project.string() + "'");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_TRUE(rule_ids_at(result.out, (project / "requirements.txt").string()).contains("PYSEC-0000-7")) << result.out;

  // A requirements file named directly is audited, not parsed as Python; without a database the
  // scan says what to run instead of failing silently.
  const auto named = run_moat("scan --no-progress --format json '" + (project / "requirements.txt").string() + "'");
  EXPECT_EQ(named.exit_code, 1) << named.out;
  EXPECT_TRUE(rule_ids_at(named.out, (project / "requirements.txt").string()).contains("PYSEC-0000-7")) << named.out;
  ::setenv("MOAT_DB", (project / "absent.sqlite").c_str(), 1);
  const auto missing = run_moat("scan --no-progress --format json '" + (project / "requirements.txt").string() + "'");
  ::unsetenv("MOAT_DB");
  EXPECT_EQ(missing.out.find("syntax error"), std::string::npos) << missing.out;
  EXPECT_NE(missing.out.find("moat db update"), std::string::npos) << missing.out;
  fs::remove_all(project);
}
