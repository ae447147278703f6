#pragma once
// Whole-file reads and atomic writes: the only file I/O helpers the libraries use.
#include <filesystem>
#include <string>
#include <string_view>

#include "moat/util/error.hpp"

namespace moat {

/// Reads a whole file as bytes. Refuses directories and files larger than max_bytes.
Result<std::string> read_file(const std::filesystem::path& path,
                              std::size_t max_bytes = std::size_t{1} << 31);

/// Whether an atomic write also waits for the data to reach the disk before the rename.
enum class Durability {
  flushed,      // fsync first: signatures, checksums, the database, baselines
  regenerable,  // reports a rerun recreates: readers still never see a partial file
};

/// Writes data to path atomically: a temporary file in the same directory, fsync (unless
/// regenerable), rename. A failed write leaves any previous file untouched.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view data,
                                   Durability durability = Durability::flushed);

}  // namespace moat
