#include "moat/cli/version.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>

#include "moat/deps/database.hpp"
#include "moat/pattern/builtin_rules.hpp"
#include "moat/report/rule_docs.hpp"
#include "moat/util/encoding.hpp"

namespace moat::cli {

namespace {

std::string utc_date(const std::string& unix_seconds) {
  try {
    const std::time_t stamp = static_cast<std::time_t>(std::stoll(unix_seconds));
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", std::gmtime(&stamp));
    return buffer;
  } catch (const std::exception&) {
    return "unknown date";
  }
}

}  // namespace

std::string rule_set_version() {
  Sha256Hasher hasher;
  std::size_t rules = 0;
  // Every field, separated by a byte no rule text holds, so moving text between fields changes it.
  const auto feed = [&hasher](std::string_view field) {
    hasher.update(field);
    hasher.update(std::string_view("\0", 1));
  };
  for (const auto& table : report::rule_doc_tables()) {
    for (const RuleDoc& doc : table) {
      ++rules;
      for (std::string_view field : {doc.id, doc.title, doc.what, doc.why, doc.example, doc.fix, doc.references})
        feed(field);
    }
  }
  for (const auto& file : pattern::builtin_rule_files()) {
    feed(file.name);
    feed(file.yaml);
  }
  const std::string digest = hex_encode(digest_bytes(hasher.finish()));
  return fmt::format("{} rules, sha256:{}", rules, digest.substr(0, 12));
}

std::string database_version(const std::string& database_path) {
  std::error_code error;
  if (!std::filesystem::exists(database_path, error))
    return fmt::format("none at {} (run `moat db update`, or `moat db import FILE` offline)", database_path);
  auto database = deps::Database::open(database_path);
  if (!database) return fmt::format("unreadable: {} (rebuild it with `moat db update`)", database.error().to_string());
  auto metadata = database->metadata();
  std::string text = fmt::format("schema {}, {} advisories, imported {}", metadata["schema"], metadata["advisories"],
                                 utc_date(metadata["imported_at"]));
  if (!metadata["last_modified"].empty()) text += fmt::format(", upstream {}", metadata["last_modified"]);
  if (!metadata["source"].empty()) text += fmt::format(", from {}", metadata["source"]);
  return text + fmt::format(" ({})", database_path);
}

std::string version_text() {
  return fmt::format("moat {}\ncommit:   {}\nrules:    {}\ndatabase: {}", MOAT_VERSION, build_commit(),
                     rule_set_version(), database_version(deps::default_database_path().string()));
}

}  // namespace moat::cli
