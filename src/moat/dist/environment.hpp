#pragma once
// Installed environments (a site-packages directory): every distribution's RECORD verified against
// the files on disk (modified or missing files: tampering), and .pth files that execute code.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "moat/base/finding.hpp"
#include "moat/util/error.hpp"

namespace moat::dist {

/// True when `directory` holds at least one *.dist-info directory (looks like site-packages).
bool is_environment_directory(const std::filesystem::path& directory);

struct EnvironmentReport {
  nlohmann::ordered_json summary = nlohmann::ordered_json::object();  // distributions, files verified
  std::vector<Finding> findings;                                      // MOAT-E001, MOAT-E002, MOAT-D009
  std::vector<ScanError> errors;
};

/// Verifies every installed distribution under `site_packages`. Locations are `display_name`/relative path.
Result<EnvironmentReport> inspect_environment(const std::filesystem::path& site_packages, std::string display_name = {});

}  // namespace moat::dist
