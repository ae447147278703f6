#include "moat/publish/token.hpp"

#include "moat/util/encoding.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

namespace moat::publish {

namespace {

constexpr std::size_t kMaxTokenBytes = 64 * 1024;
std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::vector<std::string> string_list(const nlohmann::ordered_json& value) {
  std::vector<std::string> out;
  if (!value.is_array()) return out;
  for (const auto& item : value)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

void narrow_window(TokenInspection& inspection, std::int64_t not_before, std::int64_t expires_at) {
  inspection.not_before = std::max(inspection.not_before.value_or(not_before), not_before);
  inspection.expires_at = std::min(inspection.expires_at.value_or(expires_at), expires_at);
}

void append_unique(std::vector<std::string>& into, const std::vector<std::string>& items) {
  for (const auto& item : items)
    if (std::ranges::find(into, item) == into.end()) into.push_back(item);
}

/// Interprets one caveat the way warehouse's caveats module does (current list form, legacy objects).
TokenCaveat read_caveat(const std::string& text, TokenInspection& inspection, bool& user_scoped, bool& project_scoped) {
  TokenCaveat caveat;
  caveat.value = nlohmann::ordered_json::parse(text, nullptr, false);
  if (caveat.value.is_discarded()) {
    caveat.value = nullptr;
    caveat.format = "invalid";
    caveat.kind = "unknown";
    caveat.description = "not JSON: PyPI rejects the token";
    return caveat;
  }
  const auto& value = caveat.value;
  auto is_int = [](const nlohmann::ordered_json& item) { return item.is_number_integer(); };
  if (value.is_array()) {
    caveat.format = "current";
    const int tag = !value.empty() && value[0].is_number_integer() ? value[0].get<int>() : -1;
    if (tag == 0 && value.size() == 3 && is_int(value[1]) && is_int(value[2])) {
      caveat.kind = "expiration";
      narrow_window(inspection, value[2].get<std::int64_t>(), value[1].get<std::int64_t>());
      caveat.description = fmt::format("valid from {} until {}", format_utc(value[2].get<std::int64_t>()),
                                       format_utc(value[1].get<std::int64_t>()));
      return caveat;
    }
    if (tag == 1 && value.size() == 2 && value[1].is_array()) {
      caveat.kind = "project-names";
      project_scoped = true;
      append_unique(inspection.projects, string_list(value[1]));
      caveat.description = "only the projects " + join(string_list(value[1]));
      return caveat;
    }
    if (tag == 2 && value.size() == 2 && value[1].is_array()) {
      caveat.kind = "project-ids";
      project_scoped = true;
      append_unique(inspection.project_ids, string_list(value[1]));
      caveat.description = "only the project ids " + join(string_list(value[1]));
      return caveat;
    }
    if (tag == 3 && value.size() == 2 && value[1].is_string()) {
      caveat.kind = "request-user";
      user_scoped = true;
      inspection.user_id = value[1].get<std::string>();
      caveat.description = "any project of user " + value[1].get<std::string>();
      return caveat;
    }
    if (tag == 4 && value.size() >= 2 && value[1].is_string()) {
      caveat.kind = "oidc-publisher";
      inspection.publisher_id = value[1].get<std::string>();
      caveat.description = "only through Trusted Publisher " + value[1].get<std::string>();
      return caveat;
    }
    caveat.kind = "unknown";
    caveat.description = "unknown caveat: PyPI rejects the token";
    return caveat;
  }
  caveat.format = "legacy";
  if (value.is_object() && value.contains("version") && value.contains("permissions")) {
    const auto& permissions = value["permissions"];
    if (permissions == "user") {
      caveat.kind = "request-user";
      user_scoped = true;
      caveat.description = "any project of the token's owner (legacy v1 \"user\" permissions)";
      return caveat;
    }
    if (permissions.is_object() && permissions.contains("projects")) {
      caveat.kind = "project-names";
      project_scoped = true;
      append_unique(inspection.projects, string_list(permissions["projects"]));
      caveat.description = "only the projects " + join(string_list(permissions["projects"])) + " (legacy v1)";
      return caveat;
    }
  }
  if (value.is_object() && value.size() == 2 && value.contains("exp") && value.contains("nbf") &&
      is_int(value["exp"]) && is_int(value["nbf"])) {
    caveat.kind = "expiration";
    narrow_window(inspection, value["nbf"].get<std::int64_t>(), value["exp"].get<std::int64_t>());
    caveat.description = fmt::format("valid from {} until {} (legacy)", format_utc(value["nbf"].get<std::int64_t>()),
                                     format_utc(value["exp"].get<std::int64_t>()));
    return caveat;
  }
  if (value.is_object() && value.size() == 1 && value.contains("project_ids") && value["project_ids"].is_array()) {
    caveat.kind = "project-ids";
    project_scoped = true;
    append_unique(inspection.project_ids, string_list(value["project_ids"]));
    caveat.description = "only the project ids " + join(string_list(value["project_ids"])) + " (legacy)";
    return caveat;
  }
  caveat.kind = "unknown";
  caveat.description = "unknown caveat: PyPI rejects the token";
  return caveat;
}

std::string describe_duration(std::int64_t from, std::int64_t until) {
  std::int64_t seconds = 0;
  if (__builtin_sub_overflow(until, from, &seconds)) return "an unbounded window";  // hostile caveat values
  if (seconds < 0) return "an empty window";
  if (seconds < 3600) return fmt::format("{} minutes", seconds / 60);
  if (seconds < 2 * 86400) return fmt::format("{} hours", seconds / 3600);
  return fmt::format("{} days", seconds / 86400);
}

}  // namespace

std::string format_utc(std::int64_t seconds) {
  const auto time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  if (gmtime_r(&time, &parts) == nullptr) return std::to_string(seconds);
  char buffer[32];
  const auto written = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return written == 0 ? std::to_string(seconds) : std::string(buffer, written);
}

Result<TokenInspection> inspect_token(std::string_view token, std::int64_t now) {
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())) != 0) token.remove_suffix(1);
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front())) != 0) token.remove_prefix(1);
  if (token.empty()) return fail("token", "no token on standard input");
  if (token.size() > kMaxTokenBytes) return fail("token", "input is too large to be a PyPI token");
  auto macaroon = parse_pypi_token(token);
  if (!macaroon) return std::unexpected(macaroon.error());

  TokenInspection inspection;
  inspection.index = macaroon->location;
  inspection.identifier = macaroon->identifier;
  bool user_scoped = false;
  bool project_scoped = false;
  bool unusable = false;
  for (std::size_t i = 0; i < macaroon->caveats.size(); ++i) {
    const auto& raw = macaroon->caveats[i];
    if (raw.third_party) {
      TokenCaveat caveat{"third-party", "third-party", "third-party caveat at " + raw.location +
                                                           ": PyPI does not discharge these and rejects the token",
                         nullptr};
      inspection.caveats.push_back(std::move(caveat));
      unusable = true;
      continue;
    }
    inspection.caveats.push_back(read_caveat(raw.identifier, inspection, user_scoped, project_scoped));
    if (inspection.caveats.back().kind == "unknown") {
      unusable = true;
      inspection.warnings.push_back(fmt::format("caveat {} is not one PyPI understands: uploads with this token "
                                                "are refused",
                                                i + 1));
    }
  }
  if (inspection.publisher_id) inspection.scope = "trusted-publisher";
  else if (project_scoped) inspection.scope = "projects";
  else if (user_scoped) inspection.scope = "user";
  else inspection.scope = "unrestricted";

  if (inspection.index != "pypi.org" && inspection.index != "test.pypi.org")
    inspection.warnings.push_back(fmt::format("location `{}` is not pypi.org or test.pypi.org", inspection.index));
  if (inspection.scope == "user")
    inspection.warnings.push_back("user-wide token: it can upload to every project of the account; create one "
                                  "scoped to a single project, or use Trusted Publishing");
  if (inspection.scope == "unrestricted" && !unusable)
    inspection.warnings.push_back("no scope caveat is embedded: PyPI applies the caveats it stored for this token, "
                                  "which for old tokens means user-wide");
  if (!inspection.expires_at) {
    inspection.warnings.push_back("the token never expires: add an expiry, or use Trusted Publishing (tokens valid "
                                  "for 15 minutes)");
  } else if (now >= *inspection.expires_at) {
    inspection.warnings.push_back("the token expired at " + format_utc(*inspection.expires_at));
  } else if (inspection.not_before && now < *inspection.not_before) {
    inspection.warnings.push_back("the token is not valid before " + format_utc(*inspection.not_before));
  }
  return inspection;
}

std::string render_token_text(const TokenInspection& inspection) {
  std::string out = "PyPI API token (macaroon, libmacaroons V2)\n";
  out += fmt::format("  index:       {}{}\n", inspection.index, inspection.index == "test.pypi.org" ? " (TestPyPI)" : "");
  out += fmt::format("  identifier:  {}\n", inspection.identifier);
  if (inspection.scope == "user") {
    out += "  scope:       user-wide (every project of the account";
    out += inspection.user_id ? ", user " + *inspection.user_id + ")\n" : ")\n";
  } else if (inspection.scope == "projects") {
    out += "  scope:       projects";
    if (!inspection.projects.empty()) out += " " + join(inspection.projects);
    if (!inspection.project_ids.empty()) out += " (ids " + join(inspection.project_ids) + ")";
    out += "\n";
  } else if (inspection.scope == "trusted-publisher") {
    out += "  scope:       Trusted Publishing token from publisher " + *inspection.publisher_id;
    if (!inspection.project_ids.empty()) out += " for project ids " + join(inspection.project_ids);
    out += "\n";
  } else {
    out += "  scope:       no scope caveat embedded\n";
  }
  if (inspection.expires_at) {
    const std::int64_t start = inspection.not_before.value_or(*inspection.expires_at);
    out += fmt::format("  valid:       from {} until {} ({})\n", format_utc(start), format_utc(*inspection.expires_at),
                       describe_duration(start, *inspection.expires_at));
  } else {
    out += "  valid:       no expiry\n";
  }
  out += fmt::format("  caveats:     {}\n", inspection.caveats.size());
  for (std::size_t i = 0; i < inspection.caveats.size(); ++i) {
    const auto& caveat = inspection.caveats[i];
    out += fmt::format("    {}. [{}] {}", i + 1, caveat.format, caveat.description);
    if (!caveat.value.is_null()) out += "  " + caveat.value.dump();
    out += "\n";
  }
  for (const auto& warning : inspection.warnings) out += "warning: " + warning + "\n";
  if (inspection.warnings.empty()) out += "No warnings.\n";
  out += "The signature cannot be verified offline (PyPI holds the root key) and is not shown.\n";
  return out;
}

nlohmann::ordered_json token_json(const TokenInspection& inspection) {
  nlohmann::ordered_json caveats = nlohmann::ordered_json::array();
  for (const auto& caveat : inspection.caveats)
    caveats.push_back({{"format", caveat.format}, {"kind", caveat.kind}, {"description", caveat.description},
                       {"value", caveat.value}});
  auto optional_string = [](const std::optional<std::string>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  };
  auto optional_time = [](const std::optional<std::int64_t>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  };
  return nlohmann::ordered_json{
      {"version", 1},
      {"index", inspection.index},
      {"identifier", inspection.identifier},
      {"scope", inspection.scope},
      {"projects", inspection.projects},
      {"project_ids", inspection.project_ids},
      {"user_id", optional_string(inspection.user_id)},
      {"publisher_id", optional_string(inspection.publisher_id)},
      {"not_before", optional_time(inspection.not_before)},
      {"expires_at", optional_time(inspection.expires_at)},
      {"caveats", caveats},
      {"warnings", inspection.warnings},
  };
}

}  // namespace moat::publish
