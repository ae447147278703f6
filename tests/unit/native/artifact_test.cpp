// The native checks over an artifact's members (what `moat inspect` runs for each wheel): binaries
// picked out by their headers, sibling versions, the combined platform tag and the summary.
#include <gtest/gtest.h>

#include <algorithm>

#include "moat/native/artifact.hpp"
#include "unit/native/synthetic.hpp"

namespace moat::native {
namespace {

using testing::bytes_of;
using testing::compile_c;
using testing::read_all;

// An ELF report needing `glibc` (and `glibcxx`), satisfying manylinux_2_<minor> (0: no policy fits).
BinaryReport glibc_binary(std::string path, std::string glibc, int minor, std::string glibcxx = {}) {
  BinaryReport report;
  report.path = std::move(path);
  report.facts.emplace();
  report.facts->format = BinaryFormat::elf;
  auto& platform = report.platform;
  platform.highest_glibc = std::move(glibc);
  platform.highest_glibcxx = std::move(glibcxx);
  platform.satisfied_glibc_minor = minor;
  if (minor > 0) platform.satisfied_tag = "manylinux_2_" + std::to_string(minor) + "_x86_64";
  platform.limiting_symbol = platform.highest_glibcxx.empty() ? "GLIBC_" + platform.highest_glibc : "GLIBCXX_" + platform.highest_glibcxx;
  return report;
}

BinaryReport musl_binary(std::string path) {
  BinaryReport report;
  report.path = std::move(path);
  report.facts.emplace();
  report.facts->format = BinaryFormat::elf;
  report.platform.musl = true;
  report.platform.satisfied_tag = "musllinux_1_1_x86_64";
  return report;
}

AnalyzeOptions claiming(std::string tag) {
  AnalyzeOptions options;
  options.claimed_platform_tag = std::move(tag);
  return options;
}

TEST(NativeArtifact, CombinedPlatformIsSetByTheMostDemandingBinary) {
  std::vector<BinaryReport> reports;
  reports.push_back(glibc_binary("a.so", "2.14", 17));
  reports.push_back(glibc_binary("b.so", "2.28", 28));
  reports.push_back(glibc_binary("c.so", "2.17", 17));
  auto combined = combined_platform(reports);
  EXPECT_EQ(combined.tag, "manylinux_2_28_x86_64");
  EXPECT_EQ(combined.limiting_symbol, "GLIBC_2.28");
  EXPECT_EQ(combined.limiting_binary, "b.so");

  // A libstdc++ newer than every policy: nothing fits, whatever comes after.
  reports.insert(reports.begin() + 1, glibc_binary("d.so", "2.17", 0, "3.4.99"));
  combined = combined_platform(reports);
  EXPECT_EQ(combined.tag, "");
  EXPECT_EQ(combined.limiting_symbol, "GLIBCXX_3.4.99");
  EXPECT_EQ(combined.limiting_binary, "d.so");
}

TEST(NativeArtifact, MuslAndGlibcBinariesTogetherFitNoPolicy) {
  std::vector<BinaryReport> reports;
  reports.push_back(musl_binary("m.so"));
  EXPECT_EQ(combined_platform(reports).tag, "musllinux_1_1_x86_64");
  reports.push_back(glibc_binary("g.so", "2.17", 17));
  const auto combined = combined_platform(reports);
  EXPECT_EQ(combined.tag, "");
  EXPECT_EQ(combined.limiting_symbol, "both musl and glibc binaries");
}

TEST(NativeArtifact, NoBinariesGiveNoSummary) {
  ArtifactScanner scanner;
  const std::string text = "print('hello')\n";
  scanner.add_member("demo.whl!/demo/__init__.py", "demo/__init__.py", bytes_of(text));
  scanner.add_unread_member("demo/data.bin", 100U << 20);
  const auto result = std::move(scanner).finish();
  EXPECT_TRUE(result.summary.is_null());
  EXPECT_TRUE(result.binaries.empty());
  EXPECT_TRUE(result.findings.empty());
}

TEST(NativeArtifact, SummaryListsLibrariesFindingsAreLocatedInsideTheArtifact) {
  // A "bundled" zlib banner library, renamed auditwheel-style, and an extension linking it.
  const auto zlib = compile_c("libz-0a1b2c3d.so.1.2.11",
                              "const char deflate_copyright[] = \" deflate 1.2.11 Copyright 1995-2017 Jean-loup Gailly and Mark Adler \";\n"
                              "const char *banner(void) { return deflate_copyright; }\n",
                              "-shared -fPIC -O2 -Wl,-z,relro,-z,now -Wl,-soname,libz-0a1b2c3d.so.1.2.11");
  const auto extension = compile_c("_ext.so", "int answer(void) { return 42; }\n",
                                   "-shared -fPIC -O2 -Wl,-z,relro,-z,now -Wl,--disable-new-dtags -Wl,-rpath,/usr/local/lib");
  ASSERT_FALSE(zlib.empty() || extension.empty()) << "cc failed";
  ArtifactScanner scanner(claiming("manylinux_2_17_x86_64"));
  const auto zlib_bytes = read_all(zlib);
  const auto extension_bytes = read_all(extension);
  scanner.add_member("demo.whl!/demo.libs/libz-0a1b2c3d.so.1.2.11", "demo.libs/libz-0a1b2c3d.so.1.2.11", bytes_of(zlib_bytes));
  scanner.add_member("demo.whl!/demo/_ext.so", "demo/_ext.so", bytes_of(extension_bytes));
  scanner.add_unread_member("demo.libs/libhuge.so.1", 100U << 20);
  scanner.add_unread_member("demo/big.dat", 100U << 20);
  const auto result = std::move(scanner).finish();

  ASSERT_EQ(result.binaries.size(), 2U);
  const auto& summary = result.summary;
  EXPECT_EQ(summary["binaries"], 2);
  EXPECT_EQ(summary["claimed_platform_tag"], "manylinux_2_17_x86_64");
  EXPECT_TRUE(summary["satisfied_platform_tag"].get<std::string>().starts_with("manylinux_2_")) << summary.dump(1);
  ASSERT_EQ(summary["not_analysed"].size(), 1U);
  EXPECT_EQ(summary["not_analysed"][0], "demo.libs/libhuge.so.1 (104857600 bytes)");
  ASSERT_EQ(summary["details"].size(), 2U);

  const auto& libraries = summary["libraries"];
  const auto zlib_row = std::ranges::find_if(libraries, [](const auto& row) { return row["library"] == "zlib"; });
  ASSERT_NE(zlib_row, libraries.end()) << libraries.dump(1);
  EXPECT_EQ((*zlib_row)["path"], "demo.libs/libz-0a1b2c3d.so.1.2.11");
  EXPECT_EQ((*zlib_row)["version"], "1.2.11");
  EXPECT_EQ((*zlib_row)["statically_linked"], false);
  EXPECT_GE((*zlib_row)["cves"].get<int>(), 1);

  const auto cve = std::ranges::find_if(result.findings, [](const Finding& finding) { return finding.rule_id == "MOAT-N001"; });
  ASSERT_NE(cve, result.findings.end());
  EXPECT_EQ(cve->location.path, "demo.whl!/demo.libs/libz-0a1b2c3d.so.1.2.11");
  EXPECT_TRUE(cve->details.contains("fixed"));
  const auto rpath = std::ranges::find_if(result.findings, [](const Finding& finding) { return finding.rule_id == "MOAT-N009"; });
  ASSERT_NE(rpath, result.findings.end());
  EXPECT_EQ(rpath->location.path, "demo.whl!/demo/_ext.so");
}

TEST(NativeArtifact, PackageNamesAndVersionsMapToUpstream) {
  EXPECT_EQ(library_of_package("libssl3"), "openssl");
  EXPECT_EQ(library_of_package("openssl-libs"), "openssl");
  EXPECT_EQ(library_of_package("zlib1g"), "zlib");
  EXPECT_EQ(library_of_package("libzstd1"), "zstd");
  EXPECT_EQ(library_of_package("libcurl4"), "curl");
  EXPECT_EQ(library_of_package("libpng16-16"), "libpng");
  EXPECT_EQ(library_of_package("libXau"), "");
  EXPECT_EQ(library_of_package("libzip4"), "");
  EXPECT_EQ(upstream_of_package_version("1:1.2.13.dfsg-1"), "1.2.13");
  EXPECT_EQ(upstream_of_package_version("3.0.17-1~deb12u2"), "3.0.17");
  EXPECT_EQ(upstream_of_package_version("1:3.0.7-27.el9"), "3.0.7");
  EXPECT_EQ(upstream_of_package_version("3.1.4-r5"), "3.1.4");
  EXPECT_EQ(upstream_of_package_version("2.9.14+dfsg-1.3~deb12u1"), "2.9.14");
}

std::string auditwheel_sbom(const std::string& package, const std::string& version) {
  return R"({"bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1, "components": [
    {"type": "library", "bom-ref": "pkg:pypi/demo@1.0", "name": "demo", "version": "1.0", "purl": "pkg:pypi/demo@1.0"},
    {"type": "library", "bom-ref": "x", "name": ")" + package + R"(", "version": ")" + version +
         R"(", "purl": "pkg:deb/debian/)" + package + "@" + version + R"(?arch=amd64"},
    {"type": "library", "bom-ref": "y", "name": "libXau", "version": "1.0.9-1", "purl": "pkg:deb/debian/libXau@1.0.9-1"}]})";
}

ArtifactNativeResult scan_zlib_with_sbom(const std::string& sbom) {
  const auto zlib = compile_c("libz-0a1b2c3d.so.1.2.11",
                              "const char deflate_copyright[] = \" deflate 1.2.11 Copyright 1995-2017 Jean-loup Gailly and Mark Adler \";\n"
                              "const char *banner(void) { return deflate_copyright; }\n",
                              "-shared -fPIC -O2 -Wl,-z,relro,-z,now");
  EXPECT_FALSE(zlib.empty());
  ArtifactScanner scanner;
  const auto bytes = read_all(zlib);
  scanner.add_member("demo.whl!/demo.libs/libz-0a1b2c3d.so.1.2.11", "demo.libs/libz-0a1b2c3d.so.1.2.11", bytes_of(bytes));
  scanner.add_member("demo.whl!/demo-1.0.dist-info/sboms/auditwheel.cdx.json", "demo-1.0.dist-info/sboms/auditwheel.cdx.json",
                     bytes_of(sbom));
  return std::move(scanner).finish();
}

TEST(NativeArtifact, AuditwheelSbomConfirmingTheVersionMarksCvesAsPossiblyBackported) {
  const auto result = scan_zlib_with_sbom(auditwheel_sbom("zlib1g", "1:1.2.11.dfsg-2+deb11u2"));
  const auto& sbom = result.summary["sbom"];
  ASSERT_EQ(sbom.size(), 2U) << result.summary.dump(1);
  EXPECT_EQ(sbom[0]["library"], "zlib");
  EXPECT_EQ(sbom[0]["status"], "confirmed");
  EXPECT_EQ(sbom[1]["status"], "no detection data");
  EXPECT_TRUE(std::ranges::none_of(result.findings, [](const Finding& finding) { return finding.rule_id == "MOAT-N014"; }));
  const auto cve = std::ranges::find_if(result.findings, [](const Finding& finding) { return finding.rule_id == "MOAT-N001"; });
  ASSERT_NE(cve, result.findings.end());
  EXPECT_EQ(cve->confidence, Confidence::low);
  EXPECT_NE(cve->message.find("backport"), std::string::npos) << cve->message;
  EXPECT_EQ(cve->details["distribution_package"], "pkg:deb/debian/zlib1g@1:1.2.11.dfsg-2+deb11u2?arch=amd64");
}

TEST(NativeArtifact, AuditwheelSbomNamingAnotherVersionIsAFinding) {
  const auto result = scan_zlib_with_sbom(auditwheel_sbom("zlib1g", "1:1.2.13.dfsg-1"));
  EXPECT_EQ(result.summary["sbom"][0]["status"], "mismatch");
  const auto mismatch = std::ranges::find_if(result.findings, [](const Finding& finding) { return finding.rule_id == "MOAT-N014"; });
  ASSERT_NE(mismatch, result.findings.end());
  EXPECT_EQ(mismatch->location.path, "demo.whl!/demo-1.0.dist-info/sboms/auditwheel.cdx.json");
  EXPECT_NE(mismatch->message.find("zlib1g 1:1.2.13.dfsg-1"), std::string::npos) << mismatch->message;
  EXPECT_NE(mismatch->message.find("zlib 1.2.11"), std::string::npos) << mismatch->message;
}

TEST(NativeArtifact, UnreadableSbomIsAFinding) {
  const auto result = scan_zlib_with_sbom("{\"components\": 3}");
  EXPECT_TRUE(std::ranges::any_of(result.findings, [](const Finding& finding) {
    return finding.rule_id == "MOAT-N014" && finding.message.starts_with("unreadable auditwheel SBOM");
  }));
}

}  // namespace
}  // namespace moat::native
