#include "moat/dist/archive.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "moat/dist/member_pool.hpp"
#include "moat/dist/rules.hpp"
#include "moat/dist/zip_directory.hpp"
#include "moat/util/libarchive_api.hpp"

namespace moat::dist {

namespace {

/// A libarchive read handle and the library it came from.
struct LibArchiveReader {
  const LibArchive& api;
  std::unique_ptr<archive, decltype(&archive_read_free)> handle;
};

constexpr std::size_t kReadBlockBytes = 1 << 16;

/// A libarchive reader for `kind`, or why there is none (libarchive cannot be loaded, no memory).
Result<LibArchiveReader> new_reader(const std::string& display_name, ArchiveKind kind) {
  auto loaded = load_libarchive();
  if (!loaded) return fail(display_name, loaded.error().to_string());
  const LibArchive& api = **loaded;
  LibArchiveReader reader{api, {api.read_new(), api.read_free}};
  if (!reader.handle) return fail(display_name, "out of memory");
  archive* handle = reader.handle.get();
  switch (kind) {
    case ArchiveKind::wheel:
    case ArchiveKind::sdist_zip:
    case ArchiveKind::conda:
      api.read_support_format_zip(handle);
      break;
    case ArchiveKind::sdist_tar:
    case ArchiveKind::conda_tar_bz2:
      api.read_support_format_tar(handle);
      api.read_support_filter_all(handle);
      break;
    case ArchiveKind::unknown:
      api.read_support_format_zip(handle);
      api.read_support_format_tar(handle);
      api.read_support_filter_all(handle);
      break;
  }
  return reader;
}

std::string error_text(const LibArchive& api, archive* handle) {
  const char* message = api.error_string(handle);
  return message != nullptr ? message : "unreadable archive data";
}

std::string clean_path(std::string path) {
  std::ranges::replace(path, '\\', '/');
  while (path.starts_with("./")) path.erase(0, 2);
  return path;
}

bool is_absolute(std::string_view path) {
  if (path.starts_with('/')) return true;
  return path.size() >= 2 && path[1] == ':' &&
         ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z'));
}

bool has_dotdot(std::string_view path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    if (path.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

/// True when `target`, resolved from the directory of `link_path`, stays inside the archive root.
bool link_stays_inside(std::string_view link_path, std::string_view target, bool relative_to_link_dir) {
  if (target.empty() || is_absolute(target)) return false;
  int depth = 0;
  if (relative_to_link_dir) {
    const std::size_t slash = link_path.rfind('/');
    if (slash != std::string_view::npos)
      depth = static_cast<int>(std::ranges::count(link_path.substr(0, slash), '/')) + 1;
  }
  std::size_t start = 0;
  while (start <= target.size()) {
    const std::size_t end = std::min(target.find('/', start), target.size());
    const std::string_view part = target.substr(start, end - start);
    if (part == "..") {
      if (--depth < 0) return false;
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    start = end + 1;
  }
  return true;
}

std::string normalized_key(std::string_view path) {
  std::string key(path);
  while (key.ends_with('/')) key.pop_back();
  return key;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

EntryType entry_type(const LibArchive& api, archive_entry* entry) {
  if (api.entry_hardlink(entry) != nullptr) return EntryType::hardlink;
  switch (api.entry_filetype(entry)) {
    case AE_IFREG: return EntryType::file;
    case AE_IFDIR: return EntryType::directory;
    case AE_IFLNK: return EntryType::symlink;
    case AE_IFCHR:
    case AE_IFBLK: return EntryType::device;
    case AE_IFIFO: return EntryType::fifo;
    case AE_IFSOCK: return EntryType::socket;
    default: return EntryType::other;
  }
}

/// Feeds the data of a nested archive (a conda member) straight from the outer reader.
struct NestedSource {
  const LibArchive& api;
  archive* outer = nullptr;
  std::uint64_t bytes = 0;
};

la_ssize_t read_nested(archive* /*inner*/, void* client, const void** buffer) {
  auto* source = static_cast<NestedSource*>(client);
  const void* block = nullptr;
  std::size_t size = 0;
  la_int64_t offset = 0;
  const int status = source->api.read_data_block(source->outer, &block, &size, &offset);
  if (status == ARCHIVE_EOF) return 0;
  if (status < ARCHIVE_WARN) return -1;
  *buffer = block;
  source->bytes += size;
  return static_cast<la_ssize_t>(size);
}

class Reader {
 public:
  Reader(ArchiveContents& contents, const ArchiveLimits& limits, const EntryVisitor& visitor)
      : m_contents(contents), m_limits(limits), m_visitor(visitor) {}

  /// Reads every entry through libarchive (`api` is the library `handle` came from).
  void read_all(const LibArchive& api, archive* handle, bool nested) {
    archive_entry* header = nullptr;
    while (!m_contents.stopped_by_limit) {
      const int status = api.read_next_header(handle, &header);
      if (status == ARCHIVE_EOF) return;
      if (status < ARCHIVE_WARN) {
        m_contents.errors.push_back({m_contents.display_name, "corrupt archive: " + error_text(api, handle)});
        return;
      }
      if (++m_entry_count > m_limits.max_entries) {
        stop("more than " + std::to_string(m_limits.max_entries) + " entries");
        return;
      }
      const char* name = api.entry_pathname_utf8(header);
      if (name == nullptr) name = api.entry_pathname(header);
      EntryInfo info;
      info.path = clean_path(name != nullptr ? name : "");
      info.type = entry_type(api, header);
      if (info.type == EntryType::symlink && api.entry_symlink(header) != nullptr)
        info.link_target = api.entry_symlink(header);
      if (info.type == EntryType::hardlink) info.link_target = clean_path(api.entry_hardlink(header));

      if (!nested && m_contents.kind == ArchiveKind::conda && info.type == EntryType::file &&
          info.path.ends_with(".tar.zst") && info.path.find('/') == std::string::npos) {
        read_conda_member(api, handle, info.path);
        continue;
      }
      check_name(info);
      // The size the header declares is untrusted: it only sizes the buffer up front, within the limit.
      if (info.type == EntryType::file && api.entry_size_is_set(header) != 0 && api.entry_size(header) > 0)
        m_buffer.reserve(static_cast<std::size_t>(
            std::min<std::uint64_t>(static_cast<std::uint64_t>(api.entry_size(header)), m_limits.max_buffered_bytes)));
      if (!read_entry(api, handle, info)) return;
    }
  }

  /// Reads the members of a plain zip (see zip_directory.hpp) held in memory. With a pool, members
  /// are inflated and hashed on its workers ahead of the visitor, at most kZipWindowBytes of
  /// declared size at once; the visitor still sees them one at a time, in order, on this thread.
  void read_zip(std::string_view archive, const std::vector<ZipMember>& members, MemberPool* pool, bool mapped) {
    struct Slot {
      InflatedMember result;
      bool done = false;
    };
    std::deque<Slot> slots;  // members submitted and not yet visited; a deque keeps them in place
    // Shared with the inflating work, which notifies after unlocking (woken under the lock, this
    // thread would at once block again on the mutex: two more system calls per member), and so may
    // still be notifying when this frame is gone.
    struct Handoff {
      std::mutex mutex;
      std::condition_variable inflated;
    };
    const auto handoff = std::make_shared<Handoff>();
    auto& mutex = handoff->mutex;
    auto& inflated = handoff->inflated;
    std::size_t next = 0;  // the next member to submit
    std::uint64_t window_bytes = 0;
    // Work still running refers to this frame: leaving it, also by an exception, waits for it.
    const auto wait_for_workers = [&] {
      std::unique_lock lock(mutex);
      inflated.wait(lock, [&] { return std::ranges::all_of(slots, &Slot::done); });
    };
    struct WaitOnExit {
      const decltype(wait_for_workers)& wait;
      ~WaitOnExit() { wait(); }
    } const wait_on_exit{wait_for_workers};
    // The mapped archive's pages are dropped once the members visited since the last drop span
    // kReleaseBytes (plain zip members lie in offset order): one madvise per member cost each
    // member a TLB shootdown on every core.
    std::size_t visited_from = 0;
    const std::uint64_t cap = saturating_add(entry_allowance(0), 1);
    const auto bytes_held = [&](const ZipMember& member) { return std::min(member.declared_size, m_limits.max_buffered_bytes); };
    const auto submit_ahead = [&](std::size_t visiting) {
      while (pool != nullptr && next < members.size() && next - visiting < kZipWindowMembers &&
             (next == visiting || window_bytes + bytes_held(members[next]) <= kZipWindowBytes)) {
        const ZipMember& member = members[next++];
        window_bytes += bytes_held(member);
        Slot& slot = slots.emplace_back();
        if (member.directory) {
          slot.done = true;
          continue;
        }
        // A worker buffers no more than the declared size, which bounds the window's memory; a
        // member that inflates to more is inflated again when visited.
        pool->submit([handoff, target = &slot, source = &member, archive, cap, held = bytes_held(member)] {
          InflatedMember result;
          try {
            result = inflate_member(archive, *source, cap, held);
          } catch (const std::bad_alloc&) {
            result.error = "out of memory";
          }
          {
            const std::scoped_lock lock(handoff->mutex);
            target->result = std::move(result);
            target->done = true;
          }
          handoff->inflated.notify_all();
        });
      }
    };
    for (std::size_t index = 0; index < members.size() && !m_contents.stopped_by_limit; ++index) {
      submit_ahead(index);
      const ZipMember& member = members[index];
      if (++m_entry_count > m_limits.max_entries) {
        stop("more than " + std::to_string(m_limits.max_entries) + " entries");
        break;
      }
      EntryInfo info;
      info.path = clean_path(member.name);
      info.type = member.directory ? EntryType::directory : EntryType::file;
      check_name(info);
      InflatedMember result;
      if (pool != nullptr) {
        std::unique_lock lock(mutex);
        inflated.wait(lock, [&] { return slots.front().done; });
        result = std::move(slots.front().result);
        slots.pop_front();
        window_bytes -= bytes_held(member);
      }
      if (!member.directory && (pool == nullptr || (result.error.empty() && !result.buffered && result.size < cap &&
                                                    result.size <= m_limits.max_buffered_bytes)))
        result = inflate_member(archive, member, cap, m_limits.max_buffered_bytes);
      // The visitor's work on the pool reads an inflated member in place rather than a copy.
      if (pool != nullptr) pool->lend(result.inflated);
      visit_inflated(info, std::move(result));
      if (pool != nullptr) pool->lend(nullptr);
      if (const std::size_t visited_to = member.data_offset + member.compressed_size;
          mapped && visited_to - visited_from >= kReleaseBytes) {
        release(archive.substr(visited_from, visited_to - visited_from));
        visited_from = visited_to;
      }
    }
  }

 private:
  static constexpr std::uint64_t kZipWindowBytes = std::uint64_t{8} << 20;
  static constexpr std::size_t kZipWindowMembers = 64;
  static constexpr std::size_t kReleaseBytes = std::size_t{8} << 20;

  /// Drops the pages of a mapped file that lie wholly inside `bytes` from memory (they are read
  /// again from the file if touched), so that the resident size does not grow with the archive.
  static void release(std::string_view bytes) {
    static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto begin = (reinterpret_cast<std::uintptr_t>(bytes.data()) + page - 1) / page * page;
    const auto end = (reinterpret_cast<std::uintptr_t>(bytes.data()) + bytes.size()) / page * page;
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
  }

  static std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
    return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
  }

  /// How many bytes the current entry may have, `total_before` bytes having been read before it,
  /// before a limit is crossed.
  std::uint64_t entry_allowance(std::uint64_t total_before) const {
    std::uint64_t allowed =
        std::min(m_limits.max_entry_bytes, m_limits.max_total_bytes - std::min(total_before, m_limits.max_total_bytes));
    const double by_ratio = m_limits.max_ratio * static_cast<double>(m_contents.archive_bytes);
    if (m_contents.archive_bytes > 0 && !std::isnan(by_ratio)) {
      // The ratio applies above the floor: crossing it means more than max(floor, ratio x size).
      std::uint64_t ratio_total = m_limits.ratio_floor_bytes;
      if (by_ratio >= 0x1p63) ratio_total = std::numeric_limits<std::uint64_t>::max();
      else if (by_ratio > static_cast<double>(ratio_total)) ratio_total = std::max(ratio_total, static_cast<std::uint64_t>(by_ratio));
      allowed = std::min(allowed, ratio_total - std::min(total_before, ratio_total));
    }
    return allowed;
  }

  /// Why reading stops once `info` crossed its allowance.
  std::string limit_crossed(const EntryInfo& info) const {
    if (info.size > m_limits.max_entry_bytes)
      return "'" + info.path + "' is larger than " + std::to_string(m_limits.max_entry_bytes) + " bytes uncompressed";
    if (m_contents.uncompressed_bytes > m_limits.max_total_bytes)
      return "more than " + std::to_string(m_limits.max_total_bytes) + " bytes uncompressed in total";
    return "compression ratio above " + std::to_string(static_cast<long long>(m_limits.max_ratio)) + ":1 (" +
           std::to_string(m_contents.uncompressed_bytes) + " bytes out of " + std::to_string(m_contents.archive_bytes) +
           ")";
  }

  /// Accounts a zip member read whole (up to the cap) against the limits as if it had streamed, then visits it.
  void visit_inflated(EntryInfo& info, InflatedMember result) {
    if (info.type == EntryType::file) {
      const std::uint64_t allowed = entry_allowance(m_contents.uncompressed_bytes);
      const bool crossed = result.size > allowed;
      info.size = crossed ? allowed + 1 : result.size;
      info.sha256 = result.sha256;
      m_contents.uncompressed_bytes += info.size;
      if (!result.error.empty()) {
        m_contents.errors.push_back({inside(m_contents.display_name, info.path), "corrupt data: " + result.error});
        info.complete = false;
      }
      if (crossed) {
        info.complete = false;
        stop(limit_crossed(info));
      }
    }
    const bool buffered = info.complete && result.buffered;
    m_visitor(info, buffered ? result.data : std::string_view(), buffered);
    m_contents.entries.push_back(std::move(info));
  }

  void read_conda_member(const LibArchive& api, archive* outer, const std::string& member) {
    // The member is a compressed tar, which is what an sdist's reader reads.
    auto inner = new_reader(inside(m_contents.display_name, member), ArchiveKind::sdist_tar);
    if (!inner) {
      m_contents.errors.push_back({inner.error().subject, inner.error().message});
      return;
    }
    NestedSource source{api, outer, 0};
    archive* handle = inner->handle.get();
    if (api.read_open(handle, &source, nullptr, read_nested, nullptr) != ARCHIVE_OK) {
      m_contents.errors.push_back({inside(m_contents.display_name, member), "corrupt conda member: " +
                                                                                 error_text(api, handle)});
      return;
    }
    const std::size_t errors_before = m_contents.errors.size();
    read_all(api, handle, true);
    for (std::size_t index = errors_before; index < m_contents.errors.size(); ++index)
      m_contents.errors[index].path = inside(m_contents.display_name, member);
  }

  void add(std::string_view rule, Severity severity, std::string_view path, std::string message, int cwe) {
    m_contents.findings.push_back(make_finding(rule, severity, inside(m_contents.display_name, path),
                                               std::move(message), cwe));
  }

  void stop(const std::string& why) {
    m_contents.stopped_by_limit = true;
    m_contents.findings.push_back(make_finding(
        "MOAT-A001", Severity::high, m_contents.display_name,
        "archive bomb: " + why + "; reading stopped, the rest of the archive was not checked", 409));
    m_contents.findings.back().details["uncompressed_bytes"] = m_contents.uncompressed_bytes;
    m_contents.findings.back().details["archive_bytes"] = m_contents.archive_bytes;
  }

  void check_name(const EntryInfo& info) {
    const std::string& path = info.path;
    if (path.empty()) {
      add("MOAT-A003", Severity::medium, "<empty name>", "archive member with an empty name", 22);
      return;
    }
    if (is_absolute(path))
      add("MOAT-A002", Severity::high, path, "absolute member path '" + path + "'", 22);
    if (has_dotdot(path))
      add("MOAT-A003", Severity::high, path, "member path '" + path + "' has a '..' component", 22);
    const bool conda = m_contents.kind == ArchiveKind::conda || m_contents.kind == ArchiveKind::conda_tar_bz2;
    if (info.type == EntryType::symlink) {
      const bool contained = link_stays_inside(path, info.link_target, true);
      if (!contained)
        add("MOAT-A004", Severity::high, path, "symbolic link to '" + info.link_target + "' points outside the archive", 59);
      else if (!conda)  // conda packages use relative links inside the prefix by design
        add("MOAT-A004", Severity::low, path, "symbolic link to '" + info.link_target + "'", 59);
    }
    if (info.type == EntryType::hardlink) {
      const bool contained = link_stays_inside(path, info.link_target, false);
      add("MOAT-A005", contained ? Severity::low : Severity::high, path,
          "hard link to '" + info.link_target + "'" + (contained ? "" : " outside the archive"), 59);
    }
    if (info.type == EntryType::device || info.type == EntryType::fifo || info.type == EntryType::socket)
      add("MOAT-A006", Severity::high, path, "special file (device, FIFO or socket)", 73);
    if (info.type == EntryType::directory) return;
    const std::string key = normalized_key(path);
    if (!m_seen.insert(key).second) {
      add("MOAT-A007", Severity::medium, path, "'" + path + "' appears more than once in the archive", 0);
      return;
    }
    const auto [existing, inserted] = m_folded.emplace(lowercase(key), key);
    if (!inserted)
      add("MOAT-A008", Severity::low, path,
          "'" + key + "' and '" + existing->second + "' collide on case-insensitive file systems", 0);
  }

  /// Streams one member's data: hashes it, buffers it when small, enforces the limits, visits it.
  /// False when reading must stop.
  bool read_entry(const LibArchive& api, archive* handle, EntryInfo& info) {
    m_buffer.clear();
    bool buffered = info.type == EntryType::file;
    bool keep_going = true;
    if (info.type == EntryType::file) {
      std::uint64_t position = 0;
      for (;;) {
        const void* block = nullptr;
        std::size_t size = 0;
        la_int64_t offset = 0;
        const int status = api.read_data_block(handle, &block, &size, &offset);
        if (status == ARCHIVE_EOF) break;
        if (status < ARCHIVE_WARN) {
          m_contents.errors.push_back({inside(m_contents.display_name, info.path), "corrupt data: " + error_text(api, handle)});
          info.complete = false;
          keep_going = status != ARCHIVE_FATAL;
          break;
        }
        // Sparse holes read as zeros, and count against the limits like any other byte.
        while (offset > 0 && position < static_cast<std::uint64_t>(offset) && keep_going) {
          const std::size_t gap = static_cast<std::size_t>(
              std::min<std::uint64_t>(static_cast<std::uint64_t>(offset) - position, kZeros.size()));
          keep_going = consume(info, std::string_view(kZeros.data(), gap), buffered);
          position += gap;
        }
        if (!keep_going) break;
        keep_going = consume(info, std::string_view(static_cast<const char*>(block), size), buffered);
        position += size;
        if (!keep_going) break;
      }
      info.sha256 = m_hasher.finish();
    }
    if (!keep_going && m_contents.stopped_by_limit) info.complete = false;
    if (!info.complete) buffered = false;
    m_visitor(info, buffered ? std::string_view(m_buffer) : std::string_view(), buffered);
    m_contents.entries.push_back(std::move(info));
    return keep_going;
  }

  bool consume(EntryInfo& info, std::string_view bytes, bool& buffered) {
    info.size += bytes.size();
    m_contents.uncompressed_bytes += bytes.size();
    m_hasher.update(bytes);
    if (buffered) {
      if (info.size > m_limits.max_buffered_bytes) {
        buffered = false;
        std::string().swap(m_buffer);
      } else {
        m_buffer.append(bytes);
      }
    }
    if (info.size > entry_allowance(m_contents.uncompressed_bytes - info.size)) {
      stop(limit_crossed(info));
      return false;
    }
    return true;
  }

  static constexpr std::array<char, kReadBlockBytes> kZeros{};
  ArchiveContents& m_contents;
  const ArchiveLimits& m_limits;
  const EntryVisitor& m_visitor;
  std::uint64_t m_entry_count = 0;
  std::unordered_set<std::string> m_seen;
  std::unordered_map<std::string, std::string> m_folded;
  std::string m_buffer;
  Sha256Hasher m_hasher;
};

Result<ArchiveContents> read_opened(const LibArchiveReader& reader, ArchiveContents contents,
                                    const ArchiveLimits& limits, const EntryVisitor& visitor) {
  Reader(contents, limits, visitor).read_all(reader.api, reader.handle.get(), false);
  return contents;
}

/// Reads a wheel or zip sdist held in memory through its central directory when it is plain (see
/// zip_directory.hpp); false when it is not, and libarchive must read it.
bool read_plain_zip(std::string_view bytes, bool mapped, ArchiveContents& contents, const ArchiveLimits& limits,
                    const EntryVisitor& visitor, MemberPool* pool) {
  if (contents.kind != ArchiveKind::wheel && contents.kind != ArchiveKind::sdist_zip) return false;
  const std::size_t max_members = limits.max_entries >= std::numeric_limits<std::size_t>::max()
                                      ? std::numeric_limits<std::size_t>::max()
                                      : static_cast<std::size_t>(limits.max_entries) + 1;
  const auto members = read_plain_zip_directory(bytes, max_members);
  if (!members) return false;
  Reader(contents, limits, visitor).read_zip(bytes, *members, pool, mapped);
  return true;
}

/// A file mapped read-only into memory.
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path, std::size_t size) : m_size(size) {
    const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0 || size == 0) {
      if (descriptor >= 0) ::close(descriptor);
      return;
    }
    void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, descriptor, 0);
    ::close(descriptor);
    if (address != MAP_FAILED) m_address = address;
  }
  ~MappedFile() {
    if (m_address != nullptr) ::munmap(m_address, m_size);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  /// The bytes, empty when the file could not be mapped.
  std::string_view bytes() const {
    return m_address != nullptr ? std::string_view(static_cast<const char*>(m_address), m_size) : std::string_view();
  }

 private:
  void* m_address = nullptr;
  std::size_t m_size;
};

}  // namespace

ArchiveKind archive_kind_from_name(std::string_view file_name) {
  const std::string name = lowercase(file_name);
  if (name.ends_with(".whl")) return ArchiveKind::wheel;
  if (name.ends_with(".conda")) return ArchiveKind::conda;
  if (name.ends_with(".tar.bz2")) return ArchiveKind::conda_tar_bz2;
  if (name.ends_with(".tar.gz") || name.ends_with(".tgz") || name.ends_with(".tar.xz") ||
      name.ends_with(".tar.zst") || name.ends_with(".tar"))
    return ArchiveKind::sdist_tar;
  if (name.ends_with(".zip")) return ArchiveKind::sdist_zip;
  return ArchiveKind::unknown;
}

std::string_view to_string(ArchiveKind kind) {
  switch (kind) {
    case ArchiveKind::wheel: return "wheel";
    case ArchiveKind::sdist_tar: return "sdist";
    case ArchiveKind::sdist_zip: return "sdist (zip)";
    case ArchiveKind::conda: return "conda";
    case ArchiveKind::conda_tar_bz2: return "conda (tar.bz2)";
    case ArchiveKind::unknown: return "archive";
  }
  return "archive";
}

Result<ArchiveContents> read_archive_file(const std::filesystem::path& path, const ArchiveLimits& limits,
                                          const EntryVisitor& visitor, std::string display_name, MemberPool* pool) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return fail(path.string(), "cannot read: " + error.message());
  ArchiveContents contents;
  contents.display_name = display_name.empty() ? path.string() : std::move(display_name);
  contents.kind = archive_kind_from_name(path.filename().string());
  contents.archive_bytes = size;
  if (contents.kind == ArchiveKind::wheel || contents.kind == ArchiveKind::sdist_zip) {
    const MappedFile mapped(path, static_cast<std::size_t>(size));
    if (!mapped.bytes().empty() && read_plain_zip(mapped.bytes(), true, contents, limits, visitor, pool)) return contents;
  }
  auto reader = new_reader(path.string(), contents.kind);
  if (!reader) return std::unexpected(reader.error());
  if (reader->api.read_open_filename(reader->handle.get(), path.c_str(), kReadBlockBytes) != ARCHIVE_OK)
    return fail(path.string(), "not a readable " + std::string(to_string(contents.kind)) + ": " +
                                   error_text(reader->api, reader->handle.get()));
  return read_opened(*reader, std::move(contents), limits, visitor);
}

Result<ArchiveContents> read_archive_memory(std::string_view bytes, std::string display_name, ArchiveKind kind,
                                            const ArchiveLimits& limits, const EntryVisitor& visitor) {
  ArchiveContents contents;
  contents.kind = kind == ArchiveKind::unknown ? archive_kind_from_name(display_name) : kind;
  contents.display_name = std::move(display_name);
  contents.archive_bytes = bytes.size();
  if (read_plain_zip(bytes, false, contents, limits, visitor, nullptr)) return contents;
  auto reader = new_reader(contents.display_name, contents.kind);
  if (!reader) return std::unexpected(reader.error());
  if (reader->api.read_open_memory(reader->handle.get(), bytes.data(), bytes.size()) != ARCHIVE_OK)
    return fail(contents.display_name, "not a readable " + std::string(to_string(contents.kind)) + ": " +
                                           error_text(reader->api, reader->handle.get()));
  return read_opened(*reader, std::move(contents), limits, visitor);
}

}  // namespace moat::dist
