#pragma once
// Every analyzer's rule documentation, for `moat explain`, SARIF help text, the HTML report and
// the rule reference in docs/rules/: rule_docs.cpp lists each component's
// `<component>_rule_docs()` table.
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "moat/base/rule_doc.hpp"

namespace moat::report {

struct RuleDocTable {
  std::string_view name;  // the analyzer, as the rule reference's index names it
  std::span<const RuleDoc> docs;
};

/// All known rule documentation tables, in the order of the rule reference.
std::vector<RuleDocTable> named_rule_doc_tables();

/// The same tables without their names.
std::vector<std::span<const RuleDoc>> rule_doc_tables();

/// The documentation of a rule by ID ("B602"; ruff's "S602" is accepted for B-codes; an advisory
/// id such as PYSEC-2023-225, GHSA-... or CVE-... gives the vulnerable-dependency rule), or null.
const RuleDoc* find_rule_doc(std::string_view id);

/// One rule's documentation as a Markdown page (the text `moat explain` prints, as Markdown).
std::string rule_doc_markdown(const RuleDoc& doc);

/// The file name of a rule's page in the reference: its id, with characters unsafe in a file name
/// replaced ("PYSEC/GHSA/CVE" -> "PYSEC-GHSA-CVE.md").
std::string rule_doc_file_name(const RuleDoc& doc);

/// The whole rule reference: (file name, content) pairs, README.md (the index) first.
std::vector<std::pair<std::string, std::string>> rule_reference_pages();

}  // namespace moat::report
