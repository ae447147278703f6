#include "moat/lint/suppression.hpp"

#include <gtest/gtest.h>

namespace {

using namespace moat::lint;

bool suppresses(const std::optional<Suppression>& suppression, Check check) {
  return suppression && (suppression->blanket || suppression->checks.test(index(check)));
}

TEST(Nosec, BlanketAndSpecific) {
  EXPECT_TRUE(parse_nosec_comment("# nosec")->blanket);
  EXPECT_TRUE(parse_nosec_comment("#nosec")->blanket);
  const auto specific = parse_nosec_comment("# nosec B602, B607");
  ASSERT_TRUE(specific);
  EXPECT_FALSE(specific->blanket);
  EXPECT_TRUE(suppresses(specific, Check::B602));
  EXPECT_TRUE(suppresses(specific, Check::B607));
  EXPECT_FALSE(suppresses(specific, Check::B101));
}

TEST(Nosec, BanditQuirks) {
  // A comma without a space keeps only the last ID.
  const auto joined = parse_nosec_comment("# nosec B602,B607");
  EXPECT_FALSE(suppresses(joined, Check::B602));
  EXPECT_TRUE(suppresses(joined, Check::B607));
  EXPECT_FALSE(suppresses(parse_nosec_comment("# nosec: B602,B607"), Check::B602));
  // Only lower-case nosec; earlier text needs its own '#'.
  EXPECT_FALSE(parse_nosec_comment("# NOSEC"));
  EXPECT_FALSE(parse_nosec_comment("# foo nosec"));
  EXPECT_TRUE(parse_nosec_comment("# foo # nosec")->blanket);
  // No valid ID left: blanket.
  EXPECT_TRUE(parse_nosec_comment("# nosec because reasons")->blanket);
  EXPECT_TRUE(parse_nosec_comment("# nosec B999")->blanket);
  EXPECT_TRUE(parse_nosec_comment("# nosecurity")->blanket);
  // Test names work; the reported test_name of B324 does not.
  EXPECT_TRUE(suppresses(parse_nosec_comment("# nosec assert_used"), Check::B101));
  EXPECT_TRUE(parse_nosec_comment("# nosec hashlib")->blanket);
}

TEST(MoatSuppression, NoqaAndIgnore) {
  EXPECT_TRUE(suppresses(parse_moat_suppression("# noqa: S602, S603"), Check::B603));
  EXPECT_FALSE(parse_moat_suppression("# noqa"));
  EXPECT_FALSE(parse_moat_suppression("# noqa: E501"));
  EXPECT_TRUE(suppresses(parse_moat_suppression("# moat: ignore[B602, assert_used] reviewed"), Check::B101));
  EXPECT_FALSE(suppresses(parse_moat_suppression("# moat: ignore[B602]"), Check::B101));
}

}  // namespace
