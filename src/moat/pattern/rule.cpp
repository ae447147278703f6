#include "moat/pattern/rule.hpp"

#include <algorithm>

namespace moat::pattern {

namespace {

// fnmatch over one string: '*' and '?' never cross '/', "**" does ("a/**/b" also matches "a/b").
// Recursive; rule globs are short.
bool glob_match(std::string_view glob, std::string_view text, int depth = 0) {
  if (depth > 64) return false;
  if (glob.empty()) return text.empty();
  if (glob.starts_with("**")) {
    std::string_view rest = glob.substr(2);
    if (rest.starts_with('/') && glob_match(rest.substr(1), text, depth + 1)) return true;
    for (std::size_t i = 0; i <= text.size(); ++i)
      if (glob_match(rest, text.substr(i), depth + 1)) return true;
    return false;
  }
  if (glob.front() == '*') {
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (glob_match(glob.substr(1), text.substr(i), depth + 1)) return true;
      if (i < text.size() && text[i] == '/') break;
    }
    return false;
  }
  if (text.empty()) return false;
  const bool same = glob.front() == '?' ? text.front() != '/' : glob.front() == text.front();
  return same && glob_match(glob.substr(1), text.substr(1), depth + 1);
}

}  // namespace

bool path_glob_matches(std::string_view glob, std::string_view path) {
  while (glob.starts_with("./")) glob.remove_prefix(2);
  while (path.starts_with("./")) path.remove_prefix(2);
  const bool anchored = glob.starts_with('/');
  if (anchored) glob.remove_prefix(1);
  if (glob.ends_with('/')) glob.remove_suffix(1);
  // Candidate subjects: every run of whole components (a file or directory at any depth).
  std::vector<std::size_t> starts{0};
  std::vector<std::size_t> ends;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '/') continue;
    ends.push_back(i);
    starts.push_back(i + 1);
  }
  ends.push_back(path.size());
  for (std::size_t start : starts) {
    if (anchored && start != 0) break;
    for (std::size_t end : ends) {
      if (end <= start) continue;
      if (glob_match(glob, path.substr(start, end - start))) return true;
    }
  }
  return false;
}

bool Rule::applies_to_python() const {
  return std::ranges::any_of(languages, [](const std::string& language) {
    return language == "python" || language == "py" || language == "python3" || language == "python2" ||
           language == "regex" || language == "generic" || language == "none";
  });
}

bool Rule::applies_to_path(std::string_view path) const {
  const auto matches = [path](const std::string& glob) { return path_glob_matches(glob, path); };
  if (std::ranges::any_of(exclude_paths, matches)) return false;
  return include_paths.empty() || std::ranges::any_of(include_paths, matches);
}

}  // namespace moat::pattern
