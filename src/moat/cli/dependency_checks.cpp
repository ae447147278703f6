#include "moat/cli/dependency_checks.hpp"

#include <algorithm>

#include "moat/deps/database.hpp"
#include "moat/util/clock.hpp"

namespace moat::cli {

namespace fs = std::filesystem;

std::vector<fs::path> dependency_files_in(const fs::path& directory) {
  std::vector<fs::path> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    if (!entry.is_regular_file(error)) continue;
    const std::string name = entry.path().filename().string();
    const bool wanted = name == "pyproject.toml" || name == "poetry.lock" || name == "uv.lock" || name == "pdm.lock" ||
                        name == "Pipfile.lock" || name == "pylock.toml" ||
                        (name.starts_with("pylock.") && name.ends_with(".toml")) || name == "environment.yml" ||
                        name == "environment.yaml" ||
                        (name.starts_with("requirements") && (name.ends_with(".txt") || name.ends_with(".in")));
    if (wanted) found.push_back(entry.path());
  }
  std::ranges::sort(found);
  const bool has_lock = std::ranges::any_of(found, [](const fs::path& p) {
    const auto name = p.filename().string();
    return name.ends_with(".lock") || name.starts_with("pylock");
  });
  if (has_lock) std::erase_if(found, [](const fs::path& p) { return p.filename() == "pyproject.toml"; });
  return found;
}

void read_dependency_input(const fs::path& path, std::optional<deps::InputFormat> format, DependencyInputs& inputs,
                           Report& report) {
  if (!format) format = deps::detect_input_format(path);
  if (!format) {
    report.errors.push_back(ScanError{path.string(), "unknown dependency file type (use --input-format)"});
    return;
  }
  auto input = deps::read_input(path, *format);
  ++inputs.files_read;
  report.errors.insert(report.errors.end(), input.errors.begin(), input.errors.end());
  for (auto& dependency : input.dependencies) inputs.dependencies.push_back(std::move(dependency));
}

std::string today_utc() { return utc_date_today(); }

bool names_a_dependency_file(const fs::path& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) return false;
  const std::string name = path.filename().string();
  if (name.ends_with(".py") || name.ends_with(".pyw")) return false;
  return deps::detect_input_format(path).has_value();
}

std::size_t audit_scanned_dependencies(const std::vector<std::string>& paths, Report& report) {
  DependencyInputs inputs;
  for (const std::string& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      if (deps::detect_input_format(path) == deps::InputFormat::site_packages) {
        read_dependency_input(path, deps::InputFormat::site_packages, inputs, report);
        continue;
      }
      for (const auto& file : dependency_files_in(path)) read_dependency_input(file, std::nullopt, inputs, report);
    } else if (names_a_dependency_file(path)) {
      read_dependency_input(path, std::nullopt, inputs, report);
    }
  }
  if (inputs.dependencies.empty()) return inputs.files_read;
  const fs::path database_path = deps::default_database_path();
  auto database = deps::Database::open(database_path);
  if (!database) {
    report.errors.push_back(ScanError{inputs.dependencies.front().location.path,
                                      "dependencies not audited: " + database.error().message});
    return inputs.files_read;
  }
  deps::AuditOptions options;
  options.environment = deps::MarkerEnvironment::for_python("3.12", "linux");
  options.today = today_utc();
  auto result = deps::audit_dependencies(*database, inputs.dependencies, options);
  std::ranges::move(result.findings, std::back_inserter(report.findings));
  report.errors.insert(report.errors.end(), result.errors.begin(), result.errors.end());
  return inputs.files_read;
}

}  // namespace moat::cli
