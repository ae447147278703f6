#include <gtest/gtest.h>

#include "moat/dist/conda.hpp"
#include "moat/dist/inspect.hpp"
#include "support/shared_data.hpp"
#include "unit/dist/archive_builder.hpp"
#include "unit/dist/test_helpers.hpp"

namespace {

using moat::Finding;
using moat::testing::build_conda;
using moat::testing::has_rule;
using moat::testing::rules_of;
using moat::testing::TempDir;
using moat::testing::TestEntry;

const std::string kIndex = R"({"name": "demo", "version": "1.0", "build": "py_0", "subdir": "noarch"})";
const std::vector<TestEntry> kFiles = {{"site-packages/demo/__init__.py", "x = 1\n"}, {"bin/demo", "#!/bin/sh\n"}};

std::vector<Finding> inspect(const std::string& bytes, const std::string& name = "demo-1.0-py_0.conda") {
  TempDir dir;
  auto report = moat::dist::inspect_artifact(dir.write(name, bytes), {}, name);
  EXPECT_TRUE(report.has_value());
  if (report) {
    EXPECT_TRUE(report->errors.empty());
  }
  return report ? report->findings : std::vector<Finding>{};
}

TEST(Conda, GoodPackageIsClean) {
  const auto findings = inspect(build_conda("demo-1.0-py_0", kFiles, kIndex));
  EXPECT_TRUE(findings.empty()) << rules_of(findings);
}

TEST(Conda, PathsJsonMismatches) {
  const std::string paths = R"({"paths": [
      {"_path": "site-packages/demo/__init__.py", "path_type": "hardlink", "sha256": "00", "size_in_bytes": 6},
      {"_path": "bin/demo", "path_type": "hardlink", "sha256": "00", "size_in_bytes": 99},
      {"_path": "bin/gone", "path_type": "hardlink", "sha256": "00", "size_in_bytes": 1}], "paths_version": 1})";
  const auto findings = inspect(build_conda("demo-1.0-py_0", kFiles, kIndex, paths, {{"lib/extra.pth", "import os\n"}}));
  EXPECT_EQ(moat::testing::with_rule(findings, "MOAT-C002").size(), 3u) << rules_of(findings);  // 2 hashes + 1 size
  EXPECT_TRUE(has_rule(findings, "MOAT-C003"));
  EXPECT_TRUE(has_rule(findings, "MOAT-C004"));
}

TEST(Conda, IndexMustMatchFileName) {
  const auto findings = inspect(build_conda("demo-1.0-py_0", kFiles, kIndex), "demo-2.0-py_0.conda");
  EXPECT_TRUE(has_rule(findings, "MOAT-C001")) << rules_of(findings);
}

TEST(Conda, TarBz2PackagesAreChecked) {
  std::vector<TestEntry> entries = kFiles;
  entries.push_back({"info/index.json", kIndex});
  entries.push_back({"info/paths.json", R"({"paths": [], "paths_version": 1})"});
  const auto findings = inspect(moat::testing::build_archive(entries, moat::testing::Container::tar_bz2), "demo-1.0-py_0.tar.bz2");
  EXPECT_EQ(moat::testing::with_rule(findings, "MOAT-C003").size(), 2u) << rules_of(findings);
}

TEST(RealConda, SignedPackageVerifies) {
  MOAT_REQUIRE_SHARED_DATA();
  const auto path = moat::testing::shared_data_dir() / "data/sigstore/sigstore-rust/bundles/signed-package-2.1.0-hb0f4dca_0.conda";
  auto verification = moat::dist::verify_conda_package(path);
  ASSERT_TRUE(verification.has_value()) << verification.error().to_string();
  EXPECT_TRUE(verification->ok());
  EXPECT_EQ(verification->listed, 0u);  // the real vector ships metadata only: paths is empty
  auto report = moat::dist::inspect_artifact(path, {});
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->findings.empty()) << rules_of(report->findings);
  EXPECT_EQ(report->summary.value("name", ""), "signed-package");
  EXPECT_EQ(report->summary.value("files", 0), 9);
}

}  // namespace
