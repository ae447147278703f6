#include <gtest/gtest.h>

#include <fstream>

#include "moat/dist/environment.hpp"
#include "moat/dist/wheel.hpp"
#include "unit/dist/archive_builder.hpp"
#include "unit/dist/test_helpers.hpp"

namespace {

namespace fs = std::filesystem;
using moat::testing::has_rule;
using moat::testing::rules_of;
using moat::testing::TempDir;

void write(const fs::path& path, std::string_view data) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
}

/// site-packages with one distribution whose RECORD is right.
void make_environment(const fs::path& root) {
  const std::string init = "VALUE = 1\n", core = "def f():\n    return 2\n";
  write(root / "demo/__init__.py", init);
  write(root / "demo/core.py", core);
  write(root / "demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n");
  write(root / "demo-1.0.dist-info/RECORD",
        "demo/__init__.py," + moat::testing::record_hash(init) + "," + std::to_string(init.size()) + "\ndemo/core.py," +
            moat::testing::record_hash(core) + "," + std::to_string(core.size()) + "\ndemo/__pycache__/core.cpython-311.pyc,,\ndemo-1.0.dist-info/RECORD,,\n");
}

TEST(Environment, CleanEnvironmentVerifies) {
  TempDir dir;
  make_environment(dir.path());
  ASSERT_TRUE(moat::dist::is_environment_directory(dir.path()));
  auto report = moat::dist::inspect_environment(dir.path(), "site-packages");
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->findings.empty()) << rules_of(report->findings);
  EXPECT_TRUE(report->errors.empty());
  EXPECT_EQ(report->summary.value("files_verified", 0), 2);
}

TEST(Environment, TamperingAndMissingFilesAreFound) {
  TempDir dir;
  make_environment(dir.path());
  write(dir.path() / "demo/core.py", "def f():\n    return 3\n");
  fs::remove(dir.path() / "demo/__init__.py");
  write(dir.path() / "evil.pth", "import os; os.system('id')\n");
  auto report = moat::dist::inspect_environment(dir.path(), "site-packages");
  ASSERT_TRUE(report.has_value());
  const auto modified = moat::testing::with_rule(report->findings, "MOAT-E001");
  ASSERT_EQ(modified.size(), 1u) << rules_of(report->findings);
  EXPECT_EQ(modified[0]->location.path, "site-packages/demo/core.py");
  EXPECT_TRUE(has_rule(report->findings, "MOAT-E002"));
  EXPECT_TRUE(has_rule(report->findings, "MOAT-D009"));
}

/// The machine's own environment: scans without an error; a modified copy of one installed file is found.
TEST(Environment, MachineSitePackages) {
  const fs::path site = "/usr/lib/python3/dist-packages";
  if (!moat::dist::is_environment_directory(site)) GTEST_SKIP() << site << " has no installed distributions";
  auto report = moat::dist::inspect_environment(site);
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->errors.empty()) << report->errors.front().path << ": " << report->errors.front().message;
  EXPECT_GT(report->summary.value("files_verified", 0), 0);

  // Copy one distribution's first hashed file and its RECORD, then change one byte of the copy.
  for (const auto& item : fs::directory_iterator(site)) {
    if (item.path().extension() != ".dist-info" || !fs::exists(item.path() / "RECORD")) continue;
    std::ifstream record_stream(item.path() / "RECORD");
    const std::string record((std::istreambuf_iterator<char>(record_stream)), std::istreambuf_iterator<char>());
    const auto parsed = moat::dist::parse_record(record);
    const auto row = std::ranges::find_if(parsed.rows, [&](const moat::dist::RecordRow& candidate) {
      return candidate.algorithm == "sha256" && !candidate.path.starts_with("..") && fs::is_regular_file(site / candidate.path);
    });
    if (row == parsed.rows.end()) continue;
    TempDir dir;
    const auto name = item.path().filename();
    write(dir.path() / name / "RECORD", row->path + "," + row->algorithm + "=" + row->digest + ",\n");
    fs::create_directories((dir.path() / row->path).parent_path());
    fs::copy_file(site / row->path, dir.path() / row->path);
    auto clean = moat::dist::inspect_environment(dir.path());
    ASSERT_TRUE(clean.has_value());
    if (!clean->findings.empty()) continue;  // locally modified by the system packager: try another
    std::fstream file(dir.path() / row->path, std::ios::in | std::ios::out | std::ios::binary);
    const char first = static_cast<char>(file.get());
    file.seekp(0);
    file.put(static_cast<char>(first ^ 0x01));
    file.close();
    auto tampered = moat::dist::inspect_environment(dir.path());
    ASSERT_TRUE(tampered.has_value());
    EXPECT_TRUE(has_rule(tampered->findings, "MOAT-E001")) << row->path;
    return;
  }
  GTEST_SKIP() << "no distribution with a hashed RECORD row";
}

}  // namespace
