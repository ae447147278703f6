#pragma once
// libarchive, loaded at run time by the commands that read an archive it must decode (tar and
// conda packages, zips the direct zip reader refuses, OSV database zips) instead of being linked:
// with libxml2, ICU, nettle and its compressors it cost every moat command about 9 ms of start-up.
// Types and constants come from libarchive's own headers; only the functions go through here.
#include <archive.h>
#include <archive_entry.h>

#include "moat/util/error.hpp"

namespace moat {

/// The soname of the libarchive moat is built against (Debian's libarchive13).
inline constexpr const char* kLibArchiveSoname = "libarchive.so.13";

/// The libarchive functions moat calls, named without their `archive_` prefix.
struct LibArchive {
  decltype(&archive_read_new) read_new = nullptr;
  decltype(&archive_read_free) read_free = nullptr;
  decltype(&archive_read_support_format_zip) read_support_format_zip = nullptr;
  decltype(&archive_read_support_format_tar) read_support_format_tar = nullptr;
  decltype(&archive_read_support_filter_all) read_support_filter_all = nullptr;
  decltype(&archive_read_open) read_open = nullptr;
  decltype(&archive_read_open_filename) read_open_filename = nullptr;
  decltype(&archive_read_open_memory) read_open_memory = nullptr;
  decltype(&archive_read_next_header) read_next_header = nullptr;
  decltype(&archive_read_data) read_data = nullptr;
  decltype(&archive_read_data_block) read_data_block = nullptr;
  decltype(&archive_error_string) error_string = nullptr;
  decltype(&archive_entry_pathname) entry_pathname = nullptr;
  decltype(&archive_entry_pathname_utf8) entry_pathname_utf8 = nullptr;
  decltype(&archive_entry_filetype) entry_filetype = nullptr;
  decltype(&archive_entry_hardlink) entry_hardlink = nullptr;
  decltype(&archive_entry_symlink) entry_symlink = nullptr;
  decltype(&archive_entry_size) entry_size = nullptr;
  decltype(&archive_entry_size_is_set) entry_size_is_set = nullptr;
};

/// The process-wide libarchive, loaded on the first call (thread-safe), or why it cannot be used:
/// "cannot load libarchive.so.13: ...". Callers report that as an error for the file they read.
Result<const LibArchive*> load_libarchive();

}  // namespace moat
