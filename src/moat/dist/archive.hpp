#pragma once
// Streaming, in-memory readers for Python and conda distribution archives on libarchive: wheels
// (.whl), sdists (.tar.gz, .zip), conda packages (.conda = zip of zstd tars, .tar.bz2). Nothing is
// ever extracted to disk. Limits on entry count, sizes and compression ratio turn archive bombs into
// MOAT-A001 findings; unsafe member names and types become MOAT-A002..A008 findings.
//
// Each entry is handed to an EntryVisitor as it streams past, with its bytes when it is a regular
// file small enough to buffer. This is the hook for content analyzers (secrets today, the Python
// code checks later): they see (path, bytes) without the archive being unpacked.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/dist/digest.hpp"
#include "moat/util/error.hpp"

namespace moat::dist {

enum class ArchiveKind { wheel, sdist_tar, sdist_zip, conda, conda_tar_bz2, unknown };

/// The kind a file name announces: .whl, .tar.gz/.tgz/.tar.xz/.tar.zst, .zip, .conda, .tar.bz2.
ArchiveKind archive_kind_from_name(std::string_view file_name);
std::string_view to_string(ArchiveKind kind);

enum class EntryType { file, directory, symlink, hardlink, device, fifo, socket, other };

/// Reading limits. Crossing one stops reading and yields a MOAT-A001 finding.
struct ArchiveLimits {
  std::uint64_t max_entries = 200'000;
  std::uint64_t max_entry_bytes = std::uint64_t{1} << 30;   // uncompressed size of one entry
  std::uint64_t max_total_bytes = std::uint64_t{4} << 30;   // uncompressed size of all entries
  double max_ratio = 250.0;                                 // total uncompressed / archive size
  std::uint64_t ratio_floor_bytes = std::uint64_t{32} << 20;  // the ratio applies above this total
  std::uint64_t max_buffered_bytes = std::uint64_t{64} << 20;  // larger files are hashed, not buffered
};

/// What is known about one member once it has been read.
struct EntryInfo {
  std::string path;       // as stored, '\' turned into '/', leading "./" dropped; conda members flattened
  EntryType type = EntryType::file;
  std::uint64_t size = 0;  // bytes actually read
  std::string link_target;  // symlink or hardlink target
  Sha256 sha256{};          // of the bytes read (regular files)
  bool complete = true;     // false when a limit or corrupt data cut the entry short
};

/// Called once per member, in archive order. `data` holds the member's bytes when it is a complete
/// regular file of at most max_buffered_bytes; otherwise it is empty (and `buffered` false). The view
/// is valid only during the call.
using EntryVisitor = std::function<void(const EntryInfo& entry, std::string_view data, bool buffered)>;

struct ArchiveContents {
  std::string display_name;  // used in finding locations: "<display_name>!/<entry>"
  ArchiveKind kind = ArchiveKind::unknown;
  std::vector<EntryInfo> entries;
  std::uint64_t archive_bytes = 0;        // compressed size
  std::uint64_t uncompressed_bytes = 0;   // total read
  bool stopped_by_limit = false;
  std::vector<Finding> findings;  // MOAT-A rules
  std::vector<ScanError> errors;  // corrupt data met part way; entries before it are kept
};

class MemberPool;

/// Reads the archive at `path`. Fails only when it cannot be opened at all. A plain wheel or zip
/// sdist (zip_directory.hpp) is mapped into memory and read through its central directory; with a
/// `pool`, its members are inflated and hashed on the pool's workers, several at once, while the
/// visitor still sees them one at a time in archive order on the calling thread. Anything else is
/// streamed from disk by libarchive.
Result<ArchiveContents> read_archive_file(const std::filesystem::path& path, const ArchiveLimits& limits,
                                          const EntryVisitor& visitor, std::string display_name = {},
                                          MemberPool* pool = nullptr);

/// Reads an archive held in memory; `display_name` also decides the kind when `kind` is unknown.
Result<ArchiveContents> read_archive_memory(std::string_view bytes, std::string display_name, ArchiveKind kind,
                                            const ArchiveLimits& limits, const EntryVisitor& visitor);

}  // namespace moat::dist
