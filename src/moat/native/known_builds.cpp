#include "moat/native/known_builds.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "moat/util/embed.hpp"
#include "moat/util/file.hpp"

// The known builds of Debian 12's libraries, assembled into this object file (path set by CMake).
MOAT_EMBED_FILE(moat_known_builds, MOAT_KNOWN_BUILDS_PATH);

namespace moat::native {

namespace {

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 && std::ranges::all_of(text, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string KnownBuild::describe() const {
  return distribution + " " + package + " " + version + (file.empty() ? "" : " (" + file + ")");
}

bool KnownBuild::fixes(std::string_view cve) const { return std::ranges::binary_search(fixed, cve); }

Result<KnownBuilds> KnownBuilds::parse(std::string_view json, const std::string& source) {
  const auto document = nlohmann::json::parse(json, nullptr, false);
  if (document.is_discarded()) return fail(source, "not valid JSON");
  if (!document.is_object() || !document.contains("builds") || !document["builds"].is_array())
    return fail(source, "expected an object with a \"builds\" array");
  KnownBuilds result;
  std::size_t index = 0;
  for (const auto& entry : document["builds"]) {
    const auto where = "builds[" + std::to_string(index++) + "]";
    if (!entry.is_object()) return fail(source, where + ": not an object");
    KnownBuild build;
    for (auto [key, field] : {std::pair{"sha256", &build.sha256}, {"file", &build.file}, {"distribution", &build.distribution},
                              {"package", &build.package}, {"version", &build.version}, {"architecture", &build.architecture}}) {
      const auto found = entry.find(key);
      if (found == entry.end()) continue;
      if (!found->is_string()) return fail(source, where + ": \"" + key + "\" is not a string");
      *field = found->get<std::string>();
    }
    if (!is_sha256_hex(build.sha256)) return fail(source, where + ": \"sha256\" is not 64 lowercase hex digits");
    if (build.package.empty() || build.version.empty()) return fail(source, where + ": \"package\" and \"version\" are required");
    if (const auto fixed = entry.find("fixed"); fixed != entry.end()) {
      if (!fixed->is_array()) return fail(source, where + ": \"fixed\" is not a list");
      for (const auto& id : *fixed) {
        if (!id.is_string()) return fail(source, where + ": \"fixed\" holds a non-string");
        build.fixed.push_back(id.get<std::string>());
      }
    }
    std::ranges::sort(build.fixed);
    result.builds_.push_back(std::move(build));
  }
  result.sort();
  return result;
}

Result<KnownBuilds> KnownBuilds::load(const std::filesystem::path& path) {
  auto text = read_file(path, std::size_t{256} << 20);
  if (!text) return std::unexpected(text.error());
  return parse(*text, path.string());
}

const KnownBuilds& KnownBuilds::embedded() {
  static const KnownBuilds builds = [] {
    auto parsed = parse(MOAT_EMBEDDED_TEXT(moat_known_builds), "embedded known-builds.json");
    // The embedded file is validated by the unit tests, which fail on an empty table.
    return parsed ? std::move(*parsed) : KnownBuilds{};
  }();
  return builds;
}

void KnownBuilds::merge(const KnownBuilds& other) {
  builds_.insert(builds_.end(), other.builds_.begin(), other.builds_.end());
  sort();
}

void KnownBuilds::sort() {
  std::ranges::stable_sort(builds_, {}, &KnownBuild::sha256);
  // The same file listed twice (embedded and imported): keep the first.
  const auto duplicates = std::ranges::unique(builds_, {}, &KnownBuild::sha256);
  builds_.erase(duplicates.begin(), duplicates.end());
}

const KnownBuild* KnownBuilds::find(std::string_view sha256_hex) const {
  const auto found = std::ranges::lower_bound(builds_, sha256_hex, {}, &KnownBuild::sha256);
  return found != builds_.end() && found->sha256 == sha256_hex ? &*found : nullptr;
}

const KnownBuild* KnownBuilds::find_by_prefix(std::string_view prefix) const {
  if (prefix.empty()) return nullptr;
  const auto first = std::ranges::lower_bound(builds_, prefix, {}, [&](const KnownBuild& build) {
    return std::string_view(build.sha256).substr(0, prefix.size());
  });
  if (first == builds_.end() || !first->sha256.starts_with(prefix)) return nullptr;
  const auto next = std::next(first);
  if (next != builds_.end() && next->sha256.starts_with(prefix)) return nullptr;  // ambiguous
  return &*first;
}

}  // namespace moat::native
