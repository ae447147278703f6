// Libraries compiled at test time with known hardening and known version evidence.
#include <gtest/gtest.h>

#include <algorithm>

#include "moat/native/native.hpp"
#include "unit/native/synthetic.hpp"

namespace moat::native {
namespace {

using testing::bytes_of;
using testing::compile_c;
using testing::read_all;

constexpr const char* kCopyingSource = R"(
#include <string.h>
#include <stdio.h>
int copy_name(char *out, const char *in, unsigned long n) { char tmp[64]; strcpy(tmp, in); memcpy(out, tmp, n); return sprintf(out, "%s", tmp); }
)";

BinaryReport analyze_file(const std::filesystem::path& path) {
  const auto data = read_all(path);
  return analyze_binary(path.filename().string(), bytes_of(data));
}

bool has_rule(const BinaryReport& report, std::string_view rule) {
  const auto findings = native_findings(report);
  return std::ranges::any_of(findings, [&](const Finding& finding) { return finding.rule_id == rule; });
}

TEST(NativeSynthetic, WeakLibraryHasEveryWeakness) {
  const auto path = compile_c("libweak.so", kCopyingSource,
                              "-shared -fPIC -O0 -fno-stack-protector -U_FORTIFY_SOURCE -Wl,-z,execstack -Wl,-z,norelro "
                              "-Wl,--disable-new-dtags -Wl,-rpath,/tmp/evil:\\$ORIGIN/../lib");
  ASSERT_FALSE(path.empty()) << "cc failed";
  const auto report = analyze_file(path);
  ASSERT_TRUE(report.facts) << report.parse_error;
  EXPECT_EQ(report.hardening.relro, Relro::none);
  EXPECT_FALSE(report.hardening.nx);
  EXPECT_EQ(report.hardening.canary, false);
  EXPECT_EQ(report.hardening.fortified, 0);
  EXPECT_GE(report.hardening.fortifiable, 3);
  ASSERT_EQ(report.hardening.search_paths.size(), 2U);
  EXPECT_EQ(report.hardening.search_paths[0].source, "RPATH");
  EXPECT_EQ(report.hardening.search_paths[0].kind, SearchPathKind::world_writable);
  EXPECT_EQ(report.hardening.search_paths[1].kind, SearchPathKind::origin_relative);
  for (const char* rule : {"MOAT-N003", "MOAT-N004", "MOAT-N006", "MOAT-N007", "MOAT-N009"}) EXPECT_TRUE(has_rule(report, rule)) << rule;
}

TEST(NativeSynthetic, PartialLibraryHasPartialRelroAndAbsoluteRunpath) {
  const auto path = compile_c("libpartial.so", kCopyingSource,
                              "-shared -fPIC -O2 -fstack-protector-all -Wl,-z,relro -Wl,-z,lazy -Wl,--enable-new-dtags "
                              "-Wl,-rpath,/opt/x:\\$ORIGIN");
  ASSERT_FALSE(path.empty());
  const auto report = analyze_file(path);
  EXPECT_EQ(report.hardening.relro, Relro::partial);
  EXPECT_TRUE(report.hardening.nx);
  ASSERT_EQ(report.hardening.search_paths.size(), 2U);
  EXPECT_EQ(report.hardening.search_paths[0].source, "RUNPATH");
  EXPECT_EQ(report.hardening.search_paths[0].kind, SearchPathKind::absolute);
  EXPECT_TRUE(has_rule(report, "MOAT-N009"));
  EXPECT_FALSE(has_rule(report, "MOAT-N004"));
}

TEST(NativeSynthetic, StrongLibraryIsClean) {
  const auto path = compile_c("libstrong.so", kCopyingSource,
                              "-shared -fPIC -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -Wl,-z,relro,-z,now "
                              "-Wl,--enable-new-dtags -Wl,-rpath,\\$ORIGIN");
  ASSERT_FALSE(path.empty());
  const auto report = analyze_file(path);
  EXPECT_EQ(report.hardening.relro, Relro::full);
  EXPECT_EQ(report.hardening.canary, true);
  EXPECT_GE(report.hardening.fortified, 1);
  EXPECT_TRUE(native_findings(report).empty()) << to_json(report).dump(2);
}

TEST(NativeSynthetic, CetPropertiesAreRead) {
  const auto path = compile_c("libcet.so", "int answer(void) { return 42; }\n",
                              "-shared -fPIC -O2 -fcf-protection=full -nostartfiles");
  ASSERT_FALSE(path.empty());
  const auto report = analyze_file(path);
  EXPECT_EQ(report.hardening.ibt, true);
  EXPECT_EQ(report.hardening.shadow_stack, true);
}

TEST(NativeSynthetic, NonPieExecutableIsReported) {
  const auto path = compile_c("plain-exe", "int main(void) { return 0; }\n", "-O2 -fno-pie -no-pie");
  ASSERT_FALSE(path.empty());
  const auto report = analyze_file(path);
  ASSERT_TRUE(report.facts);
  EXPECT_EQ(report.facts->kind, BinaryKind::executable);
  EXPECT_EQ(report.hardening.pie, false);
  EXPECT_TRUE(has_rule(report, "MOAT-N008"));
}

TEST(NativeSynthetic, VersionFunctionsAndBannersIdentifyRenamedLibraries) {
  const auto zlib = compile_c("libz-062372f2.so.1.2.11",
                              "const char deflate_copyright[] = \" deflate 1.2.11 Copyright 1995-2017 Jean-loup Gailly and Mark Adler \";\n"
                              "const char *zlibVersion(void) { return \"1.2.11\"; }\n",
                              "-shared -fPIC -O2 -Wl,-soname,libz-062372f2.so.1.2.11");
  const auto webp = compile_c("libwebp-d013a4b4.so.6.0.2", "int WebPGetDecoderVersion(void) { return 0x010204; }\n",
                              "-shared -fPIC -O2");
  ASSERT_FALSE(zlib.empty());
  ASSERT_FALSE(webp.empty());
  const auto zlib_report = analyze_file(zlib);
  ASSERT_EQ(zlib_report.libraries.size(), 1U) << to_json(zlib_report).dump(2);
  EXPECT_EQ(zlib_report.libraries[0].library, "zlib");
  EXPECT_EQ(zlib_report.libraries[0].version, "1.2.11");
  EXPECT_EQ(zlib_report.libraries[0].confidence, Confidence::high);
  EXPECT_FALSE(zlib_report.libraries[0].statically_linked);
  EXPECT_EQ(zlib_report.libraries[0].evidence.front().kind, EvidenceKind::file_name);
  // 1.2.11 is in three zlib ranges; CVE-2023-45853 is MiniZip-only and this binary has no MiniZip.
  EXPECT_EQ(zlib_report.vulnerabilities.size(), 2U);
  EXPECT_TRUE(std::ranges::none_of(zlib_report.vulnerabilities, [](const VulnerabilityMatch& match) {
    return match.record.id == "CVE-2023-45853";
  }));

  const auto webp_report = analyze_file(webp);
  ASSERT_EQ(webp_report.libraries.size(), 1U);
  EXPECT_EQ(webp_report.libraries[0].version, "1.2.4");
  EXPECT_TRUE(std::ranges::any_of(webp_report.vulnerabilities, [](const VulnerabilityMatch& match) {
    return match.record.id == "CVE-2023-4863";
  }));
  const auto findings = native_findings(webp_report);
  const auto cve = std::ranges::find_if(findings, [](const Finding& finding) { return finding.snippet == "CVE-2023-4863"; });
  ASSERT_NE(cve, findings.end());
  EXPECT_EQ(cve->rule_id, "MOAT-N001");
  EXPECT_EQ(cve->severity, Severity::high);
  EXPECT_EQ(cve->category, Category::native);
  EXPECT_NE(cve->message.find("fixed in 1.3.2"), std::string::npos) << cve->message;
}

TEST(NativeSynthetic, StaticallyLinkedBannerIsFoundInAnExtensionModule) {
  const auto path = compile_c("_rust.abi3.so",
                              "const char banner[] = \"OpenSSL 3.0.17 1 Jul 2025\";\n"
                              "const char *openssl_banner(void) { return banner; }\n",
                              "-shared -fPIC -O2");
  ASSERT_FALSE(path.empty());
  const auto report = analyze_file(path);
  ASSERT_EQ(report.libraries.size(), 1U);
  EXPECT_EQ(report.libraries[0].library, "openssl");
  EXPECT_EQ(report.libraries[0].version, "3.0.17");
  EXPECT_TRUE(report.libraries[0].statically_linked);
  EXPECT_EQ(report.vulnerabilities.size(), 26U);
}

TEST(NativeSynthetic, PlatformTagFollowsGlibcSymbolVersions) {
  // memfd_create appeared in glibc 2.27.
  const auto path = compile_c("_ext.so", "#define _GNU_SOURCE\n#include <sys/mman.h>\nint make(void) { return memfd_create(\"x\", 0); }\n",
                              "-shared -fPIC -O2");
  ASSERT_FALSE(path.empty());
  const auto data = read_all(path);
  AnalyzeOptions options;
  options.claimed_platform_tag = "manylinux_2_17_x86_64.manylinux2014_x86_64";
  const auto report = analyze_binary("_ext.so", bytes_of(data), options);
  EXPECT_EQ(report.platform.highest_glibc, "2.27");
  EXPECT_EQ(report.platform.satisfied_tag, "manylinux_2_27_x86_64");
  ASSERT_TRUE(report.platform_problem);
  EXPECT_TRUE(has_rule(report, "MOAT-N010"));
  options.claimed_platform_tag = "manylinux_2_28_x86_64";
  EXPECT_FALSE(analyze_binary("_ext.so", bytes_of(data), options).platform_problem);
}

TEST(NativeSynthetic, SiblingPropagationGivesLibsslItsVersion) {
  const auto crypto = compile_c("libcrypto-55019c10.so.3", "unsigned long OpenSSL_version_num(void) { return 0x30000110UL; }\n",
                                "-shared -fPIC -O2 -Wl,-soname,libcrypto-55019c10.so.3");
  ASSERT_FALSE(crypto.empty());
  const auto ssl = compile_c("libssl-a3035eb2.so.3", "int SSL_library_init(void) { return 1; }\n",
                             "-shared -fPIC -O2 -Wl,--no-as-needed '" + crypto.string() + "'");
  ASSERT_FALSE(ssl.empty());
  std::vector<BinaryReport> reports{analyze_file(crypto), analyze_file(ssl)};
  ASSERT_EQ(reports[0].libraries.size(), 1U);
  EXPECT_EQ(reports[0].libraries[0].version, "3.0.17");
  EXPECT_EQ(reports[0].vulnerabilities.size(), 26U);
  propagate_sibling_versions(reports);
  ASSERT_EQ(reports[1].libraries.size(), 1U);
  EXPECT_EQ(reports[1].libraries[0].version, "3.0.17");
  EXPECT_EQ(reports[1].libraries[0].evidence.back().kind, EvidenceKind::sibling);
}

TEST(NativeNames, RepairToolHashesAreStripped) {
  const auto auditwheel = normalize_library_name("pkg.libs/libcrypto-55019c10.so.3");
  EXPECT_EQ(auditwheel.name, "libcrypto.so.3");
  EXPECT_EQ(auditwheel.hash, "55019c10");
  EXPECT_EQ(auditwheel.renamed_by, "auditwheel");
  const auto png = normalize_library_name("libpng16-4b0ecd91.so.16.37.0");
  EXPECT_EQ(png.base, "libpng16");
  EXPECT_EQ(png.suffix, "16.37.0");
  const auto delvewheel = normalize_library_name("libssl-3-x64-0123456789abcdef0123456789abcdef.dll");
  EXPECT_EQ(delvewheel.name, "libssl-3-x64.dll");
  EXPECT_EQ(delvewheel.renamed_by, "delvewheel");
  EXPECT_EQ(normalize_library_name("libpcre2-8.so.0").hash, "");
}

TEST(NativeRules, EveryRuleHasDocumentation) {
  const auto docs = native_rule_docs();
  EXPECT_EQ(docs.size(), 14U);
  for (const auto& doc : docs) {
    EXPECT_TRUE(doc.id.starts_with("MOAT-N")) << doc.id;
    EXPECT_FALSE(doc.title.empty() || doc.what.empty() || doc.why.empty() || doc.fix.empty()) << doc.id;
  }
}

}  // namespace
}  // namespace moat::native
