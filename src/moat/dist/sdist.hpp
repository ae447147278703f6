#pragma once
// Source distribution checks: layout ({name}-{version}/PKG-INFO), PKG-INFO validity and agreement
// with pyproject.toml, and files that should never ship in any artifact.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/dist/archive.hpp"

namespace moat::dist {

/// Name and version from "{name}-{version}.tar.gz" / ".zip"; empty strings when it does not parse.
std::pair<std::string, std::string> split_sdist_filename(std::string_view file_name);

/// True for the members check_sdist needs the bytes of (top-level PKG-INFO and pyproject.toml).
bool sdist_keeps(std::string_view path);

/// MOAT-S001/S002/S005 and the MOAT-M metadata findings for an sdist already read. `large_binaries`
/// lists members over the size threshold whose content is binary.
std::vector<Finding> check_sdist(const ArchiveContents& contents, const std::map<std::string, std::string>& kept,
                                 std::string_view file_name, const std::vector<std::string>& large_binaries);

/// MOAT-S003 (credentials, keys, VCS directories) and MOAT-S004 (editor backups) for any artifact.
std::vector<Finding> check_shipped_files(const ArchiveContents& contents);

/// The MOAT-S003/S004 verdict on one path ("" when it is fine); usable on project trees too.
std::string_view unwanted_file_rule(std::string_view path);

}  // namespace moat::dist
