#include <gtest/gtest.h>

#include <algorithm>

#include "moat/native/version.hpp"
#include "moat/native/vulndb.hpp"
#include "support/shared_data.hpp"

namespace moat::native {
namespace {

TEST(NativeVersion, OrdersDottedNumbersNumerically) {
  EXPECT_LT(compare_versions("3.0.9", "3.0.10"), 0);
  EXPECT_GT(compare_versions("7.88.1", "7.9.0"), 0);
  EXPECT_EQ(compare_versions("1.2.13", "1.2.13"), 0);
  EXPECT_EQ(compare_versions("2.14", "2.14.0"), 0);
}

TEST(NativeVersion, OrdersOpenSslLetterReleases) {
  EXPECT_GT(compare_versions("1.1.1w", "1.1.1t"), 0);
  EXPECT_GT(compare_versions("1.1.1a", "1.1.1"), 0);
  EXPECT_LT(compare_versions("1.1.1w", "1.1.2"), 0);
  EXPECT_GT(compare_versions("0.9.8za", "0.9.8z"), 0);
  EXPECT_LT(compare_versions("0.9.8zh", "1.0.0"), 0);
}

TEST(NativeVersion, PreReleasesSortBeforeTheirRelease) {
  EXPECT_LT(compare_versions("0.9.7-beta3", "0.9.7"), 0);
  EXPECT_LT(compare_versions("0.9.7-beta3", "0.9.7-beta4"), 0);
  EXPECT_GT(compare_versions("0.9.7-beta3", "0.9.6m"), 0);
  EXPECT_LT(compare_versions("3.2.0-alpha1", "3.2.0"), 0);
}

std::size_t count_matches(std::string_view library, std::string_view version) {
  return NativeVulnDb::embedded().matches(library, version).size();
}

bool matches_id(std::string_view library, std::string_view version, std::string_view id) {
  const auto found = NativeVulnDb::embedded().matches(library, version);
  return std::ranges::any_of(found, [&](const NativeVulnerability* record) { return record->id == id; });
}

TEST(NativeVulnDb, EmbeddedDataHoldsEveryRecord) { EXPECT_EQ(NativeVulnDb::embedded().records().size(), 1028U); }

// The expected counts of docs/native.md (measured on the upstream data).
TEST(NativeVulnDb, MatchesTheDocumentedCountsForDebianVersions) {
  EXPECT_EQ(count_matches("openssl", "3.0.17"), 26U);
  EXPECT_EQ(count_matches("openssl", "3.0.22"), 0U);
  EXPECT_EQ(count_matches("openssl", "1.1.1w"), 24U);
  EXPECT_EQ(count_matches("curl", "7.88.1"), 47U);
  EXPECT_EQ(count_matches("expat", "2.5.0"), 30U);
  EXPECT_EQ(count_matches("zlib", "1.2.11"), 3U);
  EXPECT_EQ(count_matches("libwebp", "1.2.4"), 2U);
  EXPECT_TRUE(matches_id("libwebp", "1.2.4", "CVE-2023-4863"));
  EXPECT_FALSE(matches_id("libwebp", "1.3.2", "CVE-2023-4863"));
}

TEST(NativeVulnDb, CurlToolOnlyBugsNeverMatchTheLibrary) {
  for (const auto& record : NativeVulnDb::embedded().records()) {
    if (record.library != "curl" || record.applies_to != "tool" || !record.last_affected) continue;
    EXPECT_FALSE(record.affects(*record.last_affected)) << record.id;
  }
}

TEST(NativeVulnDb, SqliteDisputedAndFipsRecordsNeverMatch) {
  for (const auto& record : NativeVulnDb::embedded().records()) {
    if (record.upstream_status == "not-a-bug" || record.upstream_status == "not-in-core") {
      EXPECT_FALSE(record.applies_to_library()) << record.id;
    }
  }
  EXPECT_FALSE(matches_id("openssl", "1.1.1", "CVE-2007-5502"));
}

TEST(NativeVulnDb, LastAffectedWithoutFixBoundsTheRange) {
  EXPECT_TRUE(matches_id("openssl", "3.0.7", "CVE-2022-3996"));
  EXPECT_FALSE(matches_id("openssl", "3.0.8", "CVE-2022-3996"));
}

TEST(NativeVulnDb, RejectsMalformedDocuments) {
  EXPECT_FALSE(NativeVulnDb::parse("{", "x.json"));
  EXPECT_FALSE(NativeVulnDb::parse(R"({"records": 3})", "x.json"));
  const auto missing_id = NativeVulnDb::parse(R"({"records": [{"library": "zlib"}]})", "x.json");
  ASSERT_FALSE(missing_id);
  EXPECT_NE(missing_id.error().to_string().find("record 1"), std::string::npos);
}

TEST(NativeVulnDb, EmbeddedDataEqualsTheSharedData) {
  MOAT_REQUIRE_SHARED_DATA();
  const auto shared = NativeVulnDb::load(moat::testing::shared_data_dir() / "data/native/native-vulns.json");
  ASSERT_TRUE(shared) << shared.error().to_string();
  ASSERT_EQ(shared->records().size(), NativeVulnDb::embedded().records().size());
  for (std::size_t index = 0; index < shared->records().size(); ++index)
    EXPECT_EQ(shared->records()[index].id, NativeVulnDb::embedded().records()[index].id);
}

}  // namespace
}  // namespace moat::native
