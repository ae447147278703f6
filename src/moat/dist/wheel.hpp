#pragma once
// Wheel checks: file name (PEP 427/491), .dist-info layout, WHEEL, RECORD (every file listed, every
// SHA-256 and size right) and the check-wheel-contents codes W001-W010, W201, W202.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/dist/archive.hpp"
#include "moat/util/error.hpp"

namespace moat::dist {

struct WheelFilename {
  std::string name;     // as written (escaped: '_' for separators)
  std::string version;
  std::string build;    // empty when absent
  std::vector<std::string> python_tags, abi_tags, platform_tags;  // compressed tag sets expanded
};

/// Parses {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl.
Result<WheelFilename> parse_wheel_filename(std::string_view file_name);

struct RecordRow {
  std::string path;
  std::string algorithm;  // "sha256"; empty for RECORD's own row
  std::string digest;     // URL-safe base64 without padding, as written
  std::optional<std::uint64_t> size;
  int line = 0;
};

struct RecordParse {
  std::vector<RecordRow> rows;
  std::vector<std::string> problems;  // "line N: ..."
};

/// Parses RECORD as Python's csv module writes it (quotes, doubled quotes).
RecordParse parse_record(std::string_view text);

/// One way a RECORD disagrees with the archive.
struct RecordProblem {
  enum class Kind { malformed, hash_mismatch, size_mismatch, not_in_record, missing_from_archive };
  Kind kind;
  std::string path;     // inside the wheel
  std::string message;
};

struct RecordVerification {
  std::size_t rows = 0;
  std::size_t verified = 0;  // rows whose hash and size were checked and matched
  std::vector<RecordProblem> problems;
  [[nodiscard]] bool ok() const { return problems.empty(); }
};

/// Checks a RECORD against the archive's entries (their SHA-256 and size as read). `record_path` is
/// RECORD's own path inside the wheel; RECORD.jws and RECORD.p7s may be unlisted.
RecordVerification verify_record(std::string_view record_text, std::string_view record_path,
                                 std::span<const EntryInfo> entries);

/// `moat verify record WHEEL`: reads the wheel, finds its single .dist-info/RECORD and verifies it.
/// Fails when the wheel cannot be read, has no RECORD, or a limit stopped the reading.
Result<RecordVerification> verify_wheel_record(const std::filesystem::path& wheel, const ArchiveLimits& limits = {});

struct WheelOptions {
  std::vector<std::string> toplevel;  // --toplevel: W201/W202, and W005/W009 relaxed
  /// --package/--src-dir: the library-relative paths of the local package tree ("pkg/mod.py"); when
  /// set, W101/W102 compare the wheel's purelib/platlib files with it, and W005/W009 are relaxed.
  std::optional<std::set<std::string>> package_tree;
};

/// The default names left out of a package tree (check-wheel-contents' --package-omit default).
std::vector<std::string> default_package_omit();

/// check-wheel-contents' package tree: each `packages` path under its own name (a directory with
/// everything below it, or a single file), and the entries of each `src_dirs` directory at the root.
/// Entries whose name matches an `omit` glob are skipped (directories with all they hold); symbolic
/// links to directories are not followed. Fails naming the path when one is missing or two inputs
/// give the same top-level name.
Result<std::set<std::string>> collect_package_tree(const std::vector<std::filesystem::path>& packages,
                                                   const std::vector<std::filesystem::path>& src_dirs,
                                                   const std::vector<std::string>& omit);

/// Every wheel finding (MOAT-D, MOAT-M, MOAT-W) for an archive already read. `kept` maps the paths of
/// the small metadata files the caller buffered (.dist-info/*, *.pth) to their bytes.
std::vector<Finding> check_wheel(const ArchiveContents& contents, const std::map<std::string, std::string>& kept,
                                 std::string_view file_name, const WheelOptions& options);

/// True for the members check_wheel needs to see the bytes of.
bool wheel_keeps(std::string_view path);

}  // namespace moat::dist
