#pragma once
// `moat db update`: download the OSV PyPI export with libcurl (TLS verified, conditional GET) and
// replace the database atomically; any failure leaves the previous database in place.
#include <filesystem>
#include <string>

#include "moat/deps/database.hpp"
#include "moat/util/error.hpp"

namespace moat::deps {

inline constexpr const char* kOsvPypiExportUrl = "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip";

struct UpdateResult {
  bool not_modified = false;  // the server answered 304: the database is current
  ImportStats stats;
  std::size_t bytes = 0;
};

Result<UpdateResult> update_database(const std::string& url, const std::filesystem::path& database_path,
                                     long timeout_seconds = 300);

}  // namespace moat::deps
