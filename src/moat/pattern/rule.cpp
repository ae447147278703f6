#include "moat/pattern/rule.hpp"

#include <algorithm>

namespace moat::pattern {

namespace {

// fnmatch over one string: '*' and '?' never cross '/', "**" does.
bool glob_match(std::string_view glob, std::string_view text) {
  std::size_t g = 0, t = 0;
  std::size_t star_g = std::string_view::npos, star_t = 0;
  bool star_crosses = false;
  while (t < text.size()) {
    if (g < glob.size() && glob[g] == '*') {
      star_crosses = g + 1 < glob.size() && glob[g + 1] == '*';
      g += star_crosses ? 2 : 1;
      star_g = g;
      star_t = t;
      continue;
    }
    if (g < glob.size() && (glob[g] == text[t] || (glob[g] == '?' && text[t] != '/'))) {
      ++g;
      ++t;
      continue;
    }
    if (star_g != std::string_view::npos && (star_crosses || text[star_t] != '/')) {
      g = star_g;
      t = ++star_t;
      continue;
    }
    return false;
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
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
