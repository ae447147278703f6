#pragma once
// The dependency audit as `moat audit` and `moat scan` share it: which files of a project declare
// dependencies, reading them, and auditing what they pin against the offline database.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/deps/audit.hpp"
#include "moat/deps/inputs.hpp"

namespace moat::cli {

/// Dependency files a project directory holds (a lock wins over the pyproject.toml beside it),
/// in name order.
std::vector<std::filesystem::path> dependency_files_in(const std::filesystem::path& directory);

/// The dependencies read so far from every input, and how many inputs were read.
struct DependencyInputs {
  std::vector<deps::Dependency> dependencies;
  std::size_t files_read = 0;
};

/// Reads one dependency input (format detected unless given); problems go to `report.errors`.
void read_dependency_input(const std::filesystem::path& path, std::optional<deps::InputFormat> format,
                           DependencyInputs& inputs, Report& report);

/// Today's date in UTC, "YYYY-MM-DD", for ignore rules that expire.
std::string today_utc();

/// `moat scan`'s audit: the dependency files of project directories, dependency files named
/// directly and site-packages directories, against the default database. Findings and errors go
/// to `report` (a missing database is one error naming what to run); returns the inputs read.
std::size_t audit_scanned_dependencies(const std::vector<std::string>& paths, Report& report);

/// True for a path `moat scan` audits rather than lints: a requirements, lock or pyproject file.
bool names_a_dependency_file(const std::filesystem::path& path);

}  // namespace moat::cli
