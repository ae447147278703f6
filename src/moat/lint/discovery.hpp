#pragma once
// Which files a scan reads.
//
// discover_bandit_files(): Bandit 1.9.4's rules exactly (explicit files always, directories only
// with -r, include globs, -x/exclude_dirs matched by fnmatch or substring, sorted result).
//
// discover_python_files(): moat scan's rules: *.py/*.pyw and extension-less files with a python
// shebang, Bandit's default excluded directories plus --exclude globs, .gitignore files honoured,
// symlinked directories not followed (no loops), sorted result; walked on all cores.
#include <functional>
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

/// `jobs` threads walk the directories (0: one per core).
Discovered discover_bandit_files(const BanditDiscovery& request, unsigned jobs = 0);

/// One directory's entries as os.walk lists them.
struct DirectoryEntries {
  std::vector<std::string> directories;  // real subdirectories; symlinked ones are in neither list
  std::vector<std::string> files;        // everything else, symlinks to files and broken ones included
  std::vector<bool> regular;             // per file: a regular file or a symlink to one (not a FIFO, ...)
};

/// os.walk(root) without following directory symlinks, unreadable directories skipped, on `jobs`
/// threads (0: one per core). `visit(path, entries)` runs once per directory, concurrently; the walk
/// descends into the subdirectories still in `entries.directories` when it returns. Paths are
/// os.path.join(parent, name).
using DirectoryVisitor = std::function<void(const std::string& path, DirectoryEntries& entries)>;
void walk_directories(const std::string& root, unsigned jobs, const DirectoryVisitor& visit);

/// Every non-directory named `name` anywhere below the directory targets (files named directly are
/// not searched), in no particular order: Bandit's search for a project's `.bandit` file, which
/// os.walk()s every target whole. Lean: no string per file, directories opened relative to their
/// parent, symlinked directories not followed, unreadable ones skipped, on `jobs` threads (0: one
/// per core).
std::vector<std::string> find_files_named(const std::vector<std::string>& targets, const std::string& name, unsigned jobs = 0);

/// How os.walk takes the entry `name` of the open directory `directory_fd`, given the type readdir
/// reported (DT_UNKNOWN where the file system does not say: then asked with fstatat).
/// walks_into: a real directory, not a symlink to one. lists_as_file: not a directory once
/// symlinks are followed (broken and looping symlinks included).
bool walks_into(int directory_fd, const char* name, unsigned char type);
bool lists_as_file(int directory_fd, const char* name, unsigned char type);

/// Bandit's `-x` handling: comma list; an existing directory `d` becomes `d/*`.
std::vector<std::string> bandit_exclude_globs(const std::string& comma_list);

struct ScanDiscovery {
  std::vector<std::string> targets;
  std::vector<std::string> exclude_globs;  // matched against the path and every path component
  bool respect_gitignore = true;
};

/// `jobs` threads walk the directories (0: one per core).
Discovered discover_python_files(const ScanDiscovery& request, unsigned jobs = 0);

/// True when `glob` matches `text` as Python's fnmatch does (`*` also matches '/').
bool fnmatch_match(const std::string& glob, const std::string& text);

}  // namespace moat::lint
