#pragma once
// Builds wheels, sdists and conda packages in memory for the tests (libarchive's writer), good ones
// and every kind of bad one, so no binary fixture has to be committed.
#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "moat/dist/digest.hpp"

namespace moat::testing {

struct TestEntry {
  enum class Type { file, directory, symlink, hardlink, device };
  TestEntry(std::string entry_path, std::string entry_data = {}, Type entry_type = Type::file, std::string link = {})
      : path(std::move(entry_path)), data(std::move(entry_data)), type(entry_type), target(std::move(link)) {}
  std::string path;
  std::string data;
  Type type;
  std::string target;  // links
};

enum class Container { zip, zip_stored, tar_gz, tar_bz2, tar_zst };

inline la_ssize_t append_to_string(archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

/// Writes entries into an archive. `chunked` entries ({path, size}) are streamed as zeros so a bomb
/// of any size can be built without holding it in memory.
inline std::string build_archive(const std::vector<TestEntry>& entries, Container container,
                                 const std::vector<std::pair<std::string, std::uint64_t>>& zero_files = {}) {
  std::string out;
  std::unique_ptr<archive, decltype(&archive_write_free)> writer(archive_write_new(), archive_write_free);
  switch (container) {
    case Container::zip: archive_write_set_format_zip(writer.get()); break;
    case Container::zip_stored:
      archive_write_set_format_zip(writer.get());
      archive_write_set_options(writer.get(), "zip:compression=store");
      break;
    case Container::tar_gz: archive_write_set_format_pax_restricted(writer.get()); archive_write_add_filter_gzip(writer.get()); break;
    case Container::tar_bz2: archive_write_set_format_pax_restricted(writer.get()); archive_write_add_filter_bzip2(writer.get()); break;
    case Container::tar_zst: archive_write_set_format_pax_restricted(writer.get()); archive_write_add_filter_zstd(writer.get()); break;
  }
  archive_write_set_bytes_in_last_block(writer.get(), 1);
  archive_write_open(writer.get(), &out, nullptr, append_to_string, nullptr);
  for (const auto& item : entries) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), item.path.c_str());
    archive_entry_set_mtime(entry.get(), 1700000000, 0);
    switch (item.type) {
      case TestEntry::Type::file:
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(item.data.size()));
        break;
      case TestEntry::Type::directory:
        archive_entry_set_filetype(entry.get(), AE_IFDIR);
        archive_entry_set_perm(entry.get(), 0755);
        break;
      case TestEntry::Type::symlink:
        archive_entry_set_filetype(entry.get(), AE_IFLNK);
        archive_entry_set_symlink(entry.get(), item.target.c_str());
        break;
      case TestEntry::Type::hardlink:
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_hardlink(entry.get(), item.target.c_str());
        break;
      case TestEntry::Type::device:
        archive_entry_set_filetype(entry.get(), AE_IFCHR);
        archive_entry_set_rdev(entry.get(), 0x0101);
        break;
    }
    archive_write_header(writer.get(), entry.get());
    if (item.type == TestEntry::Type::file && !item.data.empty())
      archive_write_data(writer.get(), item.data.data(), item.data.size());
  }
  const std::string zeros(1 << 20, '\0');
  for (const auto& [path, size] : zero_files) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), path.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
    archive_write_header(writer.get(), entry.get());
    for (std::uint64_t written = 0; written < size; written += zeros.size())
      archive_write_data(writer.get(), zeros.data(), std::min<std::uint64_t>(zeros.size(), size - written));
  }
  archive_write_close(writer.get());
  return out;
}

inline std::string record_hash(std::string_view data) {
  const auto digest = dist::sha256_of(data);
  return "sha256=" + dist::to_urlsafe_base64_nopad(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

inline std::string default_metadata(std::string_view name, std::string_view version) {
  return "Metadata-Version: 2.1\nName: " + std::string(name) + "\nVersion: " + std::string(version) +
         "\nSummary: a test package\nRequires-Dist: requests>=2.0\nDescription-Content-Type: text/markdown\n\n# "
         "Test\n\nA package.\n";
}

/// A wheel: the given files plus a .dist-info with METADATA, WHEEL and a correct RECORD.
/// `edit` may change the entry list after RECORD has been computed (to tamper with it).
struct WheelSpec {
  std::string name = "demo";
  std::string version = "1.0";
  std::string tag = "py3-none-any";
  std::vector<TestEntry> files{{"demo/__init__.py", "VALUE = 1\n"}, {"demo/core.py", "def f():\n    return 2\n"}};
  std::string metadata;  // empty: default_metadata(name, version)
  std::string wheel_file;  // empty: a valid one
  bool with_record = true;
  std::function<void(std::vector<TestEntry>&)> edit;
};

inline std::string build_wheel(const WheelSpec& spec) {
  const std::string dist_info = spec.name + "-" + spec.version + ".dist-info";
  std::vector<TestEntry> entries = spec.files;
  entries.push_back({dist_info + "/METADATA", spec.metadata.empty() ? default_metadata(spec.name, spec.version) : spec.metadata});
  entries.push_back({dist_info + "/WHEEL", spec.wheel_file.empty()
                                               ? "Wheel-Version: 1.0\nGenerator: moat-tests\nRoot-Is-Purelib: true\nTag: " + spec.tag + "\n"
                                               : spec.wheel_file});
  if (spec.with_record) {
    std::string record;
    for (const auto& entry : entries)
      record += entry.path + "," + record_hash(entry.data) + "," + std::to_string(entry.data.size()) + "\n";
    record += dist_info + "/RECORD,,\n";
    entries.push_back({dist_info + "/RECORD", record});
  }
  if (spec.edit) spec.edit(entries);
  return build_archive(entries, Container::zip);
}

/// A .conda package: metadata.json + info-<stem>.tar.zst + pkg-<stem>.tar.zst, with a paths.json
/// computed from `files` unless `paths_json` is given.
inline std::string build_conda(const std::string& stem, const std::vector<TestEntry>& files,
                               const std::string& index_json, std::string paths_json = {},
                               const std::vector<TestEntry>& extra_pkg_files = {}) {
  if (paths_json.empty()) {
    paths_json = "{\"paths\": [";
    for (std::size_t index = 0; index < files.size(); ++index) {
      const auto digest = dist::sha256_of(files[index].data);
      paths_json += (index ? ", " : "") + std::string("{\"_path\": \"") + files[index].path +
                    "\", \"path_type\": \"hardlink\", \"sha256\": \"" + dist::to_hex(digest) +
                    "\", \"size_in_bytes\": " + std::to_string(files[index].data.size()) + "}";
    }
    paths_json += "], \"paths_version\": 1}";
  }
  std::string file_list;
  for (const auto& file : files) file_list += file.path + "\n";
  const std::string info = build_archive({{"info/index.json", index_json}, {"info/paths.json", paths_json},
                                          {"info/files", file_list}},
                                         Container::tar_zst);
  std::vector<TestEntry> package_files = files;
  package_files.insert(package_files.end(), extra_pkg_files.begin(), extra_pkg_files.end());
  const std::string package = build_archive(package_files, Container::tar_zst);
  return build_archive({{"metadata.json", "{\"conda_pkg_format_version\": 2}"},
                        {"info-" + stem + ".tar.zst", info},
                        {"pkg-" + stem + ".tar.zst", package}},
                       Container::zip_stored);
}

/// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    m_path = std::filesystem::temp_directory_path() /
             ("moat-dist-test-" + std::to_string(::getpid()) + "-" + std::to_string(s_counter++));
    std::filesystem::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::filesystem::path write(const std::string& name, std::string_view data) const {
    const auto path = m_path / name;
    std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
    return path;
  }
  const std::filesystem::path& path() const { return m_path; }

 private:
  static inline int s_counter = 0;
  std::filesystem::path m_path;
};

}  // namespace moat::testing
