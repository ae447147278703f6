#include "moat/dist/environment.hpp"

#include <algorithm>
#include <fstream>

#include "moat/dist/digest.hpp"
#include "moat/dist/metadata.hpp"
#include "moat/dist/rules.hpp"
#include "moat/dist/wheel.hpp"
#include "moat/util/file.hpp"

namespace moat::dist {

namespace {

constexpr std::uint64_t kMaxRecordBytes = std::uint64_t{64} << 20;

/// Streams a file through SHA-256; nullopt when it cannot be read.
std::optional<std::pair<Sha256, std::uint64_t>> hash_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return std::nullopt;
  Sha256Hasher hasher;
  std::uint64_t size = 0;
  std::string buffer(1 << 16, '\0');
  while (stream) {
    stream.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(stream.gcount());
    hasher.update(std::string_view(buffer.data(), got));
    size += got;
  }
  if (stream.bad()) return std::nullopt;
  return std::pair{hasher.finish(), size};
}

std::string joined(const std::string& display, const std::string& relative) {
  return display.ends_with('/') ? display + relative : display + "/" + relative;
}

void check_pth(const std::filesystem::path& path, const std::string& location, EnvironmentReport& report) {
  auto text = read_file(path, 1 << 20);
  if (!text) {
    report.errors.push_back({location, text.error().message});
    return;
  }
  int line_number = 0;
  std::size_t start = 0;
  while (start < text->size()) {
    const std::size_t end = std::min(text->find('\n', start), text->size());
    const std::string_view line = std::string_view(*text).substr(start, end - start);
    ++line_number;
    if (line.starts_with("import ") || line.starts_with("import\t")) {
      Finding finding = make_finding("MOAT-D009", Severity::medium, location,
                                     "'" + path.filename().string() + "' runs code at every interpreter start-up", 94);
      finding.location.line = line_number;
      finding.snippet = std::string(line.substr(0, 200));
      report.findings.push_back(std::move(finding));
    }
    start = end + 1;
  }
}

}  // namespace

bool is_environment_directory(const std::filesystem::path& directory) {
  std::error_code error;
  for (const auto& item : std::filesystem::directory_iterator(directory, error))
    if (item.path().extension() == ".dist-info" && item.is_directory(error)) return true;
  return false;
}

Result<EnvironmentReport> inspect_environment(const std::filesystem::path& site_packages, std::string display_name) {
  if (display_name.empty()) display_name = site_packages.string();
  std::error_code error;
  std::vector<std::filesystem::path> dist_infos, pth_files;
  for (const auto& item : std::filesystem::directory_iterator(site_packages, error)) {
    if (item.path().extension() == ".dist-info" && item.is_directory(error)) dist_infos.push_back(item.path());
    if (item.path().extension() == ".pth" && item.is_regular_file(error)) pth_files.push_back(item.path());
  }
  if (error) return fail(site_packages.string(), "cannot list: " + error.message());
  std::ranges::sort(dist_infos);
  std::ranges::sort(pth_files);

  EnvironmentReport report;
  std::size_t files_verified = 0, distributions = 0;
  for (const auto& dist_info : dist_infos) {
    const std::string dist_name = dist_info.filename().string();
    const auto record_path = dist_info / "RECORD";
    if (!std::filesystem::exists(record_path, error)) continue;  // e.g. installed by a tool that writes none
    auto record = read_file(record_path, kMaxRecordBytes);
    if (!record) {
      report.errors.push_back({joined(display_name, dist_name + "/RECORD"), record.error().message});
      continue;
    }
    ++distributions;
    const RecordParse parsed = parse_record(*record);
    for (const auto& problem : parsed.problems)
      report.errors.push_back({joined(display_name, dist_name + "/RECORD"), problem});
    for (const auto& row : parsed.rows) {
      if (row.algorithm != "sha256" || row.digest.empty()) continue;  // RECORD itself, bytecode, INSTALLER...
      const auto file = (site_packages / row.path).lexically_normal();
      const std::string relative = file.lexically_relative(site_packages).generic_string();
      const std::string location = joined(display_name, relative);
      if (!std::filesystem::is_regular_file(file, error)) {
        report.findings.push_back(make_finding("MOAT-E002", Severity::low, location,
                                               "'" + row.path + "' of " + dist_name + " is missing"));
        continue;
      }
      const auto actual = hash_file(file);
      if (!actual) {
        report.errors.push_back({location, "cannot read"});
        continue;
      }
      const std::string digest = to_urlsafe_base64_nopad(
          std::string_view(reinterpret_cast<const char*>(actual->first.data()), actual->first.size()));
      if (digest != row.digest || (row.size && *row.size != actual->second)) {
        const std::string difference =
            digest != row.digest ? "sha256 " + digest + ", RECORD says " + row.digest
                                 : std::to_string(actual->second) + " bytes, RECORD says " + std::to_string(*row.size);
        Finding finding = make_finding("MOAT-E001", Severity::high, location,
                                       "'" + row.path + "' differs from the RECORD of " + dist_name + " (" + difference + ")",
                                       354);
        finding.details["distribution"] = dist_name;
        report.findings.push_back(std::move(finding));
        continue;
      }
      ++files_verified;
    }
  }
  for (const auto& pth : pth_files) check_pth(pth, joined(display_name, pth.filename().string()), report);
  report.summary = {{"path", display_name}, {"kind", "environment"}, {"distributions", distributions},
                    {"files_verified", files_verified}, {"pth_files", pth_files.size()}};
  return report;
}

}  // namespace moat::dist
