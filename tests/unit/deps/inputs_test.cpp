// Input readers: pip's requirements syntax, Poetry constraints, dependency groups, lock files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "moat/deps/inputs.hpp"

namespace moat::deps {
namespace {

namespace fs = std::filesystem;

fs::path write(const std::string& name, const std::string& content) {
  const fs::path directory = fs::temp_directory_path() / ("moat-deps-inputs-" + std::to_string(::getpid()));
  fs::create_directories(directory);
  std::ofstream(directory / name) << content;
  return directory / name;
}

const Dependency* find(const InputResult& result, const std::string& normalized) {
  for (const auto& dependency : result.dependencies)
    if (dependency.normalized == normalized) return &dependency;
  return nullptr;
}

TEST(Requirements, PipSyntax) {
  ::setenv("MOAT_TEST_VERSION", "2.0.1", 1);
  const auto path = write("requirements.txt",
                          "# comment\n"
                          "--index-url https://example.org/simple\n"
                          "Django==3.2.1 \\\n"
                          "    --hash=sha256:abc \\\n"
                          "    --hash sha256:def\n"
                          "flask==${MOAT_TEST_VERSION}  # pinned through the environment\n"
                          "requests[socks]>=2.0 ; python_version >= '3.8'\n"
                          "-e git+https://example.org/x.git#egg=xpkg\n"
                          "https://example.org/pkgs/wheelpkg-1.0-py3-none-any.whl\n"
                          "name with spaces\n");
  const auto result = read_input(path, InputFormat::requirements);
  const auto* django = find(result, "django");
  ASSERT_NE(django, nullptr);
  EXPECT_EQ(django->version, "3.2.1");
  EXPECT_EQ(django->location.line, 3);
  ASSERT_NE(find(result, "flask"), nullptr);
  EXPECT_EQ(find(result, "flask")->version, "2.0.1");
  const auto* requests = find(result, "requests");
  ASSERT_NE(requests, nullptr);
  EXPECT_TRUE(requests->version.empty());
  ASSERT_EQ(requests->alternatives.size(), 1U);
  EXPECT_EQ(requests->alternatives[0].to_string(), ">=2.0");
  EXPECT_TRUE(requests->marker.has_value());
  ASSERT_NE(find(result, "xpkg"), nullptr);
  EXPECT_FALSE(find(result, "xpkg")->not_audited.empty());
  ASSERT_NE(find(result, "wheelpkg"), nullptr);
  ASSERT_EQ(result.errors.size(), 1U);
  EXPECT_NE(result.errors[0].path.find("requirements.txt:10"), std::string::npos) << result.errors[0].path;
}

TEST(Requirements, IncludeCycleIsReportedNotFollowedForever) {
  const auto first = write("a.txt", "-r b.txt\nsix==1.0\n");
  write("b.txt", "-r a.txt\nsix==1.1\n");
  const auto result = read_input(first, InputFormat::requirements);
  EXPECT_EQ(result.dependencies.size(), 2U);
  ASSERT_FALSE(result.errors.empty());
  EXPECT_NE(result.errors[0].message.find("cycle"), std::string::npos);
}

TEST(Requirements, ConstraintsPinOpenRequirements) {
  write("c.txt", "urllib3==1.24.1\nnotrequired==9\n");
  const auto path = write("r.txt", "-c c.txt\nurllib3\n");
  const auto result = read_input(path, InputFormat::requirements);
  ASSERT_EQ(result.dependencies.size(), 1U);
  EXPECT_EQ(result.dependencies[0].version, "1.24.1");
}

TEST(Poetry, Constraints) {
  auto text = [](const std::string& constraint) {
    auto sets = poetry_constraint(constraint);
    EXPECT_TRUE(sets) << constraint;
    std::string joined;
    for (const auto& set : *sets) joined += (joined.empty() ? "" : " || ") + set.to_string();
    return joined;
  };
  EXPECT_EQ(text("^1.2.3"), "<2,>=1.2.3");
  EXPECT_EQ(text("^0.2.3"), "<0.3,>=0.2.3");
  EXPECT_EQ(text("^0.0.3"), "<0.0.4,>=0.0.3");
  EXPECT_EQ(text("~1.2.3"), "<1.3,>=1.2.3");
  EXPECT_EQ(text("~1"), "<2,>=1");
  EXPECT_EQ(text("1.2.3"), "==1.2.3");
  EXPECT_EQ(text("*"), "");
  EXPECT_EQ(text(">=1.0,<2.0 || ^3.1"), "<2.0,>=1.0 || <4,>=3.1");
  EXPECT_FALSE(poetry_constraint("^banana"));
}

TEST(Pyproject, DependencyGroupsWithIncludesAndCycles) {
  const auto path = write("pyproject.toml",
                          "[dependency-groups]\n"
                          "test = [\"pytest==8.0.0\", {include-group = \"Lint\"}]\n"
                          "lint = [\"ruff==0.5.0\", {include-group = \"test\"}]\n");
  const auto result = read_input(path, InputFormat::pyproject);
  EXPECT_NE(find(result, "pytest"), nullptr);
  EXPECT_NE(find(result, "ruff"), nullptr);
  ASSERT_FALSE(result.errors.empty());
  EXPECT_NE(result.errors[0].message.find("includes itself"), std::string::npos);
}

TEST(Locks, MalformedTomlNamesFileAndLine) {
  const auto path = write("uv.lock", "version = 1\n[[package]]\nname = \"x\"\nversion = \n");
  const auto result = read_input(path, InputFormat::uv_lock);
  ASSERT_EQ(result.errors.size(), 1U);
  EXPECT_NE(result.errors[0].path.find("uv.lock:4"), std::string::npos) << result.errors[0].path;
}

TEST(Inputs, DetectByName) {
  EXPECT_EQ(detect_input_format("requirements-dev.txt"), InputFormat::requirements);
  EXPECT_EQ(detect_input_format("poetry.lock"), InputFormat::poetry_lock);
  EXPECT_EQ(detect_input_format("pylock.prod.toml"), InputFormat::pylock);
  EXPECT_EQ(detect_input_format("Pipfile.lock"), InputFormat::pipfile_lock);
  EXPECT_EQ(detect_input_format("environment.yml"), InputFormat::conda);
}

TEST(Inputs, MachinePythonEnvironmentAudits) {
  auto directories = site_packages_of("/usr/bin/python3");
  if (!directories) GTEST_SKIP() << "no /usr/bin/python3: " << directories.error().to_string();
  for (const auto& directory : *directories) {
    const auto result = read_input(directory, InputFormat::site_packages);
    EXPECT_TRUE(result.errors.empty()) << directory << ": " << result.errors.front().path << " " << result.errors.front().message;
  }
}

}  // namespace
}  // namespace moat::deps
