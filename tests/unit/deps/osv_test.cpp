// The OSV matcher against the PyPA advisory database: the database checks itself (ranges versus
// explicit version lists) and every edge case of deps.md section 4.3 by advisory id.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "moat/deps/database.hpp"
#include "moat/deps/osv.hpp"
#include "support/shared_data.hpp"

namespace moat::deps {
namespace {

/// A parsed version that outlives the expression using its address.
const Version& v(const std::string& text) {
  static std::map<std::string, Version> cache;
  return cache.try_emplace(text, *Version::parse(text)).first->second;
}

AffectedRange range_of(std::string type, std::vector<RangeEvent> events) {
  AffectedRange range;
  range.type = std::move(type);
  range.events = std::move(events);
  return range;
}

AffectedPackage entry_of(std::vector<AffectedRange> ranges, std::vector<std::string> versions = {}) {
  AffectedPackage entry;
  entry.name = "demo";
  entry.ranges = std::move(ranges);
  entry.versions = std::move(versions);
  entry.prepare();
  return entry;
}

std::filesystem::path pypa_zip() { return testing::shared_data_dir() / "data" / "osv" / "pypa-advisory-db.zip"; }

const std::map<std::string, Advisory>& pypa_advisories() {
  static const std::map<std::string, Advisory> advisories = [] {
    std::map<std::string, Advisory> loaded;
    ImportStats stats;
    const auto read = read_osv_source(pypa_zip(), stats, [&](Advisory&& advisory) { loaded[advisory.id] = std::move(advisory); });
    EXPECT_TRUE(read) << read.error().to_string();
    EXPECT_TRUE(stats.skipped.empty());
    return loaded;
  }();
  return advisories;
}

bool affected(const std::string& id, const std::string& version_text) {
  const auto& advisory = pypa_advisories().at(id);
  const auto version = Version::parse(version_text);
  return match_version(advisory.affected.at(0), version_text, version ? &*version : nullptr).affected;
}

class PypaDatabase : public ::testing::Test {
 protected:
  void SetUp() override { MOAT_REQUIRE_SHARED_DATA(); }
};

TEST_F(PypaDatabase, LoadsEveryAdvisory) {
  EXPECT_EQ(pypa_advisories().size(), 2661U);
  std::set<std::string> packages;
  std::size_t withdrawn = 0;
  for (const auto& [id, advisory] : pypa_advisories()) {
    packages.insert(advisory.affected.at(0).name);
    withdrawn += advisory.withdrawn.empty() ? 0 : 1;
  }
  EXPECT_EQ(packages.size(), 664U);
  EXPECT_EQ(withdrawn, 10U);
  // Raw scalars: a bare YAML timestamp stays text, the placeholder too.
  EXPECT_EQ(pypa_advisories().at("PYSEC-2024-55").modified.substr(0, 10), "0001-01-01");
}

TEST_F(PypaDatabase, RangesAgreeWithListsExceptThreeKnownDataErrors) {
  std::size_t with_both = 0;
  std::set<std::string> disagree;
  for (const auto& [id, advisory] : pypa_advisories()) {
    const auto& entry = advisory.affected.at(0);
    const bool has_range = std::ranges::any_of(entry.ranges, [](const AffectedRange& r) { return r.type == "ECOSYSTEM"; });
    if (!has_range || entry.versions.empty()) continue;
    ++with_both;
    for (const auto& listed : entry.versions) {
      const auto version = Version::parse(listed);
      if (!version) continue;  // 108 non-PEP 440 strings match by exact text only
      if (!match_ranges(entry, *version).affected) disagree.insert(id);
    }
  }
  EXPECT_EQ(with_both, 2620U);
  EXPECT_EQ(disagree, (std::set<std::string>{"PYSEC-2021-114", "PYSEC-2023-177", "PYSEC-2023-61"}));
}

TEST_F(PypaDatabase, NoVersionOutsideTheRangesIsReported) {
  // Every version named anywhere for a package, tested against each of its advisories: ranges-only
  // evaluation must never report a version the list-or-range rule would not, and list hits must be
  // listed versions.
  std::map<std::string, std::set<std::string>> versions_by_package;
  for (const auto& [id, advisory] : pypa_advisories())
    for (const auto& listed : advisory.affected.at(0).versions) versions_by_package[advisory.affected.at(0).name].insert(listed);
  std::size_t checked = 0;
  for (const auto& [id, advisory] : pypa_advisories()) {
    const auto& entry = advisory.affected.at(0);
    AffectedPackage keyed = entry;  // the database's form: list looked up by version key
    keyed.version_keys = version_keys_of(entry.versions);
    for (const auto& text : versions_by_package[entry.name]) {
      const auto version = Version::parse(text);
      const auto outcome = match_version(entry, text, version ? &*version : nullptr);
      bool listed = false;
      for (std::size_t index = 0; index < entry.versions.size() && !listed; ++index)
        listed = entry.versions[index] == text ||
                 (version && entry.parsed_versions[index] && *entry.parsed_versions[index] == *version);
      const bool in_range = version && match_ranges(entry, *version).affected;
      EXPECT_EQ(outcome.affected, listed || in_range) << id << " " << text;
      EXPECT_EQ(match_version(keyed, text, version ? &*version : nullptr).affected, outcome.affected) << id << " " << text;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100000U);
}

TEST_F(PypaDatabase, EdgeCases) {
  // 1. django: pre-releases below `introduced` are listed, so reported.
  EXPECT_TRUE(affected("PYSEC-2023-61", "3.2a1"));
  EXPECT_FALSE(match_ranges(pypa_advisories().at("PYSEC-2023-61").affected[0], *Version::parse("3.2a1")).affected);
  // 2. gevent: the fix version is listed (data error); list OR range reports it.
  EXPECT_TRUE(affected("PYSEC-2023-177", "23.9.0"));
  EXPECT_FALSE(affected("PYSEC-2023-177", "23.9.1"));
  // 3. wagtail: overlapping intervals; the list saves 2.11.6.
  EXPECT_TRUE(affected("PYSEC-2021-114", "2.11.6"));
  // 4. ansible-core: events in descending branch order must be sorted.
  EXPECT_TRUE(affected("PYSEC-2024-36", "2.15.5"));
  EXPECT_TRUE(affected("PYSEC-2024-36", "2.14.1"));
  EXPECT_FALSE(affected("PYSEC-2024-36", "2.14.4"));
  // 5. py: last_affected is inclusive; a non-canonical listed version matches its normal form.
  EXPECT_TRUE(affected("PYSEC-2022-42969", "1.11.0"));
  EXPECT_FALSE(affected("PYSEC-2022-42969", "1.11.1"));
  EXPECT_TRUE(affected("PYSEC-2022-42969", "0.8.0a2"));
  // 6. event versions that are not PEP 440: cannot evaluate, never "clean".
  const auto& steam = pypa_advisories().at("PYSEC-2019-125").affected[0];
  const auto steam_outcome = match_version(steam, "1.0", &v("1.0"));
  EXPECT_FALSE(steam_outcome.affected);
  EXPECT_TRUE(steam_outcome.indeterminate);
  // 7. listed strings that are not PEP 440 match by exact text.
  EXPECT_TRUE(affected("PYSEC-2024-1", pypa_advisories().at("PYSEC-2024-1").affected[0].versions.at(0)));
  // 9. shape outliers: list without ranges; neither list nor ranges.
  EXPECT_TRUE(pypa_advisories().at("PYSEC-2024-1").affected[0].ranges.empty());
  EXPECT_FALSE(affected("PYSEC-2022-15", "0.5.3"));
  // 10. name normalization: jw.util stored as jw-util.
  EXPECT_EQ(pypa_advisories().at("PYSEC-2020-341").affected[0].name, "jw-util");
  // 11. multi-interval ranges without a list: both intervals count.
  EXPECT_TRUE(affected("PYSEC-2022-303", "2.5.0"));
  EXPECT_TRUE(affected("PYSEC-2022-303", "2.6.0"));
  EXPECT_FALSE(affected("PYSEC-2022-303", "2.5.1"));
  EXPECT_TRUE(affected("PYSEC-2010-13", "1.7.2"));
  EXPECT_FALSE(affected("PYSEC-2010-13", "1.7.3"));
  // 12. incomplete lists: ranges cover release candidates the list omits.
  EXPECT_TRUE(affected("PYSEC-2021-389", "1.1.0rc0"));
  // 8. non-canonical listed spellings match normalized installed versions.
  const AffectedPackage listed_pre = entry_of({}, {"0.1.2pre"});
  EXPECT_TRUE(match_version(listed_pre, "0.1.2rc0", &v("0.1.2rc0")).affected);
}

TEST(OsvMatcher, GitRangesAreSkippedNotStopped) {
  AffectedPackage entry = entry_of({range_of("GIT", {{RangeEvent::Kind::introduced, "0"}, {RangeEvent::Kind::fixed, "abc"}}),
                         range_of("ECOSYSTEM", {{RangeEvent::Kind::introduced, "0"}, {RangeEvent::Kind::fixed, "2.0"}})});
  EXPECT_TRUE(match_version(entry, "1.0", &v("1.0")).affected);
  EXPECT_FALSE(match_version(entry, "2.0", &v("2.0")).affected);
}

TEST(OsvMatcher, LimitEvents) {
  AffectedPackage entry = entry_of({range_of("ECOSYSTEM", {{RangeEvent::Kind::introduced, "1.0"}, {RangeEvent::Kind::limit, "1.5"}})});
  EXPECT_TRUE(match_version(entry, "1.2", &v("1.2")).affected);
  EXPECT_FALSE(match_version(entry, "1.6", &v("1.6")).affected);
}

TEST(OsvMatcher, UnpinnedSpecifiersMayBeAffected) {
  AffectedPackage entry = entry_of({range_of("ECOSYSTEM", {{RangeEvent::Kind::introduced, "0"}, {RangeEvent::Kind::fixed, "2.0"},
                                                     {RangeEvent::Kind::introduced, "3.0"}, {RangeEvent::Kind::fixed, "3.1"}})});
  EXPECT_TRUE(specifier_may_be_affected(entry, *SpecifierSet::parse(">=1.5")));
  EXPECT_FALSE(specifier_may_be_affected(entry, *SpecifierSet::parse(">=2.0,<3")));
  EXPECT_TRUE(specifier_may_be_affected(entry, *SpecifierSet::parse(">=2.0,<=3.0")));
  EXPECT_FALSE(specifier_may_be_affected(entry, *SpecifierSet::parse(">=3.1")));
  EXPECT_EQ(fixed_versions(entry, &v("1.0")).front().to_string(), "2.0");
}

}  // namespace
}  // namespace moat::deps

namespace moat::deps {
namespace {

// The database is opened through an SQLite URI: characters URIs reserve must survive in its path.
TEST(VulnerabilityDatabase, OpensFromAPathWithUriReservedCharacters) {
  const auto directory = std::filesystem::temp_directory_path() / ("moat db %20 ?x=1 #frag " + std::to_string(::getpid()));
  std::filesystem::create_directories(directory / "advisories");
  std::ofstream(directory / "advisories" / "PYSEC-0000-1.json") << R"({
    "id": "PYSEC-0000-1", "modified": "2024-01-01T00:00:00Z", "summary": "demo",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "Demo_Pkg"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}]}]}]})";
  const auto db = directory / "osv.sqlite";
  const auto imported = import_database({directory / "advisories"}, db, {{"source", "test"}});
  ASSERT_TRUE(imported) << imported.error().to_string();
  const auto database = Database::open(db);
  ASSERT_TRUE(database) << database.error().to_string();
  const auto advisories = database->advisories_for("demo-pkg");
  ASSERT_TRUE(advisories) << advisories.error().to_string();
  ASSERT_EQ(advisories->size(), 1U);
  EXPECT_EQ(advisories->front().id, "PYSEC-0000-1");
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace moat::deps
