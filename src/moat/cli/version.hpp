#pragma once
// What `moat --version` prints: the release, the commit it was built from, the rule set compiled
// in and the advisory database in use, so a bug report or a CI log pins down every input.
#include <string>
#include <string_view>

namespace moat::cli {

/// The git commit the build was configured from (12 hex digits), or "unknown" outside git.
std::string_view build_commit();

/// A digest naming the rule set compiled into this binary: it changes whenever any rule's
/// documentation or the built-in rule pack changes. "<count> rules, sha256:<12 hex>".
std::string rule_set_version();

/// The advisory database at `database_path`: schema, advisory count, import date and source;
/// "none" with what to run when there is no database there.
std::string database_version(const std::string& database_path);

/// The full `moat --version` text (several lines, no trailing newline), using the database at
/// $MOAT_DB or the default cache path.
std::string version_text();

}  // namespace moat::cli
