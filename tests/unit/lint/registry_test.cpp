#include "moat/lint/registry.hpp"

#include <gtest/gtest.h>

#include <set>

namespace {

using namespace moat::lint;

TEST(Registry, HasBandits75ChecksWithUniqueIds) {
  EXPECT_EQ(kCheckCount, 75u);
  std::set<std::string_view> ids;
  std::size_t blacklists = 0;
  for (const CheckInfo& check : all_checks()) {
    EXPECT_TRUE(ids.insert(check.id).second) << check.id;
    if (check.is_blacklist()) ++blacklists;
  }
  EXPECT_EQ(blacklists, 33u);
}

TEST(Registry, EveryCheckIsDocumented) {
  const auto docs = bandit_rule_docs();
  ASSERT_EQ(docs.size(), kCheckCount);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    EXPECT_EQ(docs[i].id, all_checks()[i].id);
    EXPECT_FALSE(docs[i].what.empty()) << docs[i].id;
    EXPECT_FALSE(docs[i].why.empty()) << docs[i].id;
    EXPECT_FALSE(docs[i].example.empty()) << docs[i].id;
    EXPECT_FALSE(docs[i].fix.empty()) << docs[i].id;
    EXPECT_NE(docs[i].references.find("https://"), std::string_view::npos) << docs[i].id;
  }
  // Modules with a "Security Considerations" section in the Python docs link to it.
  EXPECT_NE(rule_doc(Check::B602).references.find("subprocess.html#security-considerations"), std::string_view::npos);
}

TEST(Registry, LooksUpByIdAndName) {
  EXPECT_EQ(find_check_by_id("B602"), Check::B602);
  EXPECT_EQ(find_check_by_name("assert_used"), Check::B101);
  EXPECT_EQ(find_check_by_name("import_subprocess"), Check::B404);
  EXPECT_EQ(find_check_by_name("hashlib_insecure_functions"), Check::B324);
  EXPECT_FALSE(find_check_by_id("b602"));
  EXPECT_FALSE(find_check_by_id("B999"));
  EXPECT_EQ(info(Check::B324).test_name, "hashlib");
  EXPECT_EQ(info(Check::B509).test_name, "snmp_crypto_check");
}

TEST(Registry, MoreInfoLinksAsBandit) {
  EXPECT_EQ(more_info_url(Check::B101), "https://bandit.readthedocs.io/en/1.9.4/plugins/b101_assert_used.html");
  EXPECT_EQ(more_info_url(Check::B324), "https://bandit.readthedocs.io/en/1.9.4/plugins/b324_hashlib.html");
  EXPECT_EQ(more_info_url(Check::B301), "https://bandit.readthedocs.io/en/1.9.4/blacklists/blacklist_calls.html#b301-pickle");
  EXPECT_EQ(more_info_url(Check::B305),
            "https://bandit.readthedocs.io/en/1.9.4/blacklists/blacklist_calls.html#b304-b305-ciphers-and-modes");
  EXPECT_EQ(more_info_url(Check::B314),
            "https://bandit.readthedocs.io/en/1.9.4/blacklists/blacklist_calls.html#b313-b320-xml-bad-elementtree");
  EXPECT_EQ(more_info_url(Check::B404),
            "https://bandit.readthedocs.io/en/1.9.4/blacklists/blacklist_imports.html#b404-import-subprocess");
}

TEST(Registry, SelectsByPrefixRuffCodeAndBlacklistGroup) {
  EXPECT_EQ(checks_matching("B6").count(), 15u);
  EXPECT_EQ(checks_matching("S602").count(), 1u);
  EXPECT_TRUE(checks_matching("S602").test(index(Check::B602)));
  EXPECT_EQ(checks_matching("B001").count(), 33u);
  EXPECT_EQ(checks_matching("B").count(), 75u);
  EXPECT_TRUE(checks_matching("X1").none());
}

}  // namespace
