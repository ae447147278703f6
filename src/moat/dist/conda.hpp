#pragma once
// conda package checks: info/index.json against the file name, info/paths.json (every file listed,
// SHA-256 and size right), info/files, and the .conda format marker metadata.json.
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/dist/archive.hpp"
#include "moat/util/error.hpp"

namespace moat::dist {

/// True for the members check_conda needs the bytes of.
bool conda_keeps(std::string_view path);

struct PathsProblem {
  enum class Kind { invalid, hash_mismatch, size_mismatch, not_listed, missing };
  Kind kind;
  std::string path;
  std::string message;
};

struct PathsVerification {
  std::size_t listed = 0;
  std::size_t verified = 0;  // files whose SHA-256 and size matched
  std::vector<PathsProblem> problems;
  [[nodiscard]] bool ok() const { return problems.empty(); }
};

/// Checks info/paths.json against the package's entries.
PathsVerification verify_paths_json(std::string_view paths_json, std::span<const EntryInfo> entries);

/// `moat verify conda PKG`: reads the package and verifies info/paths.json. Fails when the package
/// cannot be read, has no paths.json, or a limit stopped the reading.
Result<PathsVerification> verify_conda_package(const std::filesystem::path& package, const ArchiveLimits& limits = {});

/// Every MOAT-C finding for a conda package already read.
std::vector<Finding> check_conda(const ArchiveContents& contents, const std::map<std::string, std::string>& kept,
                                 std::string_view file_name);

}  // namespace moat::dist
