// Every PEP 440 / PEP 508 vector extracted from pypa/packaging (../shared/data/pep440).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "moat/deps/requirement.hpp"
#include "moat/deps/specifier.hpp"
#include "moat/deps/version.hpp"
#include "support/shared_data.hpp"

namespace moat::deps {
namespace {

using nlohmann::json;

json load(const std::string& name) {
  std::ifstream stream(testing::shared_data_dir() / "data" / "pep440" / name);
  return json::parse(stream);
}

std::optional<bool> optional_bool(const json& value) {
  if (value.is_null()) return std::nullopt;
  return value.get<bool>();
}

Candidate candidate_of(const json& value) {
  if (value.is_object()) return Candidate::from_version(*Version::parse(value.at("version_object").get<std::string>()));
  return Candidate::from_text(value.get<std::string>());
}

std::vector<Candidate> candidates_of(const json& values) {
  std::vector<Candidate> candidates;
  for (const auto& value : values) candidates.push_back(candidate_of(value));
  return candidates;
}

std::vector<std::string> texts_at(const std::vector<Candidate>& candidates, const std::vector<std::size_t>& indices) {
  std::vector<std::string> texts;
  for (const auto index : indices) texts.push_back(candidates[index].text);
  return texts;
}

/// Expected filter output as texts (a parsed Version prints canonically).
json expected_texts(const json& values) {
  json texts = json::array();
  for (const auto& value : values) texts.push_back(candidate_of(value).text);
  return texts;
}

std::size_t table_rows(const json& table) { return table.at("rows").size(); }

class Pep440Vectors : public ::testing::Test {
 protected:
  void SetUp() override { MOAT_REQUIRE_SHARED_DATA(); }
};

TEST_F(Pep440Vectors, RowCountsMatchCountsJson) {
  const json counts = load("COUNTS.json");
  const json versions = load("pep440_versions.json");
  EXPECT_EQ(versions.at("ordering").at("versions").size(), counts["pep440_versions.json"]["ordering"].get<std::size_t>());
  EXPECT_EQ(versions.at("valid").size(), counts["pep440_versions.json"]["valid"].get<std::size_t>());
  const json specifiers = load("pep440_specifiers.json");
  for (const auto& [name, table] : specifiers.at("tables").items())
    EXPECT_EQ(table_rows(table), counts["pep440_specifiers.json"][name].get<std::size_t>()) << name;
  const json markers = load("pep508_markers.json");
  EXPECT_EQ(table_rows(markers.at("valid")), counts["pep508_markers.json"]["valid"].get<std::size_t>());
  const json requirements = load("pep508_requirements.json");
  EXPECT_EQ(table_rows(requirements.at("basic_valid_product")),
            counts["pep508_requirements.json"]["basic_valid_product"].get<std::size_t>());
}

TEST_F(Pep440Vectors, VersionsValidInvalidNormalizedAndStr) {
  const json data = load("pep440_versions.json");
  for (const auto& text : data.at("valid")) EXPECT_TRUE(Version::parse(text.get<std::string>())) << text.dump();
  for (const auto& text : data.at("invalid")) EXPECT_FALSE(Version::parse(text.get<std::string>())) << text;
  for (const auto& pair : data.at("normalized")) {
    const auto version = Version::parse(pair[0].get<std::string>());
    ASSERT_TRUE(version) << pair[0];
    EXPECT_EQ(version->to_string(), pair[1].get<std::string>()) << pair[0];
  }
  for (const auto& pair : data.at("str")) {
    const auto version = Version::parse(pair[0].get<std::string>());
    ASSERT_TRUE(version) << pair[0];
    EXPECT_EQ(version->to_string(), pair[1].get<std::string>()) << pair[0];
  }
}

TEST_F(Pep440Vectors, VersionOrderingAllPairs) {
  const json data = load("pep440_versions.json");
  std::vector<Version> versions;
  for (const auto& text : data.at("ordering").at("versions")) versions.push_back(*Version::parse(text.get<std::string>()));
  std::size_t facts = 0;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    for (std::size_t j = 0; j < versions.size(); ++j) {
      const auto order = versions[i] <=> versions[j];
      EXPECT_EQ(order < 0, i < j) << versions[i].to_string() << " vs " << versions[j].to_string();
      EXPECT_EQ(order == 0, i == j) << versions[i].to_string() << " vs " << versions[j].to_string();
      facts += 6;
    }
  }
  EXPECT_GE(facts, 50784U);
}

TEST_F(Pep440Vectors, VersionComponents) {
  const json data = load("pep440_versions.json");
  auto check = [](const std::string& input, const json& expected) {
    const auto version = Version::parse(input);
    ASSERT_TRUE(version) << input;
    if (expected.contains("epoch")) {
      EXPECT_EQ(version->epoch, expected["epoch"].get<std::uint64_t>()) << input;
    }
    if (expected.contains("release")) {
      EXPECT_EQ(version->release, expected["release"].get<std::vector<std::uint64_t>>()) << input;
    }
    if (expected.contains("public")) {
      EXPECT_EQ(version->public_string(), expected["public"].get<std::string>()) << input;
    }
    if (expected.contains("base_version")) {
      EXPECT_EQ(version->base_string(), expected["base_version"].get<std::string>()) << input;
    }
    if (expected.contains("str")) {
      EXPECT_EQ(version->to_string(), expected["str"].get<std::string>()) << input;
    }
    if (expected.contains("local")) {
      EXPECT_EQ(version->has_local() ? json(version->local_string()) : json(nullptr), expected["local"]) << input;
    }
    const json pre = expected.value("pre", json(nullptr));
    if (!expected.contains("pre")) {
    } else if (pre.is_null()) {
      EXPECT_FALSE(version->pre) << input;
    } else {
      ASSERT_TRUE(version->pre) << input;
      static const char* kNames[] = {"a", "b", "rc"};
      EXPECT_EQ(kNames[static_cast<int>(version->pre->kind)], pre[0].get<std::string>()) << input;
      EXPECT_EQ(version->pre->number, pre[1].get<std::uint64_t>()) << input;
    }
    if (expected.contains("post")) {
      EXPECT_EQ(version->post ? json(*version->post) : json(nullptr), expected["post"]) << input;
    }
    if (expected.contains("dev")) {
      EXPECT_EQ(version->dev ? json(*version->dev) : json(nullptr), expected["dev"]) << input;
    }
    if (expected.contains("is_prerelease")) {
      EXPECT_EQ(version->is_prerelease(), expected["is_prerelease"].get<bool>()) << input;
    }
    if (expected.contains("is_devrelease")) {
      EXPECT_EQ(version->is_devrelease(), expected["is_devrelease"].get<bool>()) << input;
    }
    if (expected.contains("is_postrelease")) {
      EXPECT_EQ(version->is_postrelease(), expected["is_postrelease"].get<bool>()) << input;
    }
  };
  for (const auto& [input, expected] : data.at("components").items()) check(input, expected);
  for (const auto& [input, expected] : data.at("reference_components").items()) check(input, expected);
}

TEST_F(Pep440Vectors, SpecifierParsingAndStr) {
  const json tables = load("pep440_specifiers.json").at("tables");
  for (const auto& row : tables["specifier_valid"]["rows"]) EXPECT_TRUE(Specifier::parse(row.get<std::string>())) << row;
  for (const auto& row : tables["specifier_invalid"]["rows"]) EXPECT_FALSE(Specifier::parse(row.get<std::string>())) << row;
  for (const auto& row : tables["specifier_versions_all_ops"]["rows"]) {
    const std::string version = row.get<std::string>();
    const bool local = version.find('+') != std::string::npos;
    for (const std::string op : {"~=", "==", "!=", "<=", ">=", "<", ">"}) {
      const bool allowed = !local || op == "==" || op == "!=";
      const bool needs_two_parts = op == "~=" && Version::parse(version) && Version::parse(version)->release.size() < 2;
      if (allowed && !needs_two_parts) {
        EXPECT_TRUE(Specifier::parse(op + version)) << op << version;
      }
    }
  }
  for (const auto& row : tables["specifier_str"]["rows"])
    EXPECT_EQ(Specifier::parse(row["specifier"].get<std::string>())->to_string(), row["expected"].get<std::string>());
  for (const auto& row : tables["set_str"]["rows"])
    EXPECT_EQ(SpecifierSet::parse(row["specifier"].get<std::string>())->to_string(), row["expected"].get<std::string>());
}

TEST_F(Pep440Vectors, SpecifierContains) {
  const json tables = load("pep440_specifiers.json").at("tables");
  for (const auto& row : tables["contains"]["rows"]) {
    const auto specifier = Specifier::parse(row["spec_str"].get<std::string>(), true);
    ASSERT_TRUE(specifier) << row;
    EXPECT_EQ(specifier->contains(candidate_of(row["version"])), row["expected"].get<bool>()) << row;
  }
  for (const auto& row : tables["contains_non_pep440_version"]["rows"]) {
    const auto specifier = Specifier::parse(row["spec_str"].get<std::string>(), true);
    ASSERT_TRUE(specifier) << row;
    EXPECT_EQ(specifier->contains(candidate_of(row["version"])), row["expected"].get<bool>()) << row;
  }
  for (const auto* name : {"arbitrary_equality", "TestSpecifier_test_arbitrary_equality_normalization", "boundary_short_release"}) {
    for (const auto& row : tables[name]["rows"]) {
      const auto specifier = Specifier::parse(row["spec_str"].get<std::string>());
      ASSERT_TRUE(specifier) << row;
      const json& version = row.contains("version") ? row["version"] : json(json{{"version_object", row["version_str"]}});
      EXPECT_EQ(specifier->contains(candidate_of(version)), row["expected"].get<bool>()) << name << row;
    }
  }
  for (const auto& row : tables["prereleases_detection"]["rows"]) {
    const auto specifier = Specifier::parse(row["specifier"].get<std::string>());
    ASSERT_TRUE(specifier) << row;
    EXPECT_EQ(specifier->prereleases().value_or(false), row["expected"].is_null() ? false : row["expected"].get<bool>()) << row;
  }
  for (const auto& row : tables["contains_prereleases"]["rows"]) {
    const auto specifier = Specifier::parse(row["specifier"].get<std::string>(), optional_bool(row["spec_pre"]));
    ASSERT_TRUE(specifier) << row;
    EXPECT_EQ(specifier->contains(candidate_of(row["version"]), optional_bool(row["contains_pre"])),
              row["expected"].get<bool>())
        << row;
  }
  for (const auto& row : tables["specifier_prereleases_set"]["rows"]) {
    auto specifier = Specifier::parse(row["specifier"].get<std::string>(), optional_bool(row["initial_prereleases"]));
    ASSERT_TRUE(specifier) << row;
    EXPECT_EQ(specifier->contains(candidate_of(row["version"])), row["initial_contains"].get<bool>()) << row;
    specifier->set_prereleases(optional_bool(row["set_prereleases"]));
    EXPECT_EQ(specifier->contains(candidate_of(row["version"])), row["final_contains"].get<bool>()) << row;
  }
  for (const auto& row : tables["specifier_filter"]["rows"]) {
    const auto specifier = Specifier::parse(row["specifier"].get<std::string>(), optional_bool(row["specifier_prereleases"]));
    ASSERT_TRUE(specifier) << row;
    const auto candidates = candidates_of(row["input"]);
    EXPECT_EQ(json(texts_at(candidates, specifier->filter(candidates, optional_bool(row["prereleases"])))), expected_texts(row["expected"]))
        << row;
  }
}

TEST_F(Pep440Vectors, SpecifierSets) {
  const json tables = load("pep440_specifiers.json").at("tables");
  const auto empty_with_prereleases = SpecifierSet::parse("", true);
  for (const auto& row : tables["set_contains_all_versions_empty_spec"]["rows"])
    EXPECT_TRUE(empty_with_prereleases->contains(candidate_of(row))) << row;
  for (const auto& row : tables["set_empty_arbitrary_strings"]["rows"]) {
    const auto set = SpecifierSet::parse("", optional_bool(row["prereleases"]));
    const auto candidates = candidates_of(row["versions"]);
    EXPECT_EQ(json(texts_at(candidates, set->filter(candidates))), expected_texts(row["expected"])) << row;
  }
  for (const auto* name : {"set_filter", "set_filter_exclusionary_bridges"}) {
    for (const auto& row : tables[name]["rows"]) {
      const auto set = SpecifierSet::parse(row["specifier"].get<std::string>(),
                                           row.contains("specifier_prereleases") ? optional_bool(row["specifier_prereleases"])
                                                                                 : std::nullopt);
      ASSERT_TRUE(set) << row;
      const auto candidates = candidates_of(row["input"]);
      EXPECT_EQ(json(texts_at(candidates, set->filter(candidates, optional_bool(row["prereleases"])))), expected_texts(row["expected"]))
          << name << row;
    }
  }
  for (const auto& row : tables["set_prereleases_explicit"]["rows"]) {
    auto set = SpecifierSet::parse(row["spec_str"].get<std::string>(), optional_bool(row["initial_prereleases"]));
    ASSERT_TRUE(set) << row;
    EXPECT_EQ(set->contains(candidate_of(row["version"])), row["initial_contains"].get<bool>()) << row;
    set->set_prereleases(optional_bool(row["set_prereleases"]));
    EXPECT_EQ(set->contains(candidate_of(row["version"])), row["final_contains"].get<bool>()) << row;
  }
  for (const auto& row : tables["set_contains_installed_prereleases"]["rows"]) {
    const auto set = SpecifierSet::parse(row["specifier"].get<std::string>(), optional_bool(row["spec_prereleases"]));
    ASSERT_TRUE(set) << row;
    const bool installed = row.contains("installed") && row["installed"].is_boolean() && row["installed"].get<bool>();
    EXPECT_EQ(set->contains(candidate_of(row["version"]), optional_bool(row.value("contains_prereleases", json(nullptr))), installed),
              row["expected"].get<bool>())
        << row;
  }
  for (const auto& row : tables["set_contains_exclusionary_bridges"]["rows"]) {
    const auto set = SpecifierSet::parse(row["specifier"].get<std::string>());
    EXPECT_EQ(set->contains(candidate_of(row["version"]), optional_bool(row["prereleases"])), row["expected"].get<bool>()) << row;
  }
  for (const auto& row : tables["set_contains_post_release_boundary"]["rows"]) {
    const auto set = SpecifierSet::parse(row["spec_str"].get<std::string>());
    const auto candidate = candidate_of(row["version"]);
    EXPECT_EQ(set->contains(candidate, true), row["expected"].get<bool>()) << row;
    bool all_members = true;
    for (const auto& member : set->specifiers()) all_members = all_members && member.contains(candidate, true);
    EXPECT_EQ(all_members, row["expected"].get<bool>()) << row;
  }
  for (const auto* name : {"set_contains_arbitrary_equality", "set_contains_ignores_local",
                           "TestSpecifierSet_test_contains_arbitrary_equality_normalization"}) {
    for (const auto& row : tables[name]["rows"]) {
      const auto set = SpecifierSet::parse(row.contains("specifier") ? row["specifier"].get<std::string>()
                                                                     : row["spec_str"].get<std::string>());
      ASSERT_TRUE(set) << row;
      Candidate candidate = candidate_of(row["version"]);
      if (std::string(name) == "set_contains_ignores_local") candidate = Candidate::from_version(*candidate.version);
      EXPECT_EQ(set->contains(candidate), row["expected"].get<bool>()) << name << row;
    }
  }
  for (const auto& row : tables["set_is_subset"]["rows"])
    EXPECT_EQ(SpecifierSet::parse(row["left"].get<std::string>())->is_subset(*SpecifierSet::parse(row["right"].get<std::string>())),
              row["expected"].get<bool>())
        << row;
  for (const auto& row : tables["set_is_superset"]["rows"])
    EXPECT_EQ(SpecifierSet::parse(row["right"].get<std::string>())->is_subset(*SpecifierSet::parse(row["left"].get<std::string>())),
              row["expected"].get<bool>())
        << row;
  for (const auto& row : tables["set_is_disjoint"]["rows"])
    EXPECT_EQ(SpecifierSet::parse(row["left"].get<std::string>())->is_disjoint(*SpecifierSet::parse(row["right"].get<std::string>())),
              row["expected"].get<bool>())
        << row;
  for (const auto& [name, prereleases, expected] :
       {std::tuple{"unsatisfiable", std::optional<bool>{}, true}, std::tuple{"satisfiable", std::optional<bool>{}, false},
        std::tuple{"unsatisfiable_no_prereleases", std::optional<bool>{false}, true},
        std::tuple{"satisfiable_no_prereleases", std::optional<bool>{false}, false}}) {
    for (const auto& row : tables[name]["rows"]) {
      const auto set = SpecifierSet::parse(row.get<std::string>(), prereleases);
      ASSERT_TRUE(set) << row;
      EXPECT_EQ(set->is_unsatisfiable(), expected) << name << " " << row;
    }
  }
}

TEST_F(Pep440Vectors, RequirementProduct) {
  const json data = load("pep508_requirements.json");
  for (const auto& row : data["basic_valid_product"]["rows"]) {
    const auto requirement = Requirement::parse(row["input"].get<std::string>());
    ASSERT_TRUE(requirement) << row << requirement.error().to_string();
    EXPECT_EQ(requirement->name, row["name"].get<std::string>()) << row;
    auto extras = requirement->extras;
    std::ranges::sort(extras);
    auto expected_extras = row["extras"].get<std::vector<std::string>>();
    std::ranges::sort(expected_extras);
    EXPECT_EQ(extras, expected_extras) << row;
    EXPECT_EQ(requirement->url.empty() ? json(nullptr) : json(requirement->url), row["url"]) << row;
    EXPECT_EQ(requirement->specifier.to_string(), SpecifierSet::parse(row["specifier"].get<std::string>())->to_string()) << row;
    EXPECT_EQ(requirement->marker ? json(requirement->marker->to_string()) : json(nullptr), row["marker"]) << row;
  }
  for (const auto& row : data["normalized_str"]["rows"])
    EXPECT_EQ(Requirement::parse(row["input_req"].get<std::string>())->to_string(), row["norm_req"].get<std::string>());
  for (const auto& row : data["literal_inputs_with_reference"]["rows"]) {
    const auto requirement = Requirement::parse(row["input"].get<std::string>());
    const json& reference = row["reference"];
    ASSERT_EQ(requirement.has_value(), reference["valid"].get<bool>()) << row;
    if (!requirement) continue;
    EXPECT_EQ(requirement->to_string(), reference["str"].get<std::string>()) << row;
    EXPECT_EQ(requirement->specifier.to_string(), reference["specifier"].get<std::string>()) << row;
  }
  const json& tables = data["parsing_tables"];
  for (const auto& marker : tables["test_valid_marker"][0]["values"])
    EXPECT_TRUE(Requirement::parse("name; " + marker.get<std::string>())) << marker;
  for (const auto& url : tables["test_file_url"][0]["values"]) {
    const auto requirement = Requirement::parse("name @ " + url.get<std::string>());
    ASSERT_TRUE(requirement) << url;
    EXPECT_EQ(requirement->url, url.get<std::string>());
  }
  for (const auto& line_break : tables["test_error_when_suffixed_with_line_break"][0]["values"])
    for (const auto& requirement : tables["test_error_when_suffixed_with_line_break"][1]["values"])
      EXPECT_FALSE(Requirement::parse(requirement.get<std::string>() + line_break.get<std::string>())) << requirement;
  for (const auto& whitespace : tables["test_trailing_horizontal_whitespace"][0]["values"])
    EXPECT_TRUE(Requirement::parse("name>=1" + whitespace.get<std::string>()));
  for (const auto& op : tables["test_error_when_prefix_match_uses_post_release"][0]["values"])
    EXPECT_FALSE(Requirement::parse("name" + op.get<std::string>() + "1.0.post1.*"));
  for (const auto& op : tables["test_error_when_local_version_label_is_used_incorrectly"][0]["values"])
    EXPECT_FALSE(Requirement::parse("name" + op.get<std::string>() + "1.0+local.version.label"));
  for (const auto& pair : tables["test_error_invalid_marker_malformed_quoted_string"][0]["values"])
    EXPECT_FALSE(Requirement::parse(pair[0].get<std::string>())) << pair[0];
  for (const auto* name : {"equal_pairs", "equivalent_pairs"})
    for (const auto& pair : data[name]["rows"]) {
      EXPECT_TRUE(Requirement::parse(pair[0].get<std::string>())) << pair[0];
      EXPECT_TRUE(Requirement::parse(pair[1].get<std::string>())) << pair[1];
    }
}

TEST_F(Pep440Vectors, Markers) {
  const json data = load("pep508_markers.json");
  for (const auto* name : {"valid", "valid_pep345", "valid_setuptools_legacy"})
    for (const auto& row : data[name]["rows"]) EXPECT_TRUE(Marker::parse(row.get<std::string>())) << row;
  for (const auto& row : data["invalid"]["rows"]) EXPECT_FALSE(Marker::parse(row.get<std::string>())) << row;
  for (const auto& row : data["str_normalization"]["rows"])
    EXPECT_EQ(Marker::parse(row["marker_string"].get<std::string>())->to_string(), row["expected"].get<std::string>());

  MarkerEnvironment reference;
  for (const auto& [key, value] : data["reference_environment"].items()) reference.values[key] = value.get<std::string>();
  auto with = [&](const json& overrides) {
    MarkerEnvironment environment = reference;
    environment.values["extra"] = "";
    if (overrides.is_object())
      for (const auto& [key, value] : overrides.items()) environment.values[key] = value.get<std::string>();
    return environment;
  };
  for (const auto* name : {"evaluate", "evaluate_version_like_extra"}) {
    for (const auto& row : data[name]["rows"]) {
      const auto marker = Marker::parse(row["marker_string"].get<std::string>());
      ASSERT_TRUE(marker) << row;
      const auto result = marker->evaluate(with(row["environment"]));
      ASSERT_TRUE(result) << row << result.error().to_string();
      EXPECT_EQ(*result, row["expected"].get<bool>()) << row;
    }
  }
  for (const std::string variable : {"extras", "dependency_groups"}) {
    for (const auto& row : data["evaluate_extras_dependency_groups"]["rows"]) {
      std::string expression = row["expression"].get<std::string>();
      for (std::size_t at; (at = expression.find("{0}")) != std::string::npos;) expression.replace(at, 3, variable);
      MarkerEnvironment environment = reference;
      environment.sets[variable] = {"foo", "bar"};
      const auto marker = Marker::parse(expression);
      ASSERT_TRUE(marker) << expression;
      const auto result = marker->evaluate(environment);
      ASSERT_TRUE(result) << expression << result.error().to_string();
      EXPECT_EQ(*result, row["result"].get<bool>()) << expression;
    }
  }
  for (const auto& row : data["literal_inputs_with_reference"]["rows"]) {
    const auto marker = Marker::parse(row["input"].get<std::string>());
    const json& reference_result = row["reference"];
    ASSERT_EQ(marker.has_value(), reference_result["valid"].get<bool>()) << row;
    if (!marker) continue;
    EXPECT_EQ(marker->to_string(), reference_result["str"].get<std::string>()) << row;
    const auto result = marker->evaluate(reference);
    if (reference_result.contains("eval_reference_env")) {
      ASSERT_TRUE(result) << row << result.error().to_string();
      EXPECT_EQ(*result, reference_result["eval_reference_env"].get<bool>()) << row;
    } else {
      ASSERT_FALSE(result) << row;
      const bool undefined_name = result.error().message.find("not defined") != std::string::npos;
      EXPECT_EQ(undefined_name, reference_result["eval_error"].get<std::string>() == "UndefinedEnvironmentName") << row;
    }
  }
}

}  // namespace
}  // namespace moat::deps
