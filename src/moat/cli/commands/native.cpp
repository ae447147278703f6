// `moat native PATH...`: native binaries in files and directories (site-packages, unpacked
// wheels, .so/.dylib/.pyd/.dll files): bundled libraries and their CVEs, hardening, platform tag.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "moat/cli/command.hpp"
#include "moat/cli/code_checks.hpp"
#include "moat/cli/report_options.hpp"
#include "moat/native/native.hpp"
#include "moat/util/file.hpp"

namespace moat::cli {

namespace {

namespace fs = std::filesystem;

struct NativeOptions {
  std::vector<std::string> paths;
  std::string platform_tag;
  std::string vulnerability_file;
  bool libraries_table = false;
  ReportOptions report;
};

bool starts_like_binary(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::array<char, 8> head{};
  stream.read(head.data(), head.size());
  const auto got = static_cast<std::size_t>(stream.gcount());
  return native::looks_like_binary(std::as_bytes(std::span(head.data(), got)));
}

// Regular files under the paths; a directory walk skips symbolic links so that each file is read
// once and link loops cannot trap it.
std::vector<fs::path> collect_binaries(const std::vector<std::string>& roots, Report& report) {
  std::vector<fs::path> files;
  for (const auto& root : roots) {
    std::error_code error;
    if (fs::is_regular_file(root, error)) {
      files.emplace_back(root);
      continue;
    }
    if (!fs::is_directory(root, error)) {
      report.errors.push_back({root, "no such file or directory"});
      continue;
    }
    fs::recursive_directory_iterator walk(root, fs::directory_options::skip_permission_denied, error);
    for (; !error && walk != fs::recursive_directory_iterator(); walk.increment(error)) {
      if (walk->is_symlink(error) || !walk->is_regular_file(error)) continue;
      if (starts_like_binary(walk->path())) files.push_back(walk->path());
    }
    if (error) report.errors.push_back({root, error.message()});
  }
  return files;
}

int run_native(const NativeOptions& options) {
  Report report;
  const native::NativeVulnDb* vulnerabilities = &native_vulnerabilities();
  std::optional<native::NativeVulnDb> loaded;
  if (!options.vulnerability_file.empty()) {
    auto db = native::NativeVulnDb::load(options.vulnerability_file);
    if (!db) {
      std::fprintf(stderr, "moat native: %s\n", db.error().to_string().c_str());
      return kExitFailure;
    }
    loaded = std::move(*db);
    vulnerabilities = &*loaded;
  }
  native::AnalyzeOptions analyze_options{options.platform_tag, vulnerabilities, &known_builds()};

  std::vector<native::BinaryReport> binaries;
  for (const auto& path : collect_binaries(options.paths, report)) {
    auto bytes = read_file(path, std::size_t{1} << 30);
    if (!bytes) {
      report.errors.push_back({path.string(), bytes.error().message});
      continue;
    }
    binaries.push_back(native::analyze_binary(path.string(), std::as_bytes(std::span(*bytes)), analyze_options));
  }
  native::propagate_sibling_versions(binaries);

  nlohmann::ordered_json listing = nlohmann::ordered_json::array();
  for (const auto& binary : binaries) {
    for (auto& finding : native::native_findings(binary)) report.findings.push_back(std::move(finding));
    listing.push_back(native::to_json(binary));
  }
  report.stats["binaries"] = binaries.size();
  report.stats["native"] = std::move(listing);
  if (options.libraries_table) {
    std::fputs(native::format_library_table(binaries).c_str(), stdout);
    std::fflush(stdout);
  }
  return finish_report(report, options.report, !binaries.empty() || report.errors.empty());
}

}  // namespace

void configure_native_command(CLI::App& command, CommandRunner& run) {
  auto options = std::make_shared<NativeOptions>();
  command.add_option("paths", options->paths, "Binaries, or directories to search for ELF/Mach-O/PE files")->required();
  command.add_option("--platform-tag", options->platform_tag,
                     "Check the binaries against this wheel platform tag (e.g. manylinux_2_17_x86_64)");
  command.add_option("--vulnerabilities", options->vulnerability_file,
                     "Native vulnerability data (JSON) to use instead of the data built into moat");
  command.add_flag("--libraries", options->libraries_table, "Print a table of the identified libraries before the report");
  add_report_options(command, options->report, {"text", "json", "github", "markdown", "sarif", "html"});
  run = [options] { return run_native(*options); };
}

}  // namespace moat::cli
