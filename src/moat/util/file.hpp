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

/// Writes data to path atomically: a temporary file in the same directory, fsync, rename.
/// A failed write leaves any previous file untouched.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view data);

}  // namespace moat
