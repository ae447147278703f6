#include "moat/sign/distribution_name.hpp"

#include <algorithm>
#include <initializer_list>
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

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_separator(char c) { return c == '-' || c == '_' || c == '.'; }

bool valid_project_name(std::string_view name) {
  if (name.empty() || !is_alnum(name.front()) || !is_alnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return is_alnum(c) || is_separator(c); });
}

/// A cursor over a lowercase version string, for the PEP 440 grammar.
struct VersionScanner {
  std::string_view text;
  std::size_t position = 0;

  std::string digits() {
    const std::size_t start = position;
    while (position < text.size() && is_digit(text[position])) ++position;
    return std::string(text.substr(start, position - start));
  }
  /// [sep] one of `words` (longest listed first); returns the word, consuming it, or "".
  std::string keyword(std::initializer_list<std::string_view> words) {
    std::size_t at = position;
    if (at < text.size() && is_separator(text[at])) ++at;
    for (std::string_view word : words)
      if (text.substr(at).starts_with(word)) {
        position = at + word.size();
        return std::string(word);
      }
    return {};
  }
  /// [sep] digits, or "" (nothing consumed) when there are none.
  std::string number() {
    const std::size_t saved = position;
    if (position < text.size() && is_separator(text[position])) ++position;
    std::string value = digits();
    if (value.empty()) position = saved;
    return value;
  }
};

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
  if (version.size() > 256) return fail(std::string(version), "version is too long");
  std::string text = lowercase(version);
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  VersionScanner scan{text};
  if (scan.text.starts_with('v')) scan.position = 1;
  auto invalid = [&text] { return fail(text, "not a valid PEP 440 version"); };

  std::string out;
  std::string first = scan.digits();
  if (first.empty()) return invalid();
  if (scan.position < text.size() && text[scan.position] == '!') {
    ++scan.position;
    if (strip_zeros(first) != "0") out += strip_zeros(first) + "!";
    first = scan.digits();
    if (first.empty()) return invalid();
  }
  std::vector<std::string> release{strip_zeros(first)};
  while (scan.position + 1 < text.size() && text[scan.position] == '.' && is_digit(text[scan.position + 1])) {
    ++scan.position;
    release.push_back(strip_zeros(scan.digits()));
  }
  while (release.size() > 1 && release.back() == "0") release.pop_back();
  for (std::size_t index = 0; index < release.size(); ++index) out += (index == 0 ? "" : ".") + release[index];

  if (std::string letter = scan.keyword({"alpha", "beta", "preview", "pre", "rc", "a", "b", "c"}); !letter.empty()) {
    if (letter == "alpha") letter = "a";
    else if (letter == "beta") letter = "b";
    else if (letter == "c" || letter == "pre" || letter == "preview") letter = "rc";
    const std::string number = scan.number();
    out += letter + (number.empty() ? "0" : strip_zeros(number));
  }
  if (scan.position + 1 < text.size() && text[scan.position] == '-' && is_digit(text[scan.position + 1])) {
    ++scan.position;
    out += ".post" + strip_zeros(scan.digits());
  } else if (!scan.keyword({"post", "rev", "r"}).empty()) {
    const std::string number = scan.number();
    out += ".post" + (number.empty() ? "0" : strip_zeros(number));
  }
  if (!scan.keyword({"dev"}).empty()) {
    const std::string number = scan.number();
    out += ".dev" + (number.empty() ? "0" : strip_zeros(number));
  }
  if (scan.position < text.size() && text[scan.position] == '+') {
    const std::string local = text.substr(scan.position + 1);
    std::vector<std::string> parts;
    std::string part;
    for (char c : local) {
      if (is_separator(c)) {
        if (part.empty()) return invalid();
        parts.push_back(part);
        part.clear();
      } else if (is_alnum(c)) {
        part.push_back(c);
      } else {
        return invalid();
      }
    }
    if (part.empty()) return invalid();
    parts.push_back(part);
    out += "+";
    for (std::size_t index = 0; index < parts.size(); ++index) {
      const bool numeric = std::all_of(parts[index].begin(), parts[index].end(), is_digit);
      out += (index == 0 ? "" : ".") + (numeric ? strip_zeros(parts[index]) : parts[index]);
    }
    scan.position = text.size();
  }
  if (scan.position != text.size()) return invalid();
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
