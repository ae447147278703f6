#pragma once
// Which files a scan reads.
//
// discover_bandit_files(): Bandit 1.9.4's rules exactly (explicit files always, directories only
// with -r, include globs, -x/exclude_dirs matched by fnmatch or substring, sorted result).
//
// discover_python_files(): moat scan's rules: *.py/*.pyw and extension-less files with a python
// shebang, Bandit's default excluded directories plus --exclude globs, .gitignore files honoured,
// symlinked directories not followed (no loops), sorted result.
#include <string>
#include <vector>

namespace moat::lint {

struct BanditDiscovery {
  std::vector<std::string> targets;
  bool recursive = false;
  std::vector<std::string> include_globs{"*.py", "*.pyw"};
  std::vector<std::string> exclude_globs;  // already rewritten (existing dir d -> d/*)
};

struct Discovered {
  std::vector<std::string> files;
  std::vector<std::string> warnings;  // e.g. a directory skipped without -r
};

Discovered discover_bandit_files(const BanditDiscovery& request);

/// Bandit's `-x` handling: comma list; an existing directory `d` becomes `d/*`.
std::vector<std::string> bandit_exclude_globs(const std::string& comma_list);

struct ScanDiscovery {
  std::vector<std::string> targets;
  std::vector<std::string> exclude_globs;  // matched against the path and every path component
  bool respect_gitignore = true;
};

Discovered discover_python_files(const ScanDiscovery& request);

/// True when `glob` matches `text` as Python's fnmatch does (`*` also matches '/').
bool fnmatch_match(const std::string& glob, const std::string& text);

}  // namespace moat::lint
