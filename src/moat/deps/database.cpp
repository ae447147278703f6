#include "moat/deps/database.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <set>

#include "moat/util/file.hpp"
#include "moat/util/libarchive_api.hpp"

namespace moat::deps {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxRecordBytes = std::size_t{16} << 20;  // one advisory; real ones are a few KB
constexpr int kSchemaVersion = 1;

bool is_osv_file(std::string_view name) {
  return name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml");
}

void read_record(std::string_view name, std::string_view text, ImportStats& stats,
                 const std::function<void(Advisory&&)>& sink) {
  ++stats.records;
  Result<json> record = fail("", "");
  if (name.ends_with(".json")) {
    record = json::parse(text, nullptr, false);
    if (record->is_discarded()) record = fail("", "invalid JSON");
  } else {
    record = yaml_to_json(text);
  }
  if (!record) {
    stats.skipped.push_back(Error{std::string(name), record.error().message});
    return;
  }
  auto advisory = advisory_from_json(*record);
  if (!advisory) {
    stats.skipped.push_back(Error{std::string(name), advisory.error().message});
    return;
  }
  if (advisory->affected.empty()) return;
  sink(std::move(*advisory));
}

Result<void> read_zip(const std::filesystem::path& path, ImportStats& stats, const std::function<void(Advisory&&)>& sink) {
  auto loaded = load_libarchive();
  if (!loaded) return fail(path.string(), loaded.error().to_string());
  const LibArchive& api = **loaded;
  std::unique_ptr<archive, decltype(&archive_read_free)> reader(api.read_new(), api.read_free);
  if (!reader) return fail(path.string(), "out of memory");
  api.read_support_format_zip(reader.get());
  const auto error_text = [&] {
    const char* message = api.error_string(reader.get());
    return std::string(message != nullptr ? message : "unreadable archive data");
  };
  if (api.read_open_filename(reader.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    return fail(path.string(), "cannot open archive: " + error_text());
  archive_entry* entry = nullptr;
  std::string buffer;
  while (true) {
    const int status = api.read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) return fail(path.string(), "corrupt archive: " + error_text());
    const char* pathname = api.entry_pathname(entry);
    const std::string name = pathname != nullptr ? pathname : "";
    if (api.entry_filetype(entry) != AE_IFREG || !is_osv_file(name)) continue;
    const auto size = api.entry_size(entry);
    if (size < 0 || static_cast<std::size_t>(size) > kMaxRecordBytes) {
      stats.skipped.push_back(Error{name, "record too large"});
      continue;
    }
    buffer.resize(static_cast<std::size_t>(size));
    const auto got = api.read_data(reader.get(), buffer.data(), buffer.size());
    if (got < 0 || static_cast<std::size_t>(got) != buffer.size())
      return fail(path.string(), "corrupt archive: cannot read " + name);
    read_record(name, buffer, stats, sink);
  }
  return {};
}

class Sqlite {
 public:
  explicit Sqlite(sqlite3* handle) : handle_(handle) {}
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;
  ~Sqlite() { sqlite3_close_v2(handle_); }
  [[nodiscard]] sqlite3* get() const { return handle_; }
  Result<void> exec(const char* sql) const {
    char* message = nullptr;
    if (sqlite3_exec(handle_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message ? message : "unknown SQLite error";
      sqlite3_free(message);
      return fail("", text);
    }
    return {};
  }

 private:
  sqlite3* handle_;
};

struct Statement {
  sqlite3_stmt* statement = nullptr;
  Statement(sqlite3* handle, const char* sql) { sqlite3_prepare_v2(handle, sql, -1, &statement, nullptr); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(statement); }
  void bind(int index, std::string_view text) const {
    sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  bool run() const {
    const int status = sqlite3_step(statement);
    sqlite3_reset(statement);
    return status == SQLITE_DONE;
  }
};

json affected_to_json(const AffectedPackage& entry) {
  json ranges = json::array();
  for (const auto& range : entry.ranges) {
    if (range.type != "ECOSYSTEM" && range.type != "SEMVER") continue;  // GIT needs a checkout
    json events = json::array();
    static constexpr const char* kKinds[] = {"introduced", "fixed", "last_affected", "limit"};
    for (const auto& event : range.events) events.push_back({kKinds[static_cast<int>(event.kind)], event.value});
    ranges.push_back({{"type", range.type}, {"events", std::move(events)}});
  }
  json stored = {{"ranges", std::move(ranges)}};
  if (!entry.ecosystem_specific.is_null()) stored["ecosystem_specific"] = entry.ecosystem_specific;
  return stored;
}

AffectedPackage affected_from_json(std::string name, const json& stored, std::string_view versions, std::string keys) {
  AffectedPackage entry;
  entry.name = std::move(name);
  for (const auto& range : stored.value("ranges", json::array())) {
    AffectedRange parsed{range.value("type", ""), {}, {}};
    for (const auto& event : range.value("events", json::array())) {
      const std::string kind = event[0].get<std::string>();
      RangeEvent::Kind parsed_kind = RangeEvent::Kind::introduced;
      if (kind == "fixed") parsed_kind = RangeEvent::Kind::fixed;
      else if (kind == "last_affected") parsed_kind = RangeEvent::Kind::last_affected;
      else if (kind == "limit") parsed_kind = RangeEvent::Kind::limit;
      parsed.events.push_back(RangeEvent{parsed_kind, event[1].get<std::string>()});
    }
    entry.ranges.push_back(std::move(parsed));
  }
  for (std::size_t start = 0; start < versions.size();) {
    const std::size_t end = versions.find('\n', start);
    entry.versions.emplace_back(versions.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  entry.version_keys = std::move(keys);
  if (stored.contains("ecosystem_specific")) entry.ecosystem_specific = stored["ecosystem_specific"];
  for (auto& range : entry.ranges)  // events are few: parse them now, versions lists never
    for (const auto& event : range.events) range.parsed_values.push_back(Version::parse(event.value));
  return entry;
}

std::string column_text(sqlite3_stmt* statement, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column))) : std::string();
}

}  // namespace

std::filesystem::path default_database_path() {
  if (const char* override_path = std::getenv("MOAT_DB"); override_path && *override_path) return override_path;
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache && *cache && std::filesystem::path(cache).is_absolute())
    return std::filesystem::path(cache) / "moat" / "osv.sqlite";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : "/tmp") / ".cache" / "moat" / "osv.sqlite";
}

Result<void> read_osv_source(const std::filesystem::path& source, ImportStats& stats,
                             const std::function<void(Advisory&&)>& sink) {
  std::error_code error;
  if (std::filesystem::is_directory(source, error)) {
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::recursive_directory_iterator(
             source, std::filesystem::directory_options::skip_permission_denied, error);
         !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error))
      if (it->is_regular_file() && is_osv_file(it->path().filename().string())) files.push_back(it->path());
    if (error) return fail(source.string(), "cannot list directory: " + error.message());
    std::ranges::sort(files);
    for (const auto& file : files) {
      auto text = read_file(file, kMaxRecordBytes);
      if (!text) {
        stats.skipped.push_back(text.error());
        continue;
      }
      read_record(file.string(), *text, stats, sink);
    }
    return {};
  }
  if (!std::filesystem::exists(source, error)) return fail(source.string(), "no such file or directory");
  if (source.extension() == ".zip") return read_zip(source, stats, sink);
  auto text = read_file(source, kMaxRecordBytes);
  if (!text) return std::unexpected(text.error());
  const std::size_t before = stats.skipped.size();
  read_record(source.string(), *text, stats, sink);
  if (stats.skipped.size() != before) return std::unexpected(stats.skipped.back());
  return {};
}

Result<ImportStats> import_database(const std::vector<std::filesystem::path>& sources,
                                    const std::filesystem::path& database_path,
                                    const std::map<std::string, std::string>& metadata) {
  std::error_code error;
  const auto directory = database_path.parent_path().empty() ? std::filesystem::path(".") : database_path.parent_path();
  std::filesystem::create_directories(directory, error);
  if (error) return fail(directory.string(), "cannot create directory: " + error.message());
  const auto temporary = directory / (database_path.filename().string() + ".tmp-" + std::to_string(::getpid()));
  std::filesystem::remove(temporary, error);
  struct Cleanup {
    std::filesystem::path path;
    bool keep = false;
    ~Cleanup() {
      std::error_code ignored;
      if (!keep) std::filesystem::remove(path, ignored);
    }
  } cleanup{temporary};

  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(temporary.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(raw);
    return fail(temporary.string(), "cannot create database");
  }
  Sqlite db(raw);
  if (auto made = db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;"
                          "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
                          "CREATE TABLE advisories(id INTEGER PRIMARY KEY, name TEXT UNIQUE, withdrawn INTEGER, record TEXT);"
                          "CREATE TABLE affected(package TEXT, advisory INTEGER, entry TEXT, versions TEXT, version_keys TEXT);"
                          "BEGIN;");
      !made)
    return fail(temporary.string(), made.error().message);

  Statement insert_advisory(db.get(), "INSERT OR REPLACE INTO advisories(name, withdrawn, record) VALUES(?, ?, ?)");
  Statement insert_affected(db.get(),
                            "INSERT INTO affected(package, advisory, entry, versions, version_keys) VALUES(?, ?, ?, ?, ?)");
  ImportStats stats;
  std::set<std::string> packages;
  std::set<std::string> seen_ids;
  for (const auto& source : sources) {
    auto read = read_osv_source(source, stats, [&](Advisory&& advisory) {
      if (!seen_ids.insert(advisory.id).second) return;  // first source wins for a duplicated id
      ++stats.advisories;
      if (!advisory.withdrawn.empty()) ++stats.withdrawn;
      json record = {{"id", advisory.id},           {"modified", advisory.modified},
                     {"published", advisory.published}, {"withdrawn", advisory.withdrawn},
                     {"summary", advisory.summary},  {"details", advisory.details},
                     {"aliases", advisory.aliases},  {"severity", advisory.severity},
                     {"references", advisory.references}};
      if (!advisory.database_specific.is_null()) record["database_specific"] = advisory.database_specific;
      insert_advisory.bind(1, advisory.id);
      insert_advisory.bind(2, advisory.withdrawn.empty() ? "0" : "1");
      insert_advisory.bind(3, record.dump());
      insert_advisory.run();
      const auto rowid = std::to_string(sqlite3_last_insert_rowid(db.get()));
      for (const auto& entry : advisory.affected) {
        packages.insert(entry.name);
        insert_affected.bind(1, entry.name);
        insert_affected.bind(2, rowid);
        insert_affected.bind(3, affected_to_json(entry).dump());
        std::string versions;
        for (const auto& listed : entry.versions) versions += listed + "\n";
        insert_affected.bind(4, versions);
        insert_affected.bind(5, version_keys_of(entry.versions));
        insert_affected.run();
      }
    });
    if (!read) return std::unexpected(read.error());
  }
  if (stats.advisories == 0) return fail(sources.empty() ? "" : sources.front().string(), "no PyPI advisories found");
  stats.packages = packages.size();

  std::map<std::string, std::string> meta = metadata;
  meta["schema"] = std::to_string(kSchemaVersion);
  meta["advisories"] = std::to_string(stats.advisories);
  meta["packages"] = std::to_string(stats.packages);
  meta["withdrawn"] = std::to_string(stats.withdrawn);
  meta["imported_at"] = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  Statement insert_meta(db.get(), "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
  for (const auto& [key, value] : meta) {
    insert_meta.bind(1, key);
    insert_meta.bind(2, value);
    insert_meta.run();
  }
  if (auto done = db.exec("CREATE INDEX affected_package ON affected(package); COMMIT;"); !done)
    return fail(temporary.string(), done.error().message);

  // Make the new file durable before it replaces the old one.
  if (const int fd = ::open(temporary.c_str(), O_RDONLY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::filesystem::rename(temporary, database_path, error);
  if (error) return fail(database_path.string(), "cannot replace database: " + error.message());
  cleanup.keep = true;
  return stats;
}

namespace {

/// The database as an SQLite URI with immutable=1: `db update` replaces the file by renaming a new
/// one over it, so an open database never changes underneath, and skipping the file locks SQLite
/// otherwise takes and checks on every query makes a 700-package audit about a third faster.
std::string immutable_uri(const std::filesystem::path& path) {
  std::string uri = "file:";
  for (const unsigned char c : std::filesystem::absolute(path).string()) {
    if (std::isalnum(c) != 0 || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri + "?immutable=1";
}

}  // namespace

Result<Database> Database::open(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    return fail(path.string(),
                "no vulnerability database; run `moat db update` to download the OSV PyPI export, or "
                "`moat db import FILE|DIR` to import OSV advisories (e.g. the PyPA advisory-database zip)");
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(immutable_uri(path).c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(raw);
    return fail(path.string(), "cannot open the vulnerability database");
  }
  Database database;
  database.handle_.reset(raw);
  database.path_ = path;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(raw,
                         "SELECT a.name, a.withdrawn, a.record, f.entry, f.versions, f.version_keys "
                         "FROM affected f JOIN advisories a ON a.id = f.advisory "
                         "WHERE f.package = ?",
                         -1, &statement, nullptr) != SQLITE_OK)
    return fail(path.string(), "not a moat vulnerability database (run `moat db update` or `moat db import`)");
  database.query_.reset(statement);
  return database;
}

Result<std::vector<PackageAdvisory>> Database::advisories_for(std::string_view normalized_name) const {
  sqlite3_stmt* statement = query_.get();
  sqlite3_reset(statement);
  sqlite3_bind_text(statement, 1, normalized_name.data(), static_cast<int>(normalized_name.size()), SQLITE_TRANSIENT);
  std::vector<PackageAdvisory> advisories;
  int status = SQLITE_ROW;
  while ((status = sqlite3_step(statement)) == SQLITE_ROW) {
    const json entry = json::parse(column_text(statement, 3), nullptr, false);
    if (entry.is_discarded()) return fail(path_.string(), "corrupt database record");
    PackageAdvisory row;
    row.id = column_text(statement, 0);
    row.withdrawn = sqlite3_column_int(statement, 1) != 0;
    row.record = column_text(statement, 2);
    row.entry = affected_from_json(std::string(normalized_name), entry, column_text(statement, 4), column_text(statement, 5));
    advisories.push_back(std::move(row));
  }
  if (status != SQLITE_DONE) return fail(path_.string(), sqlite3_errmsg(handle_.get()));
  return advisories;
}

Result<Advisory> PackageAdvisory::advisory() const {
  const json parsed = json::parse(record, nullptr, false);
  if (parsed.is_discarded()) return fail(id, "corrupt database record");
  auto advisory = advisory_from_json(parsed);
  if (!advisory) return advisory;
  advisory->severity = parsed.value("severity", std::vector<std::string>{});
  advisory->references = parsed.value("references", std::vector<std::string>{});
  advisory->affected = {entry};
  return advisory;
}

std::map<std::string, std::string> Database::metadata() const {
  std::map<std::string, std::string> values;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(handle_.get(), "SELECT key, value FROM meta", -1, &statement, nullptr) != SQLITE_OK) return values;
  while (sqlite3_step(statement) == SQLITE_ROW) values[column_text(statement, 0)] = column_text(statement, 1);
  sqlite3_finalize(statement);
  return values;
}

}  // namespace moat::deps
