#pragma once
// Dependency inputs: requirements files (pip's syntax), pyproject.toml (PEP 621, PEP 735, Poetry),
// poetry.lock, uv.lock, pdm.lock, Pipfile.lock, pylock.toml, conda environment.yml (pip section) and
// installed environments (site-packages). Each yields dependencies with their file and line.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/deps/marker.hpp"
#include "moat/deps/specifier.hpp"

namespace moat::deps {

enum class InputFormat { requirements, pyproject, poetry_lock, uv_lock, pdm_lock, pipfile_lock, pylock, conda, site_packages };

std::string_view to_string(InputFormat format);
std::optional<InputFormat> parse_input_format(std::string_view name);
/// By file name (requirements*.txt, *.in, pyproject.toml, poetry.lock, ...) or a site-packages directory.
std::optional<InputFormat> detect_input_format(const std::filesystem::path& path);

struct Dependency {
  std::string name;        // as written
  std::string normalized;  // PEP 503
  std::string version;     // pinned version; empty when only a range is known
  std::vector<SpecifierSet> alternatives;  // unpinned: allowed versions (Poetry "||" gives several)
  std::optional<Marker> marker;
  std::string not_audited;  // non-empty: why (local path, VCS, URL, editable): not a PyPI release
  Location location;        // file and line it came from
  std::string snippet;      // the line as written
};

struct InputResult {
  std::vector<Dependency> dependencies;
  std::vector<ScanError> errors;  // bad lines or files; the rest is still audited
};

/// Reads one input. Never throws; problems become errors naming the file and line.
InputResult read_input(const std::filesystem::path& path, InputFormat format);

/// The site-packages (purelib and platlib) directories of a Python interpreter, asked with `-I -S`
/// so that no .pth file or site customisation from the environment runs.
Result<std::vector<std::filesystem::path>> site_packages_of(const std::filesystem::path& python);

/// Converts a Poetry constraint ("^1.2", "~1.2.3", "1.2.*", ">=1,<2 || ^3") to PEP 440 sets.
Result<std::vector<SpecifierSet>> poetry_constraint(std::string_view constraint);

}  // namespace moat::deps
