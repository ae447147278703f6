#include "moat/sign/distribution_name.hpp"

#include <algorithm>
#include <regex>
#include <vector>

namespace moat::sign {

namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string strip_zeros(const std::string& number) {
  const std::size_t first = number.find_first_not_of('0');
  return first == std::string::npos ? "0" : number.substr(first);
}

bool valid_project_name(std::string_view name) {
  static const std::regex kName("^([a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$", std::regex::icase);
  return std::regex_match(name.begin(), name.end(), kName);
}

}  // namespace

std::string normalize_project_name(std::string_view name) {
  std::string out;
  for (char character : name) {
    const bool separator = character == '-' || character == '_' || character == '.';
    if (separator) {
      if (out.empty() || out.back() != '-') out.push_back('-');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(character))));
    }
  }
  return out;
}

Result<std::string> normalize_version(std::string_view version) {
  static const std::regex kVersion(
      R"(^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?)"
      R"((?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$)",
      std::regex::icase);
  if (version.size() > 256) return fail(std::string(version), "version is too long");
  const std::string text = lowercase(version);
  std::smatch match;
  if (!std::regex_match(text, match, kVersion)) return fail(text, "not a valid PEP 440 version");
  std::string out;
  if (match[1].matched && strip_zeros(match[1]) != "0") out += strip_zeros(match[1]) + "!";
  std::vector<std::string> release;
  for (const std::string& part : split(match[2].str(), '.')) release.push_back(strip_zeros(part));
  while (release.size() > 1 && release.back() == "0") release.pop_back();
  for (std::size_t index = 0; index < release.size(); ++index) out += (index == 0 ? "" : ".") + release[index];
  if (match[3].matched) {
    std::string letter = match[3];
    if (letter == "alpha") letter = "a";
    else if (letter == "beta") letter = "b";
    else if (letter == "c" || letter == "pre" || letter == "preview") letter = "rc";
    out += letter + (match[4].matched ? strip_zeros(match[4]) : "0");
  }
  if (match[5].matched) out += ".post" + strip_zeros(match[5]);
  else if (match[6].matched) out += ".post" + (match[7].matched ? strip_zeros(match[7]) : "0");
  if (match[8].matched) out += ".dev" + (match[9].matched ? strip_zeros(match[9]) : "0");
  if (match[10].matched) {
    std::string local = match[10];
    std::replace_if(local.begin(), local.end(), [](char c) { return c == '-' || c == '_'; }, '.');
    std::vector<std::string> parts = split(local, '.');
    out += "+";
    for (std::size_t index = 0; index < parts.size(); ++index) {
      const bool numeric = std::all_of(parts[index].begin(), parts[index].end(), [](char c) { return c >= '0' && c <= '9'; });
      out += (index == 0 ? "" : ".") + (numeric ? strip_zeros(parts[index]) : parts[index]);
    }
  }
  return out;
}

Result<DistributionName> parse_distribution_name(std::string_view file_name) {
  const std::string name(file_name);
  DistributionName parsed;
  std::string stem;
  if (name.ends_with(".whl")) {
    parsed.wheel = true;
    stem = name.substr(0, name.size() - 4);
  } else if (name.ends_with(".tar.gz")) {
    stem = name.substr(0, name.size() - 7);
  } else if (name.ends_with(".zip")) {
    stem = name.substr(0, name.size() - 4);
  } else {
    return fail(name, "not a wheel (.whl) or sdist (.tar.gz, .zip) file name");
  }
  if (parsed.wheel) {
    const std::vector<std::string> parts = split(stem, '-');
    if (parts.size() != 5 && parts.size() != 6) return fail(name, "a wheel name has 5 or 6 dash-separated parts");
    if (!valid_project_name(parts[0])) return fail(name, "invalid project name");
    parsed.project = normalize_project_name(parts[0]);
    auto version = normalize_version(parts[1]);
    if (!version) return fail(name, "invalid version '" + parts[1] + "'");
    parsed.version = *version;
    if (parts.size() == 6) {
      if (parts[2].empty() || parts[2][0] < '0' || parts[2][0] > '9') return fail(name, "a build tag starts with a digit");
      parsed.build = parts[2];
    }
    const std::size_t tag_start = parts.size() - 3;
    for (const std::string& interpreter : split(lowercase(parts[tag_start]), '.'))
      for (const std::string& abi : split(lowercase(parts[tag_start + 1]), '.'))
        for (const std::string& platform : split(lowercase(parts[tag_start + 2]), '.'))
          parsed.tags.insert(interpreter + "-" + abi + "-" + platform);
    return parsed;
  }
  const std::size_t dash = stem.rfind('-');
  if (dash == std::string::npos) return fail(name, "an sdist name is NAME-VERSION");
  const std::string project = stem.substr(0, dash);
  if (!valid_project_name(project)) return fail(name, "invalid project name");
  parsed.project = normalize_project_name(project);
  auto version = normalize_version(stem.substr(dash + 1));
  if (!version) return fail(name, "invalid version '" + stem.substr(dash + 1) + "'");
  parsed.version = *version;
  return parsed;
}

}  // namespace moat::sign
