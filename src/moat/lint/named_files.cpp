// find_files_named(): Bandit's search for a project's `.bandit`, which walks every target whole
// (excluded directories too) before anything else, so it must cost little: each directory is read
// with getdents64 into a buffer, its names compared in place, and only subdirectories kept, each
// opened relative to its parent's descriptor.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <climits>
#include <memory>
#include <mutex>

#include "moat/lint/discovery.hpp"
#include "moat/util/work_stack.hpp"

namespace moat::lint {

namespace {

/// A listed directory held open while its subdirectories wait, so that each is opened relative to
/// it instead of by a path the kernel looks up from the start again.
class HeldDirectory {
 public:
  HeldDirectory(int descriptor, std::atomic<int>& held) : descriptor_(descriptor), held_(held) { ++held_; }
  ~HeldDirectory() {
    ::close(descriptor_);
    --held_;
  }
  HeldDirectory(const HeldDirectory&) = delete;
  HeldDirectory& operator=(const HeldDirectory&) = delete;
  int descriptor() const { return descriptor_; }

 private:
  int descriptor_;
  std::atomic<int>& held_;
};

/// Directories held open at most (the walk is depth-first, so only deep trees come near it); past
/// it, subdirectories are opened by path. Keeps the search far from the process's descriptor limit.
constexpr int kHeldDirectoryBudget = 128;

/// A directory still to list.
struct PendingDirectory {
  std::string path;                             // as os.walk spells it: os.path.join(parent, name)
  std::shared_ptr<const HeldDirectory> parent;  // null: opened by path
  std::size_t name_start = 0;                   // path.substr(name_start) is its name in parent
  bool is_target = false;                       // named by the user: a symlink is followed, as by os.walk(top)
};

PendingDirectory subdirectory_of(const PendingDirectory& directory, std::shared_ptr<const HeldDirectory> held, const char* name) {
  PendingDirectory subdirectory;
  subdirectory.path = directory.path;
  if (!subdirectory.path.empty() && subdirectory.path.back() != '/') subdirectory.path += '/';
  subdirectory.name_start = subdirectory.path.size();
  subdirectory.path += name;
  subdirectory.parent = std::move(held);
  return subdirectory;
}

int open_directory(const PendingDirectory& directory) {
  constexpr int kFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
  // os.walk opens every directory by its path: one too long for that is skipped there, and here.
  if (directory.path.size() >= PATH_MAX) return -1;
  if (directory.is_target) return ::open(directory.path.c_str(), kFlags);
  if (directory.parent)
    return ::openat(directory.parent->descriptor(), directory.path.c_str() + directory.name_start, kFlags | O_NOFOLLOW);
  return ::open(directory.path.c_str(), kFlags | O_NOFOLLOW);
}

class NamedFileSearch {
 public:
  explicit NamedFileSearch(const std::string& name) : name_(name) {}

  /// Lists one directory: a match is recorded, subdirectories are appended to `subdirectories`.
  void list(const PendingDirectory& directory, std::vector<PendingDirectory>& subdirectories) {
    const int descriptor = open_directory(directory);
    if (descriptor < 0) return;  // unreadable, gone or not a directory: os.walk skips it too
    auto held = std::make_shared<const HeldDirectory>(descriptor, held_);
    const bool keep_open = held_.load(std::memory_order_relaxed) <= kHeldDirectoryBudget;
    bool matched = false;
    alignas(dirent64) std::array<char, 32 * 1024> buffer;
    for (;;) {
      const ssize_t size = ::getdents64(descriptor, buffer.data(), buffer.size());
      if (size == 0) break;
      if (size < 0) {  // os.walk drops a directory it cannot read to the end
        subdirectories.clear();
        return;
      }
      for (ssize_t offset = 0; offset < size;) {
        const auto* entry = reinterpret_cast<const dirent64*>(buffer.data() + offset);
        offset += entry->d_reclen;
        const char* name = entry->d_name;
        if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
        if (walks_into(descriptor, name, entry->d_type)) {
          subdirectories.push_back(subdirectory_of(directory, keep_open ? held : nullptr, name));
        } else if (name_ == name && lists_as_file(descriptor, name, entry->d_type)) {
          matched = true;
        }
      }
    }
    if (!matched) return;
    std::string path = directory.path;
    if (!path.empty() && path.back() != '/') path += '/';
    const std::lock_guard lock(found_mutex_);
    found_.push_back(path + name_);
  }

  std::vector<std::string> take_found() { return std::move(found_); }

 private:
  const std::string& name_;
  std::atomic<int> held_{0};
  std::mutex found_mutex_;
  std::vector<std::string> found_;
};

}  // namespace

bool walks_into(int directory_fd, const char* name, unsigned char type) {
  if (type != DT_UNKNOWN) return type == DT_DIR;
  struct stat status {};
  return ::fstatat(directory_fd, name, &status, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(status.st_mode);
}

bool lists_as_file(int directory_fd, const char* name, unsigned char type) {
  if (type == DT_DIR) return false;
  if (type != DT_LNK && type != DT_UNKNOWN) return true;
  struct stat status {};
  return ::fstatat(directory_fd, name, &status, 0) != 0 || !S_ISDIR(status.st_mode);
}

std::vector<std::string> find_files_named(const std::vector<std::string>& targets, const std::string& name, unsigned jobs) {
  NamedFileSearch search(name);
  std::vector<PendingDirectory> roots;
  for (const std::string& target : targets) roots.push_back({.path = target, .parent = nullptr, .name_start = 0, .is_target = true});
  drain_work_stack(std::move(roots), jobs, [&](PendingDirectory&& directory, std::vector<PendingDirectory>& subdirectories) {
    search.list(directory, subdirectories);
  });
  return search.take_found();
}

}  // namespace moat::lint
