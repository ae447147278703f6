#pragma once
// The artifact and secret rules of moat_dist: their documentation table and the one way findings
// are made (so every finding carries its rule's title and category).
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "moat/base/finding.hpp"
#include "moat/base/rule_doc.hpp"

namespace moat {

/// Every rule of the dist component (MOAT-A archive safety, MOAT-D wheel structure and RECORD,
/// MOAT-M core metadata, MOAT-W check-wheel-contents, MOAT-S sdist, MOAT-C conda, MOAT-E installed
/// environments, MOAT-SEC secrets).
std::span<const RuleDoc> dist_rule_docs();

}  // namespace moat

namespace moat::dist {

/// The documentation of a dist rule, or nullptr for an unknown id.
const RuleDoc* find_rule(std::string_view rule_id);

/// A finding of `rule_id` (which must be in dist_rule_docs()) at `path` ("dist.whl!/pkg/mod.py").
/// Category is `secret` for MOAT-SEC rules and `artifact` otherwise.
Finding make_finding(std::string_view rule_id, Severity severity, std::string path, std::string message,
                     std::optional<int> cwe = std::nullopt, Confidence confidence = Confidence::high);

/// "archive!/entry": where something inside an artifact is, as the JSON contract writes it.
std::string inside(std::string_view archive_display, std::string_view entry_path);

}  // namespace moat::dist
