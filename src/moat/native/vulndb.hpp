#pragma once
// Offline vulnerability data for bundled C libraries (docs/native.md, "Vulnerability data"):
// OSV-like records, one per (CVE, affected range), loaded from JSON. moat embeds
// data/native/native-vulns.json at build time; another file can be loaded instead.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/util/error.hpp"

namespace moat::native {

struct NativeVulnerability {
  std::string library;  // "openssl", "curl", "expat", "sqlite", "libxml2", "zlib", "libwebp", ...
  std::string id;       // CVE id
  std::vector<std::string> aliases;
  std::optional<std::string> introduced;  // "0" = every earlier release
  std::optional<std::string> fixed;
  std::optional<std::string> last_affected;
  std::string severity;  // upstream label, possibly with a CVSS note; empty when unknown
  std::string summary;
  std::string notes;
  std::string applies_to;       // curl: "lib", "tool", "both"
  std::string upstream_status;  // sqlite: "fixed", "not-a-bug", "not-in-core"

  /// False for records that can never concern a bundled library: curl tool-only bugs, SQLite
  /// bugs upstream rejects, ranges that are labels rather than versions (OpenSSL FIPS modules).
  [[nodiscard]] bool applies_to_library() const;
  /// introduced <= version < fixed (or <= last_affected when nothing is fixed).
  [[nodiscard]] bool affects(std::string_view version) const;
};

class NativeVulnDb {
 public:
  /// Parses the JSON document (`{"records": [...]}`); `source` names it in errors.
  static Result<NativeVulnDb> parse(std::string_view json, const std::string& source);
  static Result<NativeVulnDb> load(const std::filesystem::path& path);
  /// The data compiled into moat.
  static const NativeVulnDb& embedded();

  /// Records affecting `library` at `version`, one per CVE id, in data order.
  [[nodiscard]] std::vector<const NativeVulnerability*> matches(std::string_view library, std::string_view version) const;
  [[nodiscard]] const std::vector<NativeVulnerability>& records() const { return records_; }

 private:
  std::vector<NativeVulnerability> records_;
};

}  // namespace moat::native
