#include "moat/deps/audit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "moat/deps/typosquat.hpp"

namespace moat::deps {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

/// PYSEC first (the PyPA database's own id, as pip-audit prefers), then GHSA, then the rest.
int id_rank(const std::string& id) {
  if (id.starts_with("PYSEC-")) return 0;
  if (id.starts_with("GHSA-")) return 1;
  if (id.starts_with("CVE-")) return 3;
  return 2;
}

bool id_before(const std::string& left, const std::string& right) {
  if (id_rank(left) != id_rank(right)) return id_rank(left) < id_rank(right);
  return left < right;
}

double cvss_round_up(double value) {
  const auto scaled = static_cast<long long>(std::llround(value * 100000.0));
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
  return (std::floor(static_cast<double>(scaled) / 10000.0) + 1.0) / 10.0;
}

/// CVSS v3.x base score of a vector string ("CVSS:3.1/AV:N/AC:L/..."); nullopt when unreadable.
std::optional<double> cvss3_base_score(std::string_view vector) {
  if (!vector.starts_with("CVSS:3")) return std::nullopt;
  std::map<std::string, std::string, std::less<>> metrics;
  std::size_t start = 0;
  while (start < vector.size()) {
    std::size_t end = vector.find('/', start);
    if (end == std::string_view::npos) end = vector.size();
    const std::string_view part = vector.substr(start, end - start);
    if (const auto colon = part.find(':'); colon != std::string_view::npos)
      metrics[std::string(part.substr(0, colon))] = std::string(part.substr(colon + 1));
    start = end + 1;
  }
  auto pick = [&](const char* key, std::initializer_list<std::pair<const char*, double>> table) -> std::optional<double> {
    const auto found = metrics.find(key);
    if (found == metrics.end()) return std::nullopt;
    for (const auto& [name, weight] : table)
      if (found->second == name) return weight;
    return std::nullopt;
  };
  const bool changed = metrics["S"] == "C";
  const auto av = pick("AV", {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}});
  const auto ac = pick("AC", {{"L", 0.77}, {"H", 0.44}});
  const auto pr = pick("PR", {{"N", 0.85}, {"L", changed ? 0.68 : 0.62}, {"H", changed ? 0.5 : 0.27}});
  const auto ui = pick("UI", {{"N", 0.85}, {"R", 0.62}});
  const auto c = pick("C", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  const auto i = pick("I", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  const auto a = pick("A", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  if (!av || !ac || !pr || !ui || !c || !i || !a) return std::nullopt;
  const double iss = 1.0 - (1.0 - *c) * (1.0 - *i) * (1.0 - *a);
  const double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability = 8.22 * *av * *ac * *pr * *ui;
  if (impact <= 0) return 0.0;
  return cvss_round_up(std::min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10.0));
}

Severity severity_of(const Advisory& advisory, std::string& source) {
  if (advisory.database_specific.is_object() && advisory.database_specific.contains("severity") &&
      advisory.database_specific["severity"].is_string()) {
    const std::string label = advisory.database_specific["severity"].get<std::string>();
    source = "database_specific";
    if (label == "CRITICAL") return Severity::critical;
    if (label == "HIGH") return Severity::high;
    if (label == "MODERATE" || label == "MEDIUM") return Severity::medium;
    if (label == "LOW") return Severity::low;
  }
  for (const auto& vector : advisory.severity) {
    if (const auto score = cvss3_base_score(vector)) {
      source = "cvss";
      if (*score >= 9.0) return Severity::critical;
      if (*score >= 7.0) return Severity::high;
      if (*score >= 4.0) return Severity::medium;
      return Severity::low;
    }
  }
  source = "unknown";
  return Severity::high;  // unknown severity fails closed
}

std::optional<int> cwe_of(const Advisory& advisory) {
  if (!advisory.database_specific.is_object()) return std::nullopt;
  const auto found = advisory.database_specific.find("cwe_ids");
  if (found == advisory.database_specific.end() || !found->is_array() || found->empty() || !(*found)[0].is_string())
    return std::nullopt;
  const std::string text = (*found)[0].get<std::string>();
  if (!text.starts_with("CWE-")) return std::nullopt;
  try {
    return std::stoi(text.substr(4));
  } catch (...) {
    return std::nullopt;
  }
}

std::string first_sentence(const std::string& text) {
  std::string flat = text;
  std::ranges::replace(flat, '\n', ' ');
  const auto stop = flat.find(". ");
  if (stop != std::string::npos && stop < 300) flat.erase(stop + 1);
  if (flat.size() > 300) flat = flat.substr(0, 297) + "...";
  return flat;
}

/// Advisories whose id/alias sets overlap are one vulnerability: union-find over the matched ones.
std::vector<std::vector<const Advisory*>> merge_aliases(const std::vector<const Advisory*>& advisories) {
  std::vector<std::size_t> parent(advisories.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::size_t index) {
    while (parent[index] != index) index = parent[index] = parent[parent[index]];
    return index;
  };
  std::map<std::string, std::size_t> owner;
  for (std::size_t index = 0; index < advisories.size(); ++index) {
    std::vector<std::string> ids = advisories[index]->aliases;
    ids.push_back(advisories[index]->id);
    for (const auto& id : ids) {
      const auto [found, inserted] = owner.emplace(id, index);
      if (!inserted) parent[find(index)] = find(found->second);
    }
  }
  std::map<std::size_t, std::vector<const Advisory*>> groups;
  for (std::size_t index = 0; index < advisories.size(); ++index) groups[find(index)].push_back(advisories[index]);
  std::vector<std::vector<const Advisory*>> merged;
  for (auto& [root, group] : groups) merged.push_back(std::move(group));
  return merged;
}

bool environment_applies(const Dependency& dependency, const std::optional<MarkerEnvironment>& environment) {
  if (!environment || !dependency.marker) return true;
  const auto result = dependency.marker->evaluate(*environment);
  return !result || *result;  // undefined comparisons: audit rather than skip
}

struct IgnoreState {
  const IgnoreRule* rule = nullptr;
  bool used = false;
};

}  // namespace

AuditResult audit_dependencies(const Database& database, const std::vector<Dependency>& dependencies,
                               const AuditOptions& options) {
  AuditResult result;
  std::map<std::string, std::vector<PackageAdvisory>> cache;
  std::vector<IgnoreState> ignores;
  for (const auto& rule : options.ignores) ignores.push_back(IgnoreState{&rule, false});

  for (const auto& dependency : dependencies) {
    AuditedPackage audited{dependency, {}, {}};
    if (options.typosquats && dependency.not_audited.empty())
      if (const auto squat = PopularNames::embedded().check(dependency.name))
        result.findings.push_back(
            typosquat_finding(dependency.name, *squat, Category::dependency, dependency.location, dependency.snippet));
    if (!dependency.not_audited.empty()) {
      ++result.not_audited;
      result.packages.push_back(std::move(audited));
      continue;
    }
    if (!environment_applies(dependency, options.environment)) continue;
    ++result.audited;
    auto cached = cache.find(dependency.normalized);
    if (cached == cache.end()) {
      auto loaded = database.advisories_for(dependency.normalized);
      if (!loaded) {
        result.errors.push_back(ScanError{dependency.location.path, loaded.error().to_string()});
        continue;
      }
      cached = cache.emplace(dependency.normalized, std::move(*loaded)).first;
    }
    std::vector<const PackageAdvisory*> live;
    for (const auto& advisory : cached->second)
      if (!advisory.withdrawn) live.push_back(&advisory);

    const bool is_pinned = !dependency.version.empty();
    const auto version = is_pinned ? Version::parse(dependency.version) : std::nullopt;
    std::vector<Advisory> matched;  // full records, parsed only for hits
    std::vector<const PackageAdvisory*> undecided;
    for (const PackageAdvisory* row : live) {
      bool hit = false;
      if (is_pinned) {
        const auto outcome = match_version(row->entry, dependency.version, version ? &*version : nullptr);
        hit = outcome.affected;
        if (!hit && outcome.indeterminate) undecided.push_back(row);
      } else {
        hit = std::ranges::any_of(dependency.alternatives,
                                  [&](const SpecifierSet& set) { return specifier_may_be_affected(row->entry, set); });
      }
      if (!hit) continue;
      auto advisory = row->advisory();
      if (!advisory) {
        result.errors.push_back(ScanError{dependency.location.path, advisory.error().to_string()});
        continue;
      }
      matched.push_back(std::move(*advisory));
    }
    std::vector<const Advisory*> hits;
    for (const auto& advisory : matched) hits.push_back(&advisory);
    for (const PackageAdvisory* advisory : undecided)
      result.warnings.push_back(dependency.name + " " + dependency.version + ": advisory " + advisory->id +
                                " has ranges that are not PEP 440 and could not be evaluated");

    // The smallest version above the installed one that no advisory of the package affects.
    std::string fix_version;
    if (!hits.empty() && version) {
      std::set<Version> candidates;
      for (const Advisory* advisory : hits)
        for (auto& fixed : fixed_versions(advisory->affected.front(), &*version)) candidates.insert(std::move(fixed));
      for (const auto& candidate : candidates) {
        const std::string text = candidate.to_string();
        const bool clean = std::ranges::none_of(live, [&](const PackageAdvisory* row) {
          return match_version(row->entry, text, &candidate).affected;
        });
        if (clean) {
          fix_version = text;
          break;
        }
      }
    }
    audited.fix_version = fix_version;

    for (const auto& group : merge_aliases(hits)) {
      std::set<std::string, decltype(&id_before)> ids(&id_before);
      for (const Advisory* advisory : group) {
        ids.insert(advisory->id);
        ids.insert(advisory->aliases.begin(), advisory->aliases.end());
      }
      const std::string chosen = *ids.begin();
      // Ignore rules match any id of the merged vulnerability.
      bool ignored = false;
      for (auto& state : ignores) {
        if (!ids.contains(state.rule->id)) continue;
        state.used = true;
        if (!state.rule->expires.empty() && !options.today.empty() && state.rule->expires < options.today) {
          result.warnings.push_back("ignore of " + state.rule->id + " expired on " + state.rule->expires +
                                    "; reporting it again");
          continue;
        }
        ignored = true;
      }
      if (ignored) continue;

      const Advisory& primary = **std::ranges::min_element(group, [](const Advisory* a, const Advisory* b) {
        return id_before(a->id, b->id);
      });
      std::set<Version> fixes;
      for (const Advisory* advisory : group)
        for (auto& fixed : fixed_versions(advisory->affected.front(), version ? &*version : nullptr))
          fixes.insert(std::move(fixed));
      json fixed_list = json::array();
      for (const auto& fixed : fixes) fixed_list.push_back(fixed.to_string());
      json aliases = json::array();
      for (const auto& id : ids)
        if (id != chosen) aliases.push_back(id);
      std::string summary = primary.summary.empty() ? first_sentence(primary.details) : primary.summary;

      Finding finding;
      finding.rule_id = chosen;
      finding.category = Category::dependency;
      std::string severity_source;
      finding.severity = severity_of(primary, severity_source);
      finding.cwe = cwe_of(primary);
      finding.location = dependency.location;
      finding.snippet = dependency.snippet;
      std::string specifier_text;
      for (const auto& set : dependency.alternatives)
        specifier_text += (specifier_text.empty() ? "" : " || ") + (set.empty() ? std::string("*") : set.to_string());
      if (is_pinned) {
        finding.title = "vulnerable dependency";
        finding.confidence = Confidence::high;
        finding.message = dependency.name + " " + dependency.version + " is affected by " + chosen;
      } else {
        finding.title = "dependency may be vulnerable";
        finding.confidence = Confidence::low;
        finding.message = dependency.name + " " + specifier_text + " may be affected by " + chosen +
                          " (the requirement allows affected versions)";
      }
      if (!aliases.empty()) finding.message += " (" + aliases[0].get<std::string>() + (aliases.size() > 1 ? ", ..." : "") + ")";
      if (!summary.empty()) finding.message += ": " + summary;
      // The branch fix: the smallest fixed version above the installed one this vulnerability spares.
      std::string fixed_in;
      for (const auto& fixed : fixes) {
        const std::string text = fixed.to_string();
        if (std::ranges::none_of(group, [&](const Advisory* a) { return match_version(a->affected.front(), text, &fixed).affected; })) {
          fixed_in = text;
          break;
        }
      }
      if (!fixed_in.empty()) finding.message += " Fixed in " + fixed_in + ".";
      if (!fix_version.empty()) finding.message += " Upgrade to " + fix_version + ".";
      ordered_json details;
      details["package"] = dependency.normalized;
      details["version"] = is_pinned ? ordered_json(dependency.version) : ordered_json(nullptr);
      if (!is_pinned) details["specifier"] = specifier_text;
      details["status"] = is_pinned ? "affected" : "may-be-affected";
      details["advisory"] = chosen;
      details["aliases"] = aliases;
      details["fixed_versions"] = fixed_list;
      details["fix_version"] = fix_version.empty() ? ordered_json(nullptr) : ordered_json(fix_version);
      details["summary"] = summary;
      details["severity_source"] = severity_source;
      if (!primary.severity.empty()) details["cvss"] = primary.severity;
      details["published"] = primary.published;
      details["modified"] = primary.modified;
      details["references"] = primary.references;
      if (!primary.database_specific.is_null()) details["database_specific"] = primary.database_specific;
      if (!primary.affected.front().ecosystem_specific.is_null())
        details["ecosystem_specific"] = primary.affected.front().ecosystem_specific;
      finding.details = std::move(details);
      audited.advisories.push_back(chosen);
      result.findings.push_back(std::move(finding));
    }
    result.packages.push_back(std::move(audited));
  }
  for (const auto& state : ignores)
    if (!state.used) result.warnings.push_back("ignore of " + state.rule->id + " matched nothing");
  return result;
}

std::string render_cyclonedx(const AuditResult& result, const std::vector<Finding>& findings) {
  ordered_json bom;
  bom["bomFormat"] = "CycloneDX";
  bom["specVersion"] = "1.6";
  bom["version"] = 1;
  bom["metadata"] = {{"tools", {{"components", {{{"type", "application"}, {"name", "moat"}, {"version", MOAT_VERSION}}}}}}};
  auto reference_of = [](const Dependency& dependency) {
    return "pkg:pypi/" + dependency.normalized + (dependency.version.empty() ? "" : "@" + dependency.version);
  };
  ordered_json components = ordered_json::array();
  std::set<std::string> seen;
  for (const auto& package : result.packages) {
    const std::string reference = reference_of(package.dependency);
    if (!seen.insert(reference).second) continue;
    ordered_json component = {{"type", "library"}, {"bom-ref", reference}, {"name", package.dependency.normalized}};
    if (!package.dependency.version.empty()) {
      component["version"] = package.dependency.version;
      component["purl"] = reference;
    }
    components.push_back(std::move(component));
  }
  bom["components"] = std::move(components);
  ordered_json vulnerabilities = ordered_json::array();
  for (const auto& finding : findings) {
    const auto& details = finding.details;
    const std::string package = details.value("package", "");
    const bool is_pinned = details.contains("version") && details["version"].is_string();
    const std::string reference =
        "pkg:pypi/" + package + (is_pinned ? "@" + details["version"].get<std::string>() : std::string());
    ordered_json affected_version;
    if (is_pinned) {
      affected_version = {{"version", details["version"]}, {"status", "affected"}};
    } else {
      std::string range = details.value("specifier", "*");
      std::ranges::replace(range, ',', '|');
      affected_version = {{"range", "vers:pypi/" + range}, {"status", "unknown"}};
    }
    ordered_json vulnerability = {
        {"bom-ref", finding.rule_id + "/" + reference},
        {"id", finding.rule_id},
        {"source", {{"name", "OSV"}, {"url", "https://osv.dev/vulnerability/" + finding.rule_id}}},
    };
    ordered_json references = ordered_json::array();
    for (const auto& alias : details.value("aliases", ordered_json::array()))
      references.push_back({{"id", alias}, {"source", {{"name", "OSV"}, {"url", "https://osv.dev/vulnerability/" + alias.get<std::string>()}}}});
    if (!references.empty()) vulnerability["references"] = std::move(references);
    vulnerability["ratings"] = ordered_json::array({{{"severity", std::string(to_string(finding.severity))}, {"method", "other"}}});
    if (finding.cwe) vulnerability["cwes"] = ordered_json::array({*finding.cwe});
    vulnerability["description"] = details.value("summary", "");
    if (details.contains("fix_version") && details["fix_version"].is_string())
      vulnerability["recommendation"] = "Upgrade " + package + " to " + details["fix_version"].get<std::string>();
    if (details.contains("published") && !details["published"].get<std::string>().empty())
      vulnerability["published"] = details["published"];
    vulnerability["affects"] = ordered_json::array({{{"ref", reference}, {"versions", ordered_json::array({affected_version})}}});
    vulnerabilities.push_back(std::move(vulnerability));
  }
  bom["vulnerabilities"] = std::move(vulnerabilities);
  return bom.dump(2) + "\n";
}

namespace {

constexpr std::array<RuleDoc, 2> kRuleDocs{{
    {"PYSEC/GHSA/CVE", "vulnerable dependency",
     "A dependency's pinned version is listed as affected by an OSV advisory (PyPA advisory database or the OSV.dev "
     "PyPI export), or an unpinned requirement allows affected versions (\"may be affected\", low confidence). The "
     "rule id is the advisory id; aliases (GHSA, CVE) of the same vulnerability are merged into one finding.",
     "Known vulnerabilities in dependencies are exploitable in every application that installs them.",
     "requests==2.19.0  # PYSEC-2018-28, CVE-2018-18074",
     "Upgrade to the suggested version (the smallest release that fixes every advisory of the package), or record "
     "an ignore with a reason and an expiry date when the vulnerable code is not reachable.",
     "https://ossf.github.io/osv-schema/\nhttps://github.com/pypa/advisory-database"},
    {"MOAT-TYPO001", "typosquat",
     "A dependency, or an inspected artifact's project name, imitates one of the ~15,000 most-downloaded PyPI "
     "projects (download ranking embedded in moat): one letter inserted, removed or replaced, two adjacent letters "
     "swapped, other or no separators, a py/python prefix or suffix added or removed, or the same words in another "
     "order. Names that are themselves in the ranking are never reported. Short names are compared only with the "
     "most popular projects (4-5 letters: top 1,000; 6-7: top 5,000; longer: all), names under 4 letters are never "
     "targets, and digit changes (pyqt5/pyqt6, netifaces2) are not reported. Confidence is medium when the imitated "
     "project is in the top 1,000, low otherwise.",
     "Attackers publish malware under names one typo away from popular projects and wait for a mistyped "
     "`pip install` or requirement line; the malicious package runs code at install or import time.",
     "reqeusts==2.31.0\ndateutil\nurllib-3",
     "Check the spelling against the project you meant (pip index, pypi.org). If the dependency really is the "
     "less popular project, ignore the finding for that line (--ignore MOAT-TYPO001 or a baseline).",
     "https://github.com/DataDog/guarddog (typosquatting heuristic)\n"
     "https://blog.phylum.io/typosquatting-campaign-targets-python-developers/\n"
     "https://hugovk.github.io/top-pypi-packages/"},
}};

}  // namespace

std::span<const RuleDoc> deps_rule_docs() { return kRuleDocs; }

}  // namespace moat::deps
