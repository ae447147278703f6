#include "moat/report/rule_docs.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace {

TEST(RuleDocs, EveryRuleIsDocumentedOnceAndFindable) {
  std::set<std::string> seen;
  std::size_t tables = 0;
  for (const auto& table : moat::report::rule_doc_tables()) {
    EXPECT_FALSE(table.empty()) << "table " << tables;
    ++tables;
    for (const moat::RuleDoc& doc : table) {
      const std::string id(doc.id);
      EXPECT_TRUE(seen.insert(id).second) << "rule id documented twice: " << id;
      EXPECT_FALSE(doc.title.empty()) << id;
      EXPECT_FALSE(doc.what.empty()) << id;
      EXPECT_FALSE(doc.why.empty()) << id;
      EXPECT_FALSE(doc.fix.empty()) << id;
      EXPECT_EQ(moat::report::find_rule_doc(id), &doc) << id;
    }
  }
  EXPECT_EQ(tables, 7u);  // lint, scan, pattern, deps, dist, native, publish
  EXPECT_GE(seen.size(), 75u + 19u);
  EXPECT_EQ(moat::report::find_rule_doc("NOPE-1"), nullptr);
}

// Every rule code any analyzer can emit has documentation: the codes written in the sources
// (string literals such as "MOAT-N001" or "B602") and the ids of the built-in rule pack.
TEST(RuleDocs, EveryCodeInTheSourcesIsExplainable) {
  namespace fs = std::filesystem;
  const fs::path source = MOAT_SOURCE_DIR;
  const std::regex code_literal(R"re("((?:MOAT-[A-Z]+|B)[0-9]{3})")re");
  const std::regex rule_id_line(R"re(^\s*-?\s*id:\s*(MOAT-[A-Z]+[0-9]{3})\s*$)re");
  // B001 selects every blacklist check at once (Bandit's convention); no finding carries it.
  const std::set<std::string> selectors{"B001"};
  std::set<std::string> codes;
  const auto read = [](const fs::path& path) {
    std::ifstream stream(path);
    std::stringstream text;
    text << stream.rdbuf();
    return text.str();
  };
  for (const auto& entry : fs::recursive_directory_iterator(source / "src")) {
    if (!entry.is_regular_file()) continue;
    const std::string text = read(entry.path());
    for (std::sregex_iterator match(text.begin(), text.end(), code_literal), end; match != end; ++match)
      codes.insert((*match)[1].str());
  }
  for (const auto& entry : fs::directory_iterator(source / "rules")) {
    if (entry.path().extension() != ".yaml") continue;
    std::istringstream lines(read(entry.path()));
    std::string line;
    std::smatch match;
    while (std::getline(lines, line))
      if (std::regex_match(line, match, rule_id_line)) codes.insert(match[1].str());
  }
  EXPECT_GE(codes.size(), 150u);
  for (const auto& code : codes) {
    if (!selectors.contains(code)) {
      EXPECT_NE(moat::report::find_rule_doc(code), nullptr) << code << " has no documentation";
    }
  }
}

TEST(RuleDocs, AdvisoryIdsExplainTheVulnerableDependencyRule) {
  for (const char* advisory : {"PYSEC-2018-28", "GHSA-x84v-xcm2-53pg", "CVE-2018-18074"}) {
    const moat::RuleDoc* doc = moat::report::find_rule_doc(advisory);
    ASSERT_NE(doc, nullptr) << advisory;
    EXPECT_EQ(doc->title, "vulnerable dependency");
  }
  EXPECT_EQ(moat::report::find_rule_doc("PYSEC-"), nullptr);
}

TEST(RuleDocs, MarkdownReferenceHasAnIndexAndOnePagePerRule) {
  const auto pages = moat::report::rule_reference_pages();
  ASSERT_FALSE(pages.empty());
  EXPECT_EQ(pages.front().first, "README.md");
  std::size_t rules = 0;
  for (const auto& table : moat::report::rule_doc_tables()) rules += table.size();
  EXPECT_EQ(pages.size(), rules + 1);
  std::set<std::string> names;
  for (const auto& [name, content] : pages) {
    EXPECT_TRUE(names.insert(name).second) << "two rules share the page " << name;
    EXPECT_EQ(name.find('/'), std::string::npos) << name;
    if (name != "README.md") {
      EXPECT_NE(pages.front().second.find("](" + name + ")"), std::string::npos) << name;
    }
  }
  const moat::RuleDoc* doc = moat::report::find_rule_doc("B602");
  ASSERT_NE(doc, nullptr);
  const std::string page = moat::report::rule_doc_markdown(*doc);
  EXPECT_TRUE(page.starts_with("# B602: subprocess_popen_with_shell_equals_true\n"));
  EXPECT_NE(page.find("\n## Example\n\n```\nsubprocess.call("), std::string::npos) << page;
  EXPECT_NE(page.find("- <https://cwe.mitre.org/data/definitions/78.html>"), std::string::npos) << page;
  EXPECT_EQ(moat::report::rule_doc_file_name(*moat::report::find_rule_doc("PYSEC-1")), "PYSEC-GHSA-CVE.md");
}

}  // namespace
