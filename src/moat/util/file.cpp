#include "moat/util/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

namespace moat {
namespace {

std::string errno_text() { return std::strerror(errno); }

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (m_fd >= 0) ::close(m_fd);
  }
  [[nodiscard]] int get() const { return m_fd; }
  int release() { return std::exchange(m_fd, -1); }

 private:
  int m_fd;
};

}  // namespace

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return fail(path.string(), "cannot open: " + errno_text());
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return fail(path.string(), "cannot stat: " + errno_text());
  if (S_ISDIR(info.st_mode)) return fail(path.string(), "is a directory");
  if (S_ISREG(info.st_mode) && static_cast<std::size_t>(info.st_size) > max_bytes)
    return fail(path.string(), "file is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  // Straight into the string. A regular file is read at its stat size plus one byte, so one call
  // normally reads it all and the short count says the end is reached; a file that grew, or a
  // pipe, continues in chunks.
  std::string data;
  std::size_t chunk = S_ISREG(info.st_mode) ? static_cast<std::size_t>(info.st_size) + 1 : std::size_t{1} << 16;
  for (;;) {
    const std::size_t filled = data.size();
    chunk = std::min(chunk, max_bytes + 1 - filled);
    ssize_t got = 0;
    data.resize_and_overwrite(filled + chunk, [&](char* buffer, std::size_t) {
      do {
        got = ::read(fd.get(), buffer + filled, chunk);
      } while (got < 0 && errno == EINTR);
      return filled + static_cast<std::size_t>(std::max<ssize_t>(got, 0));
    });
    if (got < 0) return fail(path.string(), "read error: " + errno_text());
    if (data.size() > max_bytes)
      return fail(path.string(), "file is larger than the limit of " + std::to_string(max_bytes) + " bytes");
    if (got == 0 || (S_ISREG(info.st_mode) && static_cast<std::size_t>(got) < chunk)) break;
    chunk = std::size_t{1} << 16;
  }
  return data;
}

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view data, Durability durability) {
  const auto directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::random_device random;
  const auto temporary =
      directory / ("." + path.filename().string() + ".tmp" + std::to_string(random()));
  FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) return fail(path.string(), "cannot create temporary file: " + errno_text());
  auto remove_temporary = [&] { ::unlink(temporary.c_str()); };
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t put = ::write(fd.get(), data.data() + written, data.size() - written);
    if (put < 0) {
      if (errno == EINTR) continue;
      const auto reason = errno_text();
      remove_temporary();
      return fail(path.string(), "write error: " + reason);
    }
    written += static_cast<std::size_t>(put);
  }
  if ((durability == Durability::flushed && ::fsync(fd.get()) != 0) || ::close(fd.release()) != 0) {
    const auto reason = errno_text();
    remove_temporary();
    return fail(path.string(), "cannot flush: " + reason);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const auto reason = errno_text();
    remove_temporary();
    return fail(path.string(), "cannot replace: " + reason);
  }
  return {};
}

}  // namespace moat
