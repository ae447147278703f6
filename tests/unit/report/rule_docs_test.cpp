#include "moat/report/rule_docs.hpp"

#include <gtest/gtest.h>

#include <set>
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
  EXPECT_EQ(tables, 6u);  // lint, pattern, deps, dist, native, publish
  EXPECT_GE(seen.size(), 75u + 19u);
  EXPECT_EQ(moat::report::find_rule_doc("NOPE-1"), nullptr);
}

}  // namespace
