#include "moat/dist/zip_directory.hpp"

#include <zlib.h>
#ifdef MOAT_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#include <algorithm>
#include <array>
#include <limits>
#include <memory>

namespace moat::dist {

namespace {

constexpr std::uint32_t kEndSignature = 0x06054b50;
constexpr std::uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr std::uint32_t kCentralSignature = 0x02014b50;
constexpr std::uint32_t kLocalSignature = 0x04034b50;
constexpr std::size_t kEndBytes = 22;
constexpr std::size_t kCentralBytes = 46;
constexpr std::size_t kLocalBytes = 30;
constexpr std::uint32_t kNoValue32 = 0xffffffff;  // "see the zip64 extra field"

// General-purpose flags that change how the bytes must be read: encryption, strong encryption,
// masked local headers.
constexpr std::uint16_t kUnreadableFlags = 0x0001 | 0x0040 | 0x2000;

// Extra fields libarchive acts on: zip64 sizes and Info-ZIP's Unicode path, which replaces the name.
constexpr std::uint16_t kZip64Extra = 0x0001;
constexpr std::uint16_t kUnicodePathExtra = 0x7075;

constexpr std::uint32_t kTypeMask = 0170000;
constexpr std::uint32_t kRegularType = 0100000;
constexpr std::uint32_t kDirectoryType = 0040000;

std::uint16_t le16(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                    (static_cast<unsigned char>(bytes[at + 1]) << 8));
}

std::uint32_t le32(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint32_t>(le16(bytes, at)) | (static_cast<std::uint32_t>(le16(bytes, at + 2)) << 16);
}

/// True when the extra fields are well formed and hold none libarchive would act on.
bool plain_extra(std::string_view extra) {
  std::size_t at = 0;
  while (at < extra.size()) {
    if (extra.size() - at < 4) return false;
    const std::uint16_t id = le16(extra, at);
    const std::size_t length = le16(extra, at + 2);
    if (id == kZip64Extra || id == kUnicodePathExtra || extra.size() - at - 4 < length) return false;
    at += 4 + length;
  }
  return true;
}

/// ASCII without NUL: what every reader spells the same (libarchive converts other names, by the
/// UTF-8 flag, the Unicode path extra field or the locale).
bool plain_name(std::string_view name) {
  return !name.empty() && std::ranges::none_of(name, [](char c) { return c == '\0' || static_cast<unsigned char>(c) >= 0x80; });
}

/// The file type libarchive gives a member: the Unix mode, or the DOS directory bit, with a
/// trailing '/' making a directory and no type making a regular file.
std::uint32_t member_type(std::uint16_t made_by, std::uint32_t external, std::string_view name) {
  const unsigned host = made_by >> 8;
  std::uint32_t type = 0;
  if (host == 3) type = (external >> 16) & kTypeMask;
  else if (host == 0) type = (external & 0x10) != 0 ? kDirectoryType : kRegularType;
  if (type != kDirectoryType) {
    if (name.ends_with('/')) type = kDirectoryType;
    else if (type == 0) type = kRegularType;
  }
  return type;
}

/// Where the end-of-central-directory record is: exactly its comment's length before the end.
std::optional<std::size_t> find_end_record(std::string_view archive) {
  if (archive.size() < kEndBytes) return std::nullopt;
  const std::size_t lowest = archive.size() - std::min(archive.size(), kEndBytes + 0xffff);
  for (std::size_t at = archive.size() - kEndBytes + 1; at-- > lowest;)
    if (le32(archive, at) == kEndSignature) {
      if (at + kEndBytes + le16(archive, at + 20) != archive.size()) return std::nullopt;
      return at;
    }
  return std::nullopt;
}

/// Checks the member's local header against its central record; returns where its data starts.
std::optional<std::uint64_t> local_data_offset(std::string_view archive, std::uint64_t offset, std::uint64_t limit,
                                               std::string_view central_name, std::uint16_t method, std::uint32_t crc,
                                               std::uint32_t compressed, std::uint32_t uncompressed) {
  if (offset > limit || limit - offset < kLocalBytes || le32(archive, offset) != kLocalSignature) return std::nullopt;
  const std::uint16_t flags = le16(archive, offset + 6);
  const std::uint32_t local_crc = le32(archive, offset + 14);
  const std::uint32_t local_compressed = le32(archive, offset + 18);
  const std::uint32_t local_uncompressed = le32(archive, offset + 22);
  const std::size_t name_length = le16(archive, offset + 26);
  const std::size_t extra_length = le16(archive, offset + 28);
  if ((flags & kUnreadableFlags) != 0 || le16(archive, offset + 8) != method) return std::nullopt;
  // Zero is what writers that stream put in the local header; anything else must agree.
  if ((local_crc != 0 && local_crc != crc) || (local_compressed != 0 && local_compressed != compressed) ||
      (local_uncompressed != 0 && local_uncompressed != uncompressed))
    return std::nullopt;
  const std::uint64_t data = offset + kLocalBytes + name_length + extra_length;
  if (data > limit) return std::nullopt;
  if (archive.substr(offset + kLocalBytes, name_length) != central_name) return std::nullopt;
  if (!plain_extra(archive.substr(offset + kLocalBytes + name_length, extra_length))) return std::nullopt;
  return data;
}

#ifdef MOAT_HAVE_LIBDEFLATE
/// The member inflated in one call with libdeflate (2-3x zlib's speed on whole buffers) into a buffer
/// of its declared size; nullopt when that fails (corrupt data, or more bytes than declared), and
/// the streaming inflate below reads it instead.
std::optional<std::string> inflate_whole(std::string_view input, std::size_t declared_size) {
  // One per thread: members are inflated by the same few workers, one after another.
  thread_local const std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> decompressor(
      libdeflate_alloc_decompressor(), &libdeflate_free_decompressor);
  if (!decompressor) return std::nullopt;
  bool inflated = false;
  std::string out;
  out.resize_and_overwrite(declared_size, [&](char* data, std::size_t size) noexcept {
    std::size_t produced = 0;
    inflated = libdeflate_deflate_decompress(decompressor.get(), input.data(), input.size(), data, size, &produced) ==
               LIBDEFLATE_SUCCESS;
    return inflated ? produced : 0;
  });
  if (!inflated) return std::nullopt;
  return out;
}
#endif

}  // namespace

std::optional<std::vector<ZipMember>> read_plain_zip_directory(std::string_view archive, std::size_t max_members) {
  const auto end = find_end_record(archive);
  if (!end || (*end >= 20 && le32(archive, *end - 20) == kZip64LocatorSignature)) return std::nullopt;
  const std::uint16_t disk = le16(archive, *end + 4);
  const std::uint16_t directory_disk = le16(archive, *end + 6);
  const std::uint16_t disk_entries = le16(archive, *end + 8);
  const std::uint16_t total_entries = le16(archive, *end + 10);
  const std::uint32_t directory_size = le32(archive, *end + 12);
  const std::uint32_t directory_offset = le32(archive, *end + 16);
  if (disk != 0 || directory_disk != 0 || disk_entries != total_entries || total_entries == 0xffff ||
      directory_size == kNoValue32 || directory_offset == kNoValue32 ||
      std::uint64_t{directory_offset} + directory_size != *end)
    return std::nullopt;

  std::vector<ZipMember> members;
  members.reserve(std::min<std::size_t>(total_entries, max_members));
  std::size_t at = directory_offset;
  std::uint64_t previous_end = 0;  // members must follow each other without overlap
  for (std::size_t index = 0; index < total_entries && members.size() < max_members; ++index) {
    if (*end - at < kCentralBytes || le32(archive, at) != kCentralSignature) return std::nullopt;
    const std::uint16_t made_by = le16(archive, at + 4);
    const std::uint16_t flags = le16(archive, at + 8);
    const std::uint16_t method = le16(archive, at + 10);
    const std::uint32_t crc = le32(archive, at + 16);
    const std::uint32_t compressed = le32(archive, at + 20);
    const std::uint32_t uncompressed = le32(archive, at + 24);
    const std::size_t name_length = le16(archive, at + 28);
    const std::size_t extra_length = le16(archive, at + 30);
    const std::size_t comment_length = le16(archive, at + 32);
    const std::uint16_t start_disk = le16(archive, at + 34);
    const std::uint32_t external = le32(archive, at + 38);
    const std::uint32_t offset = le32(archive, at + 42);
    const std::size_t record_end = at + kCentralBytes + name_length + extra_length + comment_length;
    if (record_end > *end) return std::nullopt;
    const std::string_view name = archive.substr(at + kCentralBytes, name_length);
    if ((flags & kUnreadableFlags) != 0 || (method != 0 && method != 8) || start_disk != 0 ||
        compressed == kNoValue32 || uncompressed == kNoValue32 || offset == kNoValue32 || !plain_name(name) ||
        !plain_extra(archive.substr(at + kCentralBytes + name_length, extra_length)))
      return std::nullopt;
    const std::uint32_t type = member_type(made_by, external, name);
    const bool directory = type == kDirectoryType;
    if ((type != kRegularType && !directory) || (directory && (compressed != 0 || uncompressed != 0)) ||
        (method == 0 && compressed != uncompressed))
      return std::nullopt;
    if (offset < previous_end) return std::nullopt;
    const auto data = local_data_offset(archive, offset, directory_offset, name, method, crc, compressed, uncompressed);
    if (!data || directory_offset - *data < compressed) return std::nullopt;
    previous_end = *data + compressed;
    ZipMember& member = members.emplace_back();
    member.name = std::string(name);
    if (directory && !member.name.ends_with('/')) member.name += '/';  // as libarchive names directories
    member.data_offset = *data;
    member.compressed_size = compressed;
    member.declared_size = uncompressed;
    member.deflated = method == 8;
    member.directory = directory;
    at = record_end;
  }
  if (members.size() < max_members && at != *end) return std::nullopt;
  return members;
}

InflatedMember inflate_member(std::string_view archive, const ZipMember& member, std::uint64_t cap,
                              std::uint64_t max_buffered) {
  InflatedMember out;
  const std::string_view input = archive.substr(member.data_offset, member.compressed_size);
  Sha256Hasher hasher;
  if (!member.deflated) {
    out.size = std::min<std::uint64_t>(input.size(), cap);
    hasher.update(input.substr(0, out.size));
    out.sha256 = hasher.finish();
    out.buffered = out.size == input.size() && out.size <= max_buffered;
    if (out.buffered) out.data = input;
    return out;
  }
#ifdef MOAT_HAVE_LIBDEFLATE
  if (member.declared_size <= max_buffered && member.declared_size < cap) {
    if (auto whole = inflate_whole(input, static_cast<std::size_t>(member.declared_size))) {
      hasher.update(*whole);
      out.sha256 = hasher.finish();
      out.size = whole->size();
      out.buffered = true;
      out.inflated = std::make_shared<const std::string>(std::move(*whole));
      out.data = *out.inflated;
      return out;
    }
  }
#endif
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) {
    out.error = "cannot start inflating";
    return out;
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  std::size_t remaining_input = input.size();
  int status = Z_OK;
  bool failed = false;
  const auto finished = [&] { return status == Z_STREAM_END || failed || out.size >= cap; };
  // One inflate() call into `target`; the bytes it produced are hashed and counted. Never throws
  // (it runs inside resize_and_overwrite).
  const auto inflate_into = [&](char* target, std::size_t space) noexcept {
    if (stream.avail_in == 0) {
      stream.avail_in = static_cast<uInt>(std::min<std::size_t>(remaining_input, std::numeric_limits<uInt>::max()));
      remaining_input -= stream.avail_in;
    }
    stream.next_out = reinterpret_cast<Bytef*>(target);
    stream.avail_out = static_cast<uInt>(std::min<std::uint64_t>({space, cap - out.size, std::numeric_limits<uInt>::max()}));
    const uInt offered = stream.avail_out;
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      failed = true;
      return;
    }
    const std::size_t produced = offered - stream.avail_out;
    hasher.update(std::string_view(target, produced));
    out.size += produced;
  };
  // Output goes straight into the member's buffer while it fits in max_buffered (one byte more
  // tells that it does not), then through a chunk that is only hashed. The declared size is
  // untrusted: it only sizes the buffer to start with.
  std::string buffer;
  bool buffered = true;
  const auto buffer_limit = static_cast<std::size_t>(std::min(max_buffered, cap - 1) + 1);
  std::size_t capacity =
      std::min<std::size_t>(buffer_limit, static_cast<std::size_t>(std::min(member.declared_size, max_buffered)) + 1);
  while (!finished()) {
    buffer.resize_and_overwrite(capacity, [&](char* data, std::size_t count) {
      while (!finished() && out.size < count) inflate_into(data + out.size, count - static_cast<std::size_t>(out.size));
      return static_cast<std::size_t>(out.size);
    });
    if (finished()) break;
    if (capacity == buffer_limit) {
      buffered = false;
      std::string().swap(buffer);
      break;
    }
    capacity = std::min(buffer_limit, 2 * capacity);
  }
  std::array<char, std::size_t{1} << 16> chunk;
  while (!finished()) inflate_into(chunk.data(), chunk.size());
  if (failed)  // Z_BUF_ERROR: no progress possible, the input ended before the stream did
    out.error = status == Z_BUF_ERROR ? std::string("truncated deflate data")
                                      : "bad deflate data" + (stream.msg != nullptr ? ": " + std::string(stream.msg) : "");
  inflateEnd(&stream);
  out.sha256 = hasher.finish();
  out.buffered = buffered && status == Z_STREAM_END && out.error.empty() && out.size <= max_buffered;
  if (out.buffered) {
    buffer.resize(static_cast<std::size_t>(out.size));
    out.inflated = std::make_shared<const std::string>(std::move(buffer));
    out.data = *out.inflated;
  }
  return out;
}

}  // namespace moat::dist
