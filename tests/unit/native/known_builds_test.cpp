// Known builds settle backports: a library whose bytes are a known distribution build is not
// reported for the CVEs that build's package changelog names, whatever its version number says.
#include "moat/native/known_builds.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "moat/native/native.hpp"
#include "moat/util/encoding.hpp"
#include "synthetic.hpp"

namespace moat::native {
namespace {

using testing::bytes_of;
using testing::compile_c;
using testing::read_all;

std::string sha256_hex(const std::string& data) { return hex_encode(digest_bytes(sha256(data))); }

std::string table_with(const std::string& digest, const std::string& fixed) {
  return R"({"builds": [{"sha256": ")" + digest + R"(", "file": "usr/lib/libwebp.so.7.1.5", "distribution": "debian",
             "package": "libwebp7", "version": "1.2.4-0.2+deb12u1", "architecture": "amd64", "fixed": [)" + fixed + "]}]}";
}

AnalyzeOptions with_builds(const KnownBuilds* builds) {
  AnalyzeOptions options;
  options.known_builds = builds;
  return options;
}

bool reports(const BinaryReport& report, std::string_view cve) {
  return std::ranges::any_of(native_findings(report), [&](const Finding& finding) { return finding.snippet == cve; });
}

TEST(KnownBuilds, BadDocumentsAreErrorsNamingTheSource) {
  for (const auto* text : {"not json", R"({"records": []})", R"({"builds": [{"sha256": "abc", "package": "p", "version": "1"}]})",
                           R"({"builds": [{"sha256": ")" "0000000000000000000000000000000000000000000000000000000000000000" R"(", "version": "1"}]})",
                           R"({"builds": [{"sha256": ")" "0000000000000000000000000000000000000000000000000000000000000000" R"(", "package": "p", "version": "1", "fixed": [1]}]})"}) {
    const auto parsed = KnownBuilds::parse(text, "builds.json");
    ASSERT_FALSE(parsed) << text;
    EXPECT_NE(parsed.error().to_string().find("builds.json"), std::string::npos) << parsed.error().to_string();
  }
}

TEST(KnownBuilds, LookupByHashAndByUnambiguousPrefix) {
  const std::string a(64, 'a');
  std::string ab = a;
  ab[63] = 'b';
  auto builds = KnownBuilds::parse(R"({"builds": [{"sha256": ")" + a + R"(", "package": "p", "version": "1", "fixed": ["CVE-2", "CVE-1"]},
                                                  {"sha256": ")" + ab + R"(", "package": "q", "version": "2"}]})", "t");
  ASSERT_TRUE(builds) << builds.error().to_string();
  ASSERT_NE(builds->find(a), nullptr);
  EXPECT_EQ(builds->find(a)->package, "p");
  EXPECT_TRUE(builds->find(a)->fixes("CVE-1"));
  EXPECT_FALSE(builds->find(a)->fixes("CVE-3"));
  EXPECT_EQ(builds->find(std::string(64, 'c')), nullptr);
  EXPECT_EQ(builds->find_by_prefix("aaaaaaaa"), nullptr);  // both start so: ambiguous
  EXPECT_EQ(builds->find_by_prefix(""), nullptr);
  auto other = KnownBuilds::parse(R"({"builds": [{"sha256": ")" + std::string(64, 'd') + R"(", "package": "r", "version": "3"},
                                                 {"sha256": ")" + a + R"(", "package": "duplicate", "version": "9"}]})", "u");
  ASSERT_TRUE(other);
  builds->merge(*other);
  EXPECT_EQ(builds->builds().size(), 3U);
  EXPECT_EQ(builds->find(a)->package, "p");  // the first listing wins
  ASSERT_NE(builds->find_by_prefix("dddddddd"), nullptr);
  EXPECT_EQ(builds->find_by_prefix("dddddddd")->package, "r");
}

TEST(KnownBuilds, EmbeddedDataHoldsDebianLibwebpWithItsBackport) {
  const auto& builds = KnownBuilds::embedded().builds();
  ASSERT_FALSE(builds.empty());
  EXPECT_TRUE(std::ranges::any_of(builds, [](const KnownBuild& build) {
    return build.package == "libwebp7" && build.fixes("CVE-2023-4863");
  }));
}

TEST(KnownBuilds, KnownBuildCancelsTheCvesItsChangelogFixes) {
  const auto path = compile_c("libwebp.so.7", "int WebPGetDecoderVersion(void) { return 0x010204; }\n", "-shared -fPIC -O2");
  ASSERT_FALSE(path.empty());
  const auto data = read_all(path);
  const auto unknown = analyze_binary("libwebp.so.7", bytes_of(data), with_builds(nullptr));
  ASSERT_TRUE(reports(unknown, "CVE-2023-4863"));
  ASSERT_TRUE(reports(unknown, "CVE-2023-1999"));
  EXPECT_FALSE(unknown.build);

  const auto builds = KnownBuilds::parse(table_with(sha256_hex(data), R"("CVE-2023-4863")"), "t");
  ASSERT_TRUE(builds);
  const auto known = analyze_binary("libwebp.so.7", bytes_of(data), with_builds(&*builds));
  ASSERT_TRUE(known.build);
  EXPECT_EQ(known.build->version, "1.2.4-0.2+deb12u1");
  EXPECT_FALSE(reports(known, "CVE-2023-4863"));  // backported
  EXPECT_TRUE(reports(known, "CVE-2023-1999"));   // not named by this build's changelog
  ASSERT_EQ(known.backported.size(), 1U);
  EXPECT_EQ(known.backported[0].record.id, "CVE-2023-4863");
  EXPECT_TRUE(std::ranges::any_of(known.libraries[0].evidence, [](const Evidence& evidence) {
    return evidence.kind == EvidenceKind::known_build && evidence.detail.find("libwebp7 1.2.4-0.2+deb12u1") != std::string::npos;
  }));
  EXPECT_EQ(to_json(known)["backported"][0]["id"], "CVE-2023-4863");

  // auditwheel renames the grafted copy after the original file's hash, and patchelf changes its
  // bytes: the name's 8 hex digits still find the build.
  auto patched = data;
  patched.back() = static_cast<char>(patched.back() ^ 1);
  const auto renamed = "libwebp-" + sha256_hex(data).substr(0, 8) + ".so.7";
  const auto grafted = analyze_binary(renamed, bytes_of(patched), with_builds(&*builds));
  ASSERT_TRUE(grafted.build);
  EXPECT_FALSE(reports(grafted, "CVE-2023-4863"));
  const auto stranger = analyze_binary("libwebp-0123abcd.so.7", bytes_of(patched), with_builds(&*builds));
  EXPECT_FALSE(stranger.build);
  EXPECT_TRUE(reports(stranger, "CVE-2023-4863"));
}

}  // namespace
}  // namespace moat::native
