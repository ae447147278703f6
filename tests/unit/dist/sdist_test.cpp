#include <gtest/gtest.h>

#include "moat/dist/inspect.hpp"
#include "moat/dist/sdist.hpp"
#include "support/shared_data.hpp"
#include "unit/dist/archive_builder.hpp"
#include "unit/dist/test_helpers.hpp"

namespace {

using moat::Finding;
using moat::testing::build_archive;
using moat::testing::Container;
using moat::testing::has_rule;
using moat::testing::rules_of;
using moat::testing::TempDir;
using moat::testing::TestEntry;
using Type = moat::testing::TestEntry::Type;

const std::string kPkgInfo =
    "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Python: >=3.9\nDescription-Content-Type: text/markdown\n\n# Demo\n";
const std::string kPyproject = "[project]\nname = \"demo\"\nversion = \"1.0\"\nrequires-python = \">= 3.9\"\n";

std::vector<TestEntry> base_sdist() {
  return {{"demo-1.0/PKG-INFO", kPkgInfo}, {"demo-1.0/pyproject.toml", kPyproject}, {"demo-1.0/demo/__init__.py", "x = 1\n"}};
}

std::vector<Finding> inspect(const std::vector<TestEntry>& entries, const std::string& name = "demo-1.0.tar.gz",
                             const moat::dist::InspectOptions& options = {}) {
  TempDir dir;
  const auto path = dir.write(name, build_archive(entries, name.ends_with(".zip") ? Container::zip : Container::tar_gz));
  auto report = moat::dist::inspect_artifact(path, options, name);
  EXPECT_TRUE(report.has_value());
  return report ? report->findings : std::vector<Finding>{};
}

TEST(Sdist, GoodSdistIsClean) {
  EXPECT_TRUE(inspect(base_sdist()).empty()) << rules_of(inspect(base_sdist()));
  EXPECT_TRUE(inspect(base_sdist(), "demo-1.0.zip").empty());
}

TEST(Sdist, PkgInfoAndPyprojectMustAgree) {
  auto entries = base_sdist();
  entries[1].data = "[project]\nname = \"demo\"\nversion = \"1.1\"\nrequires-python = \">=3.8\"\n";
  const auto findings = inspect(entries);
  EXPECT_EQ(moat::testing::with_rule(findings, "MOAT-S002").size(), 2u) << rules_of(findings);
  // A dynamic version is not compared.
  entries[1].data = "[project]\nname = \"demo\"\ndynamic = [\"version\"]\n";
  EXPECT_FALSE(has_rule(inspect(entries), "MOAT-S002"));
}

TEST(Sdist, LayoutProblems) {
  auto entries = base_sdist();
  entries.push_back({"stray.txt", "x"});
  EXPECT_TRUE(has_rule(inspect(entries), "MOAT-S001"));
  const auto no_pkg_info = inspect({{"demo-1.0/setup.py", "from setuptools import setup\n"}});
  EXPECT_TRUE(has_rule(no_pkg_info, "MOAT-M001")) << rules_of(no_pkg_info);
  EXPECT_TRUE(has_rule(inspect(base_sdist(), "demo-2.0.tar.gz"), "MOAT-M003"));
}

TEST(Sdist, FilesThatShouldNotShip) {
  auto entries = base_sdist();
  entries.push_back({"demo-1.0/.pypirc", "[pypi]\nusername = __token__\n"});
  entries.push_back({"demo-1.0/.env", "DEBUG=1\n"});
  entries.push_back({"demo-1.0/.git/config", "[core]\n"});
  entries.push_back({"demo-1.0/.git/HEAD", "ref: refs/heads/main\n"});
  entries.push_back({"demo-1.0/keys/id_ed25519", "not really\n"});
  entries.push_back({"demo-1.0/demo/core.py~", "old\n"});
  entries.push_back({"demo-1.0/.env.example", "KEY=\n"});
  const auto findings = inspect(entries);
  EXPECT_EQ(moat::testing::with_rule(findings, "MOAT-S003").size(), 4u) << rules_of(findings);  // .git/ once
  EXPECT_EQ(moat::testing::with_rule(findings, "MOAT-S004").size(), 1u);
}

TEST(Sdist, LargeBinaries) {
  auto entries = base_sdist();
  std::string blob(2048, 'a');
  blob[10] = '\0';
  entries.push_back({"demo-1.0/data/model.bin", blob});
  entries.push_back({"demo-1.0/data/big.txt", std::string(2048, 't')});
  moat::dist::InspectOptions options;
  options.large_binary_bytes = 1024;
  const auto findings = inspect(entries, "demo-1.0.tar.gz", options);
  const auto large = moat::testing::with_rule(findings, "MOAT-S005");
  ASSERT_EQ(large.size(), 1u) << rules_of(findings);
  EXPECT_EQ(large[0]->location.path, "demo-1.0.tar.gz!/demo-1.0/data/model.bin");
}

TEST(Sdist, SecretsInsideAreFoundWithArchiveLocation) {
  auto entries = base_sdist();
  entries.push_back({"demo-1.0/demo/config.py", "\n\nAPI_KEY = \"f8Jq2LxR9vTz4mWc7bN1\"\n"});
  const auto findings = inspect(entries);
  const auto secrets = moat::testing::with_rule(findings, "MOAT-SEC009");
  ASSERT_EQ(secrets.size(), 1u) << rules_of(findings);
  EXPECT_EQ(secrets[0]->location.path, "demo-1.0.tar.gz!/demo-1.0/demo/config.py");
  EXPECT_EQ(secrets[0]->location.line, 3);
}

TEST(RealSdists, InspectClean) {
  MOAT_REQUIRE_SHARED_DATA();
  const auto dir = moat::testing::shared_data_dir() / "data/sigstore/pypi-attestations";
  for (const char* name : {"pypi_attestations-0.0.19.tar.gz", "gitlab_oidc_project-0.0.3.tar.gz",
                           "pypi_attestation_models-0.0.4a2.tar.gz"}) {
    auto report = moat::dist::inspect_artifact(dir / name, {});
    ASSERT_TRUE(report.has_value()) << name;
    EXPECT_TRUE(report->findings.empty()) << name << "\n" << rules_of(report->findings);
    EXPECT_TRUE(report->errors.empty());
  }
}

TEST(UnwantedFiles, Verdicts) {
  EXPECT_EQ(moat::dist::unwanted_file_rule("p/.pypirc"), "MOAT-S003");
  EXPECT_EQ(moat::dist::unwanted_file_rule("home/.aws/credentials"), "MOAT-S003");
  EXPECT_EQ(moat::dist::unwanted_file_rule("p/cert.p12"), "MOAT-S003");
  EXPECT_EQ(moat::dist::unwanted_file_rule("p/.DS_Store"), "MOAT-S004");
  EXPECT_EQ(moat::dist::unwanted_file_rule("p/.gitignore"), "");
  EXPECT_EQ(moat::dist::unwanted_file_rule("p/credentials.py"), "");
  EXPECT_EQ(moat::dist::unwanted_file_rule("p/id_rsa.pub"), "");
}

}  // namespace
