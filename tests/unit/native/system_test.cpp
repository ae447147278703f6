// The machine's own Debian libraries: identification against dpkg's upstream versions, and
// hardening against what readelf shows. Skipped where the libraries or tools are absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "moat/native/native.hpp"
#include "unit/native/synthetic.hpp"

namespace moat::native {
namespace {

namespace fs = std::filesystem;
using testing::bytes_of;
using testing::shell_output;

const fs::path kLibDir = "/usr/lib/x86_64-linux-gnu";

// dpkg's version without epoch, Debian revision or repack suffix: "1:1.2.13.dfsg-1" -> "1.2.13".
std::string upstream_version(const std::string& package) {
  auto version = shell_output("dpkg-query -W -f '${Version}' " + package + " 2>/dev/null");
  if (const auto colon = version.find(':'); colon != std::string::npos) version.erase(0, colon + 1);
  const auto end = version.find_first_of("-+~");
  version = version.substr(0, end);
  if (const auto dfsg = version.find(".dfsg"); dfsg != std::string::npos) version.erase(dfsg);
  return version;
}

struct Expected {
  const char* file;
  const char* package;
  const char* library;
};

constexpr Expected kDebianLibraries[] = {
    {"libcrypto.so.3", "libssl3", "openssl"},         {"libz.so.1", "zlib1g", "zlib"},
    {"libcurl.so.4", "libcurl4", "curl"},             {"libsqlite3.so.0", "libsqlite3-0", "sqlite"},
    {"libexpat.so.1", "libexpat1", "expat"},          {"libxml2.so.2", "libxml2", "libxml2"},
    {"libxslt.so.1", "libxslt1.1", "libxslt"},        {"libpng16.so.16", "libpng16-16", "libpng"},
    {"libjpeg.so.62", "libjpeg62-turbo", "libjpeg-turbo"}, {"libtiff.so.6", "libtiff6", "libtiff"},
    {"libwebp.so.7", "libwebp7", "libwebp"},          {"libfreetype.so.6", "libfreetype6", "freetype"},
    {"libharfbuzz.so.0", "libharfbuzz0b", "harfbuzz"}, {"liblcms2.so.2", "liblcms2-2", "lcms2"},
    {"libopenjp2.so.7", "libopenjp2-7", "openjpeg"},   {"libffi.so.8", "libffi8", "libffi"},
    {"libyaml-0.so.2", "libyaml-0-2", "libyaml"},      {"libbz2.so.1.0", "libbz2-1.0", "bzip2"},
    {"liblzma.so.5", "liblzma5", "xz"},                {"libzstd.so.1", "libzstd1", "zstd"},
    {"liblz4.so.1", "liblz4-1", "lz4"},                {"libssh2.so.1", "libssh2-1", "libssh2"},
    {"libpcre2-8.so.0", "libpcre2-8-0", "pcre2"},      {"libgmp.so.10", "libgmp10", "gmp"},
    {"libbrotlidec.so.1", "libbrotli1", "brotli"},
};

TEST(NativeSystem, DebianLibrariesAreIdentifiedWithTheirUpstreamVersion) {
  int checked = 0;
  for (const auto& expected : kDebianLibraries) {
    std::error_code error;
    // The real file, as auditwheel copies it: its name keeps the full libtool suffix.
    const auto path = fs::canonical(kLibDir / expected.file, error);
    const auto version = upstream_version(expected.package);
    if (error || version.empty()) continue;
    const auto data = testing::read_all(path);
    const auto report = analyze_binary(path.string(), bytes_of(data));
    const auto found = std::ranges::find_if(report.libraries, [&](const LibraryIdentification& library) {
      return library.library == expected.library && !library.statically_linked;
    });
    ASSERT_NE(found, report.libraries.end()) << expected.file << "\n" << to_json(report).dump(2);
    EXPECT_EQ(found->version, version) << expected.file << "\n" << to_json(report).dump(2);
    EXPECT_FALSE(found->version_is_lower_bound) << expected.file;
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "no Debian libraries under " << kLibDir;
}

// A wheel-style directory: Debian's libraries copied auditwheel-style (`<base>-<sha256[:8]>.<rest>`)
// next to unrenamed copies; each must be identified with dpkg's upstream version and carry exactly
// the CVEs the data lists for that version (libssl's are reported on libcrypto).
TEST(NativeSystem, AuditwheelRenamedDebianLibrariesKeepTheirIdentity) {
  const Expected wheel_libraries[] = {
      {"libcrypto.so.3", "libssl3", "openssl"}, {"libssl.so.3", "libssl3", "openssl"},
      {"libz.so.1", "zlib1g", "zlib"},          {"libexpat.so.1", "libexpat1", "expat"},
      {"libsqlite3.so.0", "libsqlite3-0", "sqlite"}, {"libxml2.so.2", "libxml2", "libxml2"},
      {"libwebp.so.7", "libwebp7", "libwebp"},  {"libcurl.so.4", "libcurl4", "curl"},
      {"libpng16.so.16", "libpng16-16", "libpng"}};
  std::vector<BinaryReport> reports;
  std::vector<std::pair<std::string, std::string>> expected_versions;  // library id, version
  // CVEs by version alone: these are the installed Debian builds, whose backports the embedded
  // known builds would settle (tested in known_builds_test.cpp and the Debian wheel e2e test).
  const KnownBuilds no_known_builds;
  AnalyzeOptions by_version_only;
  by_version_only.known_builds = &no_known_builds;
  for (const auto& expected : wheel_libraries) {
    std::error_code error;
    const auto real = fs::canonical(kLibDir / expected.file, error);
    const auto version = upstream_version(expected.package);
    if (error || version.empty()) continue;
    const auto data = testing::read_all(real);
    const auto hash = shell_output("sha256sum '" + real.string() + "'").substr(0, 8);
    const auto name = real.filename().string();
    const auto dot = name.find('.');
    const auto renamed = "demo.libs/" + name.substr(0, dot) + "-" + hash + name.substr(dot);
    const auto normalized = normalize_library_name(renamed);
    EXPECT_EQ(normalized.hash, hash);
    EXPECT_EQ(normalized.name, name);
    reports.push_back(analyze_binary(renamed, bytes_of(data), by_version_only));
    reports.push_back(analyze_binary("demo.libs/" + name, bytes_of(data), by_version_only));
    expected_versions.emplace_back(expected.library, version);
    expected_versions.emplace_back(expected.library, version);
  }
  if (reports.empty()) GTEST_SKIP() << "no Debian libraries under " << kLibDir;
  propagate_sibling_versions(reports);
  for (std::size_t index = 0; index < reports.size(); ++index) {
    const auto& report = reports[index];
    const auto& [library, version] = expected_versions[index];
    const auto found = std::ranges::find_if(report.libraries, [&](const LibraryIdentification& candidate) {
      return candidate.library == library;
    });
    ASSERT_NE(found, report.libraries.end()) << report.path;
    EXPECT_EQ(found->version, version) << report.path;
    std::set<std::string> expected_ids;
    const bool holds_code = std::ranges::none_of(found->evidence, [](const Evidence& evidence) { return evidence.kind == EvidenceKind::sibling; });
    if (holds_code)
      for (const auto* record : NativeVulnDb::embedded().matches(library, version))
        if (record->notes.find("minizip") == std::string::npos) expected_ids.insert(record->id);
    std::set<std::string> reported_ids;
    for (const auto& match : report.vulnerabilities) reported_ids.insert(match.record.id);
    EXPECT_EQ(reported_ids, expected_ids) << report.path;
  }
}

struct ReadelfView {
  bool relro = false, bind_now = false, stack_exec = false, has_stack = false, textrel = false, canary = false;
  int fortified = 0;
};

ReadelfView readelf(const fs::path& path) {
  ReadelfView view;
  const auto program = shell_output("readelf -lW '" + path.string() + "' 2>/dev/null");
  view.relro = program.find("GNU_RELRO") != std::string::npos;
  const auto stack = program.find("GNU_STACK");
  view.has_stack = stack != std::string::npos;
  if (view.has_stack) {
    const auto line = program.substr(stack, program.find('\n', stack) - stack);
    view.stack_exec = line.find("RWE") != std::string::npos;
  }
  const auto dynamic = shell_output("readelf -dW '" + path.string() + "' 2>/dev/null");
  view.bind_now = dynamic.find("(BIND_NOW)") != std::string::npos || dynamic.find("Flags: NOW") != std::string::npos ||
                  (dynamic.find("(FLAGS)") != std::string::npos && dynamic.find("BIND_NOW") != std::string::npos);
  view.textrel = dynamic.find("(TEXTREL)") != std::string::npos || dynamic.find("TEXTREL") != std::string::npos;
  const auto symbols = shell_output("readelf --dyn-syms -W '" + path.string() + "' 2>/dev/null | grep ' UND '");
  view.canary = symbols.find("__stack_chk_fail") != std::string::npos || symbols.find("__stack_chk_guard") != std::string::npos;
  std::set<std::string> fortified;
  for (std::size_t at = symbols.find("_chk"); at != std::string::npos; at = symbols.find("_chk", at + 1)) {
    const auto start = symbols.rfind(' ', at) + 1;
    const auto name = symbols.substr(start, at + 4 - start);
    if (name.starts_with("__") && name != "__stack_chk" ) fortified.insert(name);
  }
  view.fortified = static_cast<int>(fortified.size());
  return view;
}

// Agreement with readelf (what checksec reads) on at least 100 shared libraries.
TEST(NativeSystem, HardeningAgreesWithReadelfOnDebianLibraries) {
  if (shell_output("command -v readelf").empty()) GTEST_SKIP() << "readelf not installed";
  std::vector<fs::path> libraries;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(kLibDir, error)) {
    const auto name = entry.path().filename().string();
    if (entry.is_symlink() || !entry.is_regular_file() || name.find(".so") == std::string::npos) continue;
    libraries.push_back(entry.path());
  }
  std::ranges::sort(libraries);
  if (libraries.size() > 120) libraries.resize(120);
  if (libraries.size() < 100) GTEST_SKIP() << "fewer than 100 shared libraries under " << kLibDir;
  int compared = 0;
  for (const auto& path : libraries) {
    const auto data = testing::read_all(path);
    const auto report = analyze_binary(path.string(), bytes_of(data));
    if (!report.facts || report.facts->format != BinaryFormat::elf) continue;  // linker scripts named .so
    const auto expected = readelf(path);
    const auto relro = !expected.relro ? Relro::none : (expected.bind_now ? Relro::full : Relro::partial);
    EXPECT_EQ(report.hardening.relro, relro) << path;
    EXPECT_EQ(report.hardening.nx, expected.has_stack && !expected.stack_exec) << path;
    EXPECT_EQ(report.hardening.text_relocations, expected.textrel) << path;
    EXPECT_EQ(report.hardening.canary, expected.canary) << path;
    EXPECT_EQ(report.hardening.fortified > 0, expected.fortified > 0) << path;
    ++compared;
  }
  EXPECT_GE(compared, 100);
}

TEST(NativeSystem, InstalledCryptographyOpenSslMatchesItsBanner) {
  const auto module = shell_output(
      "python3 -c 'import cryptography.hazmat.bindings._rust as m; print(m.__file__, end=\"\")' 2>/dev/null");
  if (module.empty() || !fs::exists(module)) GTEST_SKIP() << "cryptography is not installed for python3";
  const auto data = testing::read_all(module);
  // The version string inside the binary, found independently of moat's detection data.
  const auto banner = data.find("OpenSSL ");
  std::string expected;
  for (auto at = banner; at != std::string::npos; at = data.find("OpenSSL ", at + 1)) {
    const auto rest = data.substr(at + 8, 16);
    if (rest.empty() || !std::isdigit(static_cast<unsigned char>(rest[0]))) continue;
    expected = rest.substr(0, rest.find(' '));
    break;
  }
  ASSERT_FALSE(expected.empty());
  const auto report = analyze_binary(module, bytes_of(data));
  const auto openssl = std::ranges::find_if(report.libraries, [](const LibraryIdentification& library) { return library.library == "openssl"; });
  ASSERT_NE(openssl, report.libraries.end()) << to_json(report).dump(2);
  EXPECT_EQ(openssl->version, expected);
  EXPECT_TRUE(openssl->statically_linked);
}

}  // namespace
}  // namespace moat::native
