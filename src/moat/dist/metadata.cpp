#include "moat/dist/metadata.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include "moat/dist/rst.hpp"
#include "moat/dist/rules.hpp"

namespace moat::dist {

namespace {

bool iequals(std::string_view left, std::string_view right) {
  return std::ranges::equal(left, right, [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); });
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

/// The PEP 440 grammar (packaging's VERSION_PATTERN), anchored, case-insensitive. Groups: 1 epoch,
/// 2 release, 3 pre, 4 pre label, 5 pre number, 6 post, 7 implicit post number, 8 post label,
/// 9 post number, 10 dev, 11 dev label, 12 dev number, 13 local.
constexpr std::string_view kVersionPattern =
    R"(^\s*v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*))"
    R"(([-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?([0-9]+)?)?)"
    R"(((?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]+)?))?)"
    R"(([-_.]?(dev)[-_.]?([0-9]+)?)?)"
    R"((?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$)";

struct VersionRegex {
  pcre2_code* code = nullptr;
  VersionRegex() {
    int error = 0;
    PCRE2_SIZE offset = 0;
    code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(kVersionPattern.data()), kVersionPattern.size(), PCRE2_CASELESS,
                         &error, &offset, nullptr);
    if (code != nullptr) pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  }
  ~VersionRegex() { pcre2_code_free(code); }
  VersionRegex(const VersionRegex&) = delete;
  VersionRegex& operator=(const VersionRegex&) = delete;
};

/// The 13 groups of a PEP 440 match (unmatched groups are nullopt), or nullopt when it does not match.
std::optional<std::array<std::optional<std::string>, 14>> match_version(std::string_view version) {
  static const VersionRegex regex;
  if (regex.code == nullptr) return std::nullopt;
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(pcre2_match_data_create(14, nullptr),
                                                                          pcre2_match_data_free);
  const int result = pcre2_match(regex.code, reinterpret_cast<PCRE2_SPTR>(version.data()), version.size(), 0, 0,
                                 data.get(), nullptr);
  if (result < 0) return std::nullopt;
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
  std::array<std::optional<std::string>, 14> groups;
  for (int group = 0; group < result && group < 14; ++group)
    if (ovector[2 * group] != PCRE2_UNSET)
      groups[static_cast<std::size_t>(group)] =
          std::string(version.substr(ovector[2 * group], ovector[2 * group + 1] - ovector[2 * group]));
  return groups;
}

std::string strip_zeros(std::string_view digits) {
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  return std::string(digits.empty() ? "0" : digits);
}

std::optional<std::string> canonical(std::string_view version, bool drop_trailing_zeros) {
  if (version.size() > 256) return std::nullopt;
  const auto groups = match_version(version);
  if (!groups) return std::nullopt;
  const auto& match = *groups;
  std::string out;
  if (match[1] && strip_zeros(*match[1]) != "0") out += strip_zeros(*match[1]) + "!";
  std::vector<std::string> release;
  const std::string release_text = match[2].value_or("0");
  std::size_t start = 0;
  while (start <= release_text.size()) {
    const std::size_t dot = std::min(release_text.find('.', start), release_text.size());
    release.push_back(strip_zeros(std::string_view(release_text).substr(start, dot - start)));
    start = dot + 1;
  }
  if (drop_trailing_zeros)
    while (release.size() > 1 && release.back() == "0") release.pop_back();
  for (std::size_t index = 0; index < release.size(); ++index) out += (index ? "." : "") + release[index];
  if (match[3]) {
    const std::string label = lower(match[4].value_or(""));
    out += label == "alpha" ? "a" : label == "beta" ? "b" : (label == "c" || label == "pre" || label == "preview") ? "rc" : label;
    out += match[5] ? strip_zeros(*match[5]) : "0";
  }
  if (match[6]) out += ".post" + (match[7] ? strip_zeros(*match[7]) : match[9] ? strip_zeros(*match[9]) : "0");
  if (match[10]) out += ".dev" + (match[12] ? strip_zeros(*match[12]) : "0");
  if (match[13]) {
    std::string local = lower(*match[13]);
    std::ranges::replace(local, '-', '.');
    std::ranges::replace(local, '_', '.');
    out += "+" + local;
  }
  return out;
}

// ---- PEP 508 requirements ---------------------------------------------------------------------

class RequirementParser {
 public:
  explicit RequirementParser(std::string_view text) : m_text(text) {}

  bool parse(std::string& why) {
    skip_space();
    const std::string_view name = take_while([](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; });
    if (!is_valid_project_name(name)) return error(why, "invalid project name");
    skip_space();
    if (peek() == '[') {
      ++m_position;
      for (;;) {
        skip_space();
        if (peek() == ']') break;
        const auto extra = take_while([](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; });
        if (!is_valid_project_name(extra)) return error(why, "invalid extra name");
        skip_space();
        if (peek() == ',') { ++m_position; continue; }
        if (peek() != ']') return error(why, "expected ',' or ']' in extras");
      }
      ++m_position;
      skip_space();
    }
    if (peek() == '@') {
      ++m_position;
      skip_space();
      const auto url = take_while([](char c) { return !std::isspace(static_cast<unsigned char>(c)) && c != ';'; });
      if (url.find(':') == std::string_view::npos) return error(why, "invalid URL after '@'");
      skip_space();
    } else if (!parse_specifiers(why)) {
      return false;
    }
    skip_space();
    if (peek() == ';') {
      ++m_position;
      if (!parse_marker_or(why, 0)) return false;
      skip_space();
    }
    if (m_position != m_text.size()) return error(why, "unexpected text '" + std::string(m_text.substr(m_position)) + "'");
    return true;
  }

 private:
  bool parse_specifiers(std::string& why) {
    const bool parenthesised = peek() == '(';
    if (parenthesised) ++m_position;
    bool first = true;
    for (;;) {
      skip_space();
      if (!first || peek() == '~' || peek() == '=' || peek() == '!' || peek() == '<' || peek() == '>') {
        const auto op = take_while([](char c) { return c == '~' || c == '=' || c == '!' || c == '<' || c == '>'; });
        static constexpr std::array<std::string_view, 8> kOperators{"~=", "==", "!=", "<=", ">=", "<", ">", "==="};
        if (std::ranges::find(kOperators, op) == kOperators.end()) return error(why, "invalid operator '" + std::string(op) + "'");
        skip_space();
        auto version = take_while([](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '*' || c == '+' || c == '!' || c == '-' || c == '_'; });
        if (op != "===") {
          const bool wildcard = version.ends_with(".*") && (op == "==" || op == "!=");
          if (wildcard) version.remove_suffix(2);
          if (!is_valid_version(version)) return error(why, "invalid version '" + std::string(version) + "'");
        } else if (version.empty()) {
          return error(why, "missing version after '==='");
        }
        skip_space();
      } else {
        break;
      }
      first = false;
      if (peek() == ',') { ++m_position; continue; }
      break;
    }
    if (parenthesised) {
      if (peek() != ')') return error(why, "missing ')'");
      ++m_position;
    }
    return true;
  }

  bool parse_marker_or(std::string& why, int depth) {
    if (!parse_marker_and(why, depth)) return false;
    while (take_keyword("or"))
      if (!parse_marker_and(why, depth)) return false;
    return true;
  }

  bool parse_marker_and(std::string& why, int depth) {
    if (!parse_marker_expression(why, depth)) return false;
    while (take_keyword("and"))
      if (!parse_marker_expression(why, depth)) return false;
    return true;
  }

  bool parse_marker_expression(std::string& why, int depth) {
    if (depth > 32) return error(why, "marker nested too deeply");
    skip_space();
    if (peek() == '(') {
      ++m_position;
      if (!parse_marker_or(why, depth + 1)) return false;
      skip_space();
      if (peek() != ')') return error(why, "missing ')' in marker");
      ++m_position;
      return true;
    }
    if (!parse_marker_value(why)) return false;
    skip_space();
    const auto op = take_while([](char c) { return c == '~' || c == '=' || c == '!' || c == '<' || c == '>'; });
    if (op.empty()) {
      if (take_keyword("not")) {
        if (!take_keyword("in")) return error(why, "expected 'in' after 'not' in marker");
      } else if (!take_keyword("in")) {
        return error(why, "expected a comparison in marker");
      }
    } else {
      static constexpr std::array<std::string_view, 8> kOperators{"~=", "==", "!=", "<=", ">=", "<", ">", "==="};
      if (std::ranges::find(kOperators, op) == kOperators.end()) return error(why, "invalid marker operator");
    }
    return parse_marker_value(why);
  }

  bool parse_marker_value(std::string& why) {
    skip_space();
    const char quote = peek();
    if (quote == '"' || quote == '\'') {
      const std::size_t end = m_text.find(quote, m_position + 1);
      if (end == std::string_view::npos) return error(why, "unterminated string in marker");
      m_position = end + 1;
      return true;
    }
    const auto variable = take_while([](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; });
    static constexpr std::array<std::string_view, 15> kVariables{
        "python_version", "python_full_version", "os_name", "sys_platform", "platform_release", "platform_system",
        "platform_version", "platform_machine", "platform_python_implementation", "implementation_name",
        "implementation_version", "extra", "extras", "dependency_groups", "os.name"};
    if (std::ranges::find(kVariables, variable) == kVariables.end())
      return error(why, "unknown marker variable '" + std::string(variable) + "'");
    return true;
  }

  bool take_keyword(std::string_view keyword) {
    skip_space();
    if (!m_text.substr(m_position).starts_with(keyword)) return false;
    const std::size_t after = m_position + keyword.size();
    if (after < m_text.size() && (std::isalnum(static_cast<unsigned char>(m_text[after])) || m_text[after] == '_')) return false;
    m_position = after;
    return true;
  }

  template <typename Predicate>
  std::string_view take_while(Predicate predicate) {
    const std::size_t start = m_position;
    while (m_position < m_text.size() && predicate(m_text[m_position])) ++m_position;
    return m_text.substr(start, m_position - start);
  }

  void skip_space() {
    while (m_position < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_position]))) ++m_position;
  }
  [[nodiscard]] char peek() const { return m_position < m_text.size() ? m_text[m_position] : '\0'; }
  bool error(std::string& why, std::string message) const {
    why = std::move(message) + " at column " + std::to_string(m_position + 1);
    return false;
  }

  std::string_view m_text;
  std::size_t m_position = 0;
};

// ---- SPDX expressions ---------------------------------------------------------------------------

class LicenseParser {
 public:
  explicit LicenseParser(std::string_view text) {
    std::size_t position = 0;
    while (position < text.size()) {
      if (std::isspace(static_cast<unsigned char>(text[position]))) { ++position; continue; }
      if (text[position] == '(' || text[position] == ')') { m_tokens.emplace_back(text.substr(position++, 1)); continue; }
      const std::size_t start = position;
      while (position < text.size() && !std::isspace(static_cast<unsigned char>(text[position])) && text[position] != '(' && text[position] != ')')
        ++position;
      m_tokens.emplace_back(text.substr(start, position - start));
    }
  }

  bool parse(std::string& why) {
    if (m_tokens.empty()) return fail_with(why, "empty expression");
    if (!expression(why, 0)) return false;
    if (m_index != m_tokens.size()) return fail_with(why, "unexpected '" + std::string(m_tokens[m_index]) + "'");
    return true;
  }

 private:
  static bool is_operator(std::string_view token, std::string_view name) { return iequals(token, name); }

  static bool is_identifier(std::string_view token) {
    if (token.empty()) return false;
    if (is_operator(token, "and") || is_operator(token, "or") || is_operator(token, "with")) return false;
    if (token.ends_with('+')) token.remove_suffix(1);
    std::size_t colon = token.find(':');
    if (colon != std::string_view::npos) {  // DocumentRef-x:LicenseRef-y
      if (!token.starts_with("DocumentRef-")) return false;
      token = token.substr(colon + 1);
      if (!token.starts_with("LicenseRef-")) return false;
    }
    return !token.empty() && std::ranges::all_of(token, [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    });
  }

  bool expression(std::string& why, int depth) {
    if (!term(why, depth)) return false;
    while (m_index < m_tokens.size() && (is_operator(m_tokens[m_index], "and") || is_operator(m_tokens[m_index], "or"))) {
      ++m_index;
      if (!term(why, depth)) return false;
    }
    return true;
  }

  bool term(std::string& why, int depth) {
    if (depth > 32) return fail_with(why, "nested too deeply");
    if (m_index >= m_tokens.size()) return fail_with(why, "expression ends too early");
    if (m_tokens[m_index] == "(") {
      ++m_index;
      if (!expression(why, depth + 1)) return false;
      if (m_index >= m_tokens.size() || m_tokens[m_index] != ")") return fail_with(why, "missing ')'");
      ++m_index;
      return true;
    }
    if (!is_identifier(m_tokens[m_index])) return fail_with(why, "'" + std::string(m_tokens[m_index]) + "' is not a licence identifier");
    ++m_index;
    if (m_index < m_tokens.size() && is_operator(m_tokens[m_index], "with")) {
      ++m_index;
      if (m_index >= m_tokens.size() || !is_identifier(m_tokens[m_index])) return fail_with(why, "missing exception after WITH");
      ++m_index;
    }
    return true;
  }

  static bool fail_with(std::string& why, std::string message) {
    why = std::move(message);
    return false;
  }

  std::vector<std::string_view> m_tokens;
  std::size_t m_index = 0;
};

// ---- field tables ---------------------------------------------------------------------------------

struct FieldRule {
  std::string_view name;
  std::string_view since;  // lowest Metadata-Version allowing it
};

constexpr auto kFields = std::to_array<FieldRule>({
    {"metadata-version", "1.0"}, {"name", "1.0"}, {"version", "1.0"}, {"platform", "1.0"},
    {"summary", "1.0"}, {"description", "1.0"}, {"keywords", "1.0"}, {"home-page", "1.0"},
    {"author", "1.0"}, {"author-email", "1.0"}, {"license", "1.0"}, {"supported-platform", "1.1"},
    {"download-url", "1.1"}, {"classifier", "1.1"}, {"requires", "1.1"}, {"provides", "1.1"},
    {"obsoletes", "1.1"}, {"maintainer", "1.2"}, {"maintainer-email", "1.2"}, {"requires-dist", "1.2"},
    {"requires-python", "1.2"}, {"requires-external", "1.2"}, {"project-url", "1.2"}, {"provides-dist", "1.2"},
    {"obsoletes-dist", "1.2"}, {"description-content-type", "2.1"}, {"provides-extra", "2.1"},
    {"dynamic", "2.2"}, {"license-expression", "2.4"}, {"license-file", "2.4"}, {"import-name", "2.5"},
    {"import-namespace", "2.5"},
});

constexpr std::array<std::string_view, 8> kMetadataVersions{"1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"};

}  // namespace

// ---- public API -------------------------------------------------------------------------------------

std::optional<std::string> CoreMetadata::get(std::string_view name) const {
  for (const auto& [field, value] : fields)
    if (iequals(field, name)) return value;
  return std::nullopt;
}

std::vector<std::string> CoreMetadata::get_all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [field, value] : fields)
    if (iequals(field, name)) values.push_back(value);
  return values;
}

CoreMetadata parse_core_metadata(std::string_view text) {
  CoreMetadata metadata;
  std::size_t position = 0;
  int line_number = 0;
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(position, end - position);
    if (line.ends_with('\r')) line.remove_suffix(1);
    position = end + 1;
    ++line_number;
    if (line.empty()) {
      metadata.body = std::string(text.substr(std::min(position, text.size())));
      return metadata;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !metadata.fields.empty()) {
      auto& value = metadata.fields.back().second;
      value.push_back('\n');
      value.append(trim(line));
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      metadata.problems.push_back("line " + std::to_string(line_number) + ": malformed header line '" +
                                  std::string(line.substr(0, 80)) + "'");
      continue;
    }
    metadata.fields.emplace_back(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  }
  return metadata;
}

std::string normalize_project_name(std::string_view name) {
  std::string out;
  bool in_separator = false;
  for (char character : name) {
    if (character == '-' || character == '_' || character == '.') {
      in_separator = true;
      continue;
    }
    if (in_separator && !out.empty()) out.push_back('-');
    in_separator = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(character))));
  }
  return out;
}

bool is_valid_project_name(std::string_view name) {
  if (name.empty()) return false;
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  return std::ranges::all_of(name, [&](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool is_valid_version(std::string_view version) { return canonical(version, false).has_value(); }

std::optional<std::string> canonical_version(std::string_view version) { return canonical(version, false); }

bool versions_equal(std::string_view left, std::string_view right) {
  const auto a = canonical(left, true);
  const auto b = canonical(right, true);
  if (a && b) return *a == *b;
  return left == right;
}

bool is_valid_requirement(std::string_view requirement, std::string& why) {
  return RequirementParser(requirement).parse(why);
}

bool is_valid_license_expression(std::string_view expression, std::string& why) {
  return LicenseParser(expression).parse(why);
}

std::vector<Finding> check_core_metadata(const CoreMetadata& metadata, const MetadataContext& context) {
  std::vector<Finding> findings;
  auto invalid = [&](std::string message, Severity severity = Severity::medium) {
    findings.push_back(make_finding("MOAT-M002", severity, context.location, std::move(message)));
  };
  for (const auto& problem : metadata.problems) invalid(problem);

  const auto metadata_version = metadata.get("Metadata-Version");
  if (!metadata_version) {
    invalid("required field Metadata-Version is missing");
  } else if (std::ranges::find(kMetadataVersions, *metadata_version) == kMetadataVersions.end()) {
    invalid("Metadata-Version '" + *metadata_version + "' is not a known version (1.0, 1.1, 1.2, 2.1-2.5)");
  }
  const std::string version_of_file = metadata_version.value_or("2.5");
  const bool known_version = std::ranges::find(kMetadataVersions, version_of_file) != kMetadataVersions.end();
  for (const auto& [field, value] : metadata.fields) {
    const std::string key = lower(field);
    const auto rule = std::ranges::find(kFields, key, &FieldRule::name);
    if (rule == kFields.end()) {
      invalid("unrecognized field '" + field + "'", Severity::low);
    } else if (known_version && version_of_file < rule->since) {  // "X.Y" strings order like versions
      // Older setuptools wrote License-File early; twine drops those instead of failing.
      if (key != "license-file")
        invalid("field '" + field + "' needs Metadata-Version " + std::string(rule->since) + " or later, file says " +
                    version_of_file,
                Severity::low);
    }
  }

  const auto name = metadata.get("Name");
  const auto version = metadata.get("Version");
  if (!name) invalid("required field Name is missing", Severity::high);
  else if (!is_valid_project_name(*name)) invalid("Name '" + *name + "' is not a valid project name", Severity::high);
  if (!version) invalid("required field Version is missing", Severity::high);
  else if (!is_valid_version(*version)) invalid("Version '" + *version + "' is not a valid PEP 440 version", Severity::high);

  const std::string& mismatch_location = context.artifact_location.empty() ? context.location : context.artifact_location;
  if (name && !context.expected_name.empty() &&
      normalize_project_name(*name) != normalize_project_name(context.expected_name))
    findings.push_back(make_finding("MOAT-M003", Severity::high, mismatch_location,
                                    "metadata Name '" + *name + "' does not match '" + context.expected_name +
                                        "' from the file name"));
  if (version && !context.expected_version.empty() && !versions_equal(*version, context.expected_version))
    findings.push_back(make_finding("MOAT-M003", Severity::high, mismatch_location,
                                    "metadata Version '" + *version + "' does not match '" + context.expected_version +
                                        "' from the file name"));

  for (const auto& requirement : metadata.get_all("Requires-Dist")) {
    std::string why;
    if (!is_valid_requirement(requirement, why))
      findings.push_back(make_finding("MOAT-M004", Severity::medium, context.location,
                                      "Requires-Dist '" + requirement + "' is not a valid requirement: " + why));
  }
  if (const auto requires_python = metadata.get("Requires-Python")) {
    std::string why;
    if (!is_valid_requirement("python" + *requires_python, why))
      invalid("Requires-Python '" + *requires_python + "' is not a valid version specifier");
  }

  if (const auto expression = metadata.get("License-Expression")) {
    std::string why;
    if (!is_valid_license_expression(*expression, why))
      findings.push_back(make_finding("MOAT-M005", Severity::medium, context.location,
                                      "License-Expression '" + *expression + "' is invalid: " + why));
  }
  const bool license_files_apply = !metadata_version || !(*metadata_version < std::string("2.4"));
  for (const auto& license_file : metadata.get_all("License-File")) {
    if (!license_files_apply) break;
    if (license_file.starts_with('/') || license_file.find("..") != std::string::npos || license_file.find('\\') != std::string::npos) {
      findings.push_back(make_finding("MOAT-M005", Severity::medium, context.location,
                                      "License-File '" + license_file + "' is not a relative path inside the project"));
    } else if (context.has_license_file && !context.has_license_file(license_file)) {
      findings.push_back(make_finding("MOAT-M005", Severity::medium, context.location,
                                      "License-File '" + license_file + "' is not in the archive"));
    }
  }

  const auto content_type = metadata.get("Description-Content-Type");
  if (!content_type) {
    findings.push_back(make_finding("MOAT-M006", Severity::low, context.location,
                                    "Description-Content-Type is missing; PyPI will assume text/x-rst"));
  } else {
    const std::string media = lower(trim(std::string_view(*content_type).substr(0, content_type->find(';'))));
    if (media != "text/plain" && media != "text/x-rst" && media != "text/markdown")
      findings.push_back(make_finding("MOAT-M006", Severity::medium, context.location,
                                      "Description-Content-Type '" + *content_type +
                                          "' is not text/plain, text/x-rst or text/markdown"));
  }
  const std::string description = metadata.get("Description").value_or(metadata.body);
  if (trim(description).empty() || trim(description) == "UNKNOWN") {
    findings.push_back(make_finding("MOAT-M006", Severity::low, context.location, "the long description is missing"));
    return findings;
  }
  // twine renders every type but Markdown and plain text as reStructuredText and fails on warnings.
  const std::string media =
      content_type ? lower(trim(std::string_view(*content_type).substr(0, content_type->find(';')))) : std::string();
  if (media != "text/markdown" && media != "text/plain") {
    constexpr std::size_t kMostReported = 20;
    const auto problems = check_rst(description);
    for (std::size_t index = 0; index < std::min(problems.size(), kMostReported); ++index) {
      static constexpr std::array<std::string_view, 5> kLevels{"Info", "Info", "Warning", "Error", "Severe"};
      const auto& problem = problems[index];
      Finding finding = make_finding("MOAT-M007", Severity::medium, context.location,
                                     "long description line " + std::to_string(problem.line) + ": " +
                                         std::string(kLevels[static_cast<std::size_t>(std::clamp(problem.level, 0, 4))]) +
                                         ": " + problem.message + " (twine check fails; PyPI rejects the upload)");
      finding.details["description_line"] = problem.line;
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace moat::dist
