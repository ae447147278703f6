#pragma once
// The offline advisory database: OSV records (JSON or YAML; file, directory or zip) imported into
// an indexed SQLite file that opens in milliseconds. Every replacement is atomic.
#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "moat/deps/osv.hpp"
#include "moat/util/error.hpp"

namespace moat::deps {

/// `MOAT_DB` when set, else `$XDG_CACHE_HOME/moat/osv.sqlite`, else `~/.cache/moat/osv.sqlite`.
std::filesystem::path default_database_path();

struct ImportStats {
  std::size_t records = 0;      // OSV files read
  std::size_t advisories = 0;   // with at least one PyPI entry
  std::size_t packages = 0;
  std::size_t withdrawn = 0;
  std::vector<Error> skipped;   // malformed records: skipped with a reason, never fatal
};

/// Reads every OSV record under `source` (a .json/.yaml file, a directory or a .zip) and calls
/// `sink` for each advisory; malformed records land in `stats.skipped`.
Result<void> read_osv_source(const std::filesystem::path& source, ImportStats& stats,
                             const std::function<void(Advisory&&)>& sink);

/// Builds a new database from `sources` beside `database_path` and renames it into place; on any
/// failure the previous database is untouched. `metadata` is stored (source, etag, ...).
Result<ImportStats> import_database(const std::vector<std::filesystem::path>& sources,
                                    const std::filesystem::path& database_path,
                                    const std::map<std::string, std::string>& metadata);

/// One advisory's entry for a queried package; the full record is parsed only when needed.
struct PackageAdvisory {
  std::string id;
  bool withdrawn = false;
  AffectedPackage entry;
  std::string record;  // the stored advisory JSON

  /// The advisory with `affected` holding just this entry.
  [[nodiscard]] Result<Advisory> advisory() const;
};

class Database {
 public:
  /// Opens read-only; a clear error when there is no database at `path`.
  static Result<Database> open(const std::filesystem::path& path);

  /// Advisories naming `normalized_name` (withdrawn ones included; callers skip them).
  [[nodiscard]] Result<std::vector<PackageAdvisory>> advisories_for(std::string_view normalized_name) const;
  [[nodiscard]] std::map<std::string, std::string> metadata() const;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  struct Closer {
    void operator()(sqlite3* handle) const { sqlite3_close_v2(handle); }
  };
  struct StatementCloser {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  std::unique_ptr<sqlite3, Closer> handle_;
  std::unique_ptr<sqlite3_stmt, StatementCloser> query_;
  std::filesystem::path path_;
};

}  // namespace moat::deps
