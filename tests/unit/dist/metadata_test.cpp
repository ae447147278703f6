#include <gtest/gtest.h>

#include "moat/dist/metadata.hpp"

namespace {

using namespace moat::dist;

TEST(Metadata, ParsesHeadersContinuationsAndBody) {
  const auto metadata = parse_core_metadata("Name: x\nSummary: one\n  two\nClassifier: A\nClassifier: B\n\nlong\ntext\n");
  EXPECT_EQ(metadata.get("name").value_or(""), "x");
  EXPECT_EQ(metadata.get("Summary").value_or(""), "one\ntwo");
  EXPECT_EQ(metadata.get_all("Classifier").size(), 2u);
  EXPECT_EQ(metadata.body, "long\ntext\n");
  EXPECT_TRUE(metadata.problems.empty());
  EXPECT_FALSE(parse_core_metadata("Name: x\nthis is not a header\n").problems.empty());
}

TEST(Metadata, Versions) {
  for (const char* good : {"1.0", "1.0.post1", "2!1.0a1.dev3+local.1", "1.0rc1", "v1.0", "1.0-1", "0.0.4a2"})
    EXPECT_TRUE(is_valid_version(good)) << good;
  for (const char* bad : {"", "x", "1.0.", "1..0", "1.0+", "1.0 beta"}) EXPECT_FALSE(is_valid_version(bad)) << bad;
  EXPECT_TRUE(versions_equal("1.0", "1.0.0"));
  EXPECT_TRUE(versions_equal("1.0alpha1", "1.0a1"));
  EXPECT_TRUE(versions_equal("1.0-1", "1.0.post1"));
  EXPECT_FALSE(versions_equal("1.0", "1.1"));
  EXPECT_EQ(canonical_version("1.0.RC.1").value_or(""), "1.0rc1");
}

TEST(Metadata, Names) {
  EXPECT_EQ(normalize_project_name("Foo.Bar__baz"), "foo-bar-baz");
  EXPECT_TRUE(is_valid_project_name("a"));
  EXPECT_FALSE(is_valid_project_name("-a"));
  EXPECT_FALSE(is_valid_project_name("a b"));
}

TEST(Metadata, Requirements) {
  std::string why;
  for (const char* good : {"requests", "requests>=2.0,<3", "requests[socks, security] (>=2.0)",
                           "pdoc; extra == \"doc\"", "foo @ https://example.com/foo.whl",
                           "rfc8785[doc,test,lint] ; extra == \"dev\"", "x; python_version < '3.8' and (os_name == 'nt' or sys_platform != 'linux')",
                           "x==1.*", "x; extra not in 'a'"})
    EXPECT_TRUE(is_valid_requirement(good, why)) << good << ": " << why;
  for (const char* bad : {"requests >>= 2", "requests>=", "[x]", "foo; bogus_var == '1'", "foo; (python_version > '3'",
                          "foo bar"})
    EXPECT_FALSE(is_valid_requirement(bad, why)) << bad;
}

TEST(Metadata, LicenseExpressions) {
  std::string why;
  for (const char* good : {"MIT", "MIT OR Apache-2.0", "(MIT AND BSD-3-Clause) OR GPL-2.0-or-later WITH Classpath-exception-2.0",
                           "LicenseRef-Proprietary", "GPL-2.0+"})
    EXPECT_TRUE(is_valid_license_expression(good, why)) << good << ": " << why;
  for (const char* bad : {"", "MIT or and Apache", "(MIT", "MIT AND", "MIT WITH", "M!T"})
    EXPECT_FALSE(is_valid_license_expression(bad, why)) << bad;
}

TEST(Metadata, CheckReportsTwineProblems) {
  MetadataContext context;
  context.location = "x";
  const auto clean = check_core_metadata(
      parse_core_metadata("Metadata-Version: 2.1\nName: a\nVersion: 1.0\nDescription-Content-Type: text/markdown\n\nbody\n"), context);
  EXPECT_TRUE(clean.empty());
  const auto bad = check_core_metadata(
      parse_core_metadata("Metadata-Version: 1.0\nName: a\nVersion: 1.0\nDescription-Content-Type: text/md\nBogus: 1\n\nbody\n"), context);
  std::string rules;
  for (const auto& finding : bad) rules += finding.rule_id + ":" + finding.message + "\n";
  EXPECT_NE(rules.find("unrecognized field 'Bogus'"), std::string::npos) << rules;
  EXPECT_NE(rules.find("needs Metadata-Version 2.1"), std::string::npos) << rules;
  EXPECT_NE(rules.find("MOAT-M006"), std::string::npos) << rules;
  const auto missing = check_core_metadata(parse_core_metadata("Metadata-Version: 2.1\n\n"), context);
  EXPECT_GE(missing.size(), 2u);
}

}  // namespace
