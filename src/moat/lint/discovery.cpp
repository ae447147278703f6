#include "moat/lint/discovery.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>

#include "moat/util/work_stack.hpp"

namespace moat::lint {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    parts.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

bool bandit_included(const std::string& path, const BanditDiscovery& request, bool enforce_glob) {
  const bool globbed = std::ranges::any_of(request.include_globs, [&](const std::string& glob) { return fnmatch_match(glob, path); });
  if (!globbed && enforce_glob) return false;
  return !std::ranges::any_of(request.exclude_globs, [&](const std::string& glob) {
    return fnmatch_match(glob, path) || path.find(glob) != std::string::npos;
  });
}

/// True when Bandit's exclusion removes every file below `directory`, so the walk may skip it:
/// an exclude glob inside its path, or a glob ending in '*' that already matches "directory/"
/// (without FNM_PATHNAME the final '*' swallows whatever follows).
bool excludes_whole_directory(const std::string& directory, const BanditDiscovery& request) {
  const std::string prefix = directory + "/";
  return std::ranges::any_of(request.exclude_globs, [&](const std::string& glob) {
    return prefix.find(glob) != std::string::npos || (glob.ends_with('*') && fnmatch_match(glob, prefix));
  });
}

/// os.path.join(root, name) as Python spells it.
std::string path_join(const std::string& root, const std::string& name) {
  if (root.empty() || root.back() == '/') return root + name;
  return root + "/" + name;
}

/// One directory's listing without a stat per entry (the type comes with the name, except for
/// symlinks and file systems that do not give it).
DirectoryEntries list_directory(const std::string& path) {
  DirectoryEntries entries;
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (descriptor < 0) return entries;
  DIR* directory = ::fdopendir(descriptor);
  if (directory == nullptr) {
    ::close(descriptor);
    return entries;
  }
  while (const dirent* entry = ::readdir(directory)) {
    const std::string_view name(entry->d_name);
    if (name == "." || name == "..") continue;
    unsigned char type = entry->d_type;
    struct stat status {};
    if (type == DT_UNKNOWN && ::fstatat(descriptor, entry->d_name, &status, AT_SYMLINK_NOFOLLOW) == 0)
      type = S_ISLNK(status.st_mode) ? DT_LNK : S_ISDIR(status.st_mode) ? DT_DIR : S_ISREG(status.st_mode) ? DT_REG : DT_FIFO;
    if (type == DT_DIR) {
      entries.directories.emplace_back(name);
    } else if (type != DT_LNK) {
      entries.files.emplace_back(name);
      entries.regular.push_back(type == DT_REG);
    } else if (status = {}; ::fstatat(descriptor, entry->d_name, &status, 0) != 0 || !S_ISDIR(status.st_mode)) {
      entries.files.emplace_back(name);
      entries.regular.push_back(S_ISREG(status.st_mode));  // a broken link leaves the mode 0
    }
  }
  ::closedir(directory);
  return entries;
}

/// One .gitignore's patterns, relative to its directory.
struct IgnoreRule {
  std::string base;     // directory holding the .gitignore, relative to the scan root, "" or "a/b/"
  std::string pattern;  // without leading '/', trailing '/' and '!'
  bool negated = false;
  bool directory_only = false;
  bool anchored = false;  // contains a '/': matched against the path relative to base
};

void read_gitignore(const fs::path& file, const std::string& base, std::vector<IgnoreRule>& rules) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    IgnoreRule rule;
    rule.base = base;
    if (line[0] == '!') {
      rule.negated = true;
      line.erase(0, 1);
    }
    if (!line.empty() && line.back() == '/') {
      rule.directory_only = true;
      line.pop_back();
    }
    if (!line.empty() && line[0] == '/') line.erase(0, 1);
    if (line.starts_with("**/")) line.erase(0, 3);
    rule.anchored = line.find('/') != std::string::npos;
    rule.pattern = line;
    if (!rule.pattern.empty()) rules.push_back(std::move(rule));
  }
}

bool gitignored(const std::vector<IgnoreRule>& rules, const std::string& relative, bool is_directory) {
  bool ignored = false;
  for (const IgnoreRule& rule : rules) {
    if (rule.directory_only && !is_directory) continue;
    if (!relative.starts_with(rule.base)) continue;
    const std::string inside = relative.substr(rule.base.size());
    const std::string name = inside.substr(inside.rfind('/') == std::string::npos ? 0 : inside.rfind('/') + 1);
    const bool matched = rule.anchored ? ::fnmatch(rule.pattern.c_str(), inside.c_str(), FNM_PATHNAME) == 0
                                       : ::fnmatch(rule.pattern.c_str(), name.c_str(), 0) == 0;
    if (matched) ignored = !rule.negated;
  }
  return ignored;
}

bool has_python_shebang(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[128] = {};
  in.read(head, sizeof head - 1);
  const std::string_view text(head, static_cast<std::size_t>(in.gcount()));
  if (!text.starts_with("#!")) return false;
  const std::string_view first_line = text.substr(0, text.find('\n'));
  return first_line.find("python") != std::string_view::npos;
}

/// A file name's extension as std::filesystem spells it (".profile" has none).
std::string_view extension_of(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? std::string_view() : name.substr(dot);
}

bool excluded_by_globs(const std::vector<std::string>& globs, const std::string& path, const std::string& name) {
  return std::ranges::any_of(globs, [&](const std::string& glob) {
    return fnmatch_match(glob, path) || fnmatch_match(glob, name);
  });
}

const std::vector<std::string>& default_excluded_directories() {
  static const std::vector<std::string> names{".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox",
                                              ".eggs", "*.egg", ".venv", ".nox", ".mypy_cache", "node_modules"};
  return names;
}

}  // namespace

void walk_directories(const std::string& root, unsigned jobs, const DirectoryVisitor& visit) {
  drain_work_stack(std::vector{root}, jobs, [&](std::string&& path, std::vector<std::string>& subdirectories) {
    DirectoryEntries entries = list_directory(path);
    visit(path, entries);
    for (const std::string& name : entries.directories) subdirectories.push_back(path_join(path, name));
  });
}

bool fnmatch_match(const std::string& glob, const std::string& text) {
  return ::fnmatch(glob.c_str(), text.c_str(), 0) == 0;
}

std::vector<std::string> bandit_exclude_globs(const std::string& comma_list) {
  std::vector<std::string> globs;
  if (comma_list.empty()) return globs;
  for (std::string path : split_commas(comma_list)) {
    std::error_code error;
    if (fs::is_directory(path, error)) path = path_join(path, "*");
    globs.push_back(path);
  }
  return globs;
}

Discovered discover_bandit_files(const BanditDiscovery& request, unsigned jobs) {
  Discovered result;
  std::set<std::string> files;
  for (const std::string& target : request.targets) {
    std::error_code error;
    if (fs::is_directory(target, error)) {
      if (!request.recursive) {
        result.warnings.push_back("Skipping directory (" + target + "), use -r flag to scan contents");
        continue;
      }
      std::mutex mutex;
      walk_directories(target, jobs, [&](const std::string& root, DirectoryEntries& entries) {
        std::erase_if(entries.directories,
                      [&](const std::string& name) { return excludes_whole_directory(path_join(root, name), request); });
        std::vector<std::string> included;
        for (const std::string& name : entries.files)
          if (std::string path = path_join(root, name); bandit_included(path, request, true)) included.push_back(std::move(path));
        const std::lock_guard lock(mutex);
        files.insert(std::make_move_iterator(included.begin()), std::make_move_iterator(included.end()));
      });
    } else if (bandit_included(target, request, false)) {
      files.insert(target == "-" || target.starts_with('/') ? target : "./" + target);
    }
  }
  result.files.assign(files.begin(), files.end());
  return result;
}

Discovered discover_python_files(const ScanDiscovery& request, unsigned jobs) {
  Discovered result;
  std::set<std::string> files;
  for (const std::string& target : request.targets) {
    std::error_code error;
    if (!fs::is_directory(target, error)) {
      if (fs::exists(target, error)) {
        files.insert(target);
      } else {
        result.warnings.push_back(target + ": No such file or directory");
      }
      continue;
    }
    // Each directory still to visit, with the .gitignore rules of its ancestors (entered by its
    // parent's visit, which runs before it).
    using IgnoreRules = std::shared_ptr<const std::vector<IgnoreRule>>;
    std::unordered_map<std::string, IgnoreRules> waiting{{target, std::make_shared<const std::vector<IgnoreRule>>()}};
    std::mutex mutex;  // guards files and waiting
    const std::size_t root_length = target.size() + (target.ends_with('/') ? 0 : 1);
    walk_directories(target, jobs, [&](const std::string& directory, DirectoryEntries& entries) {
      IgnoreRules rules;
      {
        const std::lock_guard lock(mutex);
        rules = std::move(waiting.extract(directory).mapped());
      }
      // Relative to the target, as .gitignore patterns are: "" or "pkg/sub/".
      const std::string relative = directory.size() > root_length ? directory.substr(root_length) + "/" : "";
      if (request.respect_gitignore) {
        const auto gitignore = std::ranges::find(entries.files, ".gitignore");
        if (gitignore != entries.files.end() && entries.regular[static_cast<std::size_t>(gitignore - entries.files.begin())]) {
          auto own = std::make_shared<std::vector<IgnoreRule>>(*rules);
          read_gitignore(path_join(directory, ".gitignore"), relative, *own);
          rules = std::move(own);
        }
      }
      std::vector<std::pair<std::string, IgnoreRules>> subdirectories;
      std::erase_if(entries.directories, [&](const std::string& name) {
        std::string path = path_join(directory, name);
        const bool excluded = std::ranges::any_of(default_excluded_directories(), [&](const std::string& glob) { return fnmatch_match(glob, name); }) ||
                              excluded_by_globs(request.exclude_globs, path, name) || gitignored(*rules, relative + name, true);
        if (!excluded) subdirectories.emplace_back(std::move(path), rules);
        return excluded;
      });
      std::vector<std::string> found;
      for (std::size_t i = 0; i < entries.files.size(); ++i) {
        const std::string& name = entries.files[i];
        if (!entries.regular[i]) continue;  // FIFOs, devices, broken links: never opened
        // *.py, *.pyw, or no extension and a python shebang (read last: it opens the file)
        const std::string_view extension = extension_of(name);
        if (extension != ".py" && extension != ".pyw" && !extension.empty()) continue;
        std::string path = path_join(directory, name);
        if (excluded_by_globs(request.exclude_globs, path, name) || gitignored(*rules, relative + name, false)) continue;
        if (!extension.empty() || has_python_shebang(path)) found.push_back(std::move(path));
      }
      const std::lock_guard lock(mutex);
      for (auto& subdirectory : subdirectories) waiting.insert(std::move(subdirectory));
      files.insert(std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    });
  }
  result.files.assign(files.begin(), files.end());
  return result;
}

}  // namespace moat::lint
