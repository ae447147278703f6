#include "moat/util/libarchive_api.hpp"

#include "moat/util/shared_library.hpp"

namespace moat {

Result<const LibArchive*> load_libarchive() {
  static const Result<LibArchive> loaded = []() -> Result<LibArchive> {
    auto library = SharedLibrary::open(kLibArchiveSoname);
    if (!library) return std::unexpected(library.error());
    LibArchive api;
    library->bind(api.read_new, "archive_read_new");
    library->bind(api.read_free, "archive_read_free");
    library->bind(api.read_support_format_zip, "archive_read_support_format_zip");
    library->bind(api.read_support_format_tar, "archive_read_support_format_tar");
    library->bind(api.read_support_filter_all, "archive_read_support_filter_all");
    library->bind(api.read_open, "archive_read_open");
    library->bind(api.read_open_filename, "archive_read_open_filename");
    library->bind(api.read_open_memory, "archive_read_open_memory");
    library->bind(api.read_next_header, "archive_read_next_header");
    library->bind(api.read_data, "archive_read_data");
    library->bind(api.read_data_block, "archive_read_data_block");
    library->bind(api.error_string, "archive_error_string");
    library->bind(api.entry_pathname, "archive_entry_pathname");
    library->bind(api.entry_pathname_utf8, "archive_entry_pathname_utf8");
    library->bind(api.entry_filetype, "archive_entry_filetype");
    library->bind(api.entry_hardlink, "archive_entry_hardlink");
    library->bind(api.entry_symlink, "archive_entry_symlink");
    library->bind(api.entry_size, "archive_entry_size");
    library->bind(api.entry_size_is_set, "archive_entry_size_is_set");
    if (auto complete = library->complete("libarchive 3.x, libarchive13"); !complete) return std::unexpected(complete.error());
    return api;
  }();
  if (!loaded) return std::unexpected(loaded.error());
  return &*loaded;
}

}  // namespace moat
