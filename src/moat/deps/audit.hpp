#pragma once
// The audit: dependencies matched against the advisory database, aliases merged, fixes suggested,
// ignores applied; findings in the common report model, plus a CycloneDX rendering.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/base/rule_doc.hpp"
#include "moat/deps/database.hpp"
#include "moat/deps/inputs.hpp"
#include "moat/deps/marker.hpp"

namespace moat::deps {

struct IgnoreRule {
  std::string id;       // advisory id or any alias
  std::string reason;
  std::string expires;  // YYYY-MM-DD; empty: never
};

struct AuditOptions {
  std::optional<MarkerEnvironment> environment;  // nullopt: audit every entry whatever its markers
  std::vector<IgnoreRule> ignores;
  std::string today;  // YYYY-MM-DD, for ignore expiry
  bool typosquats = true;  // MOAT-TYPO001 for names imitating popular projects
};

struct AuditedPackage {
  Dependency dependency;
  std::vector<std::string> advisories;  // ids reported for it
  std::string fix_version;              // smallest version fixing all of them, when known
};

struct AuditResult {
  std::vector<Finding> findings;
  std::vector<ScanError> errors;
  std::vector<std::string> warnings;       // expired or unused ignores, ...
  std::vector<AuditedPackage> packages;    // every audited dependency (for SBOMs)
  std::size_t audited = 0;
  std::size_t not_audited = 0;
};

AuditResult audit_dependencies(const Database& database, const std::vector<Dependency>& dependencies,
                               const AuditOptions& options);

/// CycloneDX 1.6 JSON: components for every dependency, vulnerabilities with affects[].versions[].
std::string render_cyclonedx(const AuditResult& result, const std::vector<Finding>& findings);

/// The documentation of the audit's finding kinds (`moat explain`).
std::span<const RuleDoc> deps_rule_docs();

}  // namespace moat::deps
