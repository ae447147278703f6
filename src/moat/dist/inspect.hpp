#pragma once
// `moat inspect` as a library: reads one artifact (wheel, sdist, conda package) in a single
// streaming pass and runs every check that applies, returning a summary and findings.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "moat/base/finding.hpp"
#include "moat/dist/archive.hpp"
#include "moat/dist/member_pool.hpp"
#include "moat/dist/wheel.hpp"
#include "moat/util/error.hpp"

namespace moat::dist {

/// Hook for the Python code checks: called with every buffered `.py` member, its location
/// ("dist.whl!/pkg/mod.py") and source; the findings it returns are added to the report as they are
/// (they should already carry that location). Called from several threads at once.
using PythonScanner = std::function<std::vector<Finding>(std::string_view location, std::string_view source)>;

/// Hook for project-name checks (typosquatting): called once per wheel or sdist with its core-metadata
/// Name and the artifact's display name; the findings it returns are added as they are.
using NameChecker = std::function<std::vector<Finding>(std::string_view name, std::string_view location)>;
/// Hook for checks that need all of an artifact's members (the native-code checks; set by the CLI, as
/// dist does not depend on native). One session per artifact: `member` sees every regular member in
/// archive order on the streaming thread, with its bytes when `buffered` (valid only during the call),
/// and may hand costly work on them to `pool`; then `finish` (after that work is done) returns the
/// findings and the artifact summary's section for this check (left null when there is nothing).
class MemberScanSession {
 public:
  virtual ~MemberScanSession() = default;
  virtual void member(const std::string& location, const EntryInfo& entry, std::string_view data, bool buffered,
                      MemberPool& pool) = 0;
  virtual std::vector<Finding> finish(nlohmann::ordered_json& summary_section) = 0;
};

/// What a session knows about its artifact before the first member.
struct MemberScanContext {
  ArchiveKind kind = ArchiveKind::unknown;
  std::string file_name;
  std::string platform_tag;  // a wheel's platform tags from its file name, '.'-joined; empty otherwise
};

/// Starts a session (nullptr: nothing to do for this artifact). Its section is summary[key].
struct MemberScanner {
  std::string key;
  std::function<std::unique_ptr<MemberScanSession>(const MemberScanContext&)> start;
};

struct InspectOptions {
  ArchiveLimits limits;
  WheelOptions wheel;
  bool secrets = true;                                          // scan every text member for secrets
  std::uint64_t max_secret_scan_bytes = std::uint64_t{8} << 20;  // larger members are not scanned
  std::uint64_t large_binary_bytes = std::uint64_t{10} << 20;    // MOAT-S005 threshold (sdists)
  unsigned jobs = 0;                                             // threads checking members (0: one per core)
  std::uint64_t max_queued_bytes = std::uint64_t{16} << 20;      // members waiting for those threads, at most
  PythonScanner python_scanner;                                  // the code checks (set by the CLI; thread-safe)
  NameChecker name_checker;                                      // the typosquatting check (set by the CLI)
  std::vector<MemberScanner> member_scanners;                    // the native checks (set by the CLI)
};

struct ArtifactReport {
  nlohmann::ordered_json summary = nlohmann::ordered_json::object();
  std::vector<Finding> findings;
  std::vector<ScanError> errors;
};

/// True for file names moat inspects as artifacts (.whl, .tar.gz, .zip, .conda, .tar.bz2, ...).
bool is_artifact_name(std::string_view file_name);

/// Inspects one artifact. `display_name` (default: the path as given) prefixes finding locations.
/// Fails only when the file cannot be opened as an archive at all.
Result<ArtifactReport> inspect_artifact(const std::filesystem::path& path, const InspectOptions& options,
                                        std::string display_name = {});

/// The summary as the text report prints it before the findings.
std::string format_summary(const nlohmann::ordered_json& summary);

}  // namespace moat::dist
