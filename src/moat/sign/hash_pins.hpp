#pragma once
// Hash-pinned requirements (pip --require-hashes): every distribution file must match a --hash of
// an exactly pinned requirement. This holds a minimal requirements reader that understands what
// hash checking needs (names, == pins, --hash options, markers, -r includes).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "moat/util/error.hpp"

namespace moat::sign {

struct HashPin {
  std::string location;  // "requirements.txt:12"
  std::string project;   // PEP 503 normalized
  std::string version;   // PEP 440 normalized pin; empty when not pinned with == / ===
  bool direct_url = false;  // "name @ URL": pinned by the URL itself
  bool has_marker = false;  // environment markers: may legitimately have no file here
  std::vector<std::pair<std::string, std::string>> hashes;  // (algorithm, lowercase hex)
};

/// Reads a requirements file, following -r/--requirement includes (relative to the including file).
Result<std::vector<HashPin>> read_hash_pins(const std::filesystem::path& requirements);
/// The same over text already in memory; includes are resolved relative to `base_dir`.
Result<std::vector<HashPin>> parse_hash_pins(std::string_view text, const std::string& source,
                                             const std::filesystem::path& base_dir);

struct HashCheck {
  std::vector<std::string> verified;  // "file (sha256)"
  std::vector<Error> problems;        // subject = file or requirement, in a stable order
};

/// Checks every distribution file directly in `dist_dir` against the pins (pip's rules).
Result<HashCheck> check_hash_pins(const std::vector<HashPin>& pins, const std::filesystem::path& dist_dir);

}  // namespace moat::sign
