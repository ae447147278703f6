// Typosquatting against the embedded download ranking: real squats of popular projects are reported
// with the name they imitate; ranked names, unrelated names and version-family names are not.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "moat/deps/audit.hpp"
#include "moat/deps/database.hpp"
#include "moat/deps/inputs.hpp"
#include "moat/deps/typosquat.hpp"

namespace moat::deps {
namespace {

const PopularNames& popular() { return PopularNames::embedded(); }

void expect_squat(std::string_view name, std::string_view imitated, SquatKind kind) {
  const auto squat = popular().check(name);
  ASSERT_TRUE(squat.has_value()) << name << " should imitate " << imitated;
  EXPECT_EQ(squat->imitated, imitated) << name;
  EXPECT_EQ(to_string(squat->kind), to_string(kind)) << name;
}

TEST(Typosquat, EmbeddedRankingIsTheCommittedList) {
  EXPECT_EQ(popular().size(), 14985U);
  EXPECT_TRUE(popular().contains("requests"));
  EXPECT_TRUE(popular().contains("Python_Dateutil"));  // any spelling of a ranked name
  EXPECT_EQ(std::string(embedded_top_projects().substr(0, 26)), "boto3\npackaging\nurllib3\nce");
}

TEST(Typosquat, RankedNamesAreNeverReported) {
  for (const char* name : {"requests", "urllib3", "python-dateutil", "boto", "boto3", "attr", "attrs", "jwt", "pyjwt",
                           "pyyaml", "PyYAML", "python_dateutil", "six"})
    EXPECT_FALSE(popular().check(name).has_value()) << name;
}

TEST(Typosquat, RealSquatsAreReportedWithThePopularName) {
  // Transpositions and single edits, as seen in PyPI malware campaigns.
  expect_squat("reqeusts", "requests", SquatKind::transposition);
  expect_squat("requets", "requests", SquatKind::edit);
  expect_squat("requestss", "requests", SquatKind::edit);
  expect_squat("request", "requests", SquatKind::edit);
  expect_squat("reuests", "requests", SquatKind::edit);
  expect_squat("colourama", "colorama", SquatKind::edit);
  expect_squat("djnago", "django", SquatKind::transposition);
  expect_squat("matplotilb", "matplotlib", SquatKind::transposition);
  // Separators.
  expect_squat("urllib-3", "urllib3", SquatKind::separator);
  expect_squat("python-dateutil-", "python-dateutil", SquatKind::separator);
  expect_squat("pythondateutil", "python-dateutil", SquatKind::separator);
  // py/python affixes.
  expect_squat("dateutil", "python-dateutil", SquatKind::python_affix);
  expect_squat("requests-py", "requests", SquatKind::python_affix);
  expect_squat("python-requests", "requests", SquatKind::python_affix);
  // Reordered terms.
  expect_squat("dateutil-python", "python-dateutil", SquatKind::term_order);
}

TEST(Typosquat, UnrelatedAndVersionFamilyNamesAreNotReported) {
  for (const char* name : {"my-internal-tool", "acme-billing", "zzzzzzzz", "", "ab", "xyz",
                           "netifaces3",    // digit added: a fork naming style, not a typo
                           "urllib4",       // digit replaced
                           "flask-acme-extension-for-billing"})
    EXPECT_FALSE(popular().check(name).has_value()) << name;
}

TEST(Typosquat, ShortNamesOnlyImitateTheMostPopular) {
  EXPECT_EQ(target_rank_limit(3), 0U);
  EXPECT_EQ(target_rank_limit(5), 1000U);
  EXPECT_EQ(target_rank_limit(7), 5000U);
  // A ranking of our own: a 5-letter name at rank 1,001 is no target, at rank 2 it is.
  std::string ranked = "alpha\nbravo\n";
  for (int index = 0; index < 998; ++index) ranked += "filler-project-" + std::to_string(index) + "\n";
  ranked += "delta\nlongername\n";
  const PopularNames names(ranked);
  ASSERT_EQ(names.size(), 1002U);
  EXPECT_TRUE(names.check("bravoo").has_value());
  EXPECT_FALSE(names.check("deltaa").has_value());     // rank 1001, 5 letters
  EXPECT_TRUE(names.check("longernme").has_value());   // long names: any rank
  EXPECT_EQ(names.check("longernme")->rank, 1002U);
}

TEST(Typosquat, TheMostPopularImitatedNameWins) {
  const PopularNames names("aaaaab\naaaaac\n");
  const auto squat = names.check("aaaaad");
  ASSERT_TRUE(squat.has_value());
  EXPECT_EQ(squat->imitated, "aaaaab");
  EXPECT_EQ(squat->rank, 1U);
}

TEST(Typosquat, FewLegitimateLongTailProjectsAreReported) {
  // The projects ranked 10,001-14,985 are real and legitimate; checked against the top 10,000 they
  // measure the false-positive rate on less popular dependencies.
  const std::string_view ranked = embedded_top_projects();
  std::size_t cut = 0;
  for (int line = 0; line < 10000; ++line) cut = ranked.find('\n', cut) + 1;
  const PopularNames top(ranked.substr(0, cut));
  std::size_t checked = 0;
  std::size_t reported = 0;
  for (std::size_t start = cut; start < ranked.size();) {
    const std::size_t end = std::min(ranked.find('\n', start), ranked.size());
    reported += top.check(ranked.substr(start, end - start)).has_value() ? 1 : 0;
    ++checked;
    start = end + 1;
  }
  EXPECT_EQ(checked, 4985U);
  std::printf("long tail reported: %zu of %zu\n", reported, checked);
  EXPECT_LT(static_cast<double>(reported) / static_cast<double>(checked), 0.04);
}

TEST(Typosquat, FindingNamesTheImitatedProject) {
  const auto squat = popular().check("reqeusts");
  ASSERT_TRUE(squat.has_value());
  const Finding finding = typosquat_finding("reqeusts", *squat, Category::dependency, {"requirements.txt", 3}, "reqeusts==1.0");
  EXPECT_EQ(finding.rule_id, "MOAT-TYPO001");
  EXPECT_EQ(finding.confidence, Confidence::medium);
  EXPECT_NE(finding.message.find("'requests'"), std::string::npos) << finding.message;
  EXPECT_EQ(finding.details["imitates"], "requests");
  EXPECT_EQ(finding.details["kind"], "transposition");
  EXPECT_EQ(finding.location.line, 3);
}

TEST(Typosquat, AuditReportsSquattedDependenciesOnTheirLines) {
  const auto dir = std::filesystem::temp_directory_path() / ("moat-typosquat-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "osv.json") << R"({"id": "PYSEC-0000-1", "modified": "2024-01-01T00:00:00Z",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "unrelated"}, "versions": ["1.0"]}]})";
  const auto imported = import_database({dir / "osv.json"}, dir / "osv.sqlite", {});
  ASSERT_TRUE(imported.has_value()) << imported.error().to_string();
  std::ofstream(dir / "requirements.txt") << "requests==2.32.3\nreqeusts==2.32.3\nurllib-3\ncertifi\n";
  const auto input = read_input(dir / "requirements.txt", InputFormat::requirements);
  ASSERT_EQ(input.dependencies.size(), 4U);
  auto database = Database::open(dir / "osv.sqlite");
  ASSERT_TRUE(database.has_value()) << database.error().to_string();

  AuditOptions options;
  const auto result = audit_dependencies(*database, input.dependencies, options);
  std::vector<const Finding*> squats;
  for (const auto& finding : result.findings)
    if (finding.rule_id == "MOAT-TYPO001") squats.push_back(&finding);
  ASSERT_EQ(squats.size(), 2U);
  EXPECT_EQ(squats[0]->location.line, 2);
  EXPECT_EQ(squats[0]->details["imitates"], "requests");
  EXPECT_EQ(squats[0]->category, Category::dependency);
  EXPECT_EQ(squats[1]->location.line, 3);
  EXPECT_EQ(squats[1]->details["imitates"], "urllib3");

  options.typosquats = false;
  EXPECT_TRUE(audit_dependencies(*database, input.dependencies, options).findings.empty());
  std::filesystem::remove_all(dir);
}

TEST(Typosquat, DocumentedAmongTheAuditRules) {
  const auto docs = deps_rule_docs();
  EXPECT_TRUE(std::ranges::any_of(docs, [](const RuleDoc& doc) { return doc.id == "MOAT-TYPO001"; }));
}

}  // namespace
}  // namespace moat::deps
