#include "moat/native/vulndb.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "moat/native/version.hpp"
#include "moat/util/embed.hpp"
#include "moat/util/file.hpp"

// The vulnerability data, assembled into this object file (path set by CMake).
MOAT_EMBED_FILE(moat_native_vulns, MOAT_NATIVE_VULNS_PATH);

namespace moat::native {

namespace {

std::optional<std::string> optional_string(const nlohmann::json& record, const char* key) {
  const auto found = record.find(key);
  if (found == record.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

}  // namespace

bool NativeVulnerability::applies_to_library() const {
  if (applies_to == "tool") return false;
  if (upstream_status == "not-a-bug" || upstream_status == "not-in-core") return false;
  for (const auto& bound : {introduced, fixed, last_affected})
    if (bound && !is_numeric_version(*bound)) return false;
  return fixed || last_affected || introduced;
}

bool NativeVulnerability::affects(std::string_view version) const {
  if (!applies_to_library() || !is_numeric_version(version)) return false;
  if (compare_versions(version, introduced.value_or("0")) < 0) return false;
  if (fixed) return compare_versions(version, *fixed) < 0;
  if (last_affected) return compare_versions(version, *last_affected) <= 0;
  return true;  // introduced and never fixed
}

Result<NativeVulnDb> NativeVulnDb::parse(std::string_view json, const std::string& source) {
  const auto document = nlohmann::json::parse(json, nullptr, false);
  if (document.is_discarded()) return fail(source, "not valid JSON");
  const auto records = document.find("records");
  if (records == document.end() || !records->is_array()) return fail(source, "no \"records\" array");
  NativeVulnDb db;
  db.records_.reserve(records->size());
  std::size_t index = 0;
  for (const auto& record : *records) {
    ++index;
    if (!record.is_object()) return fail(source, "record " + std::to_string(index) + " is not an object");
    auto library = optional_string(record, "library");
    auto id = optional_string(record, "id");
    if (!library || !id) return fail(source, "record " + std::to_string(index) + " lacks \"library\" or \"id\"");
    NativeVulnerability entry;
    entry.library = std::move(*library);
    entry.id = std::move(*id);
    if (const auto aliases = record.find("aliases"); aliases != record.end() && aliases->is_array())
      for (const auto& alias : *aliases)
        if (alias.is_string()) entry.aliases.push_back(alias.get<std::string>());
    entry.introduced = optional_string(record, "introduced");
    entry.fixed = optional_string(record, "fixed");
    entry.last_affected = optional_string(record, "last_affected");
    entry.severity = optional_string(record, "severity").value_or("");
    entry.summary = optional_string(record, "summary").value_or("");
    entry.notes = optional_string(record, "notes").value_or("");
    entry.applies_to = optional_string(record, "applies_to").value_or("");
    entry.upstream_status = optional_string(record, "upstream_status").value_or("");
    db.records_.push_back(std::move(entry));
  }
  return db;
}

Result<NativeVulnDb> NativeVulnDb::load(const std::filesystem::path& path) {
  auto text = read_file(path, std::size_t{256} << 20);
  if (!text) return std::unexpected(text.error());
  return parse(*text, path.string());
}

const NativeVulnDb& NativeVulnDb::embedded() {
  static const NativeVulnDb db = [] {
    auto parsed = parse(MOAT_EMBEDDED_TEXT(moat_native_vulns),
                        "embedded native-vulns.json");
    // The embedded file is validated by the unit tests, which fail on an empty table.
    return parsed ? std::move(*parsed) : NativeVulnDb{};
  }();
  return db;
}

std::vector<const NativeVulnerability*> NativeVulnDb::matches(std::string_view library, std::string_view version) const {
  std::vector<const NativeVulnerability*> found;
  std::set<std::string_view> seen;
  for (const auto& record : records_)
    if (record.library == library && record.affects(version) && seen.insert(record.id).second) found.push_back(&record);
  return found;
}

}  // namespace moat::native
