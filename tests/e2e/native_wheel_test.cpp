// `moat inspect` on wheels built from Debian's own shared libraries (the .debs that
// scripts/fetch_native_fixtures.sh downloads; no network here), auditwheel-renamed and unrenamed:
// every library must be identified with the exact upstream version of its .deb, and the CVE findings
// must be exactly what data/native/native-vulns.json lists for that version (worked out here by an
// independent, simpler matcher), less the fixes Debian backported into that build (its changelog). Also the statically linked OpenSSL of the installed cryptography.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_moat.hpp"
#include "unit/dist/archive_builder.hpp"

namespace {

namespace fs = std::filesystem;
using moat::testing::run_moat;
using moat::testing::TempDir;
using moat::testing::TestEntry;

std::string shell_output(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  for (std::size_t got = 0; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, got);
  ::pclose(pipe);
  return out;
}

std::string read_all(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

fs::path debs_dir() {
  if (const char* dir = std::getenv("MOAT_TEST_DEBS")) return dir;
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : "/root") / ".cache" / "moat-debs";
}

/// Debian version -> upstream: "1:1.2.13.dfsg-1" -> "1.2.13", "2.9.14+dfsg-1.3~deb12u6" -> "2.9.14".
std::string upstream_version(std::string version) {
  if (const auto colon = version.find(':'); colon != std::string::npos) version.erase(0, colon + 1);
  version = version.substr(0, version.find_first_of("-+~"));
  if (const auto dfsg = version.find(".dfsg"); dfsg != std::string::npos) version.erase(dfsg);
  return version;
}

struct DebianLibrary {
  const char* package;
  const char* library;  // moat's id
  bool exact = true;    // false: the GCC runtime, whose Debian builds carry only symbol-version nodes (a lower bound)
};

// The identified libraries Debian 12 ships (docs/native.md), one package each.
constexpr DebianLibrary kPackages[] = {
    {"libssl3", "openssl"},       {"zlib1g", "zlib"},           {"libcurl4", "curl"},
    {"libsqlite3-0", "sqlite"},   {"libexpat1", "expat"},       {"libxml2", "libxml2"},
    {"libxslt1.1", "libxslt"},    {"libpng16-16", "libpng"},    {"libjpeg62-turbo", "libjpeg-turbo"},
    {"libtiff6", "libtiff"},      {"libwebp7", "libwebp"},      {"libfreetype6", "freetype"},
    {"libharfbuzz0b", "harfbuzz"}, {"liblcms2-2", "lcms2"},     {"libopenjp2-7", "openjpeg"},
    {"libffi8", "libffi"},        {"libyaml-0-2", "libyaml"},   {"libbz2-1.0", "bzip2"},
    {"liblzma5", "xz"},           {"libzstd1", "zstd"},         {"liblz4-1", "lz4"},
    {"libssh2-1", "libssh2"},     {"libpcre2-8-0", "pcre2"},    {"libopenblas0-pthread", "openblas"},
    {"libgmp10", "gmp"},          {"libbrotli1", "brotli"},     {"libgfortran5", "gcc-runtime", false},
    {"libgomp1", "gcc-runtime", false},
};

struct Member {
  std::string path;  // inside the wheel
  std::string data;
  std::string library;
  std::string version;
  bool exact = true;
};

/// Unpacks each cached .deb (dpkg-deb) and returns its shared objects: the real files (not the
/// soname links) directly under usr/lib/<triplet>, as auditwheel copies them.
std::vector<Member> debian_members(const fs::path& scratch, std::vector<std::string>& absent) {
  std::vector<Member> members;
  for (const auto& package : kPackages) {
    fs::path deb;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(debs_dir(), error))
      if (entry.path().filename().string().starts_with(std::string(package.package) + "_") && entry.path().extension() == ".deb")
        deb = entry.path();
    if (deb.empty()) {
      absent.emplace_back(package.package);
      continue;
    }
    const auto unpacked = scratch / package.package;
    const auto version = upstream_version(shell_output("dpkg-deb -f '" + deb.string() + "' Version | tr -d '\\n'"));
    if (std::system(("dpkg-deb -x '" + deb.string() + "' '" + unpacked.string() + "'").c_str()) != 0) {
      absent.emplace_back(package.package);
      continue;
    }
    for (const auto& entry : fs::recursive_directory_iterator(unpacked / "usr" / "lib", error)) {
      const auto name = entry.path().filename().string();
      if (entry.is_symlink() || !entry.is_regular_file() || !name.starts_with("lib") || name.find(".so") == std::string::npos)
        continue;
      // Plug-ins (OpenSSL engines, ossl-modules) and the BLAS/LAPACK alternatives are not the library.
      if (entry.path().parent_path().filename() != "x86_64-linux-gnu" && !name.starts_with("libopenblas")) continue;
      members.push_back({name, read_all(entry.path()), package.library, version, package.exact});
    }
  }
  return members;
}

// Independent of moat's comparator: dotted numbers, then the letter suffix (OpenSSL's 1.1.1w);
// enough for Debian's versions against the data's bounds.
int compare(const std::string& a, const std::string& b) {
  std::istringstream left(a), right(b);
  std::string x, y;
  while (true) {
    const bool more_left = static_cast<bool>(std::getline(left, x, '.'));
    const bool more_right = static_cast<bool>(std::getline(right, y, '.'));
    if (!more_left && !more_right) return 0;
    const long number_x = more_left ? std::strtol(x.c_str(), nullptr, 10) : 0;
    const long number_y = more_right ? std::strtol(y.c_str(), nullptr, 10) : 0;
    if (number_x != number_y) return number_x < number_y ? -1 : 1;
    const auto suffix_x = more_left ? x.substr(x.find_first_not_of("0123456789") == std::string::npos ? x.size() : x.find_first_not_of("0123456789")) : "";
    const auto suffix_y = more_right ? y.substr(y.find_first_not_of("0123456789") == std::string::npos ? y.size() : y.find_first_not_of("0123456789")) : "";
    if (suffix_x != suffix_y) return suffix_x < suffix_y ? -1 : 1;
  }
}

bool is_version(const nlohmann::json& bound) {
  return bound.is_string() && !bound.get<std::string>().empty() && std::isdigit(static_cast<unsigned char>(bound.get<std::string>()[0]));
}

/// The CVE ids data/native/native-vulns.json lists for a library version (library findings only).
std::set<std::string> expected_cves(const nlohmann::json& data, const std::string& library, const std::string& version) {
  std::set<std::string> ids;
  for (const auto& record : data["records"]) {
    if (record.value("library", "") != library || record.value("applies_to", "") == "tool") continue;
    const auto status = record.value("upstream_status", "");
    if (status == "not-a-bug" || status == "not-in-core") continue;
    if (record["notes"].is_string() && record["notes"].get<std::string>().find("minizip") != std::string::npos) continue;
    const auto& introduced = record["introduced"];
    const auto& fixed = record["fixed"];
    const auto& last = record["last_affected"];
    if (!is_version(introduced) && !introduced.is_null()) continue;
    if ((!fixed.is_null() && !is_version(fixed)) || (!last.is_null() && !is_version(last))) continue;
    if (introduced.is_string() && compare(version, introduced) < 0) continue;
    if (is_version(fixed) ? compare(version, fixed) >= 0 : (is_version(last) && compare(version, last) > 0)) continue;
    if (fixed.is_null() && last.is_null() && introduced.is_null()) continue;
    ids.insert(record["id"].get<std::string>());
  }
  return ids;
}

/// auditwheel's name: "<base>-<first 8 hex of the file's SHA-256>.<rest>".
std::string auditwheel_name(const Member& member) {
  const auto digest = moat::dist::to_hex(moat::dist::sha256_of(member.data)).substr(0, 8);
  const auto dot = member.path.find('.');
  return member.path.substr(0, dot) + "-" + digest + member.path.substr(dot);
}

nlohmann::json inspect_json(const fs::path& wheel, const fs::path& output) {
  const auto result = run_moat("inspect --exit-zero --no-secrets --format json -o '" + output.string() + "' '" + wheel.string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  std::ifstream stream(output);
  return nlohmann::json::parse(stream, nullptr, false);
}

void check_wheel(bool renamed) {
  TempDir scratch;
  std::vector<std::string> absent;
  const auto members = debian_members(scratch.path(), absent);
  if (members.empty())
    GTEST_SKIP() << "no Debian .debs in " << debs_dir() << " (MOAT_TEST_DEBS): run scripts/fetch_native_fixtures.sh";
  for (const auto& package : absent) std::printf("note: %s.deb absent, not checked\n", package.c_str());

  moat::testing::WheelSpec spec;
  spec.name = "demo_native";
  spec.tag = "cp311-cp311-linux_x86_64";
  spec.files = {{"demo_native/__init__.py", "VALUE = 1\n"}};
  std::map<std::string, const Member*> by_path;
  for (const auto& member : members) {
    const auto path = "demo_native.libs/" + (renamed ? auditwheel_name(member) : member.path);
    spec.files.emplace_back(path, member.data);
    by_path[path] = &member;
  }
  const auto wheel_name = "demo_native-1.0-" + spec.tag + ".whl";
  const auto wheel = scratch.write(wheel_name, moat::testing::build_wheel(spec));

  // Backports: the known builds of exactly these .debs (their changelogs' CVEs), imported into a
  // database of this test's own, so the result does not depend on the data moat embeds.
  const auto builds_file = scratch.path() / "known-builds.json";
  const auto generated = moat::testing::run_captured("python3 '" MOAT_SOURCE_DIR "/scripts/known_builds_from_debs.py' '" +
                                                     debs_dir().string() + "'/*.deb -o '" + builds_file.string() + "' 2>&1");
  ASSERT_EQ(generated.exit_code, 0) << generated.out;
  std::map<std::string, std::set<std::string>> fixed_by_sha256;
  const auto builds = nlohmann::json::parse(read_all(builds_file));
  for (const auto& build : builds["builds"])
    fixed_by_sha256[build["sha256"].get<std::string>()] = build["fixed"].get<std::set<std::string>>();
  ::setenv("MOAT_DB", (scratch.path() / "db" / "osv.sqlite").c_str(), 1);
  const auto imported = run_moat("db import '" + builds_file.string() + "'");
  EXPECT_EQ(imported.exit_code, 0) << imported.out;
  const auto json = inspect_json(wheel, scratch.path() / "report.json");
  ::unsetenv("MOAT_DB");
  ASSERT_FALSE(json.is_discarded());
  const auto& native = json["stats"]["artifacts"][0]["native"];
  ASSERT_TRUE(native.is_object()) << json["stats"].dump(1).substr(0, 2000);
  EXPECT_EQ(native["binaries"], members.size());

  std::ifstream data_stream(fs::path(MOAT_SOURCE_DIR) / "data" / "native" / "native-vulns.json");
  const auto data = nlohmann::json::parse(data_stream);
  std::map<std::string, std::set<std::string>> reported;  // location -> CVE ids
  for (const auto& finding : json["findings"])
    if (finding["rule_id"] == "MOAT-N001") reported[finding["path"].get<std::string>()].insert(finding["details"]["vulnerability"].get<std::string>());

  int exact_checked = 0;
  std::size_t cves_checked = 0;
  std::size_t backports_checked = 0;
  for (const auto& detail : native["details"]) {
    const auto location = detail["path"].get<std::string>();
    const auto path = location.substr(location.find("!/") + 2);
    ASSERT_TRUE(by_path.contains(path)) << location;
    const auto& member = *by_path[path];
    const nlohmann::json* found = nullptr;
    for (const auto& library : detail["libraries"])
      if (library["library"] == member.library && !library["statically_linked"].get<bool>()) found = &library;
    ASSERT_NE(found, nullptr) << path << " not identified as " << member.library << "\n" << detail.dump(1);
    if (!member.exact) {
      // Debian's GCC runtime carries only symbol-version nodes: the GCC release that added the
      // newest one, a lower bound that must be this build's GCC major release (12 for 12.2.0).
      EXPECT_TRUE((*found)["lower_bound"].get<bool>()) << path << "\n" << found->dump(1);
      EXPECT_EQ((*found)["version"], member.version.substr(0, member.version.find('.'))) << path << "\n" << found->dump(1);
      continue;
    }
    EXPECT_EQ((*found)["version"], member.version) << path << "\n" << found->dump(1);
    EXPECT_FALSE((*found)["lower_bound"].get<bool>()) << path;
    ++exact_checked;
    // CVEs are reported on the file holding the library's code, not on a sibling that links it.
    bool holds_code = true;
    for (const auto& evidence : (*found)["evidence"]) holds_code = holds_code && evidence["kind"] != "sibling";
    const auto by_version = holds_code ? expected_cves(data, member.library, member.version) : std::set<std::string>{};
    // Minus what this exact build's changelog says Debian fixed (reported as backported instead).
    const auto& fixed = fixed_by_sha256[moat::dist::to_hex(moat::dist::sha256_of(member.data))];
    std::set<std::string> expected, backported;
    for (const auto& id : by_version) (fixed.contains(id) ? backported : expected).insert(id);
    EXPECT_EQ(reported[location], expected) << path << " " << member.library << " " << member.version;
    std::set<std::string> reported_backported;
    for (const auto& match : detail.value("backported", nlohmann::json::array())) reported_backported.insert(match["id"].get<std::string>());
    EXPECT_EQ(reported_backported, backported) << path;
    if (member.library == "libwebp") {
      EXPECT_TRUE(backported.contains("CVE-2023-4863")) << "Debian's libwebp 1.2.4 carries the fix";
      EXPECT_EQ(detail["build"]["package"], "libwebp7") << detail.dump(1);
    }
    cves_checked += expected.size();
    backports_checked += backported.size();
  }
  EXPECT_GE(exact_checked, 25);
  EXPECT_GT(backports_checked, 0U);
  std::printf("%d libraries at their exact version, %zu CVE findings and %zu backported fixes checked\n", exact_checked,
              cves_checked, backports_checked);
}

TEST(NativeWheel, DebianLibrariesRenamedByAuditwheelAreIdentifiedWithTheirCves) { check_wheel(true); }

TEST(NativeWheel, DebianLibrariesUnrenamedAreIdentifiedWithTheirCves) { check_wheel(false); }

// A wheel claiming manylinux2014 (glibc 2.17) whose extension needs GLIBC_2.25 (getrandom).
TEST(NativeWheel, ClaimedPlatformTagIsCheckedAgainstTheBinaries) {
  TempDir scratch;
  std::ofstream(scratch.path() / "ext.c") << "#include <sys/random.h>\nint draw(void) { int v; getrandom(&v, sizeof v, 0); return v; }\n";
  const auto module = scratch.path() / "ext.so";
  if (std::system(("cc -shared -fPIC -O2 -o '" + module.string() + "' '" + (scratch.path() / "ext.c").string() + "'").c_str()) != 0)
    GTEST_SKIP() << "no C compiler";
  moat::testing::WheelSpec spec;
  spec.name = "demo_tag";
  spec.tag = "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64";
  spec.files = {{"demo_tag/__init__.py", ""}, {"demo_tag/_ext.cpython-311-x86_64-linux-gnu.so", read_all(module)}};
  const auto wheel = scratch.write("demo_tag-1.0-" + spec.tag + ".whl", moat::testing::build_wheel(spec));
  const auto json = inspect_json(wheel, scratch.path() / "report.json");
  ASSERT_FALSE(json.is_discarded());
  const auto& native = json["stats"]["artifacts"][0]["native"];
  EXPECT_EQ(native["claimed_platform_tag"], "manylinux_2_17_x86_64.manylinux2014_x86_64");
  const auto satisfied = native.value("satisfied_platform_tag", "");
  EXPECT_TRUE(satisfied.starts_with("manylinux_2_")) << native.dump(1);
  EXPECT_GE(std::stoi(satisfied.substr(12)), 25) << satisfied;
  bool flagged = false;
  for (const auto& finding : json["findings"])
    flagged = flagged || (finding["rule_id"] == "MOAT-N010" &&
                          finding["path"] == wheel.string() + "!/demo_tag/_ext.cpython-311-x86_64-linux-gnu.so");
  EXPECT_TRUE(flagged) << json["findings"].dump(1);

  // The text summary lists the binaries and the tag they satisfy.
  const auto text = run_moat("inspect --no-secrets --exit-zero '" + wheel.string() + "'");
  EXPECT_NE(text.out.find("native: 1 binaries, satisfy manylinux_2_"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("claimed manylinux_2_17_x86_64.manylinux2014_x86_64"), std::string::npos) << text.out;
}

/// The OpenSSL version string inside a binary, found without moat: "OpenSSL 3.5.4 30 Sep 2025" -> "3.5.4".
std::string openssl_banner_version(const std::string& data) {
  for (auto at = data.find("OpenSSL "); at != std::string::npos; at = data.find("OpenSSL ", at + 1)) {
    const auto rest = data.substr(at + 8, 24);
    if (rest.empty() || !std::isdigit(static_cast<unsigned char>(rest[0]))) continue;
    const auto end = rest.find(' ');
    // A banner has a date after the version ("3.5.4 30 Sep 2025"), unlike format strings.
    if (end == std::string::npos || end + 1 >= rest.size() || !std::isdigit(static_cast<unsigned char>(rest[end + 1]))) continue;
    return rest.substr(0, end);
  }
  return {};
}

// Done-when 1: the installed cryptography's Rust extension links OpenSSL statically; moat must
// report the version the binary's own banner names, from the file and from a wheel holding it.
TEST(NativeWheel, InstalledCryptographyReportsItsStaticOpenSsl) {
  const auto module = shell_output(
      "python3 -c 'import cryptography.hazmat.bindings._rust as m; print(m.__file__, end=\"\")' 2>/dev/null");
  if (module.empty() || !fs::exists(module)) GTEST_SKIP() << "cryptography is not installed for python3";
  const auto data = read_all(module);
  const auto expected = openssl_banner_version(data);
  ASSERT_FALSE(expected.empty()) << "no OpenSSL banner in " << module;

  TempDir scratch;
  const auto direct_output = scratch.path() / "native.json";
  const auto direct = run_moat("native --exit-zero --format json -o '" + direct_output.string() + "' '" + module + "'");
  EXPECT_EQ(direct.exit_code, 0) << direct.out;
  std::ifstream direct_stream(direct_output);
  const auto direct_json = nlohmann::json::parse(direct_stream, nullptr, false);
  ASSERT_FALSE(direct_json.is_discarded()) << direct.out;
  bool direct_found = false;
  for (const auto& library : direct_json["stats"]["native"][0]["libraries"])
    if (library["library"] == "openssl") direct_found = library["version"] == expected && library["statically_linked"] == true;
  EXPECT_TRUE(direct_found) << direct_json["stats"].dump(1).substr(0, 3000);

  moat::testing::WheelSpec spec;
  spec.name = "cryptography";
  spec.tag = "cp37-abi3-manylinux_2_34_x86_64";
  spec.files = {{"cryptography/__init__.py", ""}, {"cryptography/hazmat/bindings/_rust.abi3.so", data}};
  const auto wheel = scratch.write("cryptography-1.0-" + spec.tag + ".whl", moat::testing::build_wheel(spec));
  const auto json = inspect_json(wheel, scratch.path() / "report.json");
  ASSERT_FALSE(json.is_discarded());
  bool found = false;
  for (const auto& library : json["stats"]["artifacts"][0]["native"]["libraries"]) {
    if (library["library"] != "openssl") continue;
    found = true;
    EXPECT_EQ(library["version"], expected) << library.dump(1);
    EXPECT_TRUE(library["statically_linked"].get<bool>());
    EXPECT_EQ(library["path"], "cryptography/hazmat/bindings/_rust.abi3.so");
  }
  EXPECT_TRUE(found) << json["stats"].dump(1).substr(0, 3000);
}

}  // namespace
