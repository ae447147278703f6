#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "moat/dist/inspect.hpp"
#include "moat/dist/wheel.hpp"
#include "support/shared_data.hpp"
#include "unit/dist/archive_builder.hpp"
#include "unit/dist/test_helpers.hpp"

namespace {

using moat::Finding;
using moat::testing::build_wheel;
using moat::testing::has_rule;
using moat::testing::rules_of;
using moat::testing::TempDir;
using moat::testing::TestEntry;
using moat::testing::WheelSpec;

std::vector<Finding> inspect(const std::string& bytes, const std::string& name, moat::dist::InspectOptions options = {}) {
  TempDir dir;
  const auto path = dir.write(name, bytes);
  auto report = moat::dist::inspect_artifact(path, options, name);
  EXPECT_TRUE(report.has_value()) << (report ? "" : report.error().to_string());
  return report ? report->findings : std::vector<Finding>{};
}

std::vector<Finding> inspect_wheel(const WheelSpec& spec, moat::dist::InspectOptions options = {}) {
  return inspect(build_wheel(spec), spec.name + "-" + spec.version + "-" + spec.tag + ".whl", std::move(options));
}

TEST(WheelFilename, ParsesAllParts) {
  auto parsed = moat::dist::parse_wheel_filename("spt3g-1.0-1abc-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
  EXPECT_EQ(parsed->name, "spt3g");
  EXPECT_EQ(parsed->version, "1.0");
  EXPECT_EQ(parsed->build, "1abc");
  EXPECT_EQ(parsed->platform_tags.size(), 2u);
}

TEST(WheelFilename, RejectsBadNames) {
  for (const char* name : {"foo-1.0.whl", "foo-1.0-py3-none-any.zip", "foo-x.y-py3-none-any.whl",
                           "foo-1.0-abc-py3-none-any.whl", "fo!o-1.0-py3-none-any.whl"})
    EXPECT_FALSE(moat::dist::parse_wheel_filename(name).has_value()) << name;
}

TEST(Wheel, GoodWheelIsClean) {
  const auto findings = inspect_wheel({});
  EXPECT_TRUE(findings.empty()) << rules_of(findings);
}

TEST(Wheel, RecordMismatchIsFound) {
  WheelSpec spec;
  spec.edit = [](std::vector<TestEntry>& entries) { entries[1].data[0] = 'X'; };  // demo/core.py
  const auto findings = inspect_wheel(spec);
  const auto mismatches = moat::testing::with_rule(findings, "MOAT-D006");
  ASSERT_EQ(mismatches.size(), 1u) << rules_of(findings);
  EXPECT_EQ(mismatches[0]->location.path, "demo-1.0-py3-none-any.whl!/demo/core.py");
  EXPECT_EQ(mismatches[0]->severity, moat::Severity::high);
}

TEST(Wheel, UnlistedAndMissingFilesAreFound) {
  WheelSpec spec;
  spec.edit = [](std::vector<TestEntry>& entries) {
    entries.push_back({"demo/injected.py", "import os\n"});
    entries.erase(entries.begin());  // demo/__init__.py stays in RECORD only
  };
  const auto findings = inspect_wheel(spec);
  EXPECT_TRUE(has_rule(findings, "MOAT-D007")) << rules_of(findings);
  EXPECT_TRUE(has_rule(findings, "MOAT-D008")) << rules_of(findings);
}

TEST(Wheel, MissingRecordIsFound) {
  WheelSpec spec;
  spec.with_record = false;
  EXPECT_TRUE(has_rule(inspect_wheel(spec), "MOAT-D004"));
}

TEST(Wheel, MalformedRecordRowsAreFound) {
  const std::vector<moat::dist::EntryInfo> entries = {{"a.py", moat::dist::EntryType::file, 1, "", moat::dist::sha256_of("x"), true}};
  const auto padded = moat::dist::verify_record("a.py,sha256=LXBU9vG4Al5uy+ES3+Sy0E2iqq07sYjF8WDuz6Q9lZM=,1\n", "d/RECORD", entries);
  ASSERT_FALSE(padded.ok());
  EXPECT_EQ(padded.problems[0].kind, moat::dist::RecordProblem::Kind::malformed);
  const auto weak = moat::dist::verify_record("a.py,md5=abc,1\n", "d/RECORD", entries);
  ASSERT_FALSE(weak.ok());
  EXPECT_NE(weak.problems[0].message.find("weak"), std::string::npos);
  const auto traversal = moat::dist::verify_record("../a.py,sha256=x,1\n", "d/RECORD", entries);
  EXPECT_FALSE(traversal.ok());
  const std::string good = "a.py," + moat::testing::record_hash("x") + ",1\n";
  const auto verified = moat::dist::verify_record(good, "d/RECORD", entries);
  EXPECT_TRUE(verified.ok());
  EXPECT_EQ(verified.verified, 1u);
  const auto wrong_size = moat::dist::verify_record("a.py," + moat::testing::record_hash("x") + ",2\n", "d/RECORD", entries);
  ASSERT_FALSE(wrong_size.ok());
  EXPECT_EQ(wrong_size.problems[0].kind, moat::dist::RecordProblem::Kind::size_mismatch);
}

TEST(Wheel, RecordCsvQuotingIsUnderstood) {
  const auto parsed = moat::dist::parse_record("\"a,b.py\",sha256=x,3\n\"q\"\"uote.py\",,\n");
  ASSERT_EQ(parsed.rows.size(), 2u);
  EXPECT_EQ(parsed.rows[0].path, "a,b.py");
  EXPECT_EQ(parsed.rows[1].path, "q\"uote.py");
  EXPECT_TRUE(parsed.problems.empty());
}

TEST(Wheel, MetadataProblemsAreFound) {
  WheelSpec spec;
  spec.metadata =
      "Metadata-Version: 2.0\nName: other\nVersion: 2.0\nRequires-Dist: requests >>= 2\nLicense-Expression: MIT or and Apache\n\nbody\n";
  const auto findings = inspect_wheel(spec);
  EXPECT_TRUE(has_rule(findings, "MOAT-M002")) << rules_of(findings);
  EXPECT_EQ(moat::testing::with_rule(findings, "MOAT-M003").size(), 2u) << rules_of(findings);
  EXPECT_TRUE(has_rule(findings, "MOAT-M004"));
  EXPECT_TRUE(has_rule(findings, "MOAT-M005"));
  EXPECT_TRUE(has_rule(findings, "MOAT-M006"));  // no Description-Content-Type
}

TEST(Wheel, LicenseFilesMustBeInTheWheel) {
  WheelSpec spec;
  spec.metadata = "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nLicense-Expression: MIT\nLicense-File: LICENSE\n"
                  "Description-Content-Type: text/plain\n\nbody\n";
  const auto missing = inspect_wheel(spec);
  EXPECT_TRUE(has_rule(missing, "MOAT-M005")) << rules_of(missing);
  spec.files.push_back({"demo-1.0.dist-info/licenses/LICENSE", "MIT licence text"});
  const auto present = inspect_wheel(spec);
  EXPECT_FALSE(has_rule(present, "MOAT-M005")) << rules_of(present);
}

TEST(Wheel, WheelFileAndDistInfoProblemsAreFound) {
  WheelSpec spec;
  spec.wheel_file = "Wheel-Version: 2.0\nRoot-Is-Purelib: maybe\nTag: cp39-cp39-linux_x86_64\n";
  const auto findings = inspect_wheel(spec);
  EXPECT_EQ(moat::testing::with_rule(findings, "MOAT-D003").size(), 3u) << rules_of(findings);

  WheelSpec renamed;
  const auto bytes = build_wheel(renamed);
  const auto mismatch = inspect(bytes, "other-1.0-py3-none-any.whl");
  EXPECT_TRUE(has_rule(mismatch, "MOAT-D001")) << rules_of(mismatch);
  EXPECT_TRUE(has_rule(mismatch, "MOAT-M003"));

  WheelSpec two;
  two.files.push_back({"extra-2.0.dist-info/METADATA", "Name: extra\n"});
  EXPECT_TRUE(has_rule(inspect_wheel(two), "MOAT-D002"));
}

TEST(Wheel, PthFileThatImportsIsFound) {
  WheelSpec spec;
  spec.files.push_back({"demo_hook.pth", "# comment\nimport os; os.system('id')\n"});
  const auto findings = inspect_wheel(spec);
  const auto pth = moat::testing::with_rule(findings, "MOAT-D009");
  ASSERT_EQ(pth.size(), 1u) << rules_of(findings);
  EXPECT_EQ(pth[0]->location.line, 2);
  WheelSpec paths_only;
  paths_only.files.push_back({"demo_paths.pth", "/opt/somewhere\n"});
  EXPECT_FALSE(has_rule(inspect_wheel(paths_only), "MOAT-D009"));
}

TEST(CheckWheelContents, Codes) {
  WheelSpec spec;
  spec.files = {{"demo/__init__.py", "A = 1\n"},
                {"demo/__pycache__/core.cpython-311.pyc", "bytecode"},
                {"demo/copy1.py", "same content\n"},
                {"demo/copy2.py", "same content\n"},
                {"README.md", "# readme"},
                {"demo/my-module.py", "x = 1\n"},
                {"tests/__init__.py", ""},
                {"__init__.py", ""},
                {"assets/logo.png", "png"}};
  const auto findings = inspect_wheel(spec);
  for (const char* rule : {"MOAT-W001", "MOAT-W002", "MOAT-W003", "MOAT-W004", "MOAT-W005", "MOAT-W006",
                           "MOAT-W009", "MOAT-W010"})
    EXPECT_TRUE(has_rule(findings, rule)) << rule << "\n" << rules_of(findings);
  EXPECT_FALSE(has_rule(findings, "MOAT-W007"));
  EXPECT_FALSE(has_rule(findings, "MOAT-W008"));
}

TEST(CheckWheelContents, EmptyWheelsAndToplevel) {
  WheelSpec only_dist_info;
  only_dist_info.files = {};
  EXPECT_TRUE(has_rule(inspect_wheel(only_dist_info), "MOAT-W008"));

  WheelSpec scripts_only;
  scripts_only.files = {{"demo-1.0.data/scripts/run", "#!/bin/sh\n"}};
  EXPECT_TRUE(has_rule(inspect_wheel(scripts_only), "MOAT-W007"));

  moat::dist::InspectOptions options;
  options.wheel.toplevel = {"demo", "missing"};
  WheelSpec extra;
  extra.files.push_back({"other/__init__.py", "x = 1\n"});
  const auto findings = inspect_wheel(extra, options);
  EXPECT_TRUE(has_rule(findings, "MOAT-W201")) << rules_of(findings);
  EXPECT_TRUE(has_rule(findings, "MOAT-W202"));
  EXPECT_FALSE(has_rule(findings, "MOAT-W009"));
}

TEST(Wheel, FindingsKeepMemberOrderWhateverTheWorkers) {
  WheelSpec spec;
  for (int i = 0; i < 40; ++i)
    spec.files.emplace_back("demo/mod" + std::to_string(i) + ".py",
                            "TOKEN = '" + std::string("ghp_") + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A'\n");
  std::vector<std::string> by_jobs[2];
  for (const unsigned jobs : {1u, 4u}) {
    moat::dist::InspectOptions options;
    options.jobs = jobs;
    options.max_queued_bytes = 1;  // one member at a time in flight: the reader waits on the workers
    options.python_scanner = [](std::string_view location, std::string_view) {
      // Early modules take longest, so workers finish out of order.
      if (location.find("mod1.py") != std::string_view::npos) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      Finding finding;
      finding.rule_id = "TEST1";
      finding.location.path = std::string(location);
      return std::vector<Finding>{finding};
    };
    for (const auto& finding : inspect_wheel(spec, options))
      by_jobs[jobs == 1 ? 0 : 1].push_back(finding.rule_id + " " + finding.location.path);
  }
  EXPECT_EQ(by_jobs[0], by_jobs[1]);
  EXPECT_EQ(std::ranges::count_if(by_jobs[1], [](const std::string& line) { return line.starts_with("TEST1"); }), 42);  // and the two default modules
  EXPECT_EQ(std::ranges::count_if(by_jobs[1], [](const std::string& line) { return line.starts_with("MOAT-SEC002"); }), 40);
}

TEST(Wheel, PythonScannerHookSeesEveryModule) {
  moat::dist::InspectOptions options;
  options.jobs = 1;  // the hook below records calls in order, without a lock
  std::vector<std::string> seen;
  options.python_scanner = [&](std::string_view location, std::string_view source) {
    seen.emplace_back(location);
    std::vector<Finding> findings;
    if (source.find("return 2") != std::string_view::npos) {
      Finding finding;
      finding.rule_id = "TEST1";
      finding.location.path = std::string(location);
      findings.push_back(finding);
    }
    return findings;
  };
  const auto findings = inspect_wheel({}, options);
  EXPECT_EQ(seen, (std::vector<std::string>{"demo-1.0-py3-none-any.whl!/demo/__init__.py",
                                            "demo-1.0-py3-none-any.whl!/demo/core.py"}));
  ASSERT_TRUE(has_rule(findings, "TEST1"));
}

/// A local source tree: src/demo/{__init__.py, core.py, extra.py} plus files the default omit list drops.
void write_source_tree(const TempDir& dir) {
  std::filesystem::create_directories(dir.path() / "src/demo/__pycache__");
  std::filesystem::create_directories(dir.path() / "src/demo.egg-info");
  std::filesystem::create_directories(dir.path() / "src/.git");
  dir.write("src/demo/__init__.py", "VALUE = 1\n");
  dir.write("src/demo/core.py", "def f():\n    return 2\n");
  dir.write("src/demo/extra.py", "X = 3\n");
  dir.write("src/demo/__pycache__/core.cpython-312.pyc", "bytecode");
  dir.write("src/demo/.core.py.swp", "swap");
  dir.write("src/demo.egg-info/PKG-INFO", "Name: demo\n");
  dir.write("src/.git/HEAD", "ref: refs/heads/main\n");
}

TEST(PackageTree, CollectsPackagesAndSourceDirectoriesWithoutOmittedNames) {
  TempDir dir;
  write_source_tree(dir);
  const auto omit = moat::dist::default_package_omit();
  auto from_src = moat::dist::collect_package_tree({}, {dir.path() / "src"}, omit);
  ASSERT_TRUE(from_src.has_value()) << from_src.error().to_string();
  EXPECT_EQ(*from_src, (std::set<std::string>{"demo/__init__.py", "demo/core.py", "demo/extra.py"}));
  auto from_package = moat::dist::collect_package_tree({dir.path() / "src/demo/"}, {}, omit);
  ASSERT_TRUE(from_package.has_value()) << from_package.error().to_string();
  EXPECT_EQ(*from_package, *from_src);
  auto module = moat::dist::collect_package_tree({dir.path() / "src/demo/core.py"}, {}, omit);
  ASSERT_TRUE(module.has_value());
  EXPECT_EQ(*module, (std::set<std::string>{"core.py"}));
}

TEST(PackageTree, BadInputsAreClearErrors) {
  TempDir dir;
  write_source_tree(dir);
  const auto omit = moat::dist::default_package_omit();
  const auto missing = moat::dist::collect_package_tree({dir.path() / "nope"}, {}, omit);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().to_string().find("nope"), std::string::npos);
  EXPECT_FALSE(moat::dist::collect_package_tree({}, {dir.path() / "src/demo/core.py"}, omit).has_value());
  const auto twice = moat::dist::collect_package_tree({dir.path() / "src/demo"}, {dir.path() / "src"}, omit);
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().to_string().find("'demo'"), std::string::npos) << twice.error().to_string();
}

TEST(Wheel, W101W102CompareTheLibraryWithThePackageTree) {
  TempDir dir;
  write_source_tree(dir);
  moat::dist::InspectOptions options;
  options.wheel.package_tree = *moat::dist::collect_package_tree({}, {dir.path() / "src"}, moat::dist::default_package_omit());
  WheelSpec spec;
  spec.files.push_back({"demo/stale.py", "OLD = 1\n"});
  spec.files.push_back({"tests/test_demo.py", "def test(): pass\n"});
  const auto findings = inspect_wheel(spec, options);
  const auto missing = moat::testing::with_rule(findings, "MOAT-W101");
  ASSERT_EQ(missing.size(), 1u) << rules_of(findings);
  EXPECT_NE(missing[0]->message.find("demo/extra.py"), std::string::npos) << missing[0]->message;
  const auto extra = moat::testing::with_rule(findings, "MOAT-W102");
  ASSERT_EQ(extra.size(), 2u) << rules_of(findings);
  EXPECT_EQ(extra[0]->location.path, "demo-1.0-py3-none-any.whl!/demo/stale.py");
  EXPECT_EQ(extra[1]->location.path, "demo-1.0-py3-none-any.whl!/tests/test_demo.py");
  EXPECT_FALSE(has_rule(findings, "MOAT-W009"));  // a package tree declares the top level, as --toplevel does

  // The matching wheel is clean.
  WheelSpec matching;
  matching.files.push_back({"demo/extra.py", "X = 3\n"});
  const auto clean = inspect_wheel(matching, options);
  EXPECT_FALSE(has_rule(clean, "MOAT-W101") || has_rule(clean, "MOAT-W102")) << rules_of(clean);
}

TEST(Wheel, NameCheckerHookGetsTheMetadataName) {
  moat::dist::InspectOptions options;
  std::vector<std::pair<std::string, std::string>> seen;
  options.name_checker = [&](std::string_view name, std::string_view location) {
    seen.emplace_back(name, location);
    Finding finding;
    finding.rule_id = "TEST-NAME";
    return std::vector<Finding>{finding};
  };
  const auto findings = inspect_wheel({}, options);
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{{"demo", "demo-1.0-py3-none-any.whl"}}));
  EXPECT_TRUE(has_rule(findings, "TEST-NAME"));
}

std::filesystem::path real_wheel() {
  return moat::testing::shared_data_dir() / "data/sigstore/pypi-attestations/rfc8785-0.1.2-py3-none-any.whl";
}

TEST(RealWheel, Rfc8785RecordVerifies) {
  MOAT_REQUIRE_SHARED_DATA();
  auto verification = moat::dist::verify_wheel_record(real_wheel());
  ASSERT_TRUE(verification.has_value()) << verification.error().to_string();
  EXPECT_EQ(verification->rows, 7u);
  EXPECT_EQ(verification->verified, 6u);  // every row but RECORD's own
  EXPECT_TRUE(verification->ok());
  auto report = moat::dist::inspect_artifact(real_wheel(), {});
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->findings.empty()) << rules_of(report->findings);
}

TEST(RealWheel, OneByteChangeIsARecordMismatch) {
  MOAT_REQUIRE_SHARED_DATA();
  // Re-pack the real wheel with one byte of one module changed.
  std::vector<TestEntry> entries;
  auto read = moat::dist::read_archive_file(real_wheel(), {}, [&](const moat::dist::EntryInfo& entry, std::string_view data, bool) {
    entries.push_back({entry.path, std::string(data)});
  });
  ASSERT_TRUE(read.has_value());
  auto target = std::ranges::find_if(entries, [](const TestEntry& entry) { return entry.path.ends_with("_impl.py"); });
  ASSERT_NE(target, entries.end());
  target->data[target->data.size() / 2] ^= 0x01;
  TempDir dir;
  const auto path = dir.write("rfc8785-0.1.2-py3-none-any.whl", moat::testing::build_archive(entries, moat::testing::Container::zip));
  auto verification = moat::dist::verify_wheel_record(path);
  ASSERT_TRUE(verification.has_value());
  ASSERT_EQ(verification->problems.size(), 1u);
  EXPECT_EQ(verification->problems[0].kind, moat::dist::RecordProblem::Kind::hash_mismatch);
  EXPECT_EQ(verification->problems[0].path, target->path);
}

}  // namespace
