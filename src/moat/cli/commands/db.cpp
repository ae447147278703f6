// `moat db import|status|update`: the offline vulnerability database (docs/audit.md).
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>

#include <nlohmann/json.hpp>

#include "moat/cli/command.hpp"
#include "moat/deps/database.hpp"
#include "moat/deps/update.hpp"
#include "moat/native/known_builds.hpp"
#include "moat/native/vulndb.hpp"
#include "moat/util/file.hpp"

namespace moat::cli {

namespace {

struct DbOptions {
  std::string database;  // --db; empty: MOAT_DB or the XDG cache path
  std::vector<std::string> sources;
  std::string url = deps::kOsvPypiExportUrl;
  long timeout = 300;
  bool json = false;
};

std::filesystem::path database_path(const DbOptions& options) {
  return options.database.empty() ? deps::default_database_path() : std::filesystem::path(options.database);
}

void print_skipped(const deps::ImportStats& stats) {
  constexpr std::size_t kShown = 20;
  for (std::size_t index = 0; index < stats.skipped.size() && index < kShown; ++index)
    std::fprintf(stderr, "moat db: warning: skipped %s\n", stats.skipped[index].to_string().c_str());
  if (stats.skipped.size() > kShown)
    std::fprintf(stderr, "moat db: warning: %zu more records skipped\n", stats.skipped.size() - kShown);
}

/// moat's own JSON data files that `db import` installs beside the advisory database.
enum class NativeData { none, vulnerabilities, known_builds };

/// A JSON document with a "records" array is native vulnerability data; one with a "builds" array
/// is known builds (scripts/known_builds_from_debs.py). Anything else is OSV.
NativeData native_data_kind(const std::filesystem::path& path) {
  if (path.extension() != ".json") return NativeData::none;
  auto text = read_file(path, std::size_t{256} << 20);
  if (!text) return NativeData::none;
  const auto document = nlohmann::json::parse(*text, nullptr, false);
  if (!document.is_object()) return NativeData::none;
  if (document.contains("records") && document["records"].is_array()) return NativeData::vulnerabilities;
  if (document.contains("builds") && document["builds"].is_array()) return NativeData::known_builds;
  return NativeData::none;
}

/// Validates native data and installs it atomically where native analysis looks for it.
int import_native_data(const std::filesystem::path& source, NativeData kind, const std::filesystem::path& database) {
  auto text = read_file(source, std::size_t{256} << 20);
  if (!text) {
    std::fprintf(stderr, "moat db import: %s\n", text.error().to_string().c_str());
    return kExitFailure;
  }
  std::string what;
  std::filesystem::path target;
  if (kind == NativeData::vulnerabilities) {
    auto parsed = native::NativeVulnDb::parse(*text, source.string());
    if (!parsed) {
      std::fprintf(stderr, "moat db import: %s\n", parsed.error().to_string().c_str());
      return kExitFailure;
    }
    what = std::to_string(parsed->records().size()) + " native-library vulnerability records";
    target = database.parent_path() / "native-vulns.json";
  } else {
    auto parsed = native::KnownBuilds::parse(*text, source.string());
    if (!parsed) {
      std::fprintf(stderr, "moat db import: %s\n", parsed.error().to_string().c_str());
      return kExitFailure;
    }
    what = std::to_string(parsed->builds().size()) + " known library builds";
    target = database.parent_path() / "native-known-builds.json";
  }
  std::error_code error;
  std::filesystem::create_directories(target.parent_path(), error);
  if (auto written = write_file_atomically(target, *text); !written) {
    std::fprintf(stderr, "moat db import: %s\n", written.error().to_string().c_str());
    return kExitFailure;
  }
  std::printf("imported %s into %s\n", what.c_str(), target.c_str());
  return kExitClean;
}

int run_import(const DbOptions& options) {
  std::vector<std::filesystem::path> sources;
  std::string label;
  for (const auto& source : options.sources) {
    if (const auto kind = native_data_kind(source); kind != NativeData::none) {
      if (const int status = import_native_data(source, kind, database_path(options)); status != kExitClean) return status;
      continue;
    }
    sources.emplace_back(source);
    label += (label.empty() ? "" : ", ") + std::filesystem::absolute(source).string();
  }
  if (sources.empty()) return kExitClean;
  const auto started = std::chrono::steady_clock::now();
  auto stats = deps::import_database(sources, database_path(options), {{"source", label}});
  if (!stats) {
    std::fprintf(stderr, "moat db import: %s\n", stats.error().to_string().c_str());
    return kExitFailure;
  }
  print_skipped(*stats);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("imported %zu advisories for %zu packages (%zu withdrawn, %zu records skipped) into %s in %.2f s\n",
              stats->advisories, stats->packages, stats->withdrawn, stats->skipped.size(),
              database_path(options).c_str(), seconds);
  return kExitClean;
}

int run_update(const DbOptions& options) {
  auto result = deps::update_database(options.url, database_path(options), options.timeout);
  if (!result) {
    std::fprintf(stderr, "moat db update: %s\n", result.error().to_string().c_str());
    return kExitFailure;
  }
  if (result->not_modified) {
    std::printf("database is up to date (%s)\n", database_path(options).c_str());
    return kExitClean;
  }
  print_skipped(result->stats);
  std::printf("downloaded %zu bytes; %zu advisories for %zu packages in %s\n", result->bytes, result->stats.advisories,
              result->stats.packages, database_path(options).c_str());
  return kExitClean;
}

std::string age_text(const std::string& imported_at) {
  try {
    const auto then = std::chrono::system_clock::time_point(std::chrono::seconds(std::stoll(imported_at)));
    const auto hours = std::chrono::duration_cast<std::chrono::hours>(std::chrono::system_clock::now() - then).count();
    const std::time_t stamp = std::chrono::system_clock::to_time_t(then);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&stamp));
    return std::string(buffer) + (hours < 48 ? " (" + std::to_string(hours) + " h ago)" : " (" + std::to_string(hours / 24) + " days ago)");
  } catch (...) {
    return "unknown";
  }
}

int run_status(const DbOptions& options) {
  const auto path = database_path(options);
  auto database = deps::Database::open(path);
  if (!database) {
    std::fprintf(stderr, "moat db status: %s\n", database.error().to_string().c_str());
    return kExitFailure;
  }
  auto metadata = database->metadata();
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (options.json) {
    nlohmann::ordered_json status = {{"path", path.string()}, {"size", error ? 0 : size}};
    for (const auto& [key, value] : metadata) status[key] = value;
    std::printf("%s\n", status.dump(2).c_str());
    return kExitClean;
  }
  std::printf("database:   %s (%.1f MB)\n", path.c_str(), error ? 0.0 : static_cast<double>(size) / 1e6);
  std::printf("source:     %s\n", metadata["source"].c_str());
  std::printf("imported:   %s\n", age_text(metadata["imported_at"]).c_str());
  std::printf("advisories: %s (%s withdrawn)\n", metadata["advisories"].c_str(), metadata["withdrawn"].c_str());
  std::printf("packages:   %s\n", metadata["packages"].c_str());
  if (!metadata["etag"].empty()) std::printf("etag:       %s\n", metadata["etag"].c_str());
  return kExitClean;
}

}  // namespace

void configure_db_command(CLI::App& command, CommandRunner& run) {
  auto options = std::make_shared<DbOptions>();
  command.require_subcommand(1);
  command.add_option("--db", options->database, "Database file (default: $MOAT_DB or $XDG_CACHE_HOME/moat/osv.sqlite)");

  CLI::App* import = command.add_subcommand("import", "Import OSV advisories (JSON or YAML; file, directory or zip) or moat's native-library data (JSON: vulnerabilities, known builds)");
  import->add_option("SOURCE", options->sources, "OSV file, directory or zip")->required();
  import->add_option("--db", options->database, "Database file");

  CLI::App* update = command.add_subcommand("update", "Download the OSV PyPI export and replace the database");
  update->add_option("--url", options->url, "Where to download the OSV zip from");
  update->add_option("--timeout", options->timeout, "Seconds before the download is abandoned");
  update->add_option("--db", options->database, "Database file");

  CLI::App* status = command.add_subcommand("status", "Show the database's source, age and counts");
  status->add_flag("--json", options->json, "Print the status as JSON");
  status->add_option("--db", options->database, "Database file");

  run = [options, import, update, status] {
    if (import->parsed()) return run_import(*options);
    if (update->parsed()) return run_update(*options);
    if (status->parsed()) return run_status(*options);
    return static_cast<int>(kExitFailure);
  };
}

}  // namespace moat::cli
